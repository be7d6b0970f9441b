"""The official layout of a report, independent of the output format.

A structured report (the YAML a clerk fills in) becomes a :class:`Layout`:
the title, the publication date line, the preamble paragraphs, and per
section its heading, its paragraphs and its table, each table a grid of
:class:`Cell` with the merged cells of the national format
(国办公开办函〔2021〕30号, and the 2019 试行 format for report years 2019–2020):

- **Table 2**: one block per item of 第二十条 — a caption row
  ``第二十条第（X）项`` across the table, a header row starting with 信息内容,
  then the rows of the block; a block with fewer columns than the widest one
  lets its last column span the rest (本年处理决定数量, 本年收费金额（单位：万元）).
- **Table 3**: the three header rows (the 勾稽关系 note merged over three rows
  and three columns, 申请人情况 over the seven columns, 法人或其他组织 over
  its five kinds), 三、本年度办理结果 merged down the result rows, and each
  group ((三) 不予公开, (四) 无法提供, (五) 不予处理, 2021 also (六) 其他处理)
  merged down its sub-rows.
- **Table 4**: 行政复议 over five columns and 行政诉讼 over ten, the latter
  split into 未经复议直接起诉 and 复议后起诉, the five outcome labels merged
  down two header rows, then the fifteen figures.

The official format gives a group row no cells of its own. A report that
nevertheless holds a group subtotal (a report read from a page that printed
one) gets an extra row ``小计`` at the top of its group, so that what the
report says is printed and reads back the same.

Section texts are split into paragraphs at line breaks; the tables follow the
prose of sections 二, 三 and 四.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from msgspec import Struct

from checker.errors import InputError
from checker.model import Report
from checker.report_data import report_from_data
from checker.templates import RowDef, TableDef, template
from checker.testing.renderers import T3_NOTE, cell_text, flat_cells

TABLE_OF_SECTION = {2: "t2", 3: "t3", 4: "t4"}
SUBTOTAL = "小计"
APPLICANTS_HEADING = "申请人情况"
ORGANISATIONS = "法人或其他组织"
CONTENT_HEADING = "信息内容"
REVIEW, LITIGATION = "行政复议", "行政诉讼"
# widths in millimetres across the 156 mm text block of an A4 page (GB/T 9704 margins)
TEXT_WIDTH_MM = 156.0
_T2_WIDTHS = (48.0, 36.0, 36.0, 36.0)
_T3_WIDTHS = (7.0, 16.0, 51.0, *(82.0 / 7,) * 7)
_T4_WIDTHS = (TEXT_WIDTH_MM / 15,) * 15


class Cell(Struct, frozen=True):
    """One printed cell: its text, its span, and whether it is a label (header) or a figure."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    label: bool = True


class Table(Struct, frozen=True):
    name: str  # t2 | t3 | t4
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]  # column widths in mm

    @property
    def columns(self) -> int:
        return len(self.widths)


class Section(Struct, frozen=True):
    number: int
    heading: str
    paragraphs: tuple[str, ...]
    table: Table | None = None


class Layout(Struct, frozen=True):
    title: str
    date_line: str | None
    published: date | None
    preamble: tuple[str, ...]
    sections: tuple[Section, ...]
    version: str
    agency: str | None = None
    year: int | None = None
    agency_kind: str | None = None


def figure(value: Any) -> Cell:
    return Cell(cell_text(value), label=False)


def spread(cells: Sequence[Cell], width: int) -> tuple[Cell, ...]:
    """`cells` over `width` grid columns: the last cell spans what the others leave."""
    if not cells:
        return ()
    last = cells[-1]
    extra = width - len(cells)
    return (*cells[:-1], Cell(last.text, last.rowspan, last.colspan + extra, last.label))


# -- table 2 ---------------------------------------------------------------------------------


def t2_table(tdef: TableDef, cells: Mapping[str, Any]) -> Table:
    width = 1 + max(len(tdef.row_columns(r)) for r in tdef.leaf_rows())
    blocks: dict[str, list[RowDef]] = {}
    for row in tdef.leaf_rows():
        blocks.setdefault(row.block or "", []).append(row)
    rows: list[tuple[Cell, ...]] = []
    for block, members in blocks.items():
        columns = tdef.row_columns(members[0])
        rows.append((Cell(block, colspan=width),))
        heads = [Cell(tdef.column(c).zh) for c in columns]  # type: ignore[union-attr]
        rows.append((Cell(CONTENT_HEADING), *spread(heads, width - 1)))
        for row in members:
            values = [figure(cells.get(f"{row.key}.{c}")) for c in tdef.row_columns(row)]
            rows.append((Cell(row.zh), *spread(values, width - 1)))
    return Table("t2", tuple(rows), _T2_WIDTHS[:width])


# -- table 3 ---------------------------------------------------------------------------------


def _has_cells(cells: Mapping[str, Any], row: RowDef, columns: Sequence[str]) -> bool:
    return any(f"{row.key}.{c}" in cells for c in columns)


def _figures(cells: Mapping[str, Any], row: RowDef, columns: Sequence[str]) -> list[Cell]:
    return [figure(cells.get(f"{row.key}.{c}")) for c in columns]


