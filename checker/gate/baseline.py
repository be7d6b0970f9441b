"""Baselines: accept the findings a repository has today, fail only on new ones.

``nianbao check reports/ --write-baseline nianbao-baseline.json`` records every
current finding by its fingerprint (rule + report path + JSON pointer, never a
line number, so editing a report elsewhere does not disturb it) with how many
findings share it. ``--baseline nianbao-baseline.json`` then hides the
findings the baseline holds (up to its count each), so the exit code and
every output format show only new ones, and lists the entries that no longer
occur so the baseline can be tightened by writing it again. An entry is only
judged when its file was checked in the run and its rule was evaluated on it
(passed or failed), so checking a subset of the files or rules never calls the
rest stale.

Paths are as given on the command line: write and use a baseline from the same
folder (the repository's root, in CI) with the same path arguments' form.
The file is JSON, sorted, one entry per fingerprint, written atomically.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from msgspec import Struct

from checker import __version__
from checker.errors import InputError
from checker.findings import FileResult
from checker.sources.limits import Limits, read_bytes
from checker.writer import to_json, write_atomic

FORMAT = 1
MAX_BASELINE_BYTES = 64 * 1024 * 1024


class Entry(Struct, frozen=True):
    fingerprint: str
    rule: str
    path: str
    pointer: str
    count: int
    message: str = ""

    def data(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "rule": self.rule,
            "path": self.path,
            "pointer": self.pointer,
            "count": self.count,
            "message": self.message,
        }


class Comparison(Struct, frozen=True):
    """What applying a baseline found: hidden (known) and new findings, stale entries."""

    known: int
    new: int
    stale: tuple[Entry, ...]  # count = how many of the entry's findings no longer occur


class Recorder:
    """Collects baseline entries result by result (a ``run_checks`` hook)."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._first: dict[str, Any] = {}

    def __call__(self, result: FileResult) -> None:
        for finding in result.findings:
            self._counts[finding.fingerprint] += 1
            self._first.setdefault(finding.fingerprint, finding)

    def entries(self) -> dict[str, Entry]:
        return {
            fp: Entry(fp, f.rule, f.location.path, f.location.pointer, self._counts[fp], f.message)
            for fp, f in self._first.items()
        }


def dumps(entries: dict[str, Entry]) -> str:
    ordered = sorted(entries.values(), key=lambda e: (e.path, e.rule, e.pointer, e.fingerprint))
    return to_json(
        {
            "tool": "nianbao-checker",
            "version": __version__,
            "format": FORMAT,
            "findings": [entry.data() for entry in ordered],
        }
    )


def write(path: Path, entries: dict[str, Entry]) -> int:
    """Write the baseline of the entries a :class:`Recorder` collected; the findings it holds."""
    write_atomic(path, dumps(entries))
    return sum(entry.count for entry in entries.values())


def _entry(raw: Any, index: int, path: Path) -> Entry:
    fields = ("fingerprint", "rule", "path", "pointer")
    if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) for k in fields):
        raise InputError(str(path), f"baseline entry {index} needs {', '.join(fields)} as text")
    count = raw.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise InputError(str(path), f"baseline entry {index}: count must be a positive integer")
    return Entry(*(raw[k] for k in fields), count, str(raw.get("message", "")))


def load(path: Path) -> dict[str, Entry]:
    """Read a baseline written by --write-baseline; InputError (naming the file) when invalid."""
    if not path.is_file():
        raise InputError(str(path), "no such baseline file (write one with --write-baseline)")
    text = read_bytes(path, Limits(max_bytes=MAX_BASELINE_BYTES)).decode("utf-8", "replace")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"not a baseline: invalid JSON at line {exc.lineno}") from None
    except RecursionError:
        raise InputError(str(path), "not a baseline: nested too deeply") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(str(path), f"not a nianbao baseline of format {FORMAT}")
    raw = data.get("findings")
    if not isinstance(raw, list):
        raise InputError(str(path), "a baseline needs a 'findings' list")
    entries: dict[str, Entry] = {}
    for index, item in enumerate(raw):
        entry = _entry(item, index, path)
        if entry.fingerprint in entries:
            raise InputError(str(path), f"fingerprint {entry.fingerprint} is listed twice")
        entries[entry.fingerprint] = entry
    return entries


class Filter:
    """Hides the findings a baseline holds, result by result (a ``run_checks`` hook).

    An entry is stale when its file was checked, its rule evaluated there
    (passed or failed), and fewer of its findings occurred than it counts.
    """

    def __init__(self, entries: dict[str, Entry]) -> None:
        self._entries = entries
        self._left = {fp: entry.count for fp, entry in entries.items()}
        self._paths = {entry.path for entry in entries.values()}
        self._evaluated: set[tuple[str, str]] = set()
        self.known = self.new = 0

    def __call__(self, result: FileResult) -> None:
        kept = []
        for finding in result.findings:
            if self._left.get(finding.fingerprint, 0) > 0:
                self._left[finding.fingerprint] -= 1
                result.baselined += 1
                self.known += 1
            else:
                kept.append(finding)
                self.new += 1
        result.findings = kept
        if result.error is None and result.path in self._paths:
            self._evaluated.update(
                (result.path, o.rule) for o in result.outcomes if o.outcome in ("pass", "fail")
            )

    def comparison(self) -> Comparison:
        left = self._left
        stale = tuple(
            Entry(e.fingerprint, e.rule, e.path, e.pointer, left[e.fingerprint], e.message)
            for e in sorted(
                self._entries.values(), key=lambda e: (e.path, e.rule, e.pointer, e.fingerprint)
            )
            if left[e.fingerprint] > 0 and (e.path, e.rule) in self._evaluated
        )
        return Comparison(self.known, self.new, stale)


def apply(results: Iterable[FileResult], entries: dict[str, Entry]) -> Comparison:
    """Hide the findings the baseline holds (changing `results`); what was hidden and what is stale."""
    hide = Filter(entries)
    for result in results:
        hide(result)
    return hide.comparison()
