"""Limits on untrusted input; every reader reads through these."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from checker.errors import InputError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_NESTING = 64


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_nesting: int = MAX_NESTING


def read_bytes(path: Path, limits: Limits | None = None) -> bytes:
    """Read a file whole, refusing directories, missing files and files over the size limit."""
    limits = limits or Limits()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
    if path.is_dir():
        raise InputError(str(path), "is a directory, not a report file")
    if size > limits.max_bytes:
        raise InputError(str(path), f"file is {size} bytes, over the {limits.max_bytes}-byte limit")
    try:
        with path.open("rb") as handle:
            return handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
