"""The HTML reader: real report pages, the sample rendered as a page, markup shapes, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import InputError
from checker.sources import read_report
from checker.sources.document import Document
from checker.sources.html import parse_html, read_html

from . import render_fixtures as render
from .reader_support import (
    FIXTURES,
    arithmetic_errors,
    check,
    codes,
    deletion_findings,
    expected_values,
    mismatches,
    sample_values,
    table_values,
)

HTML = FIXTURES / "html"
CORPUS = sorted(p for p in HTML.glob("*.html") if not p.name.startswith("haicang"))
SAMPLE_HTML = HTML / "haicang-gongxinju-2020.html"
TITLE = "厦门市海沧区工业和信息化局2020年政府信息公开工作年度报告"


def rows(doc: Document) -> list[list[str]]:
    return [[c.text for c in b.cells] for b in doc.blocks if b.is_row]


def paragraphs(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks if not b.is_row]


def page(body: str, head: str = "") -> Document:
    return parse_html(f"<html><head>{head}</head><body>{body}</body></html>", "t.html")


# --- the real pages of the corpus ----------------------------------------------------------


def test_the_corpus_has_its_four_pages():
    assert [p.name for p in CORPUS] == [
        "ceshishi_2025.html", "pingtan_2021.html", "pingtan_2024.html", "pingtan_2025.html",
    ]  # fmt: skip


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_corpus_page_yields_every_transcribed_value(path: Path):
    expected = expected_values(path)
    assert sum(len(cells) for cells in expected.values()) == 190
    assert mismatches(read_report(path), expected) == []


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_corpus_page_checks_without_arithmetic_errors(path: Path, national):
    result = check(path, national)
    assert arithmetic_errors(result) == []
    assert not [f.rule for f in result.findings if f.rule.startswith("EXT-")]


def test_page_metadata_comes_from_the_meta_tags():
    report = read_report(HTML / "pingtan_2024.html")
    assert report.meta.title == "平潭综合实验区2024年度政府信息公开工作年度报告"
    assert str(report.meta.published) == "2025-03-10"
    assert report.meta.year == 2024 and report.meta.template == "2021"


def test_site_chrome_around_the_article_is_left_out():
    doc = read_html(HTML / "pingtan_2024.html")
    text = "\n".join(b.text for b in doc.blocks)
    assert doc.blocks[0].text.startswith("本报告根据《中华人民共和国政府信息公开条例》")
    for chrome in ("闽政通APP", "新媒体矩阵", "隐私保护", "长者模式", "领导之窗", "登录"):
        assert chrome not in text
    assert paragraphs(doc)[-1] == "2024年，无收取信息处理费情况。"


def test_labels_split_over_paragraphs_are_one_label():
    doc = read_html(HTML / "pingtan_2024.html")
    header = next(r for r in rows(doc) if "商业企业" in r)
    assert header == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    results = next(r for r in rows(doc) if r[0] == "三、本年度办理结果")
    assert results[:3] == ["三、本年度办理结果", "（一）予以公开", "71"]


def test_cell_positions_are_source_lines():
    doc = read_html(HTML / "pingtan_2021.html")
    source = (HTML / "pingtan_2021.html").read_text("utf-8").split("\n")
    granted = next(b for b in doc.blocks if b.is_row and b.cells[0].text == "三、本年度办理结果")
    for cell in granted.cells:
        line = source[cell.pos.line - 1]
        assert "<td" in line or "<p" in line or cell.text in line


# --- the sample report rendered as a saved web page ------------------------------------------


def test_sample_page_extracts_the_cells_of_the_text_original():
    assert table_values(read_report(SAMPLE_HTML)) == sample_values()


def test_sample_page_checks_like_the_original(national):
    from .conftest import SAMPLE

    # the page states its date and title; the text sample neither (META-010)
    assert codes(check(SAMPLE_HTML, national)) == []
    assert codes(check(SAMPLE, national)) == ["META-010"]


def test_sample_page_has_the_title_of_its_page_and_the_prose_of_the_sample():
    report = read_report(SAMPLE_HTML)
    assert report.meta.title == TITLE
    assert str(report.meta.published) == "2021-01-25"
    doc = read_html(SAMPLE_HTML)
    assert paragraphs(doc) == [b for b in render.sample_layout() if isinstance(b, str)]


def test_committed_sample_page_is_what_the_generator_renders():
    assert SAMPLE_HTML.read_text("utf-8") == render.render_html(render.sample_layout(), TITLE)


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
@pytest.mark.parametrize("declared", [True, False], ids=["declared", "detected"])
def test_gb18030_copy_reads_the_same(tmp_path: Path, encoding: str, declared: bool):
    text = SAMPLE_HTML.read_text("utf-8")
    text = text.replace("charset=utf-8", "charset=gb2312" if declared else "")
    copy = tmp_path / "sample.html"
    copy.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    assert table_values(read_report(copy)) == sample_values()
    assert read_report(copy).meta.title == TITLE


def test_utf8_page_with_a_stale_gb2312_declaration_reads_as_utf8(tmp_path: Path):
    path = tmp_path / "stale.html"
    text = SAMPLE_HTML.read_text("utf-8").replace("charset=utf-8", "charset=gb2312")
    path.write_bytes(text.encode("utf-8"))
    assert read_report(path).meta.title == TITLE


def test_declared_big5_page_is_read_in_big5(tmp_path: Path):
    path = tmp_path / "big5.html"
    body = '<html><head><meta charset="big5"></head><body><p>一、總體情況</p></body></html>'
    path.write_bytes(body.encode("big5"))
    assert paragraphs(read_html(path)) == ["一、總體情況"]


# --- a deleted row is named, never shifted ----------------------------------------------------


@pytest.mark.parametrize(
    ("layout", "label", "title", "published"),
    [
        (
            lambda: render.html_layout(render.CESHISHI),
            render.CESHISHI_DELETED_ROW,
            "测试市人民政府办公室2025年政府信息公开工作年度报告",
            "2026-01-20",
        ),
        (render.sample_layout, render.DELETED_ROW, TITLE, "2021-01-25"),
    ],
    ids=["ceshishi", "sample"],
)
def test_deleted_row_is_reported_and_no_arithmetic_runs_on_shifted_rows(
    tmp_path, national, layout, label, title, published
):
    path = tmp_path / "deleted.html"
    deleted = render.without_row(layout(), label)
    path.write_text(render.render_html(deleted, title, published), "utf-8")
    result = check(path, national)
    assert deletion_findings(result, label)
    # nothing else: no arithmetic error over shifted rows (the deletion is a reading warning)
    assert [
        f.rule for f in result.findings if f.severity == "error" or f.rule.startswith("EXT-")
    ] == deletion_findings(result, label)


# --- markup shapes ------------------------------------------------------------------------------


def test_rowspan_label_appears_once_and_colspan_once():
    doc = page(
        "<p>三、收到和处理政府信息公开申请情况</p><table>"
        '<tr><td rowspan="2">（三）不予公开</td><td>1.属于国家秘密</td><td colspan="2">1</td><td>2</td></tr>'
        "<tr><td>2.其他法律行政法规禁止公开</td><td>3</td><td>&nbsp;</td><td>4</td></tr>"
        "</table>"
    )
    assert rows(doc) == [
        ["（三）不予公开", "1.属于国家秘密", "1", "2"],
        ["2.其他法律行政法规禁止公开", "3", "", "4"],
    ]


def test_empty_cells_before_a_label_are_dropped_but_blank_values_kept():
    """A row of several empty cells is a row of blank values (an unfilled value row); a row
    of one empty cell is nothing."""
    doc = page(
        "<table><tr><td></td><td></td><td>结果维持</td><td>总计</td><td></td></tr>"
        "<tr><td></td><td>5</td><td>6</td></tr><tr><td>&nbsp;</td><td> </td></tr>"
        "<tr><td colspan='3'>&nbsp;</td></tr></table>"
    )
    assert rows(doc) == [["结果维持", "总计", ""], ["", "5", "6"], ["", ""]]


def test_cell_pieces_join_without_spaces_between_chinese_characters():
    doc = page(
        "<table><tr><td><p>法律</p><p>服<span>务</span>\n &nbsp; &nbsp;</p><p>机构</p></td>"
        "<td>1.<br>属于国家秘密</td><td>Open<br>Data</td></tr></table>"
    )
    assert rows(doc) == [["法律服务机构", "1. 属于国家秘密", "Open Data"]]


def test_word_export_markup_reads_as_plain_text():
    doc = page(
        "<div class=WordSection1><p class=MsoNormal><span lang=ZH-CN>一、总体情况<o:p></o:p></span></p>"
        "<!--[if gte mso 9]><xml><w:WordDocument>隐藏</w:WordDocument></xml><![endif]-->"
        "<p class=MsoNormal><![if !supportLists]>（一）<![endif]>主动公开<o:p>&nbsp;</o:p></p></div>"
    )
    assert paragraphs(doc) == ["一、总体情况", "（一）主动公开"]


def test_layout_tables_are_read_as_text_and_their_data_tables_as_rows():
    doc = page(
        '<table width="100%"><tr><td><p>一、总体情况</p><p>正文</p>'
        "<table><tr><td>规章</td><td>1</td><td>2</td></tr></table><p>二、主动公开</p></td></tr></table>"
    )
    assert [(b.is_row, b.text) for b in doc.blocks] == [
        (False, "一、总体情况"), (False, "正文"), (True, "规章 1 2"), (False, "二、主动公开"),
    ]  # fmt: skip


def test_a_two_column_page_layout_table_is_read_as_text():
    prose = "我局坚持以公开为常态、不公开为例外，" * 12
    doc = page(
        "<table><tr><td><p>首页</p><p>政务公开</p></td>"
        f"<td><p>一、总体情况</p><p>{prose}</p><p>二、主动公开政府信息情况</p></td></tr></table>"
    )
    assert paragraphs(doc) == ["一、总体情况", prose, "二、主动公开政府信息情况"]


def test_article_is_the_element_holding_the_section_headings():
    doc = page(
        "<div class=nav><p>一、首页</p><p>网站地图</p></div>"
        "<div id=article><h1>标题</h1><div class=content><p>一、总体情况</p><p>甲</p><p>二、主动公开</p>"
        "<table><tr><td>三、本年度办理结果</td><td>1</td></tr></table><p>三、收到和处理</p></div></div>"
        '<div class=share style="display: none">一、分享</div><div class=footer>二、联系我们</div>'
    )
    assert paragraphs(doc) == ["一、总体情况", "甲", "二、主动公开", "三、收到和处理"]


def test_a_form_wrapping_the_whole_page_is_kept():
    doc = page(
        '<form id="form1" action="./Default.aspx"><input type=hidden value=x>'
        "<div><p>一、总体情况</p><p>甲</p><p>二、主动公开</p></div>"
        '<form action="/search"><p>站内搜索</p></form></form>'
    )
    assert paragraphs(doc) == ["一、总体情况", "甲", "二、主动公开"]


def test_a_page_without_headings_is_read_whole_without_scripts_or_forms():
    doc = page(
        "<script>var x = '一、脚本';</script><form><input value=搜索><p>表单</p></form>"
        "<nav>导航</nav><p>正文<br>第二行</p><style>p{}</style>"
    )
    assert paragraphs(doc) == ["正文", "第二行"]


def test_title_and_publication_date_hints():
    doc = page(
        "<p>x</p>",
        "<title>某局2024年政府信息公开工作年度报告_通知公告_某市人民政府</title>"
        '<meta name="PubDate" content="2025-01-20 09:30">',
    )
    assert doc.hints["title"].value == "某局2024年政府信息公开工作年度报告"
    assert doc.hints["published"].value == "2025-01-20 09:30"


def test_positions_are_source_lines_with_column_one():
    doc = parse_html(
        "<html><body>\n<p>一、总体情况</p>\n<table>\n<tr>\n<td>规章</td>\n<td>3</td></tr></table>",
        "t.html",
    )
    assert [(c.text, c.pos.line, c.pos.column) for b in doc.blocks for c in b.cells] == [
        ("一、总体情况", 2, 1), ("规章", 5, 1), ("3", 6, 1),
    ]  # fmt: skip


def test_every_html_extension_is_routed_to_this_reader():
    from checker.sources import READERS
    from checker.sources.html import EXTENSIONS

    assert {ext: READERS.get(ext) for ext in EXTENSIONS} == dict.fromkeys(
        EXTENSIONS, "checker.sources.html:read_html"
    )


# --- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty file"),
        (b"  \n ", "empty file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary data"),
        (b"%PDF-1.4\n\x00\x01\x02" + bytes(range(256)) * 8, "binary data"),
        (b"\x00\x01\x02\x03" * 100, "binary data"),
        (
            b"<html><body><script>x()</script><p> &nbsp; </p></body></html>",
            "no text in the HTML page",
        ),
    ],
    ids=["empty", "blank", "png", "pdf", "control-bytes", "no-text"],
)
def test_unreadable_html_is_one_input_error(tmp_path: Path, content: bytes, problem: str):
    path = tmp_path / "bad.html"
    path.write_bytes(content)
    with pytest.raises(InputError, match=problem):
        read_html(path)


def test_truncated_page_gives_findings_not_a_crash(tmp_path: Path, national):
    data = (HTML / "pingtan_2024.html").read_bytes()
    path = tmp_path / "truncated.html"
    path.write_bytes(data[: len(data) // 2])
    result = check(path, national)
    assert "STR-001" in codes(result)
    assert arithmetic_errors(result) == []


def test_cli_checks_a_page_and_refuses_a_binary_one(nianbao, tmp_path: Path):
    good = nianbao("check", str(SAMPLE_HTML))
    assert good.returncode == 0, good.stdout + good.stderr
    bad = tmp_path / "bad.htm"
    bad.write_bytes(b"\x00\x01\x02\x03" * 100)
    run = nianbao("check", str(bad))
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [f"nianbao: {bad}: 是二进制数据，不是文本报告"]


def test_cli_extract_keeps_the_source_lines(nianbao, tmp_path: Path):
    out = tmp_path / "out.yaml"
    run = nianbao("extract", str(HTML / "ceshishi_2025.html"), "-o", str(out))
    assert run.returncode == 0, run.stderr
    text = out.read_text("utf-8")
    assert "third_party: {natural_person: 49, commercial: 2" in text
    assert (
        "ceshishi_2025.html:45:1"
        in text.split("/tables/t3/withheld/third_party/total:")[1].split("\n")[0]
    )
