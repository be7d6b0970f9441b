"""checker.testing.strategies: generated reports are valid by construction, and varied."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import Phase, given, settings
from hypothesis.errors import InvalidArgument

from checker.engine.evaluate import evaluate
from checker.testing import build_report, reports
from checker.testing.renderers import flat_cells
from checker.testing.strategies import DEADLINES

from .conftest import bounded

BOUNDED = bounded(40)


def _codes(data, ruleset) -> list[str]:
    return [f"{f.rule} {f.message}" for f in evaluate(build_report(data), ruleset)[0]]


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_every_generated_report_passes_the_national_pack(version, national):
    @BOUNDED
    @given(reports(template=version))
    def check(data):
        assert _codes(data, national) == []

    check()


@BOUNDED
@given(reports(template="2019", year=2020, agency_kind=["government", "township"]))
def test_arguments_restrict_what_is_drawn(data):
    meta = data["meta"]
    assert (meta["template"], meta["year"]) == ("2019", 2020)
    assert meta["agency_kind"] in ("government", "township")
    month, day = DEADLINES[meta["agency_kind"]]
    assert date(2020, 12, 31) <= date.fromisoformat(meta["published"]) <= date(2021, month, day)
    assert "other.no_correction" not in "".join(flat_cells(data["tables"]["t3"]))


@BOUNDED
@given(reports(template="2021"))
def test_table_3_balances_column_by_column(data):
    t3 = flat_cells(data["tables"]["t3"])
    for column in ("natural_person", "commercial", "total"):
        assert t3[f"new.{column}"] >= 0
        assert (
            t3[f"new.{column}"] + t3[f"carried_over.{column}"]
            == t3[f"total.{column}"] + t3[f"carried_forward.{column}"]
        )


FEATURES = {
    "a busy table 3": lambda d: flat_cells(d["tables"]["t3"])["total.total"] >= 50,
    "a header subtotal": lambda d: "natural_person" in d["tables"]["t3"]["withheld"],
    "a 均获维持 claim": lambda d: "均获维持" in d["sections"][0]["text"],
    "a partial list (等)": lambda d: "条等。" in d["sections"][0]["text"],
    "an applicant breakdown": lambda d: "其中自然人申请" in d["sections"][0]["text"],
    "cases pending": lambda d: flat_cells(d["tables"]["t4"])["review.pending"] > 0,
    "a negative 本年增/减": lambda d: d["tables"]["t2"].get("fees", {}).get("change", 0) < 0,
    "an amount in 元": lambda d: str(
        d["tables"]["t2"].get("procurement", {}).get("amount")
    ).endswith("元"),
    "a subdistrict": lambda d: d["meta"]["agency"].endswith("街道办事处"),
    "a report after 2022": lambda d: d["meta"]["year"] > 2022,
    "a 2019-format report": lambda d: d["meta"]["template"] == "2019",
}


def test_the_generator_reaches_every_feature():
    seen: set[str] = set()

    @settings(BOUNDED, max_examples=150, phases=[Phase.generate])
    @given(reports())
    def look(data):
        seen.update(name for name, holds in FEATURES.items() if holds(data))

    look()
    assert sorted(set(FEATURES) - seen) == []


@pytest.mark.parametrize(
    "arguments",
    [
        {"template": "2019", "year": 2022},
        {"template": "2018"},
        {"agency_kind": "ministry"},
        {"year": 2015},
        {"max_count": 0},
    ],
)
def test_impossible_arguments_are_refused(arguments):
    with pytest.raises(InvalidArgument):
        reports(**arguments)
