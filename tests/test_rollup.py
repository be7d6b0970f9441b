"""HY-001: a roll-up report's tables equal the sum of its member reports, as [[rollup]] names them."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.engine.evaluate import evaluate
from checker.engine.ruleset import RuleSet
from checker.gate.config import CliChoices, load_config, resolve
from checker.gate.rollup import Part, Rollup
from checker.model import Cell
from checker.run.batch import Task, check_one
from checker.testing import build_report, reports

from .batch_support import nianbao, write
from .conftest import ROOT, bounded

SAMPLE = ROOT / "reports_samples" / "rollup"


def test_sample_roll_up_gives_exactly_one_finding_naming_the_cell():
    ran = nianbao("check", "reports_samples/rollup", "-f", "json", "--lang", "zh")
    assert ran.code == 1
    findings = ran.json()["findings"]
    assert [(f["rule"], f["location"]["pointer"]) for f in findings] == [
        ("HY-001", "/tables/t2/licensing/decisions")
    ]
    (finding,) = findings
    assert finding["location"]["path"] == "reports_samples/rollup/county/2024.yaml"
    assert (finding["expected"], finding["actual"]) == ("974", "979")
    message = finding["message"]
    # the parts, largest contributor first
    assert message.index("environment/2024.yaml 594") < message.index("finance/2024.yaml 192")
    assert message.index("finance/2024.yaml 192") < message.index("education/2024.yaml 188")
    assert "相差5" in message


def test_sample_roll_up_shows_in_every_format(tmp_path):
    cell = "/tables/t2/licensing/decisions"
    for fmt in ("console", "markdown", "sarif"):
        out = nianbao("check", "reports_samples/rollup", "-f", fmt, "--fail-on", "never").out
        assert "HY-001" in out and "979" in out and "974" in out
    html = tmp_path / "r.html"
    nianbao("check", "reports_samples/rollup", "-f", "html", "-o", str(html), "--fail-on", "never")
    page = html.read_text("utf-8")
    assert f'data-pointer="{cell}" data-rules="HY-001"' in page


def test_sample_roll_up_is_byte_identical_whatever_jobs():
    args = ("check", "reports_samples/rollup", "-f", "json", "--fail-on", "never")
    one, two = nianbao(*args, "--jobs", "1"), nianbao(*args, "--jobs", "2")
    assert one.code == two.code == 0 and one.out == two.out
    sarif = ("check", "reports_samples/rollup", "-f", "sarif", "--fail-on", "never")
    assert nianbao(*sarif, "-j", "2").out == nianbao(*sarif, "-j", "1").out


@pytest.fixture
def county(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "rollup")
    return tmp_path / "rollup"


def _outcome(folder, rule: str = "HY-001"):
    config = folder / "nianbao.toml"
    settings = resolve(CliChoices(), load_config(config))
    checked = check_one(Task(str(folder / "county" / "2024.yaml"), settings))
    assert checked.result.error is None
    (outcome,) = [o for o in checked.result.outcomes if o.rule == rule]
    return outcome, [f for f in checked.result.findings if f.rule == rule]


def test_a_missing_part_makes_the_rule_not_applicable_with_that_reason(county):
    text = (county / "nianbao.toml").read_text("utf-8")
    write(
        county / "nianbao.toml",
        text.replace(
            '"departments/*/2024.yaml"]', '"departments/*/2024.yaml", "police/2024.yaml"]'
        ),
    )
    outcome, findings = _outcome(county)
    assert outcome.outcome == "not_applicable" and findings == []
    assert "police/2024.yaml: no such file" in outcome.reason


def test_an_unreadable_part_makes_the_rule_not_applicable_naming_it(county):
    write(county / "departments" / "finance" / "2024.yaml", "meta: [unclosed\n")
    outcome, findings = _outcome(county)
    assert outcome.outcome == "not_applicable" and findings == []
    assert "departments/finance/2024.yaml" in outcome.reason


def test_a_glob_matching_nothing_is_a_missing_part(county):
    text = (county / "nianbao.toml").read_text("utf-8")
    write(
        county / "nianbao.toml", text.replace("departments/*/2024.yaml", "departments/*/2023.yaml")
    )
    outcome, _ = _outcome(county)
    assert outcome.outcome == "not_applicable" and "no file matches" in outcome.reason


def test_a_report_no_rollup_names_is_not_applicable(county):
    settings = resolve(CliChoices(), load_config(county / "nianbao.toml"))
    checked = check_one(Task(str(county / "departments" / "finance" / "2024.yaml"), settings))
    (outcome,) = [o for o in checked.result.outcomes if o.rule == "HY-001"]
    assert outcome.outcome == "not_applicable" and "no [[rollup]]" in outcome.reason


def test_a_rollup_entry_without_parts_is_a_config_error(county):
    write(county / "nianbao.toml", '[[rollup]]\nreport = "county/2024.yaml"\n')
    ran = nianbao("check", str(county))
    assert ran.code == 2 and "nianbao.toml" in ran.err and "parts" in ran.err


@st.composite
def parts_and_rollup(draw: st.DrawFn):
    template = draw(st.sampled_from(("2019", "2021")))
    parts = [build_report(draw(reports(template=template))) for _ in range(draw(st.integers(1, 4)))]
    rollup = build_report(draw(reports(template=template)))
    for name in ("t2", "t3", "t4"):
        keys = set.intersection(*(set(p.tables[name]) for p in parts))
        rollup.tables[name] = {
            k: Cell(sum((p.tables[name][k].value for p in parts), Decimal(0))) for k in sorted(keys)
        }
    rollup.rollup = Rollup([Part(f"p{i}.yaml", template, p.tables) for i, p in enumerate(parts)])
    return rollup


@given(parts_and_rollup(), st.data())
@bounded(25)
def test_generated_roll_ups_pass_and_one_changed_cell_is_the_one_finding(national, rollup, data):
    rule = RuleSet(national.name, [r for r in national.rules if r.id == "HY-001"])
    findings, outcomes = evaluate(rollup, rule)
    assert findings == [] and outcomes[0].outcome == "pass"
    table = data.draw(st.sampled_from(("t2", "t3", "t4")))
    key = data.draw(st.sampled_from(sorted(rollup.tables[table])))
    cell = rollup.tables[table][key]
    rollup.tables[table][key] = Cell(cell.value + data.draw(st.sampled_from((-3, 1, 7))))
    findings, _ = evaluate(rollup, rule)
    assert [f.location.pointer for f in findings] == [f"/tables/{table}/{key.replace('.', '/')}"]


@given(parts_and_rollup(), st.data())
@bounded(25)
def test_a_cell_blank_in_a_part_is_said_not_skipped_in_silence(national, rollup, data):
    """A blank in one member report leaves that cell uncompared: the rule still checks the
    rest and records a skip naming the cell and the part (was: silent when others passed)."""
    rule = RuleSet(national.name, [r for r in national.rules if r.id == "HY-001"])
    table = data.draw(st.sampled_from(("t2", "t3", "t4")))
    key = data.draw(st.sampled_from(sorted(rollup.tables[table])))
    part = data.draw(st.sampled_from(rollup.rollup.parts))
    part.tables[table][key] = Cell(None)
    findings, (outcome,) = evaluate(rollup, rule)
    assert findings == []
    pointer = f"/tables/{table}/{key.replace('.', '/')}"
    assert [(s.reason, s.pointer, s.detail) for s in outcome.skips] == [
        ("blank_in_part", pointer, part.path)
    ]
