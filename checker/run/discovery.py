"""Expand the paths given on the command line into the files to check.

Include and exclude globs filter what a directory walk finds, and so does the
report sniffer (``checker/run/sniff.py``: READMEs, baselines, ``*.expected.*``
files are not reports); a file named on the command line is always checked.
A glob is matched against the path relative to the directory searched (and,
when a configuration file is in use, relative to its folder): ``*`` and ``?``
stay within one path component,
``**`` spans any number of them, and a glob without ``/`` matches any single
component (``drafts`` skips every folder or file named so).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from checker.errors import InputError
from checker.run.globs import compile_glob
from checker.run.sniff import Skipped, skip_reason
from checker.sources import supported_extensions


def glob_matches(relative: str, pattern: str) -> bool:
    """Whether a '/'-separated relative path matches a glob (see the module docstring)."""
    pattern = pattern.removeprefix("./").rstrip("/")
    if "/" not in pattern:
        return any(compile_glob(pattern).match(part) for part in PurePosixPath(relative).parts)
    return compile_glob(pattern).match(relative)


def relative_to(path: Path, folder: Path) -> str | None:
    """`path` relative to `folder` with '/' separators, or None when it lies outside."""
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(folder)).as_posix()
    except ValueError:
        return None


def any_glob(path: Path, folders: Iterable[Path], patterns: Iterable[str]) -> bool:
    """Whether `path`, relative to any of `folders`, matches any of `patterns`."""
    relatives = [r for r in (relative_to(path, folder) for folder in folders) if r]
    return any(glob_matches(r, p) for r in relatives for p in patterns)


def discover(
    paths: list[Path],
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    root: Path | None = None,
) -> list[Path]:
    """Every file :func:`walk` finds, as a list (small runs and tests)."""
    return list(walk(paths, include, exclude, root))


def walk(
    paths: list[Path],
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    root: Path | None = None,
    skipped: list[Skipped] | None = None,
) -> Iterator[Path]:
    """Files as given, plus supported files found recursively (sorted) under directories.

    Under a directory, a file must match an `include` glob (when there are any) and
    neither it nor a folder above it may match an `exclude` glob; `root` is the
    configuration's folder, the other base the globs are tried against.
    Symbolic links to directories are not followed, so a link loop cannot trap the walk.
    A path that does not exist is an InputError before anything is yielded; folders
    are walked lazily, so a national corpus is never listed in memory. A file found
    under a directory that does not look like a report (``checker/run/sniff.py``) is not
    yielded but appended to `skipped` (when given) as it is passed.
    """
    for path in paths:
        if not (path.exists() or path.is_symlink()):
            raise InputError(str(path), "no such file or directory")
    return _walk(paths, tuple(include), tuple(exclude), root, skipped)


def _walk(
    paths: list[Path],
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    root: Path | None,
    skipped: list[Skipped] | None = None,
) -> Iterator[Path]:
    extensions = set(supported_extensions())
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        bases = [path] + ([root] if root is not None else [])
        unlisted: list[OSError] = []  # folders os.walk could not list: yielded, so they are said
        for folder, dirs, files in os.walk(path, onerror=unlisted.append, followlinks=False):
            yield from _unlisted(unlisted)
            dirs[:] = sorted(
                d
                for d in dirs
                if not d.startswith(".") and not any_glob(Path(folder) / d, bases, exclude)
            )
            for name in sorted(files):
                candidate = Path(folder) / name
                if candidate.suffix.lower() not in extensions or name.startswith("."):
                    continue
                if any_glob(candidate, bases, exclude):
                    continue
                if include and not any_glob(candidate, bases, include):
                    continue
                reason = skip_reason(candidate)
                if reason is not None:
                    if skipped is not None:
                        skipped.append(Skipped(str(candidate), reason))
                    continue
                yield candidate
        yield from _unlisted(unlisted)


def _unlisted(errors: list[OSError]) -> Iterator[Path]:
    """The folders that could not be listed: checking one reports it (exit 2, folder named)."""
    while errors:
        failed = errors.pop(0)
        if failed.filename is not None:
            yield Path(os.fsdecode(failed.filename))
