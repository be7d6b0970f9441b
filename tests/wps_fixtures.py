"""PDFs with the traits of WPS-made reports, drawn from generated reports (not from real files).

Real published PDFs made with WPS (the issue-10 measurement set) share traits a
PDF reader must survive; these fixtures reproduce them on reports drawn by
``checker.testing.reports`` (2021 form):

- table 3 is one ruled table that runs over a page break, in large print, with
  the group label ``三、本年度办理结果`` written one character per line in a narrow
  column (a vertical header);
- tall rows: labels wrap over several lines while the figures stand vertically
  centred, so that the text layer meets a row's figures *before* the end of its label;
- the label columns that the form merges are drawn as a label cell and an empty
  cell (``（七）总计 | | 21 …``), and table 4's top header as ``行政复议 | | 行政诉讼``;
- a misspelt row label (``2.其他法律行政止公开``);
- a framed page: prose and the heading of section 二 inside a one-column ruled box;
- running headers and ``— N —`` page numbers.

Each ``wps-like-N.pdf`` has its report next to it as ``wps-like-N.yaml`` (what the
PDF must read as). ``wps-like-defect.pdf`` has a table-4 block whose total is wrong
(the reader must read it as printed, so that T4-001 reports it).

Run ``python tests/wps_fixtures.py`` to regenerate them (needs a CJK font, see
``render_fixtures.cjk_font``); the tests read the committed files.
"""

from __future__ import annotations

