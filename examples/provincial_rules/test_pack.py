"""Tests of the 示范省 pack, written with the nianbao pytest plugin (fixtures nianbao_*)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.testing import reports

bounded = settings(max_examples=20, derandomize=True, database=None, deadline=None)


def test_examples(nianbao_rule, nianbao_examples):
    nianbao_examples(nianbao_rule)  # each rule's pass/fail examples, like `nianbao rules test`


def test_verified(nianbao_verify):
    nianbao_verify(examples=20)  # soundness and sensitivity, like `nianbao rules verify`


@bounded
@given(reports(template="2021"))
def test_valid_reports_stay_clean(nianbao_check, data):
    assert nianbao_check(data) == []


@bounded
@given(reports(template="2021"), st.integers(1, 50))
def test_more_issued_than_in_force_fires(nianbao_check, data, extra):
    documents = data["tables"]["t2"]["normative_documents"]
    documents["issued"] = documents["in_force"] + extra
    assert [f.rule for f in nianbao_check(data, select=["SFS"])] == ["SFS-001"]
