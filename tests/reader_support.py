"""Helpers shared by the HTML, DOCX and PDF reader tests: cell values, expected values, findings."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from checker.findings import FileResult
from checker.model import Report
from checker.run.pipeline import check_file
from checker.sources import read_report

from .conftest import ROOT, SAMPLE

FIXTURES = ROOT / "tests" / "fixtures"
ARITHMETIC = ("T3-", "T4-")


def table_values(report: Report) -> dict[str, dict[str, Decimal | None]]:
    """{table: {key: value}} for tables 2, 3 and 4."""
    return {
        t: {k: c.value for k, c in report.tables.get(t, {}).items()} for t in ("t2", "t3", "t4")
    }


def sample_values() -> dict[str, dict[str, Decimal | None]]:
    return table_values(read_report(SAMPLE))


def expected_values(path: Path) -> dict[str, dict[str, int | None]]:
    """The hand-transcribed table 3 and 4 values of a corpus report (``<stem>.expected.json``)."""
    data = json.loads(path.with_name(f"{path.stem}.expected.json").read_text("utf-8"))
    return {t: data[t] for t in ("t3", "t4")}


def mismatches(
    report: Report, expected: dict[str, dict[str, int | None]]
) -> list[tuple[str, str, object, object]]:
    """(table, key, expected, extracted) for every expected cell not extracted as transcribed."""
    got = table_values(report)
    wrong = []
    for table, cells in expected.items():
        for key, value in cells.items():
            actual = got[table].get(key, "absent")
            if actual != (None if value is None else Decimal(value)):
                wrong.append((table, key, value, actual))
    return wrong


def codes(result: FileResult) -> list[str]:
    return sorted(f.rule for f in result.findings)


def arithmetic_errors(result: FileResult) -> list[str]:
    return [
        f"{f.rule} {f.message}"
        for f in result.findings
        if f.rule.startswith(ARITHMETIC) and f.severity == "error"
    ]


def deletion_findings(result: FileResult, label: str) -> list[str]:
    """EXT-/STR-006 findings whose message names the deleted row."""
    return [
        f.rule
        for f in result.findings
        if (f.rule.startswith("EXT-") or f.rule == "STR-006") and label in f.message
    ]


def check(path: Path, ruleset) -> FileResult:
    result = check_file(path, ruleset, display=path.name)
    assert result.error is None, result.error
    return result
