"""Suppressions with reasons: YAML comments and config entries; SUP-001 / SUP-002; counted."""

from __future__ import annotations

import shutil

import pytest

from checker.gate.suppressions import parse_comments

from .batch_support import REPO, nianbao, write
from .conftest import ROOT

DEFECTS = ROOT / "reports_samples" / "defects"
NEW_ROW = "    new: {natural_person: 65, commercial: 0, research: 0, nonprofit: 2, legal_service: 0, other_org: 4, total: 71}"
REASON = "原表如此，已向上级报备"


def test_comments_are_parsed_with_codes_reason_and_place():
    text = (
        "meta: {}\n"
        "  # nianbao: ignore[T3-002, t3-003] 原表如此\n"
        "  new: {total: 1}  # nianbao: ignore[XY]\n"
        "  note: 'no directive # here'\n"
    )
    first, second = parse_comments(text, "r.yaml")
    assert (first.codes, first.reason, first.line, first.own_line) == (
        ("T3-002", "T3-003"),
        "原表如此",
        2,
        True,
    )
    assert (second.codes, second.reason, second.line, second.own_line) == (("XY",), "", 3, False)
    assert second.pos.column == text.splitlines()[2].index("#") + 1


@pytest.fixture
def report(tmp_path):
    """t3-unbalanced.yaml: T3-001 twice on line 42 (the new row), TXT-001 on line 20."""
    path = tmp_path / "r.yaml"
    text = (DEFECTS / "t3-unbalanced.yaml").read_text("utf-8")
    assert NEW_ROW + "\n" in text
    path.write_text(text, encoding="utf-8")
    return path


def edit(path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(path, *args: str):
    return nianbao("check", path.name, "-f", "json", *args, cwd=path.parent)


def test_a_comment_on_the_line_suppresses_its_findings_and_is_counted(report):
    edit(report, NEW_ROW, f"{NEW_ROW}  # nianbao: ignore[T3-001] {REASON}")
    ran = check(report)
    assert ran.code == 0, ran.out
    # the diagnosis of the two sums is another rule: a suppression names what it hides
    assert ran.codes() == ["DIAG-001", "TXT-001"] and ran.json()["summary"]["suppressed"] == 2
    console = nianbao("check", report.name, cwd=report.parent)
    assert "已抑制 2" in console.out.splitlines()[-1]
    english = nianbao("check", report.name, "--lang", "en", cwd=report.parent)
    assert "2 suppressed" in english.out.splitlines()[-1]


def test_a_comment_alone_on_the_line_before_suppresses_by_prefix(report):
    edit(report, NEW_ROW, f"    # nianbao: ignore[T3, TXT-009] {REASON}\n{NEW_ROW}")
    assert check(report).codes() == ["DIAG-001", "TXT-001"]


def test_a_comment_further_away_suppresses_nothing_and_is_reported(report):
    edit(report, NEW_ROW, f"    # nianbao: ignore[T3-001] {REASON}\n\n{NEW_ROW}")
    ran = check(report)
    assert ran.codes() == ["DIAG-001", "SUP-002", "T3-001", "T3-001", "TXT-001"]
    stale = next(f for f in ran.json()["findings"] if f["rule"] == "SUP-002")
    assert stale["severity"] == "warning" and stale["location"]["line"] == 42
    assert "T3-001" in stale["message"] and "r.yaml" in stale["message"]


def test_a_suppression_without_a_reason_still_applies_but_is_an_error(report):
    edit(report, NEW_ROW, f"{NEW_ROW}  # nianbao: ignore[T3-001]")
    ran = check(report)
    assert ran.code == 1
    assert ran.codes() == ["DIAG-001", "SUP-001", "TXT-001"]
    sup = next(f for f in ran.json()["findings"] if f["rule"] == "SUP-001")
    assert sup["location"]["line"] == 42 and "未写明理由" in sup["message"]
    english = check(report, "--lang", "en")
    assert any("no reason given" in f["message"] for f in english.json()["findings"])


def test_sup_findings_cannot_be_suppressed(report):
    edit(
        report, NEW_ROW, f"{NEW_ROW}  # nianbao: ignore[T3-001]\n    # nianbao: ignore[SUP] 不想看"
    )
    assert "SUP-001" in check(report).codes()


@pytest.mark.parametrize("code", ["T4-001", "T9-001"])
def test_unused_or_unknown_codes_are_reported(report, code):
    edit(report, "  t4:\n", f"  t4:  # nianbao: ignore[{code}] 复议数据待核\n")
    assert check(report).codes() == ["DIAG-001", "SUP-002", "T3-001", "T3-001", "TXT-001"]


def test_no_staleness_report_when_the_rule_did_not_run(report):
    edit(report, NEW_ROW, f"{NEW_ROW}  # nianbao: ignore[TXT-001] 另行说明")
    assert check(report, "--ignore", "TXT").codes() == ["DIAG-001", "T3-001", "T3-001"]


def test_a_cross_year_suppression_waits_for_last_years_report(tmp_path):
    """zhengfu/2022.yaml suppresses XY-002; checked alone, XY does not run: nothing to report."""
    shutil.copytree(REPO, tmp_path / "repo")
    alone = nianbao("check", "repo/zhengfu/2022.yaml", "-f", "json", cwd=tmp_path)
    assert alone.code == 0 and alone.codes() == [] and alone.json()["summary"]["suppressed"] == 0
    both = nianbao("check", "repo/zhengfu", "-f", "json", cwd=tmp_path)
    assert both.codes() == ["XY-001", "XY-001"] and both.json()["summary"]["suppressed"] == 1


@pytest.fixture
def text_report(tmp_path):
    """narrative-breakdown.txt: one TXT-009 at /sections/0/text; text cannot carry comments."""
    shutil.copy(DEFECTS / "narrative-breakdown.txt", tmp_path / "doc.txt")
    return tmp_path


def test_config_entry_suppresses_in_a_document_without_comments(text_report):
    write(
        text_report / "nianbao.toml",
        f"[[suppress]]\nfile = 'doc.txt'\nrules = ['TXT-009']\npointer = '/sections/0'\nreason = '{REASON}'\n",
    )
    ran = nianbao("check", "doc.txt", "-f", "json", cwd=text_report)
    assert ran.codes() == [] and ran.json()["summary"]["suppressed"] == 1


def test_config_entry_with_another_pointer_or_no_reason(text_report):
    write(
        text_report / "nianbao.toml",
        "[[suppress]]\nfile = 'doc.txt'\nrules = ['TXT-009']\npointer = '/sections/4'\nreason = 'x'\n"
        "[[suppress]]\nfile = 'doc.txt'\nrules = ['T3']\n"
        "[[suppress]]\nfile = 'other.txt'\nrules = ['T4']\nreason = 'not checked in this run'\n",
    )
    ran = nianbao("check", "doc.txt", "-f", "json", cwd=text_report)
    assert ran.codes() == ["SUP-001", "SUP-002", "SUP-002", "TXT-009"]
    messages = " ".join(f["message"] for f in ran.json()["findings"] if f["rule"].startswith("SUP"))
    assert "nianbao.toml suppress[1]" in messages and "nianbao.toml suppress[2]" in messages
    assert "suppress[3]" not in messages
