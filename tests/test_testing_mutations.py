"""checker.testing.mutations: each mutation of a valid report fires exactly what it says."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from checker.engine.context import Context
from checker.engine.evaluate import evaluate
from checker.testing import (
    MUTATION_KINDS,
    any_mutation,
    blank_cell,
    break_breakdown,
    build_report,
    change_cell,
    contradict_prose,
    delete_section,
    reports,
    shift_period,
    swap_sections,
    switch_template,
)
from checker.testing.mutations import numeric_cells

from .conftest import bounded

ROOT = Path(__file__).resolve().parent.parent
BOUNDED = bounded(15)


def base(version: str) -> dict:
    path = ROOT / f"rules/national/examples/base-{version}.yaml"
    return yaml.safe_load(path.read_text("utf-8"))


def fired(data, ruleset) -> set[str]:
    return {f.rule for f in evaluate(build_report(data), ruleset)[0]}


@pytest.mark.parametrize("kind", MUTATION_KINDS)
def test_a_mutation_fires_what_it_must_and_nothing_it_may_not(kind, national):
    @BOUNDED
    @given(st.data())
    def check(draw):
        mutation = draw.draw(any_mutation(draw.draw(reports()), kinds=[kind]))
        assert mutation.kind == kind
        codes = fired(mutation.data, national)
        assert mutation.must_fire <= codes, mutation.description
        assert codes <= mutation.must_fire | mutation.may_fire, mutation.description
        if kind != "blank_cell":
            assert mutation.must_fire, mutation.description

    check()


@BOUNDED
@given(st.data())
def test_a_blank_total_is_skipped_and_a_blank_addend_counts_as_zero(national, data):
    report_data = data.draw(reports())
    table = data.draw(st.sampled_from(["t3", "t4"]))
    row = data.draw(st.sampled_from(["new", "total"] if table == "t3" else ["review"]))
    addend = "natural_person" if table == "t3" else "upheld"
    column = data.draw(st.sampled_from(["total", addend]))
    key = f"{row}.{column}"
    mutation = blank_cell(report_data, table, key)
    assert mutation.must_fire == {"STR-009"}
    report = build_report(mutation.data)
    code = {"t3": "T3-002", "t4": "T4-001"}[table]  # the row sum: total = Σ addends
    result = national.by_id(code).check(Context(report))
    if column == "total":
        assert not result.failures
        assert ("blank_cell", f"/tables/{table}/{row}/total") in {
            (s.reason, s.pointer) for s in result.skips
        }
    else:
        lost = numeric_cells(report_data, table)[key]
        assert bool(result.failures) == (lost != 0), (code, key, lost)
        for failure in result.failures:
            assert failure.note is not None and "空白按0计" in failure.note.zh


def test_change_cell_names_every_relation_of_the_cell(national):
    data = base("2021")
    granted = change_cell(data, "t3", "withheld.internal.natural_person", 2)
    assert granted.must_fire == {"T3-002", "T3-003", "DIAG-001"}
    data["tables"]["t3"]["withheld"].update(
        natural_person=8, commercial=0, research=0, nonprofit=0, legal_service=0, other_org=0
    )
    with_subtotal = change_cell(data, "t3", "withheld.internal.natural_person", 2)
    assert with_subtotal.must_fire == {"T3-002", "T3-003", "T3-004", "DIAG-001"}
    assert fired(with_subtotal.data, national) == {"T3-002", "T3-003", "T3-004", "DIAG-001"}
    handled = change_cell(data, "t3", "total.total", -1)
    assert handled.must_fire == {"T3-001", "T3-002", "T3-003", "DIAG-001"}
    assert handled.may_fire == {"TXT-001"}
    assert fired(handled.data, national) == {"T3-001", "T3-002", "T3-003", "DIAG-001", "TXT-001"}


def test_change_cell_refuses_what_is_not_a_defect():
    data = base("2021")
    for table, key, delta in [
        ("t3", "new.commercial", -1),
        ("t3", "new.total", 0),
        ("t2", "fees.amount", 1),
    ]:
        with pytest.raises(InvalidArgument):
            change_cell(data, table, key, delta)


def test_the_input_is_never_changed():
    data = base("2019")
    before = yaml.safe_dump(data)
    for mutation in (
        change_cell(data, "t4", "review.upheld", 1),
        blank_cell(data, "t3", "granted.total"),
        delete_section(data, 5),
        swap_sections(data, 1, 2),
        shift_period(data, years=1),
        break_breakdown(data),
        contradict_prose(data, "new"),
        switch_template(data),
    ):
        assert mutation.data is not data
    assert yaml.safe_dump(data) == before


@pytest.mark.parametrize(
    ("mutate", "codes"),
    [
        (lambda d: delete_section(d, 1), {"STR-001", "SEC1-002"}),
        (lambda d: delete_section(d, 6), {"STR-001"}),
        (lambda d: swap_sections(d, 4, 5), {"STR-001"}),
        (lambda d: shift_period(d, years=-1), {"META-002", "META-003"}),
        (lambda d: shift_period(d, end_month=6), {"META-003"}),
        (lambda d: contradict_prose(d, "review", 2), {"TXT-002"}),
        (lambda d: contradict_prose(d, "normative_in_force", -1), {"TXT-003"}),
        (lambda d: contradict_prose(d, "carried_over", 5), {"TXT-001"}),
        (switch_template, {"TPL-001", "TPL-002"}),
    ],
)
def test_mutations_of_the_2021_example_base(mutate, codes, national):
    """A people's government's 2021 report: every mutation fires exactly its codes."""
    mutation = mutate(base("2021"))
    assert mutation.must_fire == codes
    assert fired(mutation.data, national) == codes


def test_mutations_of_the_2019_example_base(national):
    data = base("2019")
    broken = break_breakdown(data, item=2, excess=4)
    assert "财政类信息85条" in broken.data["sections"][0]["text"]
    assert fired(broken.data, national) == {"TXT-009"}
    relabelled = switch_template(data)
    assert "other_services" not in relabelled.data["tables"]["t2"]
    assert fired(relabelled.data, national) == relabelled.must_fire == {"TPL-001"}
    stated = contradict_prose(data, "handled")  # the sample states no such figure: added
    assert stated.data["sections"][0]["text"].endswith("本年度办结政府信息公开申请1件。")
    assert fired(stated.data, national) == {"TXT-001"}
