"""Cross-year (XY) rules: summaries, matching on agency and year, the three rules, examples."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from checker.engine.evaluate import evaluate
from checker.engine.examples import build_example
from checker.gate.config import CliChoices, load_config, resolve
from checker.gate.crossyear import agency_key, shingles, sketch
from checker.run.batch import Task, check_one, run_checks
from checker.run.discovery import discover

from .batch_support import REPO, nianbao
from .conftest import ROOT

BASE_2021 = ROOT / "rules" / "national" / "examples" / "base-2021.yaml"
PROSE = (
    "2021年，示范区人民政府坚持以公开为常态、不公开为例外，全面推进主动公开、依申请公开、"
    "政府信息管理、政府信息公开平台建设和监督保障等工作。全年主动公开政府信息1250条。"
)


def test_similarity_ignores_numbers_and_tells_texts_apart():
    same = sketch(PROSE)
    assert same.similarity(sketch(PROSE)) == 1
    assert same.similarity(sketch(PROSE.replace("2021", "2022").replace("1250", "998"))) == 1
    other = sketch(
        "一是主动公开的深度还不够，政策解读形式较为单一；二是依申请公开答复的规范性有待提高。"
    )
    assert same.similarity(other) < Decimal("0.1")


def test_similarity_of_long_texts_is_the_jaccard_index_of_their_shingles():
    paragraphs = [
        f"第{i}段：" + "".join(chr(0x4E00 + (i * 37 + j * 11) % 5000) for j in range(60))
        for i in range(60)
    ]
    half = paragraphs[:30] + [p[::-1] for p in paragraphs[30:]]
    whole, kept = shingles("".join(paragraphs)), shingles("".join(half))
    assert len(whole) > 2000  # far more than a sketch would keep: the index is exact
    similarity = sketch("".join(paragraphs)).similarity(sketch("".join(half)))
    assert similarity == Decimal(len(whole & kept)) / Decimal(len(whole | kept))
    assert Decimal("0.25") < similarity < Decimal("0.45")  # half the text reversed: ~ 1/3


def test_agency_names_match_across_width_and_spaces():
    assert agency_key("示范市 人民政府") == agency_key("示范市\u3000人民政府") == "示范市人民政府"


@pytest.fixture(scope="module")
def repo_results():
    settings = resolve(CliChoices(), load_config(REPO / "nianbao.toml"))
    results = run_checks(discover([REPO]), settings)
    return {Path(r.path).relative_to(REPO).as_posix(): r for r in results}


def outcome(result, rule: str):
    found = next(o for o in result.outcomes if o.rule == rule)
    return found.outcome, found.reason


def test_outcomes_of_the_cross_year_rules_on_the_sample_repository(repo_results):
    assert outcome(repo_results["zhengfu/2022.yaml"], "XY-001")[0] == "fail"
    assert outcome(repo_results["zhengfu/2022.yaml"], "XY-003")[0] == "pass"
    # across the 2020 -> 2021 template change: 2 carried forward, 2 carried over
    assert outcome(repo_results["gongxinju/2021.json"], "XY-001")[0] == "pass"
    state, reason = outcome(repo_results["gongxinju/2021.json"], "XY-002")
    assert state == "not_applicable" and "in_force" in reason  # the 2019 form has no stock
    assert outcome(repo_results["shifanzhen/2022.txt"], "XY-002")[0] == "pass"
    assert outcome(repo_results["shifanzhen/2022.txt"], "XY-003")[0] == "fail"
    assert outcome(repo_results["gongxinju/2020.md"], "XY-001") == (
        "not_applicable",
        "no report of 示范市工业和信息化局 for 2019 among the checked files",
    )


def test_findings_name_both_years_and_files(repo_results):
    (natural, total) = [f for f in repo_results["zhengfu/2022.yaml"].findings if f.rule == "XY-001"]
    assert natural.location.pointer == "/tables/t3/carried_over/natural_person"
    assert (natural.location.line, natural.expected, natural.actual) == (45, "1", "3")
    assert f"2021年报告（{REPO.as_posix()}/zhengfu/2021.yaml）" in natural.message
    assert "相差2" in natural.message and total.location.pointer.endswith("/total")
    (copy,) = repo_results["shifanzhen/2022.txt"].findings
    assert copy.rule == "XY-003" and copy.actual == "100%" and copy.location.line == 5


def test_english_messages():
    ran = nianbao("check", "reports_samples/repo/zhengfu", "--lang", "en", "-f", "json")
    messages = [f["message"] for f in ran.json()["findings"]]
    assert messages[0].startswith('Table 3 column "natural persons": carried over this year is 3')
    assert (
        "the 2021 report (reports_samples/repo/zhengfu/2021.yaml) carried forward 1" in messages[0]
    )


def test_a_report_checked_alone_is_not_applicable_for_cross_year_rules(national):
    report = build_example(national, national.by_id("T3-001"), {"base": "2021"})
    _, outcomes = evaluate(report, national)
    reasons = {o.rule: (o.outcome, o.reason) for o in outcomes if o.rule.startswith("XY")}
    assert set(reasons) == {"XY-001", "XY-002", "XY-003"}
    assert all(
        state == "not_applicable" and "last year's report" in why for state, why in reasons.values()
    )


def _variant(tmp_path, name: str, **replace: str):
    text = BASE_2021.read_text("utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_matching_needs_the_same_agency_and_the_year_just_before(tmp_path):
    """The 2021 base carried 1 forward; a 2022 copy carries 0 over: XY-001 only when matched."""
    this_year = {
        "year: 2021": "year: 2022",
        "2021年": "2022年",
        "2021-": "2022-",
        "published: '2022-02-08'": "published: '2023-02-08'",
    }
    _variant(tmp_path, "a-2021.yaml")
    _variant(
        tmp_path, "b-2022.yaml", **this_year, **{"agency: 示范区人民政府": "agency: 另一区人民政府"}
    )
    _variant(
        tmp_path,
        "c-2023.yaml",
        **{
            k: v.replace("2022", "2023").replace("2023-02-08", "2024-02-08")
            for k, v in this_year.items()
        },
    )
    ran = nianbao("check", ".", "-f", "json", "--select", "XY-001", cwd=tmp_path)
    assert ran.codes() == []  # other agency; a year gap
    _variant(tmp_path, "d-2022.yaml", **this_year)
    ran = nianbao("check", ".", "-f", "json", "--select", "XY-001", cwd=tmp_path)
    # d-2022 follows a-2021 (1 carried forward, 0 over) and precedes c-2023 (the same again)
    assert [(f["location"]["path"], f["location"]["pointer"]) for f in ran.json()["findings"]] == [
        (name, f"/tables/t3/carried_over/{column}")
        for name in ("c-2023.yaml", "d-2022.yaml")
        for column in ("natural_person", "total")
    ]


def test_two_reports_of_last_year_are_both_compared(tmp_path):
    shutil.copytree(REPO / "zhengfu", tmp_path / "zhengfu")
    shutil.copy(tmp_path / "zhengfu" / "2021.yaml", tmp_path / "zhengfu" / "2021-copy.yaml")
    ran = nianbao("check", "zhengfu", "-f", "json", "--select", "XY-001", cwd=tmp_path)
    findings = ran.json()["findings"]
    assert len(findings) == 4 and len({f["fingerprint"] for f in findings}) == 4


def test_a_summary_keeps_only_what_the_cross_year_rules_need():
    settings = resolve(CliChoices(), None)
    summary = check_one(Task(str(REPO / "zhengfu" / "2022.yaml"), settings)).summary
    assert summary.agency == "示范市人民政府" and summary.year == 2022
    assert set(summary.cells) == {"t2", "t3"}
    assert set(summary.cells["t3"]) == {
        f"{row}.{col}"
        for row in ("carried_over", "carried_forward")
        for col in (
            "natural_person",
            "commercial",
            "research",
            "nonprofit",
            "legal_service",
            "other_org",
            "total",
        )
    }
    assert set(summary.cells["t2"]) == {
        f"{row}.{col}"
        for row in ("regulations", "normative_documents")
        for col in ("issued", "repealed", "in_force")
    }
    assert set(summary.texts) == {"sections"} and "主动公开" in summary.texts["sections"].text
    no_xy = resolve(CliChoices(ignore=("XY",)), None)
    assert check_one(Task(str(REPO / "zhengfu" / "2022.yaml"), no_xy)).summary is None


def test_an_example_carries_last_years_report(national):
    rule = national.by_id("XY-001")
    report = build_example(national, rule, rule.examples["fail"][0])
    assert report.cross_year is not None and report.cross_year.previous.year == 2020
    findings, _ = evaluate(report, national)
    (first, *_) = [f for f in findings if f.rule == "XY-001"]
    assert "2020年报告（XY-001-example.yaml）" in first.message
