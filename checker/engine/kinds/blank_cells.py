"""blank_cells — a blank or a placeholder where the format expects a number.

Options::

    tables: [t2, t3, t4]

Every cell of a data row that the report prints but leaves blank (empty, or a
placeholder such as ``/``, ``—``, ``无``, ``不适用``) is reported, grouped the way
a person sees them: one failure for a table whose every cell is blank, one for
a whole blank column (at least two rows), one for a whole blank row (at least
two cells), and one for each blank cell that is part of none of these. Every
failure lists the pointers of its cells in ``related``.

Not reported here: cells that are absent (the table-shape rules), text that is
not a number (the value-domain rules), cells extraction could not read (the
EXT rules), and the header rows of grouped rows, which the format leaves empty.
Placeholders: ``{table}`` (表三), ``{where}`` (which cells), ``{count}``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from checker.engine.context import CheckResult, Context, Failure
from checker.engine.messages import Loc
from checker.model import Cell, cell_pointer
from checker.numbers import parse_number
from checker.templates import TableDef

KIND = "blank_cells"

OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["tables"],
    "additionalProperties": False,
    "properties": {
        "tables": {"type": "array", "items": {"enum": ["t2", "t3", "t4"]}, "minItems": 1},
    },
}

_TABLE_NAMES = {
    "t2": Loc("表二", "Table 2"),
    "t3": Loc("表三", "Table 3"),
    "t4": Loc("表四", "Table 4"),
}


def is_blank(cell: Cell) -> bool:
    """Printed but holding no number: empty or a placeholder (not unreadable, not text)."""
    if cell.value is not None or cell.unread:
        return False
    return cell.raw is None or parse_number(cell.raw).is_number


@lru_cache(maxsize=32)  # one per table of a loaded template
def _data_keys(tdef: TableDef) -> tuple[str, ...]:
    """The keys of every data-row cell of a table (header rows carry no data in the format)."""
    return tuple(f"{row.key}.{c}" for row in tdef.leaf_rows() for c in tdef.row_columns(row))


def _grid(ctx: Context, table: str) -> dict[str, dict[str, Cell]]:
    """row key -> column key -> cell, for the data rows of the template that the report has."""
    tdef = ctx.table(table)
    cells = ctx.report.tables.get(table) or {}
    grid: dict[str, dict[str, Cell]] = {}
    if tdef is None:
        return grid
    for row in tdef.leaf_rows():
        found = {  # cells extraction could not read are unknown, neither blank nor filled
            c: cells[f"{row.key}.{c}"]
            for c in tdef.row_columns(row)
            if f"{row.key}.{c}" in cells and not cells[f"{row.key}.{c}"].unread
        }
        if found:
            grid[row.key] = found
    return grid


def _where_table(count: int) -> Loc:
    return Loc(f"全部{count}个单元格均", f"all {count} cells are")


def _where_column(label: Loc, count: int) -> Loc:
    return Loc(f"“{label.zh}”列{count}行均", f'column "{label.en}": all {count} rows are')


def _where_row(label: Loc, count: int) -> Loc:
    return Loc(f"“{label.zh}”行{count}列均", f'row "{label.en}": all {count} cells are')


def _where_cell(label: Loc) -> Loc:
    return Loc(f"“{label.zh}”", f'cell "{label.en}" is')


def _groups(ctx: Context, table: str) -> list[tuple[str, Loc, list[str], str]]:
    """(pointer, where, blank cell keys, discriminator) for each group of blanks."""
    cells = ctx.report.tables.get(table) or {}
    tdef = ctx.table(table)
    if tdef is None:
        return []
    if all(cells[key].value is not None for key in _data_keys(tdef) if key in cells):
        return []  # the common case: every printed data cell holds a number
    grid = _grid(ctx, table)
    blank = {f"{r}.{c}" for r, row in grid.items() for c, cell in row.items() if is_blank(cell)}
    total = sum(len(row) for row in grid.values())
    if not blank:
        return []
    ordered = [f"{r}.{c}" for r, row in grid.items() for c in row if f"{r}.{c}" in blank]
    if len(blank) == total and total > 1:
        return [(f"/tables/{table}", _where_table(total), ordered, "table")]
    groups: list[tuple[str, Loc, list[str], str]] = []
    covered: set[str] = set()
    for column in tdef.columns:
        keys = [f"{r}.{column.key}" for r, row in grid.items() if column.key in row]
        if len(keys) > 1 and all(k in blank for k in keys):
            label = ctx.axis_label(table, column.key, "columns")
            groups.append(
                (
                    cell_pointer(table, keys[0]),
                    _where_column(label, len(keys)),
                    keys,
                    f"column:{column.key}",
                )
            )
            covered.update(keys)
    for row_key, row in grid.items():
        keys = [f"{row_key}.{c}" for c in row]
        if len(keys) > 1 and all(k in blank for k in keys):
            label = ctx.axis_label(table, row_key, "rows")
            groups.append(
                (cell_pointer(table, row_key), _where_row(label, len(keys)), keys, f"row:{row_key}")
            )
            covered.update(keys)
    for key in ordered:
        if key not in covered:
            groups.append(
                (cell_pointer(table, key), _where_cell(ctx.label(table, key)), [key], key)
            )
    return groups


def compile(options: dict[str, Any]):
    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        for table in options["tables"]:
            if ctx.table(table) is None or not ctx.has_table(table):
                continue
            groups = _groups(ctx, table)
            if not groups:
                result.passed += 1
            for pointer, where, keys, discriminator in groups:
                result.failures.append(
                    Failure(
                        pointer,
                        {"table": _TABLE_NAMES[table], "where": where, "count": len(keys)},
                        expected="number",
                        actual="blank",
                        pos=ctx.cell_pos(table, keys[0]),
                        related=tuple(cell_pointer(table, k) for k in keys),
                        discriminator=discriminator,
                    )
                )
        if not result.passed and not result.failures:
            result.not_applicable.append("no table to look at")
        return result

    return check
