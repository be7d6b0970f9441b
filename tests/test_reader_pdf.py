"""The PDF reader: ruled tables with merged cells, page furniture, wrapped and vertical text, bad files.

The renderings of real reports are committed (``tests/render_fixtures.py`` made
them with a CJK font); the small PDFs built here use a core Latin font, so no
test needs a CJK font installed.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from fpdf import FPDF

from checker.errors import InputError
from checker.sources import pdf as pdf_reader
from checker.sources import read_report
from checker.sources.document import Document
from checker.sources.pdf import is_page_number, read_pdf

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

PDF = FIXTURES / "pdf"
SAMPLE_PDF = PDF / "haicang-gongxinju-2020.pdf"
CESHISHI_PDF = PDF / "ceshishi_2025.pdf"


@pytest.fixture(scope="module")
def sample_doc() -> Document:
    return read_pdf(SAMPLE_PDF)


def rows(doc: Document) -> list[list[str]]:
    return [[c.text for c in b.cells] for b in doc.blocks if b.is_row]


def latin_pdf(path: Path, draw) -> Path:
    """A PDF drawn with a core font (no CJK font needed)."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_font("helvetica", size=11)
    draw(pdf)
    pdf.output(str(path))
    return path


# --- renderings of real reports -------------------------------------------------------------------


def test_sample_rendering_extracts_the_cells_of_the_text_original():
    assert table_values(read_report(SAMPLE_PDF)) == sample_values()


def test_sample_rendering_checks_like_the_original(national):
    # META-010: the sample states no publication date
    assert codes(check(SAMPLE_PDF, national)) == codes(check(SAMPLE, national)) == ["META-010"]


def test_wrapped_prose_lines_are_joined_into_the_sample_paragraphs(sample_doc: Document):
    paragraphs = [b.text for b in sample_doc.blocks if not b.is_row]
    assert paragraphs == [b for b in render.sample_layout() if isinstance(b, str)]


def test_running_header_and_page_numbers_are_dropped(sample_doc: Document):
    header = "厦门市海沧区工业和信息化局政府信息公开"
    with pdfplumber.open(SAMPLE_PDF) as pdf:
        printed = [page.extract_text() for page in pdf.pages]
    assert all(header in text and f"— {n} —" in text for n, text in enumerate(printed, 1))
    paragraphs = [b.text for b in sample_doc.blocks if not b.is_row]
    assert header not in paragraphs
    assert not [text for text in paragraphs if is_page_number(text)]


def test_vertical_and_wrapped_labels_are_one_label(sample_doc: Document):
    table3 = rows(sample_doc)
    assert ["三、本年度办理结果", "(一)予以公开", *["0"] * 7] in table3
    assert ["(二)部分公开(区分处理的,只计这一情形,不计其他情形)", *["0"] * 7] in table3
    assert ["5.要求行政机关确认或重新出具已获取信息", *["0"] * 7] in table3
    assert ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"] in table3


def test_positions_carry_page_line_and_table_column(sample_doc: Document):
    row = next(b for b in sample_doc.blocks if b.is_row and b.cells[0].text == "(三)不予公开")
    assert {c.pos.page for c in row.cells} == {3}
    assert [c.pos.column for c in row.cells] == list(range(2, 11))
    # the label spanning eight rows is printed mid-span, below the first row's figures
    label, *cells = row.cells
    assert len({c.pos.line for c in cells}) == 1 and label.pos.line > cells[0].pos.line
    first = sample_doc.blocks[0]
    assert (first.pos.page, first.pos.line) == (1, 2)  # line 1 is the running header
    value_lines = [b.cells[-1].pos.line for b in sample_doc.blocks if b.is_row and b.pos.page == 3]
    assert value_lines == sorted(set(value_lines))


