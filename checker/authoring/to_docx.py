"""The report as a Word document in the usual typography of official reports (GB/T 9704).

A4 with the official margins (top 37 mm, bottom 35 mm, left 28 mm, right
26 mm); the title centred in 方正小标宋简体 二号 (22 pt), headings in 黑体 三号,
body text in 仿宋_GB2312 三号 (16 pt) indented two characters, tables in 宋体
with full borders ("Table Grid") and the merged cells of the national format.
Word substitutes an installed face when one of these is missing; the text
itself never depends on the font.
"""

from __future__ import annotations

import io

from checker.authoring.layout import Layout, Table, grid_positions

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = "宋体"


def _fonts(target, face: str, size: float) -> None:  # type: ignore[no-untyped-def]
    """Set the Latin and the East Asian face of a run or style (Word keeps them apart)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    target.font.name = face
    target.font.size = Pt(size)
    properties = target.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), face)


def _paragraph(
    document, text: str, face: str, size: float, *, center: bool = False, indent: bool = False
):  # type: ignore[no-untyped-def]
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    _fonts(paragraph.add_run(text), face, size)
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(28)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    return paragraph


def _table(document, table: Table, size: float) -> None:  # type: ignore[no-untyped-def]
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    grid = document.add_table(rows=len(table.rows), cols=table.columns)
    grid.style = "Table Grid"  # full borders
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    columns = table.columns
    cells = grid._cells  # every cell once, row by row (grid.cell() lists them all per call)
    for index, cell in enumerate(cells):
        cell.width = Mm(table.widths[index % columns])
    for r, c, spec in grid_positions(table):
        target = cells[r * columns + c]
        if spec.rowspan > 1 or spec.colspan > 1:
            last = cells[(r + spec.rowspan - 1) * columns + c + spec.colspan - 1]
            target = target.merge(last)
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = target.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        _fonts(paragraph.add_run(spec.text), TABLE_FONT, size)


def render_docx(layout: Layout) -> bytes:
    import docx
    from docx.shared import Mm

    document = docx.Document()
    document.core_properties.title = layout.title
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _fonts(document.styles["Normal"], BODY_FONT, 16)
    _paragraph(document, layout.title, TITLE_FONT, 22, center=True)
    if layout.date_line:
        _paragraph(document, layout.date_line, BODY_FONT, 16, center=True)
    for text in layout.preamble:
        _paragraph(document, text, BODY_FONT, 16, indent=True)
    for part in layout.sections:
        _paragraph(document, part.heading, HEADING_FONT, 16, indent=True)
        for text in part.paragraphs:
            _paragraph(document, text, BODY_FONT, 16, indent=True)
        if part.table is not None:
            _table(document, part.table, 10.5 if part.table.name == "t2" else 9)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
