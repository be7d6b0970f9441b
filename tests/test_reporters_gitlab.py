"""GitLab Code Quality: the documented fields, GitLab's severity scale, unique fingerprints."""

from __future__ import annotations

import json

import pytest

from checker.reporters import render

from .conftest import ROOT
from .reporters_support import BROKEN_RULE, UNREADABLE, sample_run

SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


@pytest.fixture
def issues(monkeypatch) -> list[dict]:
    monkeypatch.chdir(ROOT)
    return json.loads(render("gitlab", sample_run()))


def test_every_issue_has_the_documented_fields(issues):
    assert isinstance(issues, list) and issues
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str) and issue["check_name"]
        assert isinstance(issue["fingerprint"], str) and issue["fingerprint"]
        assert issue["severity"] in SEVERITIES
        location = issue["location"]
        assert isinstance(location["path"], str) and location["path"]
        begin = location["lines"]["begin"]
        assert isinstance(begin, int) and begin >= 1
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(fingerprints) == len(set(fingerprints))  # GitLab merges equal fingerprints


def test_findings_map_one_to_one(issues):
    run = sample_run()
    findings = run.findings
    assert len(issues) == len(findings) + 2  # + the unreadable file + the broken rule
    for issue, finding in zip(issues, findings, strict=False):
        assert issue["check_name"] == finding.rule
        assert issue["description"] == finding.message
        assert issue["fingerprint"] == finding.fingerprint
        assert issue["location"]["path"] == finding.location.path  # repo-relative already
        assert issue["location"]["lines"]["begin"] == (finding.location.line or 1)
        assert (
            issue["severity"]
            == {"error": "major", "warning": "minor", "info": "info"}[finding.severity]
        )
    extra = issues[len(findings) :]
    assert {(i["check_name"], i["severity"]) for i in extra} == {
        ("nianbao/unreadable", "blocker"),
        (BROKEN_RULE, "blocker"),
    }
    unreadable = next(i for i in extra if i["check_name"] == "nianbao/unreadable")
    assert unreadable["location"]["path"] == UNREADABLE


def test_deterministic(issues, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert render("gitlab", sample_run()) == json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def test_what_the_rules_could_not_check_is_said_in_the_job_log(tmp_path):
    """Code Quality has no place for skips: the log gets the console's line, once."""
    from .conftest import run_nianbao

    sample = str(ROOT / "reports_samples" / "haicang-gongxinju-2020.txt")
    out = tmp_path / "gl.json"
    ran = run_nianbao("check", sample, "-f", "gitlab", "-o", str(out))
    assert ran.returncode == 0, ran.stderr
    logged = [line for line in ran.stderr.splitlines() if "条规则未能核对" in line]
    assert len(logged) == 1 and "META-006 发布日期未知" in logged[0]
    assert "--show-skipped" in logged[0]
    assert json.loads(out.read_text(encoding="utf-8"))  # the report itself is unchanged
    both = run_nianbao("check", sample, "-f", "console", "-f", "gitlab", "-o", "-", "-o", str(out))
    assert "条规则未能核对" in both.stdout and "条规则未能核对" not in both.stderr
