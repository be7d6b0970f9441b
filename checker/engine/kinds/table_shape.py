"""table_shape — the tables, rows, columns and cells a template requires are there.

Options (one of the two forms)::

    tables: [t2, t3, t4]     # each table is present (has at least one cell)

    table: t3
    expect: rows             # rows | columns | cells | merged
    rows: "@rows"            # optional; default: every leaf row of the template

``rows``: each row has at least one cell. Sub-rows that are all absent while
their header row prints a subtotal are one failure naming them all (the
subtotal stands in for them in the sums), unless the header row is listed in
``merged_reported`` (its one-line form is another rule's finding). ``columns``: every row that is
there has each column (one finding per column, naming the rows without it). ``cells``: each row has every one of its columns. ``merged``: a
header row (e.g. （六）其他处理) holds values while none of its sub-rows do.
A table that is absent altogether is not applicable (the ``tables`` form
reports it). Placeholders: ``{table}``, ``{row}``, ``{column}``, ``{missing}``.
"""

from __future__ import annotations

from typing import Any

from checker.engine.context import CheckResult, Context, Failure
from checker.engine.kinds._arith import AXIS_LIST
from checker.engine.messages import Loc
from checker.model import cell_pointer
from checker.templates import TableDef

KIND = "table_shape"

OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "tables": {"type": "array", "items": {"enum": ["t2", "t3", "t4"]}, "minItems": 1},
        "table": {"enum": ["t2", "t3", "t4"]},
        "expect": {"enum": ["rows", "columns", "cells", "merged"]},
        "rows": AXIS_LIST,
        "merged_reported": {
            "type": "array",
            "items": {"type": "string"},
            "description": "header rows whose one-line form another rule reports (T3-006)",
        },
    },
    "oneOf": [{"required": ["tables"]}, {"required": ["table", "expect"]}],
}


def _table_label(ctx: Context, name: str) -> Loc:
    tdef = ctx.table(name)
    number = {"t2": ("表二", "table 2"), "t3": ("表三", "table 3"), "t4": ("表四", "table 4")}[name]
    if tdef is None:
        return Loc(*number)
    return Loc(f"{number[0]}（{tdef.title_zh}）", f"{number[1]} ({tdef.title_en})")


def _row_has_cells(rows_present: frozenset[str], row: str) -> bool:
    return row in rows_present


def _has_own_values(keys: set[str], tdef: TableDef, row: str) -> bool:
    """Does `row` itself (not its sub-rows) hold column values?"""
    return any(f"{row}.{c.key}" in keys for c in tdef.columns)


def _summarised(
    ctx: Context, name: str, table_label: Loc, parent: str, children: list[str]
) -> Failure:
    """The sub-rows of a header row that prints only its subtotal, as one failure."""
    head = ctx.axis_label(name, parent, "rows")
    names = [ctx.axis_label(name, c, "rows") for c in children]
    row = Loc(
        f"“{head.zh}”的{len(children)}个分项（只填了小计）：" + "、".join(n.zh for n in names),
        f'the {len(children)} sub-rows of "{head.en}" (only its subtotal is printed): '
        + "; ".join(n.en for n in names),
    )
    pointer = cell_pointer(name, parent)
    return Failure(
        pointer,
        {"table": table_label, "row": row, "missing": names},
        expected=children,
        actual=parent,
        pos=ctx.report.position_of(pointer),
        related=tuple(cell_pointer(name, c) for c in children),
        discriminator="subtotal-only",
    )


def compile(options: dict[str, Any]):
    def check_tables(ctx: Context) -> CheckResult:
        result = CheckResult()
        for name in options["tables"]:
            if ctx.has_table(name):
                result.passed += 1
            else:
                result.failures.append(
                    Failure(
                        f"/tables/{name}",
                        {"table": _table_label(ctx, name)},
                        expected="present",
                        actual="absent",
                        discriminator=name,
                    )
                )
        return result

    def check_table(ctx: Context) -> CheckResult:
        result = CheckResult()
        name, expect = options["table"], options["expect"]
        tdef = ctx.table(name)
        if tdef is None or not ctx.has_table(name):
            result.not_applicable.append(f"no table {name}")
            return result
        keys = set(ctx.report.tables[name])
        rows_present = ctx.rows_present(name)
        rows = (
            [tdef.row(r) for r in tdef.resolve(options["rows"])]
            if "rows" in options
            else list(tdef.leaf_rows())
        )
        table_label = _table_label(ctx, name)
        merged_reported = set(options.get("merged_reported", ()))
        summarised: dict[str, list[str]] = {}  # printed subtotal row -> its absent sub-rows
        if expect == "columns":
            present_rows = [
                r for r in rows if r is not None and _row_has_cells(rows_present, r.key)
            ]
            for col in tdef.columns:
                lacking = [r for r in present_rows if f"{r.key}.{col.key}" not in keys]
                if not lacking:
                    result.passed += 1
                    continue
                result.failures.append(
                    Failure(
                        cell_pointer(name, f"{lacking[0].key}.{col.key}"),
                        {
                            "table": table_label,
                            "column": ctx.label(name, col.key),
                            "missing": [ctx.label(name, r.key) for r in lacking],
                        },
                        expected=col.key,
                        actual="absent",
                        discriminator=col.key,
                        pos=ctx.report.position_of(cell_pointer(name, lacking[0].key)),
                    )
                )
            return result
        for row in rows:
            if row is None:
                continue
            pointer = cell_pointer(name, row.key)
            parent_merged = bool(row.parent) and _has_own_values(keys, tdef, row.parent)
            if expect == "merged":
                children = [r.key for r in tdef.rows if r.parent == row.key]
                if (
                    _has_own_values(keys, tdef, row.key)
                    and children
                    and not any(_row_has_cells(rows_present, c) for c in children)
                ):
                    result.failures.append(
                        Failure(
                            pointer,
                            {
                                "table": table_label,
                                "row": ctx.label(name, row.key),
                                "missing": [ctx.label(name, c) for c in children],
                            },
                            expected=children,
                            actual=row.key,
                            pos=ctx.report.position_of(pointer),
                        )
                    )
                else:
                    result.passed += 1
                continue
            if not _row_has_cells(rows_present, row.key):
                siblings = [r.key for r in tdef.rows if r.parent and r.parent == row.parent]
                if parent_merged and not any(_row_has_cells(rows_present, s) for s in siblings):
                    if row.parent not in merged_reported:
                        summarised.setdefault(row.parent, []).append(row.key)
                    continue
                label = ctx.label(name, row.key)
                result.failures.append(
                    Failure(
                        pointer,
                        {
                            "table": table_label,
                            "row": Loc(f"“{label.zh}”行", f'the row "{label.en}"'),
                            "missing": label,
                        },
                        expected=row.key,
                        actual="absent",
                        pos=ctx.report.position_of(pointer),
                    )
                )
                continue
            if expect == "cells":
                missing = [c for c in tdef.row_columns(row) if f"{row.key}.{c}" not in keys]
                if missing:
                    result.failures.append(
                        Failure(
                            pointer,
                            {
                                "table": table_label,
                                "row": ctx.label(name, row.key),
                                "missing": [ctx.label(name, c) for c in missing],
                            },
                            expected=list(tdef.row_columns(row)),
                            actual=[c for c in tdef.row_columns(row) if c not in missing],
                            pos=ctx.report.position_of(pointer),
                        )
                    )
                    continue
            result.passed += 1
        for parent, children in summarised.items():
            result.failures.append(_summarised(ctx, name, table_label, parent, children))
        return result

    return check_tables if "tables" in options else check_table
