"""json — the machine-readable contract, valid against `nianbao schema findings`."""

from __future__ import annotations

from typing import Any

from checker import __version__, skips
from checker.findings import Finding
from checker.reporters import Run
from checker.writer import to_json

FORMAT = "json"


def finding_data(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    location: dict[str, Any] = {
        "path": loc.path,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "pointer": loc.pointer,
    }
    if loc.page is not None:
        location["page"] = loc.page
    if loc.x is not None and loc.y is not None:
        location["x"], location["y"] = loc.x, loc.y
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "title": finding.title,
        "message": finding.message,
        "expected": _plain(finding.expected),
        "actual": _plain(finding.actual),
        "basis": finding.basis,
        "fingerprint": finding.fingerprint,
        "location": location,
        "related": list(finding.related),
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def document(run: Run) -> dict[str, Any]:
    counts = run.counts()
    return {
        "tool": {"name": "nianbao-checker", "version": __version__, "rules": run.ruleset.name},
        "findings": [finding_data(f) for f in run.findings],
        "errors": run.errors(),
        "files": [
            {
                "path": r.path,
                "template": r.template,
                "year": r.year,
                "agency": r.agency,
                "findings": len(r.findings),
                "readable": r.error is None,
                "not_applicable": skips.entries(r, run.lang),
            }
            for r in run.results
        ],
        "summary": {
            "files": run.tally().files,
            "files_with_errors": run.tally().unreadable,
            "findings": sum(counts.values()),
            **counts,
            "suppressed": run.tally().suppressed,
            "baselined": run.tally().baselined,
            "not_applicable": run.tally().not_applicable,
        },
    }


def render(run: Run) -> str:
    return to_json(document(run))
