"""Render the sample report as HTML, DOCX and PDF with real tables (merged cells and all).

Two reports are laid out as paragraphs and tables (a format-neutral layout):

- the sample ``reports_samples/haicang-gongxinju-2020.txt`` (2019 form, all of
  table 3 zero), a flattened web page: its prose lines are kept as paragraphs,
  its table values (read in order from the flattened cells) are placed into
  the official 2019 form layouts below, with the form's merged cells;
- the corpus page ``tests/fixtures/html/ceshishi_2025.html`` (2021 form, real
  non-zero figures), whose article is read straight from its markup.

Each renderer draws a layout in its format; ``without_row`` drops one table
row, for the tests that delete a row (on ceshishi a shifted row would break
the arithmetic, so those tests can tell shifting from not shifting).

Run ``python tests/render_fixtures.py`` to regenerate the committed fixtures
under ``tests/fixtures/{html,docx,pdf}/``. Only the PDF needs a CJK font (found
with ``fc-list :lang=zh``, e.g. Debian's ``fonts-wqy-microhei``); the committed
PDFs let the tests run without one.
"""

from __future__ import annotations

import html
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from checker.authoring.layout import grid_positions

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "reports_samples" / "haicang-gongxinju-2020.txt"
FIXTURES = ROOT / "tests" / "fixtures"
STEM = "haicang-gongxinju-2020"
CESHISHI = FIXTURES / "html" / "ceshishi_2025.html"
# rows whose deletion the tests check in every format (both hold values in their report)
DELETED_ROW = "2.其他法律行政法规禁止公开"
CESHISHI_DELETED_ROW = "4.保护第三方合法权益"
_WIDTHS = {4: (50, 40, 40, 40), 10: (7, 20, 45, *(14,) * 7), 15: (11.3,) * 15}


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]  # column widths in mm (PDF), relative elsewhere

    @property
    def columns(self) -> int:
        return len(self.widths)


Block = str | Table


def _flat_tokens(lines: list[str]) -> list[str]:
    """The cell texts of a flattened table (``|`` lines are separators)."""
    return [t for line in lines if (t := line.strip().strip("|").strip())]


def _values(lines: list[str]) -> list[str]:
    from checker.numbers import is_value_token

    return [t for t in _flat_tokens(lines) if is_value_token(t)]


def _index(lines: list[str], text: str) -> int:
    return next(i for i, line in enumerate(lines) if line.strip().startswith(text))


def _t2(values: list[str]) -> Table:
    v = iter(values)
    head = ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量")

    def item(label: str) -> tuple[Cell, ...]:
        return (Cell(label), Cell(next(v)), Cell(next(v)), Cell(next(v)))

    rows = [
        (Cell("第二十条第(一)项", colspan=4),),
        tuple(
            Cell(t) for t in ("信息内容", "本年新 制作数量", "本年新 公开数量", "对外公开总数量")
        ),
        item("规章"),
        item("规范性文件"),
        (Cell("第二十条第(五)项", colspan=4),),
        tuple(Cell(t) for t in head),
        item("行政许可"),
        item("其他对外管理服务事项"),
        (Cell("第二十条第(六)项", colspan=4),),
        tuple(Cell(t) for t in head),
        item("行政处罚"),
        item("行政强制"),
        (Cell("第二十条第(八)项", colspan=4),),
        (Cell("信息内容"), Cell("上一年项目数量"), Cell("本年增/减", colspan=2)),
        (Cell("行政事业性收费"), Cell(next(v)), Cell(next(v), colspan=2)),
        (Cell("第二十条第(九)项", colspan=4),),
        (Cell("信息内容"), Cell("采购项目数量"), Cell("采购总金额", colspan=2)),
        (Cell("政府集中采购"), Cell(next(v)), Cell(next(v), colspan=2)),
    ]
    assert next(v, None) is None, "table 2 of the sample has more values than the form"
    return Table(tuple(rows), (50, 40, 40, 40))


