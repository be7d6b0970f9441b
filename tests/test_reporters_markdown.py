"""Markdown summary: counts by severity and rule, findings per file, escaped report text."""

from __future__ import annotations

import re

import pytest
from msgspec.structs import replace

from checker.reporters import Run, render
from checker.reporters.markdown import escape, summary

from .conftest import ROOT
from .reporters_support import sample_results, sample_run


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_counts_by_severity_and_rule_then_findings_per_file():
    run = sample_run()
    text = render("markdown", run)
    counts = run.counts()
    assert f"| 🔴 错误 | {counts['error']} |" in text
    assert f"| 🟡 警告 | {counts['warning']} |" in text
    assert "| ⛔ 无法读取的文件 | 1 |" in text
    t3_002 = sum(1 for f in run.findings if f.rule == "T3-002")
    assert f"| T3-002 | 错误 | {t3_002} |" in text
    for result in run.results:
        if result.findings:
            assert f"({len(result.findings)})" in text
    assert text.index("### 按规则统计") < text.index("### 问题清单") < text.index("### 无法检查")
    assert "| 44:116 | 🔴 错误 | T3-002 |" in text
    assert "boom" in text and "YAML syntax error" in text


def test_english_headings():
    text = render("markdown", sample_run("en"))
    assert "## nianbao: 5 file(s) checked" in text and "### By rule" in text
    assert "| 🔴 error |" in text


def test_report_text_cannot_break_out():
    assert escape("a|b") == "a\\|b"
    assert escape("<script>alert(1)</script>") == "&lt;script>alert(1)&lt;/script>"
    assert escape("[点我](http://x)") == "\\[点我\\](http://x)"
    assert escape("@someone 第\n二行") == "@\u200bsomeone 第 二行"
    assert escape("# 标题") == "\\# 标题"
    base = sample_results()[0]
    evil = replace(base.findings[0], message="x | y\n| 伪造 | 行 |")
    text = render("markdown", Run([replace(base, findings=[evil])], sample_run().ruleset))
    row = next(line for line in text.splitlines() if "伪造" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == 6  # still five cells


def test_size_limit_drops_findings_and_says_how_many():
    run = sample_run()
    full = summary(run)
    limited = summary(run, max_bytes=len(full.encode()) - 200 + 1024)
    assert len(limited.encode()) <= len(full.encode())
    assert "处问题未列出" in limited
    assert "### 无法检查" in limited  # the errors section is kept
    listed = sum(1 for line in limited.splitlines() if line.startswith("| ") and "🔴" in line)
    assert listed < sum(1 for line in full.splitlines() if line.startswith("| ") and "🔴" in line)


def test_clean_run_says_so():
    clean = sample_results()[3]
    text = render("markdown", Run([replace(clean, outcomes=[])], sample_run().ruleset))
    assert "未发现问题。" in text and "###" not in text
