"""Suppressions with reasons: a reviewed finding that is kept out of the results.

In a YAML report, a comment on the line of the node a finding points at, or
alone on the line just before it::

    carried_over: {natural_person: 3, …, total: 3}  # nianbao: ignore[XY-001] 上年报告结转数填报有误，已更正说明

    # nianbao: ignore[T3-002,T3-003] 原表如此，已向上级报备
    new: {natural_person: 64, …}

Codes may be rule codes or prefixes, separated by commas; the text after ``]``
is the reason. Documents that cannot carry comments (JSON, text, HTML, DOCX,
PDF) take the same entry in the configuration (``[[suppress]]`` in
``nianbao.toml``, see ``checker/gate/config.py``), naming the file (relative to
the configuration's folder), the rules, optionally the JSON pointer of the
node, and the reason.

A suppression without a reason (or without codes) still suppresses, but is
itself a finding (``SUP-001``): every hidden defect needs its explanation. A
suppression that matched no finding of a rule that was evaluated is reported
(``SUP-002``) so that stale ones are removed. ``SUP-`` findings cannot be
suppressed. Each run counts the findings it suppressed (``summary.suppressed``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from msgspec import Struct

from checker.findings import Finding
from checker.model import Diagnostic, Meta, Position, Report
from checker.regexes import lazy
from checker.sources.encoding import decode_text
from checker.sources.limits import Limits, read_bytes

COMMENT_SUFFIXES = (".yaml", ".yml")
_DIRECTIVE = lazy(r"(?:^|\s)#\s*nianbao:\s*ignore\[(?P<codes>[^\]\n]*)\](?P<reason>[^\n]*)")
_CODE = lazy(r"^[A-Z][A-Z0-9]*(?:-\d{0,3})?$")

NO_REASON = {"zh": "未写明理由", "en": "no reason given"}
NO_CODES = {"zh": "未写明规则代码", "en": "no rule code given"}


class Suppression(Struct):
    """One ``ignore`` directive, and how many findings it hid in this run."""

    codes: tuple[str, ...]
    reason: str
    origin: str  # where it is written, for people: "report.yaml:12" or "nianbao.toml suppress[1]"
    line: int | None = None  # a comment: the report line it stands on
    own_line: bool = False  # a comment alone on its line also covers the next line
    pointer: str = ""  # a configuration entry: only findings at or under this pointer
    pos: Position | None = None  # a comment's position in the report
    used: int = 0

    def covers_rule(self, rule_id: str) -> bool:
        return any(rule_id == code or rule_id.startswith(code) for code in self.codes)

    def matches(self, finding: Finding) -> bool:
        if finding.rule.startswith("SUP-") or not self.covers_rule(finding.rule):
            return False
        if self.line is not None:
            line = finding.location.line
            return line == self.line or (self.own_line and line == self.line + 1)
        pointer = finding.location.pointer
        return not self.pointer or pointer == self.pointer or pointer.startswith(self.pointer + "/")


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in text.split(",") if code.strip())


def parse_comments(text: str, path: str) -> list[Suppression]:
    """Every ``# nianbao: ignore[...]`` comment of a YAML report's text."""
    found: list[Suppression] = []
    if "nianbao" not in text:
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        match = _DIRECTIVE.search(line)
        if not match:
            continue
        column = match.start() + (0 if line[match.start()] == "#" else 1) + 1
        found.append(
            Suppression(
                codes=_codes(match["codes"]),
                reason=match["reason"].strip(),
                origin=f"{path}:{number}",
                line=number,
                own_line=not line[: match.start()].strip(),
                pos=Position(path, number, column, number, len(line) + 1),
            )
        )
    return found


def in_source(path: Path, display: str, limits: Limits | None = None) -> list[Suppression]:
    """The suppression comments of a report file (only YAML reports carry them)."""
    if path.suffix.lower() not in COMMENT_SUFFIXES:
        return []
    raw = read_bytes(path, limits)
    if b"nianbao" not in raw and not _maybe_wide(raw):
        return []  # the common case, decided without decoding the file again
    return parse_comments(decode_text(raw, display), display)


def _maybe_wide(raw: bytes) -> bool:
    """UTF-16/32 text (a BOM or a NUL byte at the start), where ASCII is not ASCII bytes."""
    return raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4]


def from_entries(entries: Iterable[tuple[int, dict[str, Any]]], origin: str) -> list[Suppression]:
    """Configuration entries (index, entry) that name one file: rules, pointer, reason."""
    return [
        Suppression(
            codes=tuple(code.upper() for code in entry.get("rules", [])),
            reason=str(entry.get("reason", "")).strip(),
            origin=f"{origin} suppress[{index}]",
            pointer=str(entry.get("pointer", "")).rstrip("/"),
        )
        for index, entry in entries
    ]


def _named(item: Suppression) -> dict[str, str]:
    """How a SUP- finding names a suppression: its codes and where it is written (a comment
    by its file, the line being the finding's own position)."""
    return {
        "codes": ",".join(item.codes) or "—",
        "origin": item.origin.rsplit(":", 1)[0] if item.line else item.origin,
    }


def malformed(suppressions: Iterable[Suppression], pointer: str = "") -> list[Diagnostic]:
    """SUP-001 diagnostics: suppressions without a reason or without valid codes."""
    out = []
    for item in suppressions:
        bad_codes = not item.codes or not all(_CODE.match(code) for code in item.codes)
        if item.reason and not bad_codes:
            continue
        out.append(
            Diagnostic(
                "SUP-001",
                {**_named(item), "problem": NO_CODES if bad_codes else NO_REASON},
                pointer,
                item.pos,
            )
        )
    return out


def apply(findings: list[Finding], suppressions: list[Suppression]) -> tuple[list[Finding], int]:
    """The findings no suppression covers, and how many were suppressed."""
    kept = []
    hidden = 0
    for finding in findings:
        match = next((s for s in suppressions if s.matches(finding)), None)
        if match is None:
            kept.append(finding)
        else:
            match.used += 1
            hidden += 1
    return kept, hidden


def unused(
    suppressions: Iterable[Suppression], evaluated: set[str], known: Iterable[str]
) -> list[Diagnostic]:
    """SUP-002 diagnostics: suppressions that hid nothing although their rules ran.

    `evaluated`: ids of the rules that passed or failed on the report (a rule that was
    not applicable, or not selected, cannot show whether its suppression is stale);
    `known`: every rule id of the packs (a code matching none of them is a typo).
    """
    known = list(known)
    out = []
    for item in suppressions:
        if item.used:
            continue
        covered = [rule_id for rule_id in known if item.covers_rule(rule_id)]
        if covered and not any(rule_id in evaluated for rule_id in covered):
            continue
        out.append(
            Diagnostic(
                "SUP-002",
                _named(item),
                "",
                item.pos,
            )
        )
    return out


def report_with(path: str, diagnostics: list[Diagnostic]) -> Report:
    """A report that holds only diagnostics: to turn late SUP- diagnostics into findings."""
    return Report(meta=Meta(source=path), diagnostics=diagnostics)
