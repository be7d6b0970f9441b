"""Structured reports: positions of every node, schema violations as findings, hostile YAML refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from checker.engine.evaluate import evaluate
from checker.errors import InputError
from checker.sources.structured import read_structured


def write(tmp_path, text: str, name: str = "r.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cells_keep_line_and_column(tmp_path):
    path = write(
        tmp_path,
        "meta:\n  year: 2021\ntables:\n  t3:\n    new:\n      natural_person: 3\n      total: 24252.311082\n",
    )
    report = read_structured(path)
    cell = report.cell("t3", "new.natural_person")
    assert (cell.value, cell.pos.line, cell.pos.column) == (Decimal(3), 6, 23)
    assert report.cell("t3", "new.total").value == Decimal("24252.311082")  # exact, not a float


@pytest.mark.parametrize(
    ("raw", "value", "blank"),
    [
        ("null", None, True),
        ("'/'", None, True),
        ("'—'", None, True),
        ("'22（其中修订16件）'", Decimal(22), False),
    ],
)
def test_blank_and_annotated_cells(tmp_path, raw, value, blank):
    report = read_structured(
        write(tmp_path, f"meta: {{year: 2021}}\ntables:\n  t4:\n    review: {{total: {raw}}}\n")
    )
    cell = report.cell("t4", "review.total")
    assert cell.value == value
    assert (cell.value is None) is blank


def test_schema_violation_is_a_located_finding(tmp_path, national):
    path = write(
        tmp_path,
        "meta:\n  year: 2021\n  agency_kind: ministry\ntables:\n  t4:\n    review: {upheld: 1, bogus: 2}\n",
    )
    report = read_structured(path)
    findings, _ = evaluate(report, national)
    schema = sorted((f.location.pointer, f.location.line) for f in findings if f.rule == "EXT-001")
    assert schema == [("/meta/agency_kind", 3), ("/tables/t4/review", 6)]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("a: &x [1, 2]\nb: *x\n", "aliases"),
        ("meta: !!python/object/apply:os.system ['echo hi']\n", "line 1"),
        ("meta: {year: 2020}\nmeta: {year: 2021}\n", "duplicate key"),
        ("[" * 200 + "]" * 200, "nesting"),
        ("meta: [2020\n", "line"),
        ("- 1\n- 2\n", "mapping"),
    ],
)
def test_hostile_or_broken_yaml_is_one_clear_error(tmp_path, text, needle):
    with pytest.raises(InputError) as caught:
        read_structured(write(tmp_path, text))
    assert needle in caught.value.message
    assert "\n" not in caught.value.message


def test_json_report_is_read_like_yaml(tmp_path):
    report = read_structured(
        write(
            tmp_path,
            '{"meta": {"year": 2021}, "tables": {"t4": {"review": {"total": 2}}}}',
            "r.json",
        )
    )
    assert report.meta.year == 2021 and report.cell("t4", "review.total").pos.line == 1
