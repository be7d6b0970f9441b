"""The report as a PDF in the usual typography of official reports (fpdf2).

A4 with the GB/T 9704 margins, the title centred in the heading face (Noto
Sans SC, 二号 22 pt, smaller when a long title would not fit one line), the
date line under it, headings in the heading face 三号, body text in the Song
face (Noto Serif SC) 三号 indented two characters, tables ruled on every side
with the merged cells of the national format, and ``— N —`` page numbers at
the foot. Table 3, which is long, starts on a fresh page when less than
half a page is left. The fonts are embedded (see :mod:`checker.authoring.fonts`).
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from checker.authoring.fonts import truetype_subset
from checker.authoring.layout import Layout, Table

MARGINS = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}  # mm
TITLE_PT, BODY_PT, T2_PT, TABLE_PT = 22.0, 16.0, 10.5, 8.0
BODY_MM = 297.0 - 37.0 - 35.0
LINE_MM = 9.5  # body line pitch
PT_MM = 25.4 / 72


def _characters(layout: Layout) -> tuple[set[str], set[str]]:
    """(characters set in the Song face, characters set in the heading face)."""
    heading = set(layout.title) | {ch for s in layout.sections for ch in s.heading}
    body = set(layout.date_line or "") | {ch for text in layout.preamble for ch in text}
    for section in layout.sections:
        body |= {ch for text in section.paragraphs for ch in text}
        if section.table is not None:
            body |= {ch for row in section.table.rows for cell in row for ch in cell.text}
    return body, heading


def _height(table: Table) -> float:
    """About how tall a table is printed, with its heading (at most a page)."""
    size = T2_PT if table.name == "t2" else TABLE_PT
    return min(len(table.rows) * (size * PT_MM * 1.25 + 1.6) * 1.35 + 2 * LINE_MM, BODY_MM - 5)


def _table(pdf, table: Table) -> None:  # type: ignore[no-untyped-def]
    from fpdf.enums import TableCellFillMode, VAlign
    from fpdf.fonts import FontFace

    size = T2_PT if table.name == "t2" else TABLE_PT
    pdf.set_font("song", size=size)
    with pdf.table(
        col_widths=table.widths,
        width=sum(table.widths),
        text_align="CENTER",
        v_align=VAlign.M,
        line_height=size * PT_MM * 1.25,
        padding=0.8,
        first_row_as_headings=False,
        headings_style=FontFace(),
        cell_fill_mode=TableCellFillMode.NONE,
    ) as grid:
        for row in table.rows:
            out = grid.row()
            for cell in row:
                out.cell(cell.text, rowspan=cell.rowspan, colspan=cell.colspan)
    pdf.ln(4)


CLOSING = set("，。、；：？！）」』】》〉”’…%％,.;:?!)")


def wrap(text: str, widths: list[float], first: float, width: float) -> list[tuple[int, int]]:
    """(start, end) of each line of `text` (character widths given): the first line `first` wide.

    Chinese text breaks between any two characters (fpdf2 breaks only at spaces, and so
    would set the indent on a line of its own); a line is never empty. A closing
    punctuation mark never starts a line: it stays on the line before, which is then
    set a little tighter (挤进), so that every full line still ends at the margin."""
    lines: list[tuple[int, int]] = []
    start, used, room = 0, 0.0, first
    for index, w in enumerate(widths):
        if used + w > room and index > start and not (text[index] in CLOSING and used <= room):
            lines.append((start, index))
            start, used, room = index, 0.0, width
        used += w
    if start < len(widths) or not lines:
        lines.append((start, len(widths)))
    return lines


def _paragraph(pdf, text: str, font: str = "song") -> None:  # type: ignore[no-untyped-def]
    """A paragraph with a first-line indent of two characters, wrapped character by character."""
    pdf.set_font(font, size=BODY_PT)
    indent = 2 * pdf.get_string_width("　")
    widths = [pdf.get_string_width(ch) for ch in text]
    for number, (start, end) in enumerate(wrap(text, widths, pdf.epw - indent, pdf.epw)):
        room = pdf.epw - (indent if number == 0 else 0)
        over = sum(widths[start:end]) - room
        if over > 0 and end - start > 1:  # a closing mark kept on the line: set it tighter
            pdf.set_char_spacing(-over / (end - start - 1) / PT_MM)
        pdf.set_x(pdf.l_margin + (indent if number == 0 else 0))
        pdf.cell(room, LINE_MM, text[start:end], new_x="LMARGIN", new_y="NEXT")
        pdf.set_char_spacing(0)


def render_pdf(layout: Layout) -> bytes:
    from fpdf import FPDF

    class Report(FPDF):
        def footer(self) -> None:
            self.set_y(-25)
            self.set_font("song", size=12)
            self.cell(0, 8, f"— {self.page_no()} —", align="C")

    body, heading = _characters(layout)
    pdf = Report(format="A4", unit="mm")
    pdf.set_title(layout.title)
    pdf.set_lang("zh-CN")
    pdf.set_creator("nianbao-checker")
    with tempfile.TemporaryDirectory(prefix="nianbao-fonts-") as folder:
        for family, face, characters in (("song", "serif", body), ("hei", "sans", heading)):
            path = Path(folder) / f"{family}.ttf"
            path.write_bytes(truetype_subset(face, frozenset(characters)))
            pdf.add_font(family, fname=str(path))
        pdf.set_margins(MARGINS["left"], MARGINS["top"], MARGINS["right"])
        pdf.set_auto_page_break(True, margin=MARGINS["bottom"])
        pdf.add_page()
        pdf.set_font("hei", size=TITLE_PT)
        width = pdf.epw
        while pdf.get_string_width(layout.title) > width and pdf.font_size_pt > 12:
            pdf.set_font("hei", size=pdf.font_size_pt - 1)  # one line: readers take it whole
        pdf.multi_cell(0, LINE_MM * 1.4, layout.title, align="C", new_x="LMARGIN", new_y="NEXT")
        if layout.date_line:
            pdf.set_font("song", size=BODY_PT)
            pdf.multi_cell(0, LINE_MM, layout.date_line, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(LINE_MM / 2)
        for text in layout.preamble:
            _paragraph(pdf, text)
        for section in layout.sections:
            if section.table is not None:
                em = BODY_PT * PT_MM
                lines = sum(
                    math.ceil((len(text) + 2) * em / pdf.epw) for text in section.paragraphs
                )
                needed = (1 + lines) * LINE_MM + _height(section.table)
                if needed < BODY_MM and pdf.get_y() > pdf.page_break_trigger - needed:
                    pdf.add_page()  # a short section and its table on one page, as in print
            _paragraph(pdf, section.heading, "hei")
            for text in section.paragraphs:
                _paragraph(pdf, text)
            if section.table is not None:
                if section.paragraphs and pdf.get_y() > pdf.page_break_trigger - _height(
                    section.table
                ):
                    pdf.add_page()
                _table(pdf, section.table)
        return bytes(pdf.output())
