"""DIAG-001: the minimal repair names the wrong cell, or says it cannot tell; it never guesses."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from checker.engine import repair
from checker.engine.evaluate import evaluate
from checker.model import Cell, Report, cell_pointer
from checker.templates import templates
from checker.testing import build_report, reports
from tests.conftest import bounded


def _numeric(report: Report, table: str) -> list[str]:
    return sorted(k for k, c in report.tables[table].items() if c.value is not None)


def _changed(report: Report, table: str, changes: dict[str, Decimal]) -> dict[str, Cell]:
    cells = dict(report.tables[table])
    for key, value in changes.items():
        cells[key] = Cell(value, str(value))
    return cells


def _diagnoses(report: Report, table: str, cells: dict[str, Cell]) -> list[repair.Diagnosis]:
    return repair.diagnose(templates()[report.meta.template].tables[table], cells)


def _base(template: str) -> dict:
    import yaml

    from checker.resources import data_dir

    path = data_dir("rules") / "national" / "examples" / f"base-{template}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@st.composite
def one_change(draw: st.DrawFn):
    report = build_report(draw(reports()))
    table = draw(st.sampled_from(("t3", "t4")))
    key = draw(st.sampled_from(_numeric(report, table)))
    original = report.tables[table][key].value
    new = draw(st.integers(0, 60).filter(lambda v: v != original))
    return report, table, key, original, Decimal(new)


@given(one_change())
@bounded(60)
def test_one_changed_cell_is_named_with_its_value_or_listed_as_possible(case):
    report, table, key, original, new = case
    found = _diagnoses(report, table, _changed(report, table, {key: new}))
    assert len(found) == 1, "one changed cell breaks one connected part of the table"
    diagnosis = found[0]
    truth = repair.Repair((key,), (Fraction(original),))
    assert diagnosis.size == 1 and truth in diagnosis.repairs
    if table == "t3":  # every table-3 cell sits in a row sum and a column relation
        assert diagnosis.unique == truth


def test_one_changed_cell_through_the_rule(national):
    report = build_report(_base("2021"))
    report.tables["t3"]["partial.commercial"] = Cell(Decimal(3), "3")
    findings, _ = evaluate(report, national)
    diag = [f for f in findings if f.rule == "DIAG-001"]
    assert len(diag) == 1
    assert diag[0].location.pointer == "/tables/t3/partial/commercial"
    assert (diag[0].expected, diag[0].actual) == ("0", "3")
    explained = {f.location.pointer for f in findings if f.rule in ("T3-002", "T3-003")}
    assert explained and explained <= set(diag[0].related)
    assert "（二）部分公开" in diag[0].message and "应为0" in diag[0].message


@given(
    reports(),
    st.sampled_from(("t3", "t4")),
    st.sampled_from(["1" + "0" * 40, "1e400", "-1e400", "123456789012345678901234567890"]),
    st.data(),
)
@bounded(20)
def test_a_value_beyond_counting_is_not_diagnosed_and_breaks_nothing(data, table, text, draw):
    """A fuzzed 40-digit or 1e400 cell once broke DIAG-001 (an integer too long to print)."""
    from checker.engine.ruleset import default_ruleset

    report = build_report(data)
    key = draw.draw(st.sampled_from(_numeric(report, table)))
    report.tables[table][key] = Cell(Decimal(text), text)
    findings, outcomes = evaluate(report, default_ruleset())
    broken = [(o.rule, o.reason) for o in outcomes if o.outcome == "error"]
    assert broken == []
    assert "DIAG-001" not in {f.rule for f in findings}


@st.composite
def two_changes(draw: st.DrawFn):
    report = build_report(draw(reports()))
    table = draw(st.sampled_from(("t3", "t4")))
    numeric = _numeric(report, table)
    keys = draw(st.lists(st.sampled_from(numeric), min_size=2, max_size=2, unique=True))
    changes = {}
    for key in keys:
        original = report.tables[table][key].value
        changes[key] = Decimal(draw(st.integers(0, 60).filter(lambda v, o=original: v != o)))
    return report, table, changes


@given(two_changes())
@bounded(60)
def test_two_changed_cells_never_give_a_wrong_unique_one_cell_diagnosis(case):
    report, table, changes = case
    for diagnosis in _diagnoses(report, table, _changed(report, table, changes)):
        fix = diagnosis.unique
        if fix is not None and len(fix.cells) == 1:
            key = fix.cells[0]
            assert key in changes and fix.values[0] == report.tables[table][key].value


@given(reports())
@bounded(40)
def test_total_row_left_at_zero_gets_one_diagnosis(data):
    """The corpus defect: （七）总计 printed as 0 in every column while the results are filled."""
    report = build_report(data)
    originals = {k: c.value for k, c in report.tables["t3"].items() if k.startswith("total.")}
    cells = _changed(report, "t3", dict.fromkeys(originals, Decimal(0)))
    found = _diagnoses(report, "t3", cells)
    if not any(originals.values()):
        assert found == []
        return
    (diagnosis,) = found
    fix = diagnosis.unique
    assert fix is not None, "a zeroed total row has exactly one smallest repair"
    assert set(fix.cells) == {k for k, v in originals.items() if v}
    assert all(v == originals[k] for k, v in zip(fix.cells, fix.values, strict=True))


def test_blank_cells_are_unknowns_not_repairs():
    report = build_report(_base("2021"))
    cells = _changed(report, "t3", {"granted.natural_person": Decimal(28)})
    cells["granted.total"] = Cell(None)
    cells["total.natural_person"] = Cell(None)
    (diagnosis,) = _diagnoses(report, "t3", cells)
    assert diagnosis.unique == repair.Repair(("granted.natural_person",), (Fraction(27),))


def test_blank_cells_that_can_absorb_the_difference_need_no_repair():
    report = build_report(_base("2021"))
    cells = _changed(report, "t3", {"granted.natural_person": Decimal(28)})
    for key in ("granted.total", "total.natural_person", "total.total", "new.natural_person"):
        cells[key] = Cell(None)
    cells["new.total"] = Cell(None)
    assert _diagnoses(report, "t3", cells) == []


def test_a_relation_with_a_blank_and_an_absent_cell_is_left_out():
    """A 2019-style single （六） row in a 2021 table: its sub-rows are absent, not blank."""
    report = build_report(_base("2021"))
    cells = dict(report.tables["t3"])
    for key in [k for k in cells if k.startswith("other.")]:
        del cells[key]
    cells["granted.natural_person"] = Cell(None)  # blank, before the absent cells of total.*
    printed = cells["new.commercial"].value
    cells["new.commercial"] = Cell(printed + 3, str(printed + 3))
    (diagnosis,) = _diagnoses(report, "t3", cells)
    assert diagnosis.unique == repair.Repair(("new.commercial",), (Fraction(printed),))


def test_search_bound_is_stated_not_guessed():
    report = build_report(_base("2021"))
    changes = {f"{row}.total": Decimal(99) for row in ("granted", "partial", "new", "carried_over")}
    cells = _changed(report, "t3", changes)
    found = _diagnoses(report, "t3", cells)
    bounded_search = repair.diagnose(templates()["2021"].tables["t3"], cells, max_cells=2)
    assert found and found[0].size == 4
    assert bounded_search[0].repairs == [] and "at most 2 cells" in bounded_search[0].bounded


def test_ambiguous_repairs_list_at_most_three_and_pick_none(national):
    report = build_report(_base("2021"))
    report.tables["t4"]["review.upheld"] = Cell(Decimal(9), "9")
    findings, _ = evaluate(report, national)
    (diag,) = [f for f in findings if f.rule == "DIAG-001"]
    assert diag.expected is None and diag.location.pointer == cell_pointer("t4", "review.total")
    assert "无法确定" in diag.message and diag.message.count("应为") == 3


def test_the_diagnosis_is_visible_in_every_output(tmp_path):
    """One cell wrong in a text report: the diagnosis names it and carries the sums it explains."""
    import json
    import re
    from pathlib import Path

    from jsonschema import Draft7Validator

    from .batch_support import nianbao

    target = "reports_samples/defects/text-t3-cell.txt"
    cell = "/tables/t3/granted/natural_person"
    ran = nianbao("check", target, "-f", "json", "--fail-on", "never")
    from jsonschema import Draft202012Validator

    from checker.resources import load_schema

    assert not list(Draft202012Validator(load_schema("findings")).iter_errors(ran.json()))
    findings = ran.json()["findings"]
    (diag,) = [f for f in findings if f["rule"] == "DIAG-001"]
    sums = {f["location"]["pointer"] for f in findings if f["rule"].startswith("T3-")}
    assert diag["location"]["pointer"] == cell and (diag["expected"], diag["actual"]) == ("0", "1")
    assert sums and sums <= set(diag["related"])

    sarif = json.loads(nianbao("check", target, "-f", "sarif", "--fail-on", "never").out)
    schema = Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json"
    assert not list(Draft7Validator(json.loads(schema.read_text("utf-8"))).iter_errors(sarif))
    (result,) = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "DIAG-001"]
    related = {r["logicalLocations"][0]["fullyQualifiedName"] for r in result["relatedLocations"]}
    assert sums <= related and cell not in related  # the cell is the primary location

    for fmt in ("console", "markdown"):
        out = nianbao("check", target, "-f", fmt, "--fail-on", "never").out
        assert "DIAG-001" in out and "填报1，应为0" in out

    html = tmp_path / "r.html"
    nianbao("check", target, "-f", "html", "-o", str(html), "--fail-on", "never")
    page = html.read_text("utf-8")
    (td,) = re.findall(rf'<td [^>]*data-pointer="{cell}"[^>]*>', page)
    assert "diagnosed" in td and 'data-repair="0"' in td
    for pointer in sums:  # the failing sums' own cells are marked, but not as the diagnosis
        (other,) = re.findall(rf'<td [^>]*data-pointer="{pointer}"[^>]*>', page)
        assert "fail" in other and "diagnosed" not in other
