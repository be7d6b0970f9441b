"""Compiled regular expressions kept between runs, in the user's cache folder.

Compiling is the dearest part of a one-file check after importing: ``re`` and
``regex`` both parse and compile a pattern in Python (0.2–2 ms each), and a check
needs some seventy of them (the readers' and the pack's), about 30 ms where the
whole check is 150. Neither engine can keep a compiled pattern between processes
by itself, so this store keeps each pattern's compiled *program* and hands it
back to the engine's own constructor:

- ``regex`` pickles a pattern together with its program (its copyreg support)
  and rebuilds it with ``_regex.compile``; the store keeps those bytes;
- ``re`` pickles only the source (unpickling recompiles), so the store takes the
  program from ``re``'s own compiler and rebuilds the pattern with
  ``_sre.compile``, the call ``re.compile`` ends with. A program is kept only
  when the pattern rebuilt from it equals the one ``re.compile`` made (``re``
  patterns compare by program), so a Python whose compiler internals differ
  simply keeps nothing.

Neither engine fully checks a program it is given (randomly mutated programs
crash the interpreter under both), so a program is only ever used when

- the file's first line is the key of this store's format, this Python build
  and, for ``regex``, this ``regex`` version (another interpreter rebuilds);
- the BLAKE2b digest of the body matches (a torn or damaged file is ignored);
- the folder and the file belong to the user and no one else may write to them,
  the guard Jinja2 puts on its bytecode cache: a file planted by someone else
  is never read.

Anything else (a missing, foreign, unreadable or damaged file) and patterns are
compiled as without the store. What a run compiled anew is merged in at its end
(:func:`save`), written atomically; the store holds at most ``MAX_ENTRIES``
patterns, and when full keeps those the saving run used or made (a pack's patterns
name the report's year, so each year brings new ones). ``NIANBAO_CACHE_DIR=""``
turns it off with the other caches.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import sys
from pathlib import Path
from typing import Any

from checker.cache.snapshot import blake2b, cache_dir, write_private

FORMAT = 1  # bump when what a program entry holds changes
MAX_ENTRIES = 4096
MAX_FILE_BYTES = 32 * 1024 * 1024
_DIGEST_BYTES = 32


class _NothingAllowed(pickle.Unpickler):
    """Plain data only: str, int, bytes, tuples, lists, dicts."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the pattern store")


class _RegexPattern(pickle.Unpickler):
    """A pickled `regex` pattern: its constructor and plain data, nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("regex._regex", "compile"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the pattern store")


def _owned_privately(status: os.stat_result) -> bool:
    """The user's own and writable by no one else (always true where there are no owners)."""
    if not hasattr(os, "getuid"):
        return True
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


def _folder() -> Path | None:
    base = cache_dir()
    return base / "patterns" if base is not None else None


def _digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=_DIGEST_BYTES).digest()


