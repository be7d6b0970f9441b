"""JUnit XML: one suite per report, one testcase per report × rule, counts that match the run."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from msgspec.structs import replace

from checker.engine.ruleset import default_ruleset
from checker.findings import FileResult
from checker.reporters import Run, render

from .reporters_support import BROKEN_RULE, UNREADABLE, lineless_finding, sample_results, sample_run


def parse(run: Run) -> ET.Element:
    return ET.fromstring(render("junit", run).encode("utf-8"))


def expected_counts(result: FileResult) -> dict[str, int]:
    """What the suite of one file must count, derived from its findings and outcomes."""
    if result.error:
        return {"tests": 1, "failures": 0, "errors": 1, "skipped": 0}
    failing = {f.rule for f in result.findings}
    outcome_rules = {o.rule for o in result.outcomes}
    return {
        "tests": len(result.outcomes) + len(failing - outcome_rules),
        "failures": len(failing),
        "errors": sum(1 for o in result.outcomes if o.outcome == "error" and o.rule not in failing),
        "skipped": sum(
            1 for o in result.outcomes if o.outcome == "not_applicable" and o.rule not in failing
        ),
    }


def test_counts_match_findings_and_outcomes():
    run = sample_run()
    root = parse(run)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [r.path for r in run.results]
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for suite, result in zip(suites, run.results, strict=True):
        want = expected_counts(result)
        cases = suite.findall("testcase")
        got = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None),
        }
        assert got == want, result.path
        assert {k: int(suite.get(k)) for k in want} == want  # the attributes agree too
        for key in totals:
            totals[key] += want[key]
    assert {k: int(root.get(k)) for k in totals} == totals
    assert totals["failures"] == len({(f.location.path, f.rule) for f in run.findings})
    assert totals["skipped"] > 0 and totals["errors"] == 2  # the broken rule + the unreadable file


def test_each_testcase_names_file_and_rule_and_shows_every_finding():
    run = sample_run()
    suite = parse(run).find("testsuite[@name='reports_samples/defects/t3-row-total.yaml']")
    cases = {c.get("name").split()[0]: c for c in suite.findall("testcase")}
    assert set(cases) == {r.id for r in default_ruleset().rules}  # passing rules are listed too
    assert all(
        c.get("classname") == "reports_samples/defects/t3-row-total.yaml" for c in cases.values()
    )
    failure = cases["T3-002"].find("failure")
    assert failure.get("type") == "error"
    assert failure.get("message").startswith("2 处问题")
    findings = [f for f in run.results[0].findings if f.rule == "T3-002"]
    for finding in findings:
        assert finding.message in failure.text
        assert f"{finding.location.path}:{finding.location.line}" in failure.text
        assert finding.location.pointer in failure.text
    assert cases["T3-001"].find("*") is None  # passed: no child element


def test_skips_carry_the_reason_and_errors_the_problem():
    run = sample_run()
    clean = run.results[3]
    suite = parse(run).find(f"testsuite[@name='{clean.path}']")
    not_applicable = next(o for o in clean.outcomes if o.outcome == "not_applicable")
    case = next(
        c for c in suite.findall("testcase") if c.get("name").startswith(not_applicable.rule + " ")
    )
    assert case.find("skipped").get("message") == not_applicable.reason
    broken = next(
        c for c in suite.findall("testcase") if c.get("name").startswith(BROKEN_RULE + " ")
    )
    assert "boom" in broken.find("error").get("message")


def test_unreadable_file_is_a_testcase_with_an_error():
    suite = parse(sample_run()).find(f"testsuite[@name='{UNREADABLE}']")
    (case,) = suite.findall("testcase")
    assert case.find("error").get("message") == "line 2, column 1: YAML syntax error"


def test_control_characters_from_a_report_do_not_break_the_xml():
    base = sample_results()[0]
    bad = replace(lineless_finding(base.path), message="表三\x01有问题\x0b\ud800")
    run = Run([replace(base, findings=[*base.findings, bad])], default_ruleset())
    failure = parse(run).find(".//testcase[@name][failure]/failure[@message]")
    text = render("junit", run)
    assert "\x01" not in text and "\ufffd" in text
    assert failure is not None


def test_english_and_deterministic():
    english = render("junit", sample_run("en"))
    assert english == render("junit", sample_run("en"))
    assert "2 findings: " in english
    assert "timestamp" not in english and " time=" not in english
