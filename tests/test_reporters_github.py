"""GitHub annotations: escaped workflow commands, 10 per type, the full list in the job summary."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from msgspec.structs import replace

from checker.engine.ruleset import default_ruleset
from checker.findings import FileResult, Finding, Location
from checker.reporters import Run, publish, render
from checker.reporters.github import MAX_PER_TYPE, command, escape_data, escape_property

from .conftest import ROOT
from .reporters_support import UNREADABLE, sample_run

COMMAND = re.compile(r"^::(error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")


@pytest.fixture
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def run_nianbao_env(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, **env},
    )


def properties(line: str) -> dict[str, str]:
    match = COMMAND.match(line)
    assert match, line
    return dict(item.split("=", 1) for item in match["props"].split(","))


def test_escaping_follows_githubs_rules():
    assert escape_data("50%\r\n下一行: a,b") == "50%25%0D%0A下一行: a,b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    line = command("error", "msg: 1,2\n3", {"file": "a,b:c.yaml", "line": 3, "col": None})
    assert line == "::error file=a%2Cb%3Ac.yaml,line=3::msg: 1,2%0A3"


def test_one_annotation_per_finding_with_repo_relative_file(at_root):
    run = sample_run()
    lines = render("github", run).splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == len(run.findings) + len(run.errors())
    first = run.findings[0]
    props = properties(annotations[len(run.errors())])
    assert props["file"] == first.location.path == "reports_samples/defects/t3-row-total.yaml"
    assert props["line"] == str(first.location.line)
    assert props["col"] == str(first.location.column)
    # GitHub's endColumn is inclusive, ours exclusive
    assert props["endColumn"] == str(first.location.end_column - 1)
    assert props["title"].startswith("DIAG-001 ")  # the diagnosis sorts before its sums
    kinds = {line.split(" ", 1)[0] for line in annotations}
    assert kinds == {"::error", "::warning", "::notice"}
    unreadable = next(line for line in annotations if UNREADABLE in line)
    assert unreadable.startswith("::error ") and "YAML syntax error" in unreadable


def test_capped_at_ten_per_type_with_a_note_on_the_rest(at_root):
    path = "reports_samples/defects/t3-row-total.yaml"

    def finding(n: int, severity: str) -> Finding:
        return Finding(
            "T3-002", severity, "t", f"问题 {n}", Location(path, f"/tables/t3/x{n}", line=n)
        )

    findings = [finding(n, "error") for n in range(1, 26)]
    findings += [finding(n, "warning") for n in range(30, 33)]
    findings += [finding(n, "info") for n in range(40, 52)]
    run = Run([FileResult(path=path, findings=findings)], default_ruleset(), "en")
    lines = render("github", run).splitlines()
    assert sum(line.startswith("::error ") for line in lines) == MAX_PER_TYPE
    assert sum(line.startswith("::warning ") for line in lines) == 3
    assert sum(line.startswith("::notice ") for line in lines) == MAX_PER_TYPE
    assert [properties(line)["line"] for line in lines if line.startswith("::error ")] == [
        str(n) for n in range(1, 11)
    ]
    notes = [line for line in lines if not line.startswith("::")]
    assert any("15 more error" in line for line in notes)
    assert any("2 more notice" in line for line in notes)


def test_step_summary_is_appended_with_the_full_list(tmp_path, at_root):
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    run = sample_run()
    publish("github", run, {"GITHUB_STEP_SUMMARY": str(summary)})
    publish("github", run, {"GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# earlier step\n")  # appended, not truncated
    assert text.count("## nianbao") == 2
    for finding in run.findings:
        assert finding.rule in text
    publish("github", run, {})  # no summary file: nothing to do, nothing raised


def test_cli_writes_annotations_and_the_summary(tmp_path):
    summary = tmp_path / "summary.md"
    result = run_nianbao_env(
        {"GITHUB_STEP_SUMMARY": str(summary)},
        "check",
        "reports_samples/defects/t3-row-total.yaml",
        "--format",
        "github",
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(
        "::notice file=reports_samples/defects/t3-row-total.yaml,line=44,"
    )
    assert "\n::error file=reports_samples/defects/t3-row-total.yaml,line=44," in result.stdout
    assert "T3-002" in summary.read_text(encoding="utf-8")


def test_message_line_breaks_cannot_inject_commands(at_root):
    run = sample_run()
    base = run.results[0]
    evil = replace(base.findings[0], message="ok\n::error file=x::injected")
    text = render("github", Run([replace(base, findings=[evil])], run.ruleset))
    assert text.count("\n") == 1 and "%0A::error" in text


@pytest.mark.parametrize(
    ("lang", "words"), [("zh", "条规则未能核对：META-004"), ("en", "could not check everything")]
)
def test_what_the_rules_could_not_check_is_a_log_line_not_an_annotation(lang, words):
    """The sample names no agency kind or date: four rules could not check everything.
    A CI log that showed only its one notice would read as 'checked and fine'."""
    ran = run_nianbao_env(
        {"GITHUB_STEP_SUMMARY": ""},
        "check", "reports_samples/haicang-gongxinju-2020.txt", "-f", "github", "--lang", lang,
    )  # fmt: skip
    lines = ran.stdout.splitlines()
    plain = [line for line in lines if not line.startswith("::")]
    assert len(plain) == 1 and words in plain[0], ran.stdout
    assert all(COMMAND.match(line) for line in lines if line.startswith("::"))
