"""Findings (design §5) and the result of checking one file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from msgspec import Struct, field

if TYPE_CHECKING:
    from checker.model import Report

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


class Location(Struct, frozen=True):
    path: str
    pointer: str = ""
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    page: int | None = None
    x: float | None = None  # PDF: where on the page, in points from the top-left
    y: float | None = None


class Finding(Struct):
    rule: str
    severity: str
    title: str
    message: str
    location: Location
    expected: Any = None
    actual: Any = None
    basis: str = ""
    fingerprint: str = ""
    # pointers of every cell the finding is about (a failing sum: the total and its parts)
    related: tuple[str, ...] = ()

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.path, loc.line or 0, loc.column or 0, self.rule, loc.pointer, self.message)


def fingerprint(rule: str, report_id: str, pointer: str, discriminator: str = "") -> str:
    """Stable across runs and line shifts: rule + report + pointer (+ what distinguishes siblings)."""
    try:  # the built-in SHA-256: hashlib would load OpenSSL first (2 ms of start-up)
        from _sha256 import sha256
    except ImportError:  # pragma: no cover - an interpreter without it
        from hashlib import sha256

    digest = sha256(f"{rule}\x1f{report_id}\x1f{pointer}\x1f{discriminator}".encode())
    return digest.hexdigest()[:20]


class Skip(Struct, frozen=True):
    """Something a rule could not check, and why (checker/skips.py names the reasons)."""

    reason: str  # a stable code: blank_cell, missing_cell, unknown_agency_kind...
    pointer: str = ""  # the cell or fact it is about, when there is one
    detail: str = ""  # what was missing, for people (a cell label, the fact's name)


class RuleOutcome(Struct):
    """What one rule concluded about one report: pass, fail, not_applicable or error.

    ``skips`` lists what the rule could not check even when it ran on the rest (one
    row of a sum with a blank total): nothing is left unchecked without saying so."""

    rule: str
    outcome: str
    reason: str = ""
    skips: tuple[Skip, ...] = ()


class FileResult(Struct):
    """Everything the checker learned about one input file."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    outcomes: list[RuleOutcome] = field(default_factory=list)
    error: str | None = None  # the file could not be read: exit code 2
    template: str | None = None
    year: int | None = None
    agency: str | None = None
    # the checked report itself, kept only when a reporter needs it (html draws its tables)
    report: Report | None = None
    suppressed: int = (
        0  # findings hidden by a suppression with its reason (checker/gate/suppressions.py)
    )
    baselined: int = 0  # findings hidden because the baseline (--baseline) already holds them
