"""SARIF 2.1.0: valid against the official schema, every rule registered, results GitHub can place."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest
from jsonschema import Draft7Validator

from checker.engine.ruleset import default_ruleset
from checker.findings import FileResult
from checker.reporters import Run, render
from checker.reporters.sarif import FINGERPRINT_KEY

from .conftest import ROOT
from .reporters_support import BROKEN_RULE, UNREADABLE, sample_results, sample_run

SCHEMA = json.loads(
    (Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)


@pytest.fixture
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def sarif(lang: str = "zh") -> dict:
    return json.loads(render("sarif", sample_run(lang)))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validates_against_the_official_schema(at_root, lang):
    errors = sorted(Draft7Validator(SCHEMA).iter_errors(sarif(lang)), key=lambda e: e.path)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []


def test_every_rule_of_the_ruleset_is_registered_with_help(at_root):
    driver = sarif()["runs"][0]["tool"]["driver"]
    ruleset = default_ruleset()
    assert [r["id"] for r in driver["rules"]] == [r.id for r in ruleset.rules]
    t3 = next(r for r in driver["rules"] if r["id"] == "T3-002")
    rule = ruleset.by_id("T3-002")
    assert t3["shortDescription"]["text"] == rule.title.zh
    assert t3["fullDescription"]["text"] == rule.rationale.zh
    assert rule.basis.zh in t3["help"]["text"] and rule.message.zh in t3["help"]["text"]
    assert t3["defaultConfiguration"]["level"] == "error"
    assert t3["properties"]["severity"] == "error" and "T3" in t3["properties"]["tags"]
    assert t3["name"] != t3["id"] and t3["name"].isalnum()
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in driver["rules"]}
    assert {levels[r.id] for r in ruleset.rules if r.severity == "info"} == {"note"}


def test_results_match_the_findings(at_root):
    run = sample_run()
    document = json.loads(render("sarif", run))["runs"][0]
    rules = document["tool"]["driver"]["rules"]
    results = document["results"]
    assert len(results) == len(run.findings)
    for result, finding in zip(results, run.findings, strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding.rule
        assert (
            result["level"]
            == {"error": "error", "warning": "warning", "info": "note"}[finding.severity]
        )
        assert result["message"]["text"] == finding.message
        assert result["partialFingerprints"] == {FINGERPRINT_KEY: finding.fingerprint}
        location = result["locations"][0]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact == {"uri": finding.location.path, "uriBaseId": "%SRCROOT%"}
        assert location["logicalLocations"][0]["fullyQualifiedName"] == finding.location.pointer
        region = location["physicalLocation"].get("region")
        if finding.location.line:
            assert region["startLine"] == finding.location.line
            assert region["startColumn"] == finding.location.column
        else:
            assert region is None  # no line: no region rather than a made-up one


def test_region_carries_the_cell_span_and_related_cells(at_root):
    results = sarif()["runs"][0]["results"]
    granted = next(
        r
        for r in results
        if r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
        == "/tables/t3/granted/total"
    )
    region = granted["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == region["endLine"] == 44
    assert region["endColumn"] > region["startColumn"]
    related = [r["logicalLocations"][0]["fullyQualifiedName"] for r in granted["relatedLocations"]]
    assert "/tables/t3/granted/natural_person" in related
    assert "/tables/t3/granted/total" not in related  # that is the primary location


def test_unreadable_files_and_broken_rules_are_execution_notifications(at_root):
    invocation = sarif()["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    unreadable = next(n for n in notes if "YAML syntax error" in n["message"]["text"])
    uri = unreadable["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "file://" + UNREADABLE}  # outside the source root: absolute, no base
    broken = next(n for n in notes if n.get("associatedRule", {}).get("id") == BROKEN_RULE)
    assert "boom" in broken["message"]["text"]


def test_uri_is_relative_to_the_working_directory_and_percent_encoded(tmp_path, monkeypatch):
    folder = tmp_path / "年报 2024"
    folder.mkdir()
    target = folder / "区政府.yaml"
    monkeypatch.chdir(tmp_path)
    run = Run([FileResult(path=str(target), error="unreadable")], default_ruleset())
    note = json.loads(render("sarif", run))["runs"][0]["invocations"][0][
        "toolExecutionNotifications"
    ][0]
    artifact = note["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uriBaseId"] == "%SRCROOT%"
    assert " " not in artifact["uri"] and unquote(artifact["uri"]) == "年报 2024/区政府.yaml"


def test_english_run_uses_english_rule_text(at_root):
    rules = sarif("en")["runs"][0]["tool"]["driver"]["rules"]
    t3 = next(r for r in rules if r["id"] == "T3-002")
    assert t3["shortDescription"]["text"] == default_ruleset().by_id("T3-002").title.en
    assert t3["help"]["text"].startswith("Basis: ")


def test_output_is_byte_identical_for_the_same_input(at_root):
    first = render("sarif", sample_run())
    again = render("sarif", Run(list(sample_results()), default_ruleset(), "zh"))
    assert first == again
