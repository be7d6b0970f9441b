"""Expand the paths given on the command line into the files to check."""

from __future__ import annotations

import os
from pathlib import Path

from checker.errors import InputError
from checker.sources import supported_extensions


def discover(paths: list[Path]) -> list[Path]:
    """Files as given, plus supported files found recursively (sorted) under directories.

    Symbolic links to directories are not followed, so a link loop cannot trap the walk.
    """
    found: list[Path] = []
    extensions = set(supported_extensions())
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    candidate = Path(root) / name
                    if candidate.suffix.lower() in extensions and not name.startswith("."):
                        found.append(candidate)
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            raise InputError(str(path), "no such file or directory")
    return found