def test_ceshishi_rendering_yields_every_transcribed_value(national):
    expected = expected_values(FIXTURES / "html" / "ceshishi_2025.html")
    assert mismatches(read_report(CESHISHI_PDF), expected) == []
    assert arithmetic_errors(check(CESHISHI_PDF, national)) == []


def test_table_over_page_breaks_with_wrapped_figures_reads_whole(national):
    large = PDF / "ceshishi_2025-large-print.pdf"
    doc = read_pdf(large)
    table3_pages = {b.pos.page for b in doc.blocks if b.is_row and len(b.cells) >= 8}
    assert len(table3_pages) >= 2

    with pdfplumber.open(large) as pdf:
        printed = "".join(page.extract_text() for page in pdf.pages)
    assert "13612" not in printed.replace(" ", "")  # the figure is wrapped in its cell...
    assert ["一、本年新收政府信息公开申请数量", "13612"] in [
        r[:2] for r in rows(doc)
    ]  # ...read whole
    expected = expected_values(FIXTURES / "html" / "ceshishi_2025.html")
    assert mismatches(read_report(large), expected) == []
    assert arithmetic_errors(check(large, national)) == []


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("ceshishi_2025-row-deleted.pdf", render.CESHISHI_DELETED_ROW),
        ("haicang-gongxinju-2020-row-deleted.pdf", render.DELETED_ROW),
    ],
)
def test_deleted_row_is_reported_and_no_arithmetic_runs_on_shifted_rows(national, name, label):
    result = check(PDF / name, national)
    named = [f for f in result.findings if f.rule in deletion_findings(result, label)]
    assert named
    assert all(f.location.page is not None for f in named)
    assert not any(f.rule.startswith("T3-") for f in result.findings)


# --- text shapes (Latin PDFs drawn here) -------------------------------------------------------------


def test_paragraph_wrapped_across_a_page_break_is_one_paragraph(tmp_path: Path):
    words = " ".join(f"word{i}" for i in range(900))

    class Paged(FPDF):
        def header(self) -> None:
            self.cell(0, 8, "Agency annual report", align="C")
            self.ln(12)

        def footer(self) -> None:
            self.set_y(-15)
            self.cell(0, 8, f"- {self.page_no()} -", align="C")

    pdf = Paged(format="A4")
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "    " + words, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, "    The end.", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "paged.pdf"
    pdf.output(str(path))
    doc = read_pdf(path)
    assert [b.text for b in doc.blocks] == [words, "The end."]
    assert doc.blocks[0].pos.page == 1 and doc.blocks[1].pos.page >= 2


def test_unruled_table_lines_become_rows(tmp_path: Path):
    def draw(pdf: FPDF) -> None:
        pdf.add_page()
        pdf.text(20, 30, "Table heading")
        for y, (label, *values) in (
            (40, ("Row A", "1", "22", "333")),
            (48, ("Row B", "-", "5", "6")),
        ):
            pdf.text(20, y, label)
            for x, value in zip((90, 120, 150), values, strict=True):
                pdf.text(x, y, value)

    doc = read_pdf(latin_pdf(tmp_path / "unruled.pdf", draw))
    assert [(b.is_row, [c.text for c in b.cells]) for b in doc.blocks] == [
        (False, ["Table heading"]),
        (True, ["Row A", "1", "22", "333"]),
        (True, ["Row B", "-", "5", "6"]),
    ]


def test_text_printed_twice_over_itself_reads_once(tmp_path: Path):
    def draw(pdf: FPDF) -> None:
        pdf.add_page()
        for dx in (0, 0.05):  # faux bold: the same line drawn again a hair to the right
            pdf.text(20 + dx, 30, "Annual report 2024")

    doc = read_pdf(latin_pdf(tmp_path / "bold.pdf", draw))
    assert [b.text for b in doc.blocks] == ["Annual report 2024"]


