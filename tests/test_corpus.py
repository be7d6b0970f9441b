"""The development corpus: real published reports in the shapes the text reader meets.

tests/fixtures/corpus/ holds copies of the shared corpus: crawler text (the
whole page on one line, cells run together), OCR/PDF→Markdown with broken
tables, and one page of a PDF text layer. Each ``.expected.json`` holds the
hand-transcribed values of tables 3 and 4. All reports are internally
consistent, so a correct reader finds no arithmetic error in them.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from checker.model import Report
from checker.reading import is_reading
from checker.run.pipeline import check_file
from checker.sources import read_report

from .conftest import run_nianbao

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
FILES = (
    "pingtan_2021.txt",
    "pingtan_2024.txt",
    "pingtan_2025.txt",
    "shuyang_2025.md",
    "huaian_2024_partial.txt",
)
# what each file must report about its own extraction: (rule, pointer)
EXTRACTION_FINDINGS = {
    # 行政规范性文件 in table 2 arrives as one run of digits and table 2 has no sums to split it by
    "pingtan_2021.txt": {("EXT-005", "/tables/t2/normative_documents")},
    "pingtan_2024.txt": {("EXT-005", "/tables/t2/normative_documents")},
    "pingtan_2025.txt": {("EXT-005", "/tables/t2/normative_documents")},
    "shuyang_2025.md": set(),
    # one page: it starts inside table 2 and ends inside table 3
    "huaian_2024_partial.txt": {
        ("EXT-003", "/tables/t2/regulations"),
        ("EXT-003", "/tables/t3/unable/needs_creation"),
    },
}


def expected_cells(name: str) -> dict[str, dict[str, Decimal | None]]:
    raw = json.loads((CORPUS / f"{Path(name).stem}.expected.json").read_text("utf-8"))
    return {
        table: {
            key: None if value is None else Decimal(str(value)) for key, value in raw[table].items()
        }
        for table in ("t3", "t4")
    }


def misses(
    tables: dict[str, dict[str, Decimal | None]], name: str
) -> list[tuple[str, str, object, object]]:
    out = []
    for table, cells in expected_cells(name).items():
        for key, want in cells.items():
            got = tables.get(table, {}).get(key, "absent")
            if got != want:
                out.append((table, key, want, got))
    return out


def values_of(report: Report) -> dict[str, dict[str, Decimal | None]]:
    return {
        name: {key: cell.value for key, cell in cells.items()}
        for name, cells in report.tables.items()
    }


@pytest.mark.parametrize("name", FILES)
def test_every_transcribed_value_is_extracted(name: str):
    report = read_report(CORPUS / name)
    assert report.meta.template == "2021"
    assert misses(values_of(report), name) == []


@pytest.mark.parametrize("name", FILES)
def test_consistent_report_has_no_arithmetic_error(name: str, national):
    result = check_file(CORPUS / name, national)
    assert result.error is None
    arithmetic = [
        f for f in result.findings if f.rule.startswith(("T3-", "T4-")) and f.severity == "error"
    ]
    assert arithmetic == []


@pytest.mark.parametrize("name", FILES)
def test_extraction_findings_are_exactly_the_real_problems(name: str, national):
    result = check_file(CORPUS / name, national)
    got = {(f.rule, f.location.pointer) for f in result.findings if f.rule.startswith("EXT-")}
    assert got == EXTRACTION_FINDINGS[name]
    if got:  # never silent: reading problems are their own class (checker/reading.py)
        assert all(is_reading(rule) for rule, _ in got)


@pytest.mark.parametrize("name", FILES)
def test_every_cell_points_at_its_own_text(name: str):
    lines = (CORPUS / name).read_text("utf-8").split("\n")
    report = read_report(CORPUS / name)
    checked = 0
    for cells in report.tables.values():
        for cell in cells.values():
            if cell.raw is None:
                continue  # a blank left for a missing or unreadable row
            line = lines[cell.pos.line - 1]
            assert line[cell.pos.column - 1 :].startswith(cell.raw), (
                cell,
                line[cell.pos.column - 1 :][:20],
            )
            checked += 1
    assert checked >= 91


def test_partial_page_reports_what_is_missing_and_computes_nothing_over_it(national):
    result = check_file(CORPUS / "huaian_2024_partial.txt", national)
    rules = {f.rule for f in result.findings}
    assert {"EXT-003", "STR-004"} <= rules
    assert not any(rule.startswith(("T3-", "T4-")) for rule in rules)
    missing = next(
        f for f in result.findings if f.location.pointer == "/tables/t3/unable/needs_creation"
    )
    assert "2.没有现成信息需要另行制作" in missing.message and "共12行" in missing.message
    assert missing.location.line == 46  # after the last row the page has


def test_page_chrome_becomes_neither_text_nor_findings(national):
    text = (CORPUS / "pingtan_2021.txt").read_text("utf-8")
    article = text.split("\n")[9].index("根据《中华人民共和国政府信息公开条例》")
    report = read_report(CORPUS / "pingtan_2021.txt")
    everything = report.preamble + "".join(s.text for s in report.sections)
    for chrome in ("当前位置", "微信 微博", "QQ空间", "相关链接", "附件下载", "来源："):
        assert chrome not in everything
    result = check_file(CORPUS / "pingtan_2021.txt", national)
    assert all(
        not (f.location.line == 10 and f.location.column <= article) for f in result.findings
    )
    assert report.preamble.startswith("根据《中华人民共和国政府信息公开条例》")


def test_crawler_page_is_cut_into_the_six_sections():
    report = read_report(CORPUS / "pingtan_2024.txt")
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert [s.text for s in report.sections[1:4]] == ["", "", ""]  # tables only
    assert report.sections[5].text == "2024年，无收取信息处理费情况。"
    assert report.meta.agency == "平潭综合实验区"  # the title's, not the crawler's 发布机构


def test_table_four_reading_is_the_one_the_block_sums_force():
    t4 = values_of(read_report(CORPUS / "pingtan_2024.txt"))["t4"]
    assert [t4[f"review.{c}"] for c in ("upheld", "corrected", "other", "pending", "total")] == [
        2,
        1,
        3,
        1,
        7,
    ]
    assert [
        t4[f"litigation_after_review.{c}"]
        for c in ("upheld", "corrected", "other", "pending", "total")
    ] == [
        13,
        2,
        4,
        0,
        19,
    ]


def test_extract_command_writes_every_value_and_its_source(tmp_path: Path):
    for name in FILES:
        out = tmp_path / f"{Path(name).stem}.json"
        run = run_nianbao("extract", str(CORPUS / name), "-o", str(out))
        assert run.returncode == 0, run.stderr
        data = json.loads(out.read_text("utf-8"))
        tables = {
            table: _flatten(data["tables"].get(table, {}))
            for table in ("t3", "t4")
            if table in data["tables"]
        }
        assert misses(tables, name) == []
        for table, cells in expected_cells(name).items():
            for key in cells:
                where = data["source_map"][f"/tables/{table}/" + key.replace(".", "/")]
                assert where.startswith(f"{CORPUS / name}:")


def _flatten(node: dict, prefix: str = "") -> dict[str, Decimal | None]:
    out: dict[str, Decimal | None] = {}
    for key, value in node.items():
        if isinstance(value, dict):
            out |= _flatten(value, f"{prefix}{key}.")
        else:
            out[prefix + key] = None if value is None else Decimal(str(value))
    return out
