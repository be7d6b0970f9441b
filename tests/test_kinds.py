"""Check kinds in isolation, table-style: a rule, a report patch, the outcome."""

from __future__ import annotations

from decimal import Decimal

import pytest

from checker.engine import patterns
from checker.engine.context import Context
from checker.engine.evaluate import evaluate
from checker.engine.examples import _base_data, apply_patch
from checker.engine.kinds import KINDS
from checker.engine.ruleset import RuleSet, load_pack
from checker.errors import RuleEvaluationError
from checker.resources import data_dir
from checker.sources.structured import structured_report

BASES = data_dir("rules") / "national" / "examples"


def report(base: str, **patch):
    return structured_report(
        apply_patch(_base_data(BASES / f"base-{base}.yaml"), patch), {}, "r.yaml"
    )


def run_kind(kind: str, options: dict, rep):
    return KINDS[kind].compile(options)(Context(rep))


@pytest.mark.parametrize(
    ("patch", "passed", "failed"),
    [
        ({}, 7, 0),
        ({"set": {"/tables/t3/new/total": 71}}, 6, 1),
        ({"remove": ["/tables/t3/new/commercial"]}, 6, 0),  # missing operand: not applicable
    ],
)
def test_equation_per_column(patch, passed, failed):
    options = {
        "table": "t3",
        "lhs": {"rows": ["new", "carried_over"]},
        "rhs": {"rows": ["total", "carried_forward"]},
        "over": {"columns": "@columns"},
    }
    result = run_kind("equation", options, report("2021", **patch))
    assert (result.passed, len(result.failures)) == (passed, failed)


def test_sum_message_params_name_total_sum_and_difference():
    rep = report("2021", set={"/tables/t4/review/total": 4})
    options = {
        "table": "t4",
        "total": {"column": "total"},
        "parts": {"columns": "@parts"},
        "over": {"rows": "@rows"},
    }
    (failure,) = run_kind("sum", options, rep).failures
    assert failure.params["total"] == Decimal(4) and failure.params["sum"] == Decimal(3)
    assert failure.params["difference"] == Decimal(1)
    assert failure.pointer == "/tables/t4/review/total"
    assert "/tables/t4/review/upheld" in failure.related


def test_blank_addend_counts_as_zero_and_a_blank_total_is_a_reported_skip():
    base = {
        "table": "t4",
        "total": {"column": "total"},
        "parts": {"columns": "@parts"},
        "over": {"rows": ["review"]},
    }
    blank_part = report("2021", set={"/tables/t4/review/pending": None})
    assert run_kind("sum", base, blank_part).passed == 1
    wrong = report("2021", set={"/tables/t4/review/pending": None, "/tables/t4/review/total": 99})
    (failure,) = run_kind("sum", base, wrong).failures
    assert failure.note is not None and "空白按0计" in failure.note.zh
    blank_total = report("2021", set={"/tables/t4/review/total": None})
    result = run_kind("sum", base, blank_total)
    assert result.passed == 0 and not result.failures
    assert [(s.reason, s.pointer) for s in result.skips] == [
        ("blank_cell", "/tables/t4/review/total")
    ]
    assert run_kind("sum", {**base, "blank_as_zero": True}, blank_total).failures


def test_money_keeps_decimal_precision():
    rep = report("2021", set={"/tables/t2/fees/amount": Decimal("0.1")})
    options = {
        "table": "t2",
        "lhs": {"cells": ["fees.amount"]},
        "op": ">",
        "rhs": {"cells": ["regulations.issued"]},
    }
    assert run_kind("compare", options, rep).passed == 1


@pytest.mark.parametrize(
    ("value", "ok"),
    [(3, True), (0, True), (-1, False), (Decimal("1.5"), False), ("约3件", False), ("/", None)],
)
def test_value_domain_count(value, ok):
    rep = report("2021", set={"/tables/t4/review/upheld": value})
    result = run_kind(
        "value_domain", {"table": "t4", "rows": ["review"], "columns": ["upheld"]}, rep
    )
    if ok is None:
        assert result.passed == 0 and not result.failures
    else:
        assert bool(result.failures) is not ok


@pytest.mark.parametrize(
    ("published", "late"), [("2021-01-31", False), ("2021-02-01", True), ("2020-12-31", False)]
)
def test_deadline(published, late):
    rep = report("2019", set={"/meta/published": published})
    result = run_kind("deadline", {"month": 1, "day": 31, "year_offset": 1}, rep)
    assert bool(result.failures) is late


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("主动公开信息10条，其中通知3条，公告7条。", False),
        ("主动公开信息10条，其中通知3条，公告6条。", True),
        ("主动公开信息10条，其中通知3条，公告6条等。", False),  # partial list: parts <= total
        ("主动公开信息10条，其中通知3条，公告8条等。", True),
        ("主动公开信息10条，其中通知3条。", False),  # one item is not a breakdown
        ("受理申请10件，其中自然人3件，法人7件；其中予以公开5条。", False),
    ],
)
def test_narrative_breakdown(text, fires):
    rep = report("2019", set={"/sections/0/text": text})
    result = run_kind("narrative_breakdown", {"scope": "sections"}, rep)
    assert bool(result.failures) is fires


def test_narrative_breakdown_points_at_the_sentence_line():
    rep = report("2019", set={"/sections/0/text": "第一行。\n第二行共发布10条，其中甲3条，乙3条。"})
    (failure,) = run_kind("narrative_breakdown", {}, rep).failures
    assert failure.params["total"] == Decimal(10) and failure.params["sum"] == Decimal(6)


def test_catastrophic_regex_is_an_evaluation_error_not_a_hang(tmp_path):
    pack = tmp_path / "p.yaml"
    pack.write_text(
        "pack: {name: evil, version: '1'}\nrules:\n"
        "  - id: EVIL-001\n    title: {zh: x, en: x}\n    severity: error\n    basis: {zh: x, en: x}\n"
        "    rationale: {zh: x, en: x}\n    message: {zh: x, en: x}\n"
        "    check: {kind: text_pattern, scope: all, absent: ['(a+)+$']}\n"
        "    examples: {pass: [{}], fail: [{}]}\n",
        encoding="utf-8",
    )
    ruleset: RuleSet = load_pack(pack)
    rep = report("2019", set={"/preamble": "a" * 5000 + "!"})
    _, outcomes = evaluate(rep, ruleset)
    assert outcomes[0].outcome == "error" and "time limit" in outcomes[0].reason


def test_pattern_timeout_raises():
    with pytest.raises(RuleEvaluationError):
        list(patterns.finditer("(x+x+)+y", "x" * 60000))


@pytest.mark.parametrize("agency", ["示范市人民政府", "某(市)局[试点]*", "a.b+c?"])
@pytest.mark.parametrize("text", ["本报告由{a}编制。", "本报告由另一机关编制。", "{a}"])
def test_a_lone_placeholder_is_searched_as_the_text_a_pattern_would_match(agency, text):
    facts = patterns.fact_values(2021, agency)
    body = text.format(a=agency)
    assert patterns.literal("{agency}", facts) == agency
    assert patterns.literal("{agency}局", facts) is None
    as_pattern = patterns.search(patterns.substitute("{agency}", facts), body) is not None
    assert (agency in body) == as_pattern