@pytest.mark.parametrize(
    "text", ["— 4 —", "- 4 -", "－12－", "4", "第4页", "第 4 页 共 9 页", "4/9", "Page 4 of 9"]
)
def test_page_number_lines(text: str):
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["2020年", "4月", "一、总体情况", "(4)", "4.属于"])
def test_not_page_number_lines(text: str):
    assert not is_page_number(text)


def test_every_pdf_extension_is_routed_to_this_reader():
    from checker.sources import READERS
    from checker.sources.pdf import EXTENSIONS

    assert {ext: READERS.get(ext) for ext in EXTENSIONS} == dict.fromkeys(
        EXTENSIONS, "checker.sources.pdf:read_pdf"
    )


# --- bad input ---------------------------------------------------------------------------------------


def _encrypted(path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        pdf.add_page()
        pdf.cell(0, 10, "secret")
        pdf.set_encryption(owner_password="owner", user_password="user")

    latin_pdf(path, draw)


def _scanned(path: Path) -> None:
    def draw(pdf: FPDF) -> None:
        pdf.add_page()
        pdf.rect(20, 20, 100, 150, style="F")

    latin_pdf(path, draw)


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: p.write_bytes(b""), "empty file"),
        (
            lambda p: p.write_text("<!DOCTYPE html><html><body>一、总体情况</body></html>"),
            "HTML page named .pdf",
        ),
        (lambda p: p.write_bytes(b"PK\x03\x04" + bytes(100)), "no %PDF- signature"),
        (lambda p: p.write_bytes(b"%PDF-1.7\nnot really"), "not a readable PDF"),
        (lambda p: p.write_bytes(SAMPLE_PDF.read_bytes()[:30000]), "not a readable PDF"),
        (_encrypted, "encrypted PDF"),
        (_scanned, "no text layer"),
    ],
    ids=["empty", "html", "zip", "garbage", "truncated", "encrypted", "scanned"],
)
def test_unreadable_pdf_is_one_input_error(tmp_path: Path, make, problem: str):
    path = tmp_path / "bad.pdf"
    make(path)
    with pytest.raises(InputError, match=problem) as caught:
        read_pdf(path)
    assert "\n" not in str(caught.value)


def test_pages_over_the_cap_are_refused(monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    with pytest.raises(InputError, match="3 pages, over the limit of 2"):
        read_pdf(SAMPLE_PDF)


def test_owner_password_only_pdf_is_read(tmp_path: Path):
    def draw(pdf: FPDF) -> None:
        pdf.add_page()
        pdf.cell(0, 10, "readable by anyone")
        pdf.set_encryption(owner_password="owner")

    doc = read_pdf(latin_pdf(tmp_path / "owner.pdf", draw))
    assert [b.text for b in doc.blocks] == ["readable by anyone"]


def test_cli_keeps_library_warnings_about_a_damaged_pdf_off_stderr(nianbao, tmp_path: Path, caplog):
    damaged = tmp_path / "damaged.pdf"
    box = b"/MediaBox [0 0 595.28 841.89]"
    damaged.write_bytes(
        SAMPLE_PDF.read_bytes().replace(box, b"/MediaBox [0 0 595]".ljust(len(box)))
    )
    with pytest.raises(InputError):
        read_pdf(damaged)
    assert "Invalid MediaBox" in caplog.text  # pdfminer does warn about this file
    run = nianbao("check", str(damaged))
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1
    assert run.stderr.startswith(f"nianbao: {damaged}: ")


def test_cli_checks_a_pdf_and_refuses_html_named_pdf(nianbao, tmp_path: Path):
    run = nianbao("check", str(CESHISHI_PDF), "--ignore", "STR-002")
    assert run.returncode == 0, run.stdout + run.stderr
    fake = tmp_path / "report.pdf"
    fake.write_text("<html><body><p>一、总体情况</p></body></html>", "utf-8")
    run = nianbao("check", str(fake))
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        f"nianbao: {fake}: 这是扩展名为 .pdf 的网页，不是 PDF；请改名为 .html"
    ]
