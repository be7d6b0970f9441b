"""Roll-up reports (全市/全县汇总) and their parts, as the configuration's ``[[rollup]]`` names them.

::

    [[rollup]]
    report = "全县/2024.yaml"          # path or glob of the roll-up report
    parts = ["departments/*/2024.*"]   # its member reports

Paths and globs are relative to the configuration file's folder (``*`` within
one path component, ``**`` across components, as in ``per-file-ignores``).
When a checked file matches ``report``, its parts are found and read here,
in the process that checks the roll-up, in sorted path order, so the result
does not depend on ``--jobs``. Only their tables are kept. A part that is
missing (a literal path that does not exist, a glob that matches nothing) or
cannot be read is recorded as a problem: HY-001 is then not applicable, with
that reason, rather than comparing against a partial sum.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct, field

from checker.errors import InputError
from checker.model import Cell

if TYPE_CHECKING:
    from checker.gate.config import RollupEntry, Settings

MAX_PARTS = 10000  # more members than any county or city has


class Part(Struct):
    """One member report: how it is named in messages, its template and its tables."""

    path: str
    template: str | None
    tables: dict[str, dict[str, Cell]]


class Rollup(Struct):
    """The parts of a roll-up report as the run found them."""

    parts: list[Part] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # missing or unreadable parts


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return (path if relative.startswith("..") else Path(relative)).as_posix()


def _has_magic(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")


def entries_for(settings: Settings, path: Path) -> list[RollupEntry]:
    """The ``[[rollup]]`` entries whose ``report`` names `path`."""
    if not settings.rollup:
        return []
    from checker.run.discovery import glob_matches, relative_to

    found = []
    for entry in settings.rollup:
        relative = relative_to(path, Path(entry.root))
        if relative is not None and glob_matches(relative, entry.report):
            found.append(entry)
    return found


def part_paths(entry: RollupEntry, rollup_path: Path) -> tuple[list[Path], list[str]]:
    """The member reports of an entry, sorted, without the roll-up itself; and what is missing."""
    root = Path(entry.root)
    itself = os.path.normcase(os.path.abspath(rollup_path))
    found: dict[str, Path] = {}
    missing: list[str] = []
    for pattern in entry.parts:
        if not _has_magic(pattern):
            candidate = root / pattern
            if not candidate.is_file():
                missing.append(f"{pattern}: no such file")
                continue
            matches = [candidate]
        else:
            try:
                matches = sorted(p for p in root.glob(pattern) if p.is_file())
            except (ValueError, NotImplementedError, OSError) as exc:
                missing.append(f"{pattern}: {exc}")
                continue
            if not matches:
                missing.append(f"{pattern}: no file matches")
        for match in matches:
            key = os.path.normcase(os.path.abspath(match))
            if key != itself:
                found.setdefault(key, match)
            if len(found) > MAX_PARTS:
                missing.append(f"more than {MAX_PARTS} parts")
                return [], missing
    return [found[k] for k in sorted(found)], missing


def gather(settings: Settings, path: Path) -> Rollup | None:
    """The parts of `path` when the configuration makes it a roll-up report, else None."""
    entries = entries_for(settings, path)
    if not entries:
        return None
    from checker.run.pipeline import load

    rollup = Rollup()
    seen: set[str] = set()
    for entry in entries:
        paths, missing = part_paths(entry, path)
        rollup.problems += missing
        for part_path in paths:
            shown = _shown(part_path)
            if shown in seen:
                continue
            seen.add(shown)
            try:
                report = load(part_path, settings.overrides, display=shown)
            except InputError as exc:
                rollup.problems.append(f"{shown}: {exc.message}")
                continue
            except (RecursionError, MemoryError) as exc:
                rollup.problems.append(f"{shown}: cannot read: {type(exc).__name__}")
                continue
            rollup.parts.append(Part(shown, report.meta.template, report.tables))
    return rollup