def t3_table(tdef: TableDef, cells: Mapping[str, Any]) -> Table:
    columns = [c.key for c in tdef.columns]
    kinds = [tdef.column(c).zh for c in tdef.sets["applicants"][1:]]  # type: ignore[union-attr]
    rows: list[tuple[Cell, ...]] = [
        (Cell(T3_NOTE, rowspan=3, colspan=3), Cell(APPLICANTS_HEADING, colspan=7)),
        (
            Cell(tdef.column("natural_person").zh, rowspan=2),  # type: ignore[union-attr]
            Cell(ORGANISATIONS, colspan=len(kinds)),
            Cell(tdef.column("total").zh, rowspan=2),  # type: ignore[union-attr]
        ),
        tuple(Cell(kind) for kind in kinds),
    ]
    order = list(tdef.rows)
    start = next(i for i, r in enumerate(order) if r.kind == "heading")
    end = next(i for i, r in enumerate(order) if r.key == "carried_forward")
    results: list[tuple[Cell, ...]] = []
    for row in order[start + 1 : end]:
        if row.parent is not None:
            continue  # printed with its group
        if row.kind == "leaf":
            results.append((Cell(row.zh, colspan=2), *_figures(cells, row, columns)))
            continue
        members = [r for r in order if r.parent == row.key]
        group: list[tuple[Cell, ...]] = []
        if _has_cells(cells, row, columns):
            group.append((Cell(SUBTOTAL), *_figures(cells, row, columns)))
        group += [(Cell(m.zh), *_figures(cells, m, columns)) for m in members]
        group[0] = (Cell(row.zh, rowspan=len(group)), *group[0])
        results += group
    heading = order[start]
    results[0] = (Cell(heading.zh, rowspan=len(results)), *results[0])
    for row in order[:start]:
        rows.append((Cell(row.zh, colspan=3), *_figures(cells, row, columns)))
    rows += results
    for row in order[end:]:
        rows.append((Cell(row.zh, colspan=3), *_figures(cells, row, columns)))
    return Table("t3", tuple(rows), _T3_WIDTHS)


# -- table 4 ---------------------------------------------------------------------------------


def t4_table(tdef: TableDef, cells: Mapping[str, Any]) -> Table:
    outcomes = [c.zh for c in tdef.columns]
    review, direct, after = tdef.leaf_rows()
    n = len(outcomes)
    rows = (
        (Cell(review.zh, colspan=n), Cell(LITIGATION, colspan=2 * n)),
        (
            *(Cell(o, rowspan=2) for o in outcomes),
            Cell(direct.zh, colspan=n),
            Cell(after.zh, colspan=n),
        ),
        tuple(Cell(o) for o in outcomes * 2),
        tuple(
            figure(cells.get(f"{row.key}.{c.key}"))
            for row in (review, direct, after)
            for c in tdef.columns
        ),
    )
    return Table("t4", rows, _T4_WIDTHS)


BUILDERS = {"t2": t2_table, "t3": t3_table, "t4": t4_table}


def table_layout(name: str, version: str, data: Mapping[str, Any]) -> Table:
    return BUILDERS[name](template(version).tables[name], flat_cells(data))


# -- the whole report ------------------------------------------------------------------------


def chinese_date(when: date) -> str:
    return f"{when.year}年{when.month}月{when.day}日"


def paragraphs(text: str | None) -> tuple[str, ...]:
    return tuple(line for line in (text or "").split("\n") if line.strip())


def version_of(report: Report) -> str:
    return report.meta.template or report.meta.declared_template or "2021"


def unprintable(version: str, tables: Mapping[str, Any]) -> list[str]:
    """Cells of `tables` the layout of `version` has no place for (another format's rows)."""
    left = []
    for name, table in tables.items():
        tdef = template(version).tables.get(name)
        if tdef is None or not isinstance(table, Mapping):
            continue
        known = set(tdef.allowed_keys())
        left += [f"{name}.{key}" for key in flat_cells(table) if key not in known]
    return left


def official_layout(data: Mapping[str, Any], report: Report | None = None) -> Layout:
    """The layout of structured report data (its Report, if already built, saves a parse).

    A report whose tables hold cells the layout cannot print (cells of the other
    format), or a table without its section, is refused: a published table must
    never silently lose a figure."""
    report = report or report_from_data(dict(data), "report.yaml")
    version = version_of(report)
    tables = data.get("tables") or {}
    lost = unprintable(version, tables)
    if lost:
        more = f" and {len(lost) - 3} more" if len(lost) > 3 else ""
        raise InputError(
            report.path,
            f"the {version} format has no place for {', '.join(lost[:3])}{more}",
        )
    numbers = {raw.get("number") for raw in data.get("sections") or []}
    for number, name in TABLE_OF_SECTION.items():
        if tables.get(name) and number not in numbers:
            raise InputError(
                report.path, f"table {name} has no section {number} to stand in; add the section"
            )
    sections = []
    for raw in data.get("sections") or []:
        number = raw.get("number")
        name = TABLE_OF_SECTION.get(number)
        table = table_layout(name, version, tables[name]) if name and tables.get(name) else None
        sections.append(
            Section(number, str(raw.get("title") or ""), paragraphs(raw.get("text")), table)
        )
    meta = report.meta
    return Layout(
        title=meta.title or "",
        date_line=f"（{chinese_date(meta.published)}）" if meta.published else None,
        published=meta.published,
        preamble=paragraphs(data.get("preamble")),
        sections=tuple(sections),
        version=version,
        agency=meta.agency,
        year=meta.year,
        agency_kind=meta.agency_kind,
    )


def grid_positions(table: Table) -> list[tuple[int, int, Cell]]:
    """(row, column, cell) of every printed cell's top-left grid position."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            taken |= {(r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan)}
            c += cell.colspan
    return placed
