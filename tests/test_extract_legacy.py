"""Reports in the pre-2019 shape (概述, 依申请公开, 收费及减免 …; no uniform tables) are recognised.

The constructed sample tests/fixtures/extract/legacy-2017.txt is a 2017
department report in the old seven-part outline. The same text dated 2019,
2020 or 2022 shows what each year's rules make of a report without the
uniform format.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.run.pipeline import check_file
from checker.sources import read_report

LEGACY = Path(__file__).parent / "fixtures" / "extract" / "legacy-2017.txt"


def as_year(tmp_path: Path, year: int) -> Path:
    text = (
        LEGACY.read_text("utf-8")
        .replace("2018年1月20日", f"{year + 1}年1月20日")
        .replace("2017", str(year))
    )
    path = tmp_path / f"legacy-{year}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_pre_2019_report_is_legacy_and_only_identified(national):
    report = read_report(LEGACY)
    assert report.meta.legacy and report.meta.year == 2017 and report.meta.template is None
    assert report.tables == {} and report.diagnostics == []
    result = check_file(LEGACY, national)
    assert [(f.rule, f.severity) for f in result.findings] == [("TPL-006", "info")]


@pytest.mark.parametrize(
    ("year", "expected"), [(2019, [("TPL-004", "warning")]), (2020, [("TPL-003", "error")])]
)
def test_trial_format_years_without_uniform_tables(
    tmp_path: Path, national, year: int, expected: list
):
    path = as_year(tmp_path, year)
    assert read_report(path).meta.legacy
    assert [(f.rule, f.severity) for f in check_file(path, national).findings] == expected


def test_a_2021_format_year_without_tables_is_not_excused_as_legacy(tmp_path: Path, national):
    path = as_year(tmp_path, 2022)
    report = read_report(path)
    assert not report.meta.legacy and report.meta.template == "2021"
    rules = {f.rule for f in check_file(path, national).findings}
    # the old outline's sections are all there, one extra and three renumbered: STR-003, not missing
    assert {"STR-003", "STR-004"} <= rules and "STR-001" not in rules
    assert not any(rule.startswith(("T3-", "T4-", "EXT-")) for rule in rules)


def test_legacy_report_with_numbers_in_a_table_is_still_not_checked_as_one(
    tmp_path: Path, national
):
    text = LEGACY.read_text("utf-8").replace(
        "三、依申请公开政府信息情况\n", "三、依申请公开政府信息情况\n（一）予以公开 3 0 0 0 0 0 2\n"
    )
    path = tmp_path / "legacy-table.txt"
    path.write_text(text, encoding="utf-8")
    assert [f.rule for f in check_file(path, national).findings] == ["TPL-006"]
