"""Baselines: recorded by fingerprint with counts, robust to line shifts, stale entries listed."""

from __future__ import annotations

import json
import shutil

import pytest

from checker.errors import InputError
from checker.findings import FileResult, Finding, Location, RuleOutcome
from checker.gate import baseline

from .batch_support import nianbao, write
from .conftest import ROOT

DEFECT = ROOT / "reports_samples" / "defects" / "t3-unbalanced.yaml"  # T3-001 x2, TXT-001


def finding(rule: str, fingerprint: str, path: str = "a.yaml") -> Finding:
    return Finding(rule, "error", "", "m", Location(path, "/x"), fingerprint=fingerprint)


@pytest.fixture
def folder(tmp_path):
    shutil.copy(DEFECT, tmp_path / "report.yaml")
    return tmp_path


def test_written_baseline_is_sorted_fingerprints_with_counts(folder):
    ran = nianbao("check", "report.yaml", "--write-baseline", "b.json", cwd=folder)
    assert ran.code == 0, ran.err  # writing a baseline accepts today's findings
    data = json.loads((folder / "b.json").read_text("utf-8"))
    assert data["format"] == 1
    entries = data["findings"]
    assert [(e["rule"], e["pointer"], e["count"]) for e in entries] == [
        ("DIAG-001", "/tables/t3/new/natural_person", 1),
        ("T3-001", "/tables/t3/new/natural_person", 1),
        ("T3-001", "/tables/t3/new/total", 1),
        ("TXT-001", "/sections/0/text", 1),
    ]
    assert all(e["path"] == "report.yaml" and "line" not in e for e in entries)
    first = (folder / "b.json").read_bytes()
    nianbao("check", "report.yaml", "--write-baseline", "b.json", cwd=folder)
    assert (folder / "b.json").read_bytes() == first  # deterministic


def test_baseline_hides_known_findings_even_after_lines_move(folder):
    assert nianbao("check", "report.yaml", "--write-baseline", "b.json", cwd=folder).code == 0
    report = folder / "report.yaml"
    report.write_text("# reviewed 2024\n\n" + report.read_text("utf-8"), encoding="utf-8")
    ran = nianbao("check", "report.yaml", "--baseline", "b.json", "-f", "json", cwd=folder)
    assert ran.code == 0, ran.err
    assert ran.json()["findings"] == [] and ran.json()["summary"]["baselined"] == 4
    assert "基线中已有 4 条（不再显示），新发现 0 条，不再出现 0 条" in ran.err


def test_counts_let_a_second_identical_finding_through():
    first, second = finding("EXT-002", "f" * 20), finding("EXT-002", "f" * 20)
    results = [
        FileResult("a.yaml", findings=[first, second], outcomes=[RuleOutcome("EXT-002", "fail")])
    ]
    entries = {"f" * 20: baseline.Entry("f" * 20, "EXT-002", "a.yaml", "/x", 1)}
    comparison = baseline.apply(results, entries)
    assert (comparison.known, comparison.new, comparison.stale) == (1, 1, ())
    assert results[0].findings == [second] and results[0].baselined == 1


def test_stale_entries_are_judged_only_where_their_rule_ran():
    entries = {
        fp: baseline.Entry(fp, rule, path, "/x", 2)
        for fp, rule, path in (
            ("a" * 20, "T3-001", "a.yaml"),  # passed now: both stale
            ("b" * 20, "T3-002", "a.yaml"),  # not applicable now: not judged
            ("c" * 20, "T3-001", "other.yaml"),  # file not checked in this run: not judged
        )
    }
    results = [
        FileResult(
            "a.yaml",
            findings=[],
            outcomes=[RuleOutcome("T3-001", "pass"), RuleOutcome("T3-002", "not_applicable")],
        )
    ]
    comparison = baseline.apply(results, entries)
    assert [(e.rule, e.path, e.count) for e in comparison.stale] == [("T3-001", "a.yaml", 2)]


def test_fixed_findings_are_listed_so_the_baseline_can_be_tightened(folder):
    assert nianbao("check", "report.yaml", "--write-baseline", "b.json", cwd=folder).code == 0
    report = folder / "report.yaml"
    report.write_text(
        report.read_text("utf-8")
        .replace("new: {natural_person: 65,", "new: {natural_person: 64,")
        .replace("other_org: 4, total: 71}", "other_org: 4, total: 70}"),
        encoding="utf-8",
    )
    ran = nianbao("check", "report.yaml", "--baseline", "b.json", cwd=folder)
    assert ran.code == 0, ran.out
    assert [line for line in ran.err.splitlines() if "不再出现：" in line] == [
        "  不再出现：report.yaml DIAG-001 /tables/t3/new/natural_person",
        "  不再出现：report.yaml T3-001 /tables/t3/new/natural_person",
        "  不再出现：report.yaml T3-001 /tables/t3/new/total",
        "  不再出现：report.yaml TXT-001 /sections/0/text",
    ]
    assert "用 --write-baseline b.json 重新运行" in ran.err


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("{", "第1行 JSON 格式有误"),
        ('{"format": 7, "findings": []}', "格式 1"),
        ('{"format": 1}', "findings 列表"),
        ('{"format": 1, "findings": [{"rule": "T3-001"}]}', "基线条目 0 的"),
        (
            '{"format": 1, "findings": [{"fingerprint": "a", "rule": "R", "path": "p", '
            '"pointer": "", "count": 0}]}',
            "正整数",
        ),
    ],
)
def test_a_broken_baseline_is_one_line_exit_2(folder, text, needle):
    write(folder / "b.json", text)
    ran = nianbao("check", "report.yaml", "--baseline", "b.json", cwd=folder)
    assert ran.code == 2 and len(ran.err.strip().splitlines()) == 1
    assert ran.err.startswith("nianbao: b.json: ") and needle in ran.err


def test_missing_baseline_file(folder):
    with pytest.raises(InputError, match="write one with --write-baseline"):
        baseline.load(folder / "none.json")
