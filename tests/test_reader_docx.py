"""The DOCX reader: Word renderings with real merged tables, document order, positions, bad archives."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest

from checker.errors import InputError
from checker.sources import read_report
from checker.sources.document import Document
from checker.sources.docx import MAX_DOCUMENT_XML_BYTES, read_docx

from . import render_fixtures as render
from .conftest import SAMPLE
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

DOCX = FIXTURES / "docx"
SAMPLE_DOCX = DOCX / "haicang-gongxinju-2020.docx"
CESHISHI_DOCX = DOCX / "ceshishi_2025.docx"


def rows(doc: Document) -> list[list[str]]:
    return [[c.text for c in b.cells] for b in doc.blocks if b.is_row]


def save(word, path: Path) -> Path:
    word.save(str(path))
    return path


# --- renderings of real reports ----------------------------------------------------------------


def test_sample_rendering_extracts_the_cells_of_the_text_original():
    assert table_values(read_report(SAMPLE_DOCX)) == sample_values()


def test_sample_rendering_checks_like_the_original(national):
    assert codes(check(SAMPLE_DOCX, national)) == codes(check(SAMPLE, national)) == ["META-010"]


def test_sample_rendering_keeps_the_prose_in_document_order():
    doc = read_docx(SAMPLE_DOCX)
    paragraphs = [b.text for b in doc.blocks if not b.is_row]
    assert paragraphs == [b for b in render.sample_layout() if isinstance(b, str)]
    kinds = [b.is_row for b in doc.blocks]
    heading = next(
        i for i, b in enumerate(doc.blocks) if b.text == "三、收到和处理政府信息公开申请情况"
    )
    assert kinds[heading - 1] and kinds[heading + 1]  # between the rows of tables 2 and 3


def test_ceshishi_rendering_yields_every_transcribed_value(national):
    expected = expected_values(FIXTURES / "html" / "ceshishi_2025.html")
    assert mismatches(read_report(CESHISHI_DOCX), expected) == []
    assert arithmetic_errors(check(CESHISHI_DOCX, national)) == []


def test_merged_cells_appear_once_at_their_first_row():
    doc = read_docx(SAMPLE_DOCX)
    table3 = rows(doc)
    assert ["三、本年度办理结果", "(一)予以公开", *["0"] * 7] in table3
    assert ["(三)不予公开", "1.属于国家秘密", *["0"] * 7] in table3
    assert ["2.其他法律行政法规禁止公开", *["0"] * 7] in table3
    assert ["自然人", "法人或其他组织", "总计"] in table3
    assert ["行政事业性收费", "1", "-1"] in table3


@pytest.mark.parametrize(
    ("layout", "label"),
    [
        (lambda: render.html_layout(render.CESHISHI), render.CESHISHI_DELETED_ROW),
        (render.sample_layout, render.DELETED_ROW),
    ],
    ids=["ceshishi", "sample"],
)
def test_deleted_row_is_reported_and_no_arithmetic_runs_on_shifted_rows(
    tmp_path, national, layout, label
):
    path = tmp_path / "deleted.docx"
    render.render_docx(render.without_row(layout(), label), path)
    result = check(path, national)
    assert deletion_findings(result, label)
    assert not any(f.rule.startswith("T3-") for f in result.findings)


# --- shapes and positions ----------------------------------------------------------------------


def test_paragraphs_and_tables_in_document_order_with_ordinal_positions(tmp_path: Path):
    word = docx.Document()
    word.add_paragraph("一、总体情况")
    word.add_paragraph("")
    table = word.add_table(rows=2, cols=4)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "（三）不予公开"
    table.cell(0, 1).text = "1.属于国家秘密"
    table.cell(0, 2).merge(table.cell(0, 3)).text = "7"
    table.cell(1, 1).text = "2.其他法律行政法规禁止公开"
    table.cell(1, 2).text = "8"
    word.add_paragraph("二、主动公开")
    doc = read_docx(save(word, tmp_path / "t.docx"))
    assert [(c.text, c.pos.line, c.pos.column) for b in doc.blocks for c in b.cells] == [
        ("一、总体情况", 1, 1),
        ("（三）不予公开", 3, 1), ("1.属于国家秘密", 3, 2), ("7", 3, 3),
        ("2.其他法律行政法规禁止公开", 4, 2), ("8", 4, 3), ("", 4, 4),
        ("二、主动公开", 5, 1),
    ]  # fmt: skip
    assert [b.is_row for b in doc.blocks] == [False, True, True, False]


def test_cell_paragraphs_join_and_leading_empty_cells_go(tmp_path: Path):
    word = docx.Document()
    table = word.add_table(rows=2, cols=4)
    table.cell(0, 1).text = "法律"
    table.cell(0, 1).add_paragraph("服务")
    table.cell(0, 1).add_paragraph("机构")
    table.cell(0, 2).text = "总计"
    table.cell(1, 0).text = "12"
    doc = read_docx(save(word, tmp_path / "t.docx"))
    assert rows(doc) == [["法律服务机构", "总计", ""], ["12", "", "", ""]]


def test_two_column_frame_with_prose_is_read_as_text(tmp_path: Path):
    prose = "我局坚持以公开为常态、不公开为例外，" * 12
    word = docx.Document()
    frame = word.add_table(rows=1, cols=2)
    frame.cell(0, 0).text = "附注"
    frame.cell(0, 1).text = "一、总体情况"
    frame.cell(0, 1).add_paragraph(prose)
    doc = read_docx(save(word, tmp_path / "t.docx"))
    assert [(b.is_row, b.text) for b in doc.blocks] == [
        (False, "附注"), (False, "一、总体情况"), (False, prose),
    ]  # fmt: skip


def test_tracked_changes_read_as_accepted(tmp_path: Path):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    word = docx.Document()
    paragraph = word.add_paragraph("一、")
    for xml in (
        '<w:ins w:id="1" w:author="a"><w:r><w:t>总体</w:t></w:r></w:ins>',
        '<w:del w:id="2" w:author="a"><w:r><w:delText>旧标题</w:delText></w:r></w:del>',
        '<w:smartTag w:uri="u" w:element="e"><w:r><w:t>情况</w:t></w:r></w:smartTag>',
    ):
        paragraph._p.append(
            parse_xml(xml.replace(">", f" {nsdecls('w')}>", 1))  # declare w: on the outer element
        )
    doc = read_docx(save(word, tmp_path / "t.docx"))
    assert [b.text for b in doc.blocks] == ["一、总体情况"]


def test_layout_frame_table_is_read_as_text(tmp_path: Path):
    word = docx.Document()
    frame = word.add_table(rows=1, cols=1)
    outer = frame.cell(0, 0)
    outer.text = "一、总体情况"
    inner = outer.add_table(rows=1, cols=3)
    for column, text in enumerate(("规章", "1", "2")):
        inner.cell(0, column).text = text
    outer.add_paragraph("二、主动公开")
    doc = read_docx(save(word, tmp_path / "t.docx"))
    assert [(b.is_row, b.text) for b in doc.blocks] == [
        (False, "一、总体情况"), (True, "规章 1 2"), (False, "二、主动公开"),
    ]  # fmt: skip


def test_every_docx_extension_is_routed_to_this_reader():
    from checker.sources import READERS
    from checker.sources.docx import EXTENSIONS

    assert {ext: READERS.get(ext) for ext in EXTENSIONS} == dict.fromkeys(
        EXTENSIONS, "checker.sources.docx:read_docx"
    )


# --- bad input -----------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _bomb() -> bytes:
    """A small archive whose word/document.xml inflates past the limit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(MAX_DOCUMENT_XML_BYTES // len(chunk) + 1):
                member.write(chunk)
    return buffer.getvalue()


def _blank_word() -> bytes:
    buffer = io.BytesIO()
    word = docx.Document()
    word.add_paragraph("")
    word.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (lambda: b"", "empty file"),
        (lambda: "一、总体情况\n".encode(), "not a readable zip archive"),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "legacy Word .doc"),
        (lambda: _zip({"a.txt": b"hello"}), "without word/document.xml"),
        (lambda: _zip({"word/document.xml": b"<w:document"}), "not a readable Word .docx document"),
        (lambda: SAMPLE_DOCX.read_bytes()[:15000], "not a readable zip archive"),
        (_bomb, "inflates to"),
        (_blank_word, "no text in the Word document"),
    ],
    ids=["empty", "text", "ole", "other-zip", "no-content-types", "truncated", "zip-bomb", "blank"],
)
def test_unreadable_docx_is_one_input_error(tmp_path: Path, content, problem: str):
    path = tmp_path / "bad.docx"
    path.write_bytes(content())
    with pytest.raises(InputError, match=problem) as caught:
        read_docx(path)
    assert "\n" not in str(caught.value)


def test_cli_exits_2_with_one_line_on_a_zip_of_something_else(nianbao, tmp_path: Path):
    path = tmp_path / "report.docx"
    path.write_bytes(_zip({"xl/workbook.xml": b"<workbook/>"}))
    run = nianbao("check", str(path))
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        f"nianbao: {path}: zip 压缩包中没有 word/document.xml，不是 Word .docx 文档"
    ]


def test_cli_checks_the_rendering_clean(nianbao):
    run = nianbao("check", str(SAMPLE_DOCX), "--format", "json")
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert [f["rule"] for f in report["findings"]] == ["META-010"]  # the sample has no date
    assert report["files"][0]["template"] == "2019"
