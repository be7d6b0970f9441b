"""reports_samples/: the real sample checks clean; each constructed defect gives exactly its findings."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checker.run.pipeline import check_file

from .conftest import ROOT, SAMPLE

DEFECTS = ROOT / "reports_samples" / "defects"
CASES = sorted(p for p in DEFECTS.iterdir() if ".expected." not in p.name)


def test_there_are_at_least_twelve_defects():
    assert len(CASES) >= 12


def test_real_sample_checks_clean(national):
    result = check_file(SAMPLE, national)
    assert result.error is None
    # clean but for META-010: the sample states neither its publication date nor its agency
    assert [f.rule for f in result.findings] == ["META-010"]
    assert "--published" in result.findings[0].message
    assert result.template == "2019" and result.year == 2020


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_defect_gives_its_expected_findings(path: Path, national):
    expected = yaml.safe_load((DEFECTS / f"{path.stem}.expected.yaml").read_text("utf-8"))
    result = check_file(path, national, display=path.name)
    assert result.error is None
    got = [
        {
            "rule": f.rule,
            "severity": f.severity,
            "pointer": f.location.pointer,
            "line": f.location.line,
        }
        for f in result.findings
    ]
    assert got == expected["findings"]
    assert got, "every constructed defect is reported"


def test_prose_in_section_four_is_prose_not_table_four(tmp_path, national):
    """A sentence that mentions 行政诉讼 stays in the section text, where TXT-002 checks it."""
    text = SAMPLE.read_text("utf-8").replace(
        "四、政府信息公开行政复议、行政诉讼情况\n",
        "四、政府信息公开行政复议、行政诉讼情况\n本年度被提起行政诉讼2件。\n",
        1,
    )
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    result = check_file(path, national)
    found = [f for f in result.findings if f.rule != "META-010"]  # the sample has no date
    assert [f.rule for f in found] == ["TXT-002"]
    assert "2" in found[0].message
