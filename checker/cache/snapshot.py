"""Parsed copies of the bundled YAML (rule pack files, format templates) in the user's cache.

Parsing the national pack and the two templates from YAML is most of what a
one-file check does besides importing its modules; their parsed form is
pickled into the user cache folder, keyed by a BLAKE2b hash of the code's version,
this module's format number and the exact bytes of the YAML. A snapshot is
never trusted without that hash: its file starts with the full key, which
must equal the key computed from the YAML being read now (so an edited rule
file, a new release or a stray file of the same name is simply rebuilt).

It is harmless when the folder is unwritable, a snapshot corrupt or written
by an incompatible version: the YAML is parsed as without a cache. Snapshots
are unpickled by a restricted unpickler that builds only plain data, dates,
decimals and the checker's own position and template classes: a file planted
in the cache folder cannot run code. Writes are atomic (a private temporary
file renamed into place). ``NIANBAO_CACHE_DIR`` names another folder; set to
the empty string it turns the cache off.
"""

from __future__ import annotations

import io
import os
import pickle
import sys
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any, TypeVar

from checker import __version__

FORMAT = 2  # bump when what is pickled changes shape (2: msgspec structs, not dataclasses)
T = TypeVar("T")

# (module, name) pairs a snapshot may name; classes of the checker's data only
_ALLOWED_MODULES = {"checker.model", "checker.templates"}
_ALLOWED = {
    ("builtins", "frozenset"),
    ("builtins", "set"),
    ("decimal", "Decimal"),
    ("datetime", "date"),
    ("datetime", "datetime"),
}


def cache_dir() -> Path | None:
    """The user's cache folder for nianbao-checker, or None when caching is off."""
    named = os.environ.get("NIANBAO_CACHE_DIR")
    if named is not None:
        return Path(named) if named else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nianbao-checker"


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        if module in _ALLOWED_MODULES and name[:1].isupper():
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a snapshot")


def blake2b(data: bytes = b"", digest_size: int = 64) -> Any:
    """A BLAKE2b hash object, from the built-in module: hashlib would load OpenSSL first
    (2 ms of start-up)."""
    try:
        from _blake2 import blake2b as made
    except ImportError:  # pragma: no cover - an interpreter without it
        from hashlib import blake2b as made
    return made(data, digest_size=digest_size)


def snapshot_key(kind: str, source: bytes) -> str:
    digest = blake2b(f"nianbao-snapshot/{FORMAT}/{__version__}/{kind}\0".encode())
    digest.update(source)
    return digest.hexdigest()


def _read(path: Path, key: str) -> Any:
    data = path.read_bytes()
    head, _, body = data.partition(b"\n")
    if head != key.encode("ascii"):
        raise ValueError("snapshot of other sources")
    return _Unpickler(io.BytesIO(body)).load()


def write_private(path: Path, data: bytes) -> None:
    """Write a cache file atomically (a private temporary file renamed into place), readable
    and writable by the user alone, in a folder made for the user alone if it is new."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(descriptor, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _write(path: Path, key: str, value: Any) -> None:
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    write_private(path, key.encode("ascii") + b"\n" + body)


def cached(kind: str, source: bytes, build: Callable[[], T]) -> T:
    """`build()`, or its snapshot when one was made from exactly these `source` bytes."""
    folder = cache_dir()
    if folder is None:
        return build()
    key = snapshot_key(kind, source)
    path = folder / f"{kind}-{key[:32]}.pickle"
    try:
        return _read(path, key)
    except Exception:  # missing, unreadable, corrupt, foreign: parse the YAML instead
        pass
    value = build()
    with suppress(Exception):  # an unwritable or full cache never stops a check
        _write(path, key, value)
    return value


def cached_file(kind: str, path: Path, parse: Callable[[str], T]) -> T:
    """`parse(text of path)`, or its snapshot when one was made from exactly these bytes."""
    source = path.read_bytes()
    return cached(kind, source, lambda: parse(source.decode("utf-8")))