_T3_GROUPS = (
    ("(三)不予公开", (
        "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
        "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
    )),
    ("(四)无法提供", ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")),
    ("(五)不予处理", (
        "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息",
    )),
)  # fmt: skip


def _t3(values: list[str], note: str) -> Table:
    v = iter(values)

    def seven() -> tuple[Cell, ...]:
        return tuple(Cell(next(v)) for _ in range(7))

    results = 2 + sum(len(leaves) for _, leaves in _T3_GROUPS) + 2
    rows: list[tuple[Cell, ...]] = [
        (Cell(note, rowspan=3, colspan=3), Cell("申请人情况", colspan=7)),
        (Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=5), Cell("总计", rowspan=2)),
        tuple(Cell(t) for t in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")),
        (Cell("一、本年新收政府信息公开申请数量", colspan=3), *seven()),
        (Cell("二、上年结转政府信息公开申请数量", colspan=3), *seven()),
        (Cell("三、本年度办理结果", rowspan=results), Cell("(一)予以公开", colspan=2), *seven()),
        (Cell("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", colspan=2), *seven()),
    ]
    for group, leaves in _T3_GROUPS:
        rows.append((Cell(group, rowspan=len(leaves)), Cell(leaves[0]), *seven()))
        rows += [(Cell(leaf), *seven()) for leaf in leaves[1:]]
    rows.append((Cell("(六)其他处理", colspan=2), *seven()))
    rows.append((Cell("(七)总计", colspan=2), *seven()))
    rows.append((Cell("四、结转下年度继续办理", colspan=3), *seven()))
    assert next(v, None) is None, "table 3 of the sample has more values than the form"
    return Table(tuple(rows), (7, 20, 45, *(14,) * 7))


def _t4(values: list[str]) -> Table:
    results = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    assert len(values) == 15, "table 4 has fifteen values"
    rows = (
        (Cell("行政复议", colspan=5), Cell("行政诉讼", colspan=10)),
        (
            *(Cell(r, rowspan=2) for r in results),
            Cell("未经复议直接起诉", colspan=5),
            Cell("复议后起诉", colspan=5),
        ),
        tuple(Cell(r) for r in results * 2),
        tuple(Cell(x) for x in values),
    )
    return Table(rows, (11.3,) * 15)


def sample_layout() -> list[Block]:
    """The sample report as paragraphs and the three tables of the 2019 form."""
    lines = SAMPLE.read_text("utf-8").split("\n")
    t2_start = _index(lines, "第二十条第(一)项")
    t3_heading = _index(lines, "三、收到和处理政府信息公开申请情况")
    t4_heading = _index(lines, "四、政府信息公开行政复议、行政诉讼情况")
    s5_heading = _index(lines, "五、存在的主要问题及改进情况")
    note = lines[t3_heading + 1].strip()
    blocks: list[Block] = [line.strip() for line in lines[:t2_start] if line.strip()]
    blocks.append(_t2(_values(lines[t2_start:t3_heading])))
    blocks.append(lines[t3_heading].strip())
    blocks.append(_t3(_values(lines[t3_heading + 2 : t4_heading]), note))
    blocks.append(lines[t4_heading].strip())
    blocks.append(_t4(_values(lines[t4_heading + 1 : s5_heading])))
    blocks += [line.strip() for line in lines[s5_heading:] if line.strip()]
    return blocks


def html_layout(path: Path) -> list[Block]:
    """The paragraphs and tables of a clean report page (its ``#zoom`` article), from the markup."""
    import lxml.html

    article = lxml.html.parse(str(path)).getroot().get_element_by_id("zoom")
    blocks: list[Block] = []
    for element in article:
        if element.tag == "p":
            blocks.append(element.text_content().strip())
        elif element.tag == "table":
            rows = tuple(
                tuple(
                    Cell(
                        td.text_content().strip(),
                        int(td.get("rowspan", 1)),
                        int(td.get("colspan", 1)),
                    )
                    for td in tr.findall("td")
                )
                for tr in element.iter("tr")
            )
            width = max(sum(c.colspan for c in row) for row in rows)
            blocks.append(Table(rows, _WIDTHS[width]))
    return blocks


def without_row(layout: list[Block], label: str) -> list[Block]:
    """The layout with the table row labelled `label` deleted (a rowspan above it shrinks)."""
    out: list[Block] = []
    for block in layout:
        if isinstance(block, str):
            out.append(block)
            continue
        rows = list(block.rows)
        index = next((i for i, row in enumerate(rows) if any(c.text == label for c in row)), None)
        if index is not None:
            for above in range(index):
                rows[above] = tuple(
                    replace(c, rowspan=c.rowspan - 1) if above + c.rowspan > index else c
                    for c in rows[above]
                )
            deleted = rows.pop(index)
            spanning = [c for c in deleted if c.rowspan > 1 and c.text != label]
            if spanning:  # the deleted row started a rowspan: the next row takes the spanning cell
                rows[index] = (*(replace(c, rowspan=c.rowspan - 1) for c in spanning), *rows[index])
        out.append(replace(block, rows=tuple(rows)))
    return out


# --- HTML ---------------------------------------------------------------------------------


def _html_cell(cell: Cell) -> str:
    spans = "".join(
        f' {name}="{n}"'
        for name, n in (("rowspan", cell.rowspan), ("colspan", cell.colspan))
        if n > 1
    )
    text = html.escape(cell.text)
    if len(text) > 12 and not cell.text.isdigit():  # a long label drawn over two <p>, as editors do
        middle = len(text) // 2
        body = f"<p>{text[:middle]}&nbsp;</p>\n<p>&nbsp;{text[middle:]}</p>"
    else:
        body = f'<p class="MsoNormal"><span>{text}</span><o:p></o:p></p>'
    return f"<td{spans}>{body}</td>"


def render_html(layout: list[Block], title: str, published: str = "2021-01-25 10:00") -> str:
    """A saved government web page: site chrome around an article with Word-style tables."""
    parts = [
        "<!DOCTYPE html>",
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
        f"<title>{html.escape(title)}_政府信息公开年报_厦门市海沧区人民政府</title>",
        f'<meta name="PubDate" content="{published}">',
        "<style>td{border:1px solid #000}</style>",
        "<script>var nav = '一、首页 二、政务公开';</script></head><body>",
        '<nav><a href="/">首页</a><a href="/zwgk">政务公开</a></nav>',
        '<form action="/search"><input name="q"><button>搜索</button></form>',
        '<div class="main"><div class="crumbs">当前位置：首页 &gt; 政府信息公开年报</div>',
        f"<h1>{html.escape(title)}</h1>",
        '<div class="article" id="zoom">',
    ]
    for block in layout:
        if isinstance(block, str):
            parts.append(f"<p>{html.escape(block)}</p>")
            continue
        parts.append('<div class="table-wrap"><table border="1" cellspacing="0"><tbody>')
        for row in block.rows:
            parts.append("<tr>" + "".join(_html_cell(c) for c in row) + "</tr>")
        parts.append("</tbody></table></div>")
    parts += [
        "</div>",
        '<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a></div>',
        '<div class="attachments"><p>附件：</p><ul><li><a href="a.pdf">一、年报附件.pdf</a></li></ul></div>',
        "</div>",
        '<div class="footer">主办：厦门市海沧区人民政府办公室 <script>counter()</script></div>',
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


# --- DOCX ---------------------------------------------------------------------------------


def render_docx(layout: list[Block], path: Path) -> None:
    import docx

    word = docx.Document()
    word.core_properties.title = ""
    for block in layout:
        if isinstance(block, str):
            word.add_paragraph(block)
            continue
        grid = word.add_table(rows=len(block.rows), cols=block.columns)
        grid.style = "Table Grid"
        for r, c, cell in grid_positions(block):
            target = grid.cell(r, c)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(grid.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
            target.text = cell.text
    word.save(str(path))


# --- PDF ----------------------------------------------------------------------------------


def font_files(query: str) -> list[str]:
    """The font files `fc-list` finds for `query` (e.g. ":lang=zh"), sorted; [] without it."""
    try:
        listing = subprocess.run(
            ["fc-list", query, "file"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted(line.split(":")[0].strip() for line in listing.splitlines() if line.strip())


def cjk_font() -> tuple[str, int] | None:
    """A CJK font file on this machine (path, index in a collection), or None."""
    files = font_files(":lang=zh")
    preferred = sorted(files, key=lambda f: ("wqy" not in f.lower(), "noto" not in f.lower(), f))
    return (preferred[0], 0) if preferred else None


def merges_as_empty_cells(layout: list[Block]) -> list[Block]:
    """Every cell merged down rows drawn instead over empty cells below it, as many authors do."""
    out: list[Block] = []
    for block in layout:
        if isinstance(block, str):
            out.append(block)
            continue
        placed: dict[tuple[int, int], Cell] = {}
        for r, c, cell in grid_positions(block):
            placed[(r, c)] = replace(cell, rowspan=1)
            for below in range(1, cell.rowspan):
                placed[(r + below, c)] = Cell("", colspan=cell.colspan)
        rows = tuple(
            tuple(cell for (r, _c), cell in sorted(placed.items()) if r == index)
            for index in range(len(block.rows))
        )
        out.append(replace(block, rows=rows))
    return out


def report_pdf(running_header: str):  # -> fpdf.FPDF
    """An A4 document with a running header and '— N —' page numbers, in a font the caller
    adds as "cjk" before its first page; 20 mm margins."""
    from fpdf import FPDF

    class Report(FPDF):
        def header(self) -> None:
            self.set_font("cjk", size=8)
            self.cell(0, 6, running_header, align="C")
            self.ln(10)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("cjk", size=9)
            self.cell(0, 8, f"— {self.page_no()} —", align="C")

    pdf = Report(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    return pdf


def draw_paragraph(pdf, text: str) -> None:  # type: ignore[no-untyped-def]
    pdf.set_font("cjk", size=10.5)
    pdf.multi_cell(0, 6, "　　" + text, new_x="LMARGIN", new_y="NEXT")


def draw_table(pdf, table: Table, line_height: float) -> None:  # type: ignore[no-untyped-def]
    """A ruled table, text centred, merged cells as spans, in the font size already set."""
    from fpdf.fonts import FontFace

    with pdf.table(
        col_widths=table.widths,
        width=sum(table.widths),
        text_align="CENTER",
        line_height=line_height,
        first_row_as_headings=False,
        headings_style=FontFace(),
    ) as grid:
        for row in table.rows:
            out = grid.row()
            for cell in row:
                out.cell(cell.text, rowspan=cell.rowspan, colspan=cell.colspan)
    pdf.ln(3)


def render_pdf(
    layout: list[Block],
    path: Path,
    font: tuple[str, int],
    running_header: str,
    table_font_size: float = 8,
) -> None:
    """A4 pages with a running header, '— N —' page numbers and ruled tables."""
    pdf = report_pdf(running_header)
    pdf.add_font("cjk", fname=font[0], collection_font_number=font[1])
    pdf.add_page()
    for block in layout:
        if isinstance(block, str):
            draw_paragraph(pdf, block)
            continue
        pdf.set_font("cjk", size=table_font_size)
        if len(block.rows) > 20 and pdf.get_y() > 40:
            pdf.add_page()  # the long table 3 starts on a page of its own, as in the printed form
        draw_table(pdf, block, table_font_size / 2)
    pdf.output(str(path))


def main() -> int:
    sample = sample_layout()
    ceshishi = html_layout(CESHISHI)
    ceshishi_deleted = without_row(ceshishi, CESHISHI_DELETED_ROW)
    title = "厦门市海沧区工业和信息化局2020年政府信息公开工作年度报告"
    for folder in ("html", "docx", "pdf"):
        (FIXTURES / folder).mkdir(parents=True, exist_ok=True)
    (FIXTURES / "html" / f"{STEM}.html").write_text(render_html(sample, title), "utf-8")
    render_docx(sample, FIXTURES / "docx" / f"{STEM}.docx")
    render_docx(ceshishi, FIXTURES / "docx" / "ceshishi_2025.docx")
    font = cjk_font()
    if font is None:
        print("no CJK font (fc-list :lang=zh); PDF fixtures not regenerated", file=sys.stderr)
        return 1
    render_pdf(
        sample, FIXTURES / "pdf" / f"{STEM}.pdf", font, "厦门市海沧区工业和信息化局政府信息公开"
    )
    render_pdf(
        without_row(sample, DELETED_ROW),
        FIXTURES / "pdf" / f"{STEM}-row-deleted.pdf",
        font,
        "政府信息公开",
    )
    render_pdf(ceshishi, FIXTURES / "pdf" / "ceshishi_2025.pdf", font, "测试市人民政府")
    render_pdf(
        ceshishi_deleted, FIXTURES / "pdf" / "ceshishi_2025-row-deleted.pdf", font, "测试市人民政府"
    )
    # large print: table 3 runs over a page break, figures wrap in their narrow columns
    render_pdf(
        merges_as_empty_cells(ceshishi),
        FIXTURES / "pdf" / "ceshishi_2025-large-print.pdf",
        font,
        "测试市人民政府",
        table_font_size=14,
    )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