class Store:
    """The programs of one engine: those on file (read on first use) and those made since."""

    def __init__(self, engine: str, version: str) -> None:
        self.engine = engine
        about = f"nianbao-patterns/{FORMAT}/{engine}/{version}/{sys.version}"
        self.key = _digest(about.encode()).hex().encode("ascii")
        self._known: dict[tuple[str, int], bytes] | None = None
        self.added: dict[tuple[str, int], bytes] = {}
        self.used: set[tuple[str, int]] = set()

    def path(self) -> Path | None:
        folder = _folder()
        if folder is None:
            return None
        return folder / f"{self.engine}-{self.key[:24].decode()}.bin"

    def _read(self) -> dict[tuple[str, int], bytes]:
        """The entries on file; empty when there is none to trust."""
        path = self.path()
        if path is None:
            return {}
        try:
            with open(path, "rb") as handle:
                status = os.fstat(handle.fileno())
                if not (_owned_privately(status) and _owned_privately(os.stat(path.parent))):
                    return {}
                if status.st_size > MAX_FILE_BYTES:
                    return {}
                data = handle.read()
            head, _, rest = data.partition(b"\n")
            digest, body = rest[:_DIGEST_BYTES], rest[_DIGEST_BYTES:]
            if head != self.key or digest != _digest(body):
                return {}
            entries = _NothingAllowed(io.BytesIO(body)).load()
        except Exception:  # missing, unreadable, damaged: compile as without a store
            return {}
        return entries if isinstance(entries, dict) else {}

    def program(self, pattern: str, flags: int) -> bytes | None:
        if self._known is None:
            self._known = self._read()
        found = self._known.get((pattern, flags))
        if found is not None:
            self.used.add((pattern, flags))
        return found

    def keep(self, pattern: str, flags: int, program: bytes) -> None:
        self.added[(pattern, flags)] = program

    def save(self) -> None:
        """Merge what this run compiled into the file; never fails a check."""
        path = self.path()
        if not self.added or path is None:
            return
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _owned_privately(os.stat(path.parent)):
                return
            entries = self._read()
            kept = {key: entries[key] for key in self.used if key in entries}
            for key, program in (*self.added.items(), *entries.items()):
                if len(kept) >= MAX_ENTRIES:
                    break
                kept.setdefault(key, program)
            body = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
            write_private(path, self.key + b"\n" + _digest(body) + body)
        except Exception:  # an unwritable or full cache never stops a check
            pass
        self.added.clear()


_STORES: dict[str, Store] = {}


def _store(engine: str) -> Store:
    found = _STORES.get(engine)
    if found is None:
        if engine == "regex":
            import regex

            version = regex.__version__
        else:
            version = sys.implementation.cache_tag or ""
        found = _STORES[engine] = Store(engine, version)
    return found


def _re_program(pattern: str, flags: int) -> tuple[Any, ...]:
    """The arguments `re.compile` hands `_sre.compile` (CPython 3.11+ internals)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (
        int(flags | parsed.state.flags),
        [int(op) for op in code],  # the opcodes are int subclasses that do not pickle
        parsed.state.groups - 1,
        groupindex,
        indexgroup,
    )


def _re_rebuilt(pattern: str, program: tuple[Any, ...]) -> re.Pattern[str]:
    import _sre

    flags, code, groups, groupindex, indexgroup = program
    return _sre.compile(pattern, flags, list(code), groups, groupindex, tuple(indexgroup))


def compile_re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the store when it holds the pattern's program."""
    flags = int(flags)
    store = _store("re")
    kept = store.program(pattern, flags) if isinstance(pattern, str) else None
    if kept is not None:
        try:
            return _re_rebuilt(pattern, _NothingAllowed(io.BytesIO(kept)).load())
        except Exception:  # a program of another shape: compile afresh
            pass
    compiled = re.compile(pattern, flags)
    if isinstance(pattern, str):
        try:
            program = _re_program(pattern, flags)
            rebuilt = _re_rebuilt(pattern, program)
            if rebuilt == compiled and rebuilt.groupindex == compiled.groupindex:
                store.keep(pattern, flags, pickle.dumps(program, pickle.HIGHEST_PROTOCOL))
        except Exception:  # internals of another shape: this Python keeps nothing
            pass
    return compiled


def compile_regex(pattern: str, flags: int = 0) -> Any:
    """``regex.compile(pattern, flags)``, from the store when it holds the pattern's program."""
    import regex

    flags = int(flags)
    store = _store("regex")
    kept = store.program(pattern, flags)
    if kept is not None:
        try:
            rebuilt = _RegexPattern(io.BytesIO(kept)).load()
            if rebuilt.pattern == pattern:
                return rebuilt
        except Exception:  # a program of another shape: compile afresh
            pass
    compiled = regex.compile(pattern, flags)
    store.keep(pattern, flags, pickle.dumps(compiled, pickle.HIGHEST_PROTOCOL))
    return compiled


def save() -> None:
    """Keep what this run compiled for the next (called once a check is done)."""
    for store in _STORES.values():
        store.save()