import copy
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "pdf"
MISSPELT = {"2.其他法律行政法规禁止公开": "2.其他法律行政止公开"}
COUNT = 3


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _flat(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out |= _flat(value, f"{prefix}{key}.")
        else:
            out[prefix + key] = value
    return out


def wps_layout(data: dict[str, Any]) -> list[Any]:
    """Paragraphs and tables of a generated 2021-form report, laid out with the WPS traits."""
    from checker.templates import template
    from tests.render_fixtures import Cell

    tpl = template("2021")
    blocks: list[Any] = [data["meta"]["title"], *data["preamble"].split("\n")]
    for section in data["sections"]:
        paragraphs = [p for p in (section.get("text") or "").split("\n") if p]
        name = {2: "t2", 3: "t3", 4: "t4"}.get(section["number"])
        cells = _flat(data["tables"].get(name, {})) if name else {}
        if name == "t2" and not paragraphs:
            # a framed page: the end of 一 and the heading of 二 are ruled rows of table 2's box
            framed = [*blocks[-2:], section["title"]]
            del blocks[-2:]
            tables = _t2(tpl.tables["t2"], cells)
            width = len(tables[0].widths)
            lead = tuple((Cell(text, colspan=width),) for text in framed)
            blocks += [replace(tables[0], rows=lead + tables[0].rows), *tables[1:]]
            continue
        blocks += [section["title"], *paragraphs]
        if name == "t2":
            blocks += _t2(tpl.tables["t2"], cells)
        elif name == "t3":
            blocks.append(_t3(tpl.tables["t3"], cells))
        elif name == "t4":
            blocks.append(_t4(tpl.tables["t4"], cells))
    return blocks


def _t2(tdef: Any, cells: dict[str, Any]) -> list[Any]:
    from tests.render_fixtures import Cell, Table

    out = []
    by_block: dict[str, list[Any]] = {}
    for row in tdef.leaf_rows():
        by_block.setdefault(row.block or "", []).append(row)
    for caption, rows in by_block.items():
        columns = tdef.row_columns(rows[0])
        width = len(columns) + 1
        grid = [
            (Cell(caption, colspan=width),),
            (Cell("信息内容"), *(Cell(tdef.column(c).zh) for c in columns)),
            *(
                (Cell(row.zh), *(Cell(_text(cells.get(f"{row.key}.{c}"))) for c in columns))
                for row in rows
            ),
        ]
        out.append(Table(tuple(grid), (50, *(120 / len(columns),) * len(columns))))
    return out


def _t3(tdef: Any, cells: dict[str, Any]) -> Any:
    from tests.render_fixtures import Cell, Table

    def seven(key: str) -> tuple[Any, ...]:
        return tuple(Cell(_text(cells.get(f"{key}.{c.key}"))) for c in tdef.columns)

    def label(row_key: str) -> str:
        text = tdef.row(row_key).zh
        return MISSPELT.get(text, text)

    leaves = [
        r for r in tdef.leaf_rows() if r.key not in ("new", "carried_over", "carried_forward")
    ]
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    rows: list[tuple[Any, ...]] = [
        (Cell(note, rowspan=3, colspan=3), Cell("申请人情况", colspan=7)),
        (Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=5), Cell("总计", rowspan=2)),
        tuple(Cell(t) for t in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")),
        (Cell(label("new"), colspan=3), *seven("new")),
        (Cell(label("carried_over"), colspan=3), *seven("carried_over")),
    ]
    groups: dict[str, int] = {}
    for leaf in leaves:
        if leaf.parent:
            groups[tdef.row(leaf.parent).zh] = groups.get(tdef.row(leaf.parent).zh, 0) + 1
    first = True
    for row in leaves:
        parent = tdef.row(row.parent) if row.parent else None
        lead: tuple[Any, ...] = ()
        if first:
            lead = (Cell("三、本年度办理结果", rowspan=len(leaves)),)
            first = False
        if parent is not None and parent.kind == "header":
            if tdef.leaf_rows()[tdef.leaf_rows().index(row) - 1].parent != row.parent:
                lead += (Cell(parent.zh, rowspan=groups[parent.zh]),)
            rows.append((*lead, Cell(label(row.key)), *seven(row.key)))
        else:  # a label the form merges over two columns, drawn as a label and an empty cell
            rows.append((*lead, Cell(label(row.key)), Cell(""), *seven(row.key)))
    rows.append((Cell(label("carried_forward"), colspan=3), *seven("carried_forward")))
    return Table(tuple(rows), (7, 22, 43, *(14,) * 7))


def _t4(tdef: Any, cells: dict[str, Any]) -> Any:
    from tests.render_fixtures import Cell, Table

    results = tuple(c.zh for c in tdef.columns)
    values = [_text(cells.get(f"{r.key}.{c.key}")) for r in tdef.leaf_rows() for c in tdef.columns]
    rows = (
        (Cell("行政复议", colspan=4), Cell(""), Cell("行政诉讼", colspan=10)),
        (
            *(Cell(r, rowspan=2) for r in results),
            Cell("未经复议直接起诉", colspan=5),
            Cell("复议后起诉", colspan=5),
        ),
        tuple(Cell(r) for r in results * 2),
        tuple(Cell(x) for x in values),
    )
    return Table(rows, (11.3,) * 15)


def drawn_reports(count: int) -> list[dict[str, Any]]:
    """`count` generated 2021-form reports with figures of several digits, the same every run."""
    from hypothesis import HealthCheck, Phase, given, settings

    from checker.testing import reports

    found: list[dict[str, Any]] = []

    @settings(
        max_examples=400,
        database=None,
        derandomize=True,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(reports(template="2021", max_count=400))
    def collect(data: dict[str, Any]) -> None:
        t3 = _flat(data["tables"].get("t3", {}))
        wanted = len(data["sections"]) == 6 and "other.other.total" in t3
        if wanted and len(found) < count and (t3.get("new.total") or 0) >= 10:
            found.append(data)

    collect()
    return found


def with_t4_defect(data: dict[str, Any]) -> dict[str, Any]:
    """The report with table 4's review total printed wrong (a real defect, T4-001)."""
    broken = copy.deepcopy(data)
    review = broken["tables"]["t4"]["review"]
    review["total"] = int(Decimal(str(review["total"] or 0))) + 7
    return broken


def truetype_cjk_font() -> tuple[str, str] | None:
    """(CJK, Latin) TrueType fonts: fpdf2 writes no text layer with Noto CJK's CFF fonts, and
    some CJK fallback fonts lack the digits, which the Latin font then draws."""
    from tests.render_fixtures import font_files

    cjk = [f for f in font_files(":lang=zh") if f.lower().endswith(".ttf")]
    latin = [
        f
        for f in font_files(":lang=en")
        if f.endswith(("DejaVuSans.ttf", "LiberationSans-Regular.ttf"))
    ]
    return (cjk[0], latin[0]) if cjk and latin else None


def render_pdf(layout: list[Any], path: Path, fonts: tuple[str, str], running_header: str) -> None:
    """A4 pages with a running header, '— N —' page numbers and ruled tables in large print."""
    from tests.render_fixtures import Table, draw_paragraph, draw_table, report_pdf

    pdf = report_pdf(running_header)
    pdf.add_font("cjk", fname=fonts[0])
    pdf.add_font("latin", fname=fonts[1])
    pdf.set_fallback_fonts(["latin"])
    pdf.add_page()
    for block in layout:
        if not isinstance(block, Table):
            draw_paragraph(pdf, block)
            continue
        pdf.set_font("cjk", size=10)
        draw_table(pdf, block, 5)
    pdf.output(str(path))


def main() -> int:
    from checker.testing import render_yaml

    font = truetype_cjk_font()
    if font is None:
        print("no CJK font (fc-list :lang=zh); PDF fixtures not regenerated", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    drawn = drawn_reports(COUNT)
    named = [(f"wps-like-{i}", data) for i, data in enumerate(drawn, 1)]
    named.append(("wps-like-defect", with_t4_defect(drawn[0])))
    for stem, data in named:
        (OUT / f"{stem}.yaml").write_text(render_yaml(data), "utf-8")
        render_pdf(wps_layout(data), OUT / f"{stem}.pdf", font, "政府信息公开")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
