"""Every format through the real command line: repeated --format with one -o each, --statistics."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from .conftest import run_nianbao

FORMATS = {
    "console": "out.txt",
    "json": "out.json",
    "sarif": "out.sarif",
    "junit": "junit.xml",
    "github": "annotations.txt",
    "gitlab": "gl-code-quality-report.json",
    "markdown": "summary.md",
    "html": "report.html",
}
TARGETS = ("reports_samples/defects/t3-row-total.yaml", "reports_samples/defects/text-t3-cell.txt")


def check_all_formats(folder, *extra: str):
    args = ["check", *TARGETS, *extra]
    for fmt, name in FORMATS.items():
        args += ["--format", fmt, "-o", str(folder / name)]
    return run_nianbao(*args)


def test_all_formats_in_one_run_are_written_and_byte_identical(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    result = check_all_formats(first)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""  # everything went to the files
    assert check_all_formats(second).returncode == 1
    for name in FORMATS.values():
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert not [p.name for p in first.iterdir() if p.name.endswith(".tmp")]  # atomic writes
    findings = json.loads((first / "out.json").read_text(encoding="utf-8"))["findings"]
    sarif = json.loads((first / "out.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == len(findings) == 6  # 4 sums, 2 diagnoses
    gitlab = json.loads((first / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert [i["fingerprint"] for i in gitlab] == [f["fingerprint"] for f in findings]
    junit = ET.parse(first / "junit.xml").getroot()
    assert int(junit.get("failures")) == len({(f["location"]["path"], f["rule"]) for f in findings})
    html = (first / "report.html").read_text(encoding="utf-8")
    assert 'data-pointer="/tables/t3/granted/total"' in html and "fail sev-error" in html
    annotations = (first / "annotations.txt").read_text(encoding="utf-8").splitlines()
    assert len(annotations) == 6
    assert sorted(a.split(" ", 1)[0] for a in annotations) == ["::error"] * 4 + ["::notice"] * 2


def test_english_output(tmp_path):
    result = check_all_formats(tmp_path, "--lang", "en")
    assert result.returncode == 1, result.stderr
    assert "### By rule" in (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "Table 3: applications" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_statistics_prints_counts_per_rule():
    result = run_nianbao("check", *TARGETS, "--statistics")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["3", "T3-002"]  # most frequent first
    assert lines[1].split()[:2] == ["2", "DIAG-001"]
    assert lines[2].split()[:2] == ["1", "T3-003"]
    assert lines[-1] == "共 6 处问题，涉及 3 条规则"
    assert not any(line.startswith("reports_samples") for line in lines)


def test_unwritable_output_is_a_one_line_error(tmp_path):
    missing = tmp_path / "no-such-dir" / "out.sarif"
    result = run_nianbao("check", TARGETS[0], "--format", "sarif", "-o", str(missing))
    assert result.returncode == 2
    assert result.stderr.strip() == f"nianbao: {missing}: 无法写入：目录 {missing.parent} 不存在"
