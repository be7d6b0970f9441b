"""`nianbao new` and `nianbao render` (checker.authoring): skeleton, official layout, round trip.

The full acceptance run (200 generated reports per template, every format) is
``benchmarks/roundtrip.py``; here a few derandomized examples per format keep
the suite fast.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given

from checker.authoring.layout import SUBTOTAL, official_layout, table_layout
from checker.authoring.render import load_structured, render_data
from checker.authoring.skeleton import skeleton
from checker.engine.evaluate import evaluate
from checker.report_data import report_from_data
from checker.sources import read_report
from checker.templates import sections, template
from checker.testing import build_report, report_differences, reports
from checker.testing.renderers import flat_cells

from .conftest import ROOT, SAMPLE, bounded, run_nianbao

FORMATS = (".md", ".html", ".docx", ".pdf")
BASE_2021 = ROOT / "rules/national/examples/base-2021.yaml"
# what a freshly made skeleton may be told: text still to write, cells still blank (STR-009),
# and the publication date not yet known (META-010); never table arithmetic
FILL_IN = {"SEC5-001", "SEC6-001", "STR-009", "META-010"}


def read_back(document: str | bytes, suffix: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"report{suffix}"
        path.write_bytes(document if isinstance(document, bytes) else document.encode("utf-8"))
        return read_report(path)


def load_yaml_text(text: str, tmp_path: Path, name: str = "report.yaml"):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return load_structured(path)


# -- round trip ------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", FORMATS)
def test_render_then_extract_gives_back_the_tables_and_section_texts(suffix):
    @bounded(4 if suffix in (".md", ".html") else 2)
    @given(reports())
    def check(data):
        expected = build_report(data)
        actual = read_back(render_data(data, expected, suffix), suffix)
        assert report_differences(expected, actual, ("title", "year", "published")) == []

    check()


def test_a_printed_group_subtotal_gets_a_row_of_its_own_and_reads_back(tmp_path):
    data = yaml.safe_load(BASE_2021.read_text("utf-8"))
    parts = data["tables"]["t3"]["withheld"]
    columns = list(parts["state_secret"])
    parts.update({c: sum(parts[p][c] for p in list(parts) if p not in columns) for c in columns})
    report = report_from_data(data, "r.yaml")
    table = table_layout("t3", "2021", data["tables"]["t3"])
    labels = [[cell.text for cell in row if cell.label] for row in table.rows]
    assert ["（三）不予公开", SUBTOTAL] in labels
    for suffix in FORMATS:
        actual = read_back(render_data(data, report, suffix), suffix)
        assert report_differences(report, actual, ()) == [], suffix


# -- the official layout ---------------------------------------------------------------------


def _spans(table) -> dict[str, tuple[int, int]]:
    """(rowspan, colspan) of the first cell with each text."""
    spans: dict[str, tuple[int, int]] = {}
    for row in table.rows:
        for cell in row:
            spans.setdefault(cell.text, (cell.rowspan, cell.colspan))
    return spans


@pytest.mark.parametrize(("version", "results"), [("2019", 20), ("2021", 22)])
def test_table_3_has_the_merged_header_cells_of_the_format(version, results):
    table = table_layout("t3", version, {})
    spans = _spans(table)
    assert spans["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] == (3, 3)
    assert spans["申请人情况"] == (1, 7)
    assert spans["法人或其他组织"] == (1, 5)
    assert spans["自然人"] == spans["总计"] == (2, 1)
    assert spans["三、本年度办理结果"] == (results, 1)  # as the rowspan of real pages
    assert spans["（三）不予公开"] == (8, 1)
    assert spans["（四）无法提供"] == (3, 1)
    assert spans["（五）不予处理"] == (5, 1)
    assert spans["（六）其他处理"] == ((3, 1) if version == "2021" else (1, 2))
    assert spans["一、本年新收政府信息公开申请数量"] == spans["四、结转下年度继续办理"] == (1, 3)
    assert all(sum(c.colspan for c in row) <= table.columns for row in table.rows)


def test_table_2_and_4_blocks_labels_and_unit():
    t2 = table_layout("t2", "2021", {})
    texts = [[cell.text for cell in row] for row in t2.rows]
    assert [t[0] for t in texts if t[0].startswith("第二十条")] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    assert ["信息内容", "本年收费金额（单位：万元）"] in texts
    assert _spans(t2)["本年收费金额（单位：万元）"] == (1, 3)
    t4 = _spans(table_layout("t4", "2021", {}))
    assert t4["行政复议"] == (1, 5) and t4["行政诉讼"] == (1, 10)
    assert t4["未经复议直接起诉"] == t4["复议后起诉"] == (1, 5)
    assert t4["结果维持"] == (2, 1)  # the first of each label: 行政复议's, merged down


def test_html_is_one_self_contained_page_for_phones():
    data, report = load_structured(BASE_2021)
    page = render_data(data, report, ".html")
    assert isinstance(page, str)
    assert 'name="viewport"' in page and "<style>" in page
    for outside in ("<script", "<link", "src=", "http://", "https://", "@import", "url("):
        assert outside not in page
    assert 'rowspan="22"' in page and 'colspan="7"' in page and "border:1px solid" in page
    assert "overflow-x:auto" in page  # a wide table scrolls in its box on a narrow screen


def test_docx_is_a4_with_full_borders_merged_cells_and_chinese_faces():
    import docx

    data, report = load_structured(BASE_2021)
    document = render_data(data, report, ".docx")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.docx"
        path.write_bytes(document)  # type: ignore[arg-type]
        word = docx.Document(str(path))
        xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert all(table.style.name == "Table Grid" for table in word.tables)
    assert 'w:vMerge w:val="restart"' in xml and 'w:gridSpan w:val="7"' in xml
    assert 'w:eastAsia="方正小标宋简体"' in xml and 'w:eastAsia="仿宋_GB2312"' in xml
    assert word.core_properties.title == data["meta"]["title"]


def test_pdf_embeds_its_fonts_and_prints_every_character(caplog):
    import pdfplumber

    data, report = load_structured(BASE_2021)
    with caplog.at_level("WARNING", logger="fpdf"):
        document = render_data(data, report, ".pdf")
    assert not [r for r in caplog.records if "missing" in r.getMessage()]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.pdf"
        path.write_bytes(document)  # type: ignore[arg-type]
        with pdfplumber.open(path) as pdf:
            first = pdf.pages[0]
            assert (round(first.width), round(first.height)) == (595, 842)  # A4
            text = "".join(page.extract_text() for page in pdf.pages)
            fonts = {char["fontname"] for page in pdf.pages for char in page.chars}
    assert data["meta"]["title"] in text
    assert "本年收费金额（单位：万元）" in text
    assert any("NotoSerifSC" in f for f in fonts) and any("NotoSansSC" in f for f in fonts)


# -- nianbao new -----------------------------------------------------------------------------


@pytest.mark.parametrize(("year", "version"), [(2020, "2019"), (2025, "2021")])
def test_skeleton_holds_every_cell_blank_and_checks_with_fill_in_findings_only(
    tmp_path, national, year, version
):
    text = skeleton(year, "某某县财政局", "department")
    data, report = load_yaml_text(text, tmp_path)
    assert report.meta.template == version
    for name, tdef in template(version).tables.items():
        cells = flat_cells(data["tables"][name])
        assert set(cells) == set(tdef.cell_keys()), name  # every cell, and no group subtotal
        assert set(cells.values()) == {None}
    assert [s["title"] for s in data["sections"]] == [s.title for s in sections()]
    assert data["meta"]["published"] is None
    assert "本年收费金额（单位：万元）" in text or version == "2019"
    assert "# 一、本年新收政府信息公开申请数量" in text
    findings, _ = evaluate(report, national)
    assert {f.rule for f in findings} <= FILL_IN, [(f.rule, f.message) for f in findings]


def test_skeleton_filled_with_the_sample_figures_checks_clean(tmp_path, national):
    sample = read_report(SAMPLE)
    text = skeleton(2020, "厦门市海沧区工业和信息化局", "department")
    data = yaml.safe_load(text)
    for name, cells in sample.tables.items():
        blank = flat_cells(data["tables"][name])
        assert set(blank) == set(cells), name  # the skeleton asks exactly the sample's cells
        node_of = {}
        for key in cells:
            *parents, leaf = key.split(".")
            node = data["tables"][name]
            for part in parents:
                node = node[part]
            node_of[key] = (node, leaf)
        for key, cell in cells.items():
            node, leaf = node_of[key]
            node[leaf] = int(cell.value) if cell.value == cell.value.to_integral() else cell.raw
    texts = {s.number: s.text for s in sample.sections}
    for section in data["sections"]:
        section["text"] = texts[section["number"]]
    data["meta"]["published"] = "2021-01-20"
    filled = tmp_path / "filled.yaml"
    filled.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    findings, _ = evaluate(read_report(filled), national)
    assert findings == []


def test_new_from_last_year_carries_the_linked_values_with_comments(tmp_path):
    last = yaml.safe_load(BASE_2021.read_text("utf-8"))
    text = skeleton(
        2022, "示范区人民政府", "government", previous=report_from_data(last, "2021.yaml")
    )
    data, _ = load_yaml_text(text, tmp_path)
    forward = last["tables"]["t3"]["carried_forward"]
    assert data["tables"]["t3"]["carried_over"] == forward
    assert data["tables"]["t2"]["normative_documents"]["in_force"] == 65
    assert data["tables"]["t2"]["normative_documents"]["issued"] is None
    assert text.count("结转自2021年报告“四、结转下年度继续办理”") == len(forward)
    assert "2021年报告现行有效件数65件；本年应为 65 + 本年制发 − 本年废止" in text
    assert "应于2023年3月31日前发布" in text  # a people's government: 31 March


# -- the command line ------------------------------------------------------------------------


def test_cli_new_then_render_refuses_errors_unless_forced(tmp_path):
    target = tmp_path / "2025.yaml"
    made = run_nianbao(
        "new", "--year", "2025", "--agency", "某某县财政局", "--agency-kind", "department",
        "-o", str(target),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert (
        made.stderr
        == f"nianbao: {target}: 已写出报告框架；填写后运行 nianbao check {target} 检查\n"
    )
    again = run_nianbao(
        "new", "--year", "2025", "--agency", "某某县财政局", "--agency-kind", "department",
        "-o", str(target),
    )  # fmt: skip
    assert again.returncode == 2 and "--force" in again.stderr
    out = tmp_path / "2025.html"
    refused = run_nianbao("render", str(target), "-o", str(out))
    assert refused.returncode == 1 and not out.exists()
    assert "SEC5-001" in refused.stdout and "--force" in refused.stderr
    assert "未生成：报告有 2 个错误；请改正后再生成，或加 --force 强制生成" in refused.stderr
    forced = run_nianbao("render", str(target), "-o", str(out), "--force")
    assert forced.returncode == 0 and out.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert forced.stderr.endswith(f"nianbao: {out}: 已生成（报告仍有 2 个错误，--force）\n")


def test_cli_render_a_clean_report_and_bad_requests(tmp_path):
    out = tmp_path / "r.md"
    done = run_nianbao("render", str(BASE_2021), "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == f"nianbao: {out}: 已生成\n"
    assert (
        report_differences(read_report(BASE_2021), read_report(out), ("title", "year", "published"))
        == []
    )
    for args, needle in (
        (("render", str(BASE_2021), "-o", str(tmp_path / "r.txt")), "无法生成“.txt”文件"),
        (("render", str(SAMPLE), "-o", str(tmp_path / "r.pdf")), "结构化报告"),
        (("render", str(tmp_path / "none.yaml"), "-o", str(out)), "文件不存在"),
        (("render", str(BASE_2021), "-o", str(BASE_2021)), "无法生成"),
    ):
        result = run_nianbao(*args)
        assert result.returncode == 2 and needle in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_cli_new_from_another_year_is_refused(tmp_path):
    result = run_nianbao(
        "new", "--year", "2025", "--agency", "示范区人民政府", "--agency-kind", "government",
        "--from", str(BASE_2021), "-o", str(tmp_path / "x.yaml"),
    )  # fmt: skip
    assert result.returncode == 2 and "不是2024年度的" in result.stderr


def test_layout_of_the_sample_report_keeps_its_sections_in_order():
    data, report = load_structured(BASE_2021)
    layout = official_layout(data, report)
    assert [s.number for s in layout.sections] == [1, 2, 3, 4, 5, 6]
    assert [s.table.name if s.table else None for s in layout.sections] == [
        None, "t2", "t3", "t4", None, None,
    ]  # fmt: skip
    assert layout.date_line == "（2022年2月8日）"


def test_render_refuses_what_the_layout_could_not_print(tmp_path):
    data = yaml.safe_load(BASE_2021.read_text("utf-8"))
    mixed = dict(data, tables=dict(data["tables"], t2=dict(data["tables"]["t2"])))
    mixed["tables"]["t2"]["procurement"] = {"items": 3, "amount": 12}  # a 2019 row
    orphan = dict(data, sections=[s for s in data["sections"] if s["number"] != 3])
    for case, needle in ((mixed, "没有 t2.procurement.amount"), (orphan, "没有所在的第3部分")):
        path = tmp_path / "r.yaml"
        path.write_text(yaml.safe_dump(case, allow_unicode=True), "utf-8")
        result = run_nianbao("render", str(path), "-o", str(tmp_path / "r.html"), "--force")
        assert result.returncode == 2 and needle in result.stderr, result.stderr
        assert not (tmp_path / "r.html").exists()


def test_pdf_lines_never_start_with_a_closing_mark_and_full_lines_end_at_the_margin():
    from checker.authoring.to_pdf import CLOSING, wrap

    text = "全年新收申请七十件，上年结转零件。办结六十九件，结转下年度一件；无其他事项。" * 3
    widths = [1.0] * len(text)
    lines = wrap(text, widths, 8.0, 10.0)
    assert "".join(text[a:b] for a, b in lines) == text
    assert not any(text[a] in CLOSING for a, _ in lines)
    assert all(b - a in (8, 9) for a, b in lines[:1]) and all(
        b - a in (10, 11) for a, b in lines[1:-1]
    )
