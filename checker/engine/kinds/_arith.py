"""Shared arithmetic for the sum, equation and compare kinds.

A *side* of a relation names cells along one axis of a table: ``{rows: [...]}``
or ``{columns: [...]}`` (a literal list or ``"@set"``, a named set of the
report's template). ``over`` names the other axis; the relation is checked
once for every member of ``over``. A side may also be ``{cells: [...]}``:
fixed "row.column" keys, for relations between single cells.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from msgspec import Struct, field

from checker.engine.context import CheckResult, Context, Failure
from checker.engine.messages import Loc
from checker.findings import Skip
from checker.model import Cell, cell_pointer
from checker.numbers import decimal_str, parse_number
from checker.templates import TableDef

AXIS_LIST: dict[str, Any] = {
    "oneOf": [
        {"type": "string", "pattern": r"^@[a-z_]+$"},
        {"type": "array", "items": {"type": "string"}, "minItems": 1},
    ]
}
# the options of a kind that works on whole tables (minimal_repair, rollup)
WHOLE_TABLES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["tables"],
    "additionalProperties": False,
    "properties": {
        "tables": {
            "type": "array",
            "items": {"enum": ["t2", "t3", "t4"]},
            "minItems": 1,
            "uniqueItems": True,
        }
    },
}
SIDE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "maxProperties": 1,
    "properties": {"rows": AXIS_LIST, "columns": AXIS_LIST, "cells": AXIS_LIST},
}
OVER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "maxProperties": 1,
    "properties": {"rows": AXIS_LIST, "columns": AXIS_LIST},
}
COMMON_PROPERTIES: dict[str, Any] = {
    "table": {"enum": ["t2", "t3", "t4"]},
    "over": OVER_SCHEMA,
    "tolerance": {"type": ["number", "string"], "description": "allowed absolute difference"},
    "blank_as_zero": {"type": "boolean", "description": "count a blank operand as 0"},
}

OPS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "=": lambda a, b: a == b,
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
}


class Relation(Struct, frozen=True):
    table: str
    lhs: dict[str, Any]
    rhs: dict[str, Any]
    over: dict[str, Any] | None
    op: str = "="
    tolerance: Decimal = Decimal(0)
    blank_as_zero: bool = False
    # (table definition, member) -> both sides' cell keys: the same for every report of a
    # format version, so worked out once per rule, not once per report (a cache: never
    # passed by callers)
    _keys: dict[tuple[TableDef, str | None], tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def sides(self, tdef: TableDef, member: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The cell keys of the left and the right side for one member; KeyError for an unknown set."""
        slot = (tdef, member)
        found = self._keys.get(slot)
        if found is None:
            found = self._keys[slot] = (
                _keys(tdef, self.lhs, member),
                _keys(tdef, self.rhs, member),
            )
        return found


def _keys(tdef: TableDef, side: dict[str, Any], member: str | None) -> tuple[str, ...]:
    """The cell keys of one side for one member of `over`."""
    if "cells" in side:
        return tdef.resolve(side["cells"])
    if "rows" in side:
        return tuple(f"{row}.{member}" for row in tdef.resolve(side["rows"]))
    return tuple(f"{member}.{col}" for col in tdef.resolve(side["columns"]))


def _members(tdef: TableDef, over: dict[str, Any] | None) -> tuple[str | None, ...]:
    if over is None:
        return (None,)
    return tdef.resolve(over.get("rows") or over.get("columns"))


class _Side(Struct):
    """One side of a relation for one member: its sum and what stood in the way."""

    keys: tuple[str, ...]
    total: Decimal = Decimal(0)
    numbers: int = 0  # cells that held a number
    blanks: list[str] = field(default_factory=list)  # printed blank: counted as 0
    skips: list[Skip] = field(default_factory=list)  # absent or unreadable: not checkable
    unprinted: bool = False  # a header row's subtotal the report does not print


_UNREAD = {"ambiguous": "ambiguous_reading", "missing": "missing_cell"}  # Cell.unread -> reason


def _is_header_cell(tdef: TableDef, key: str) -> bool:
    row = tdef.row(key.rpartition(".")[0])
    return row is not None and row.kind != "leaf"


def _stand_in(cells: dict[str, Cell], tdef: TableDef, key: str, avoid: set[str]) -> str | None:
    """The printed subtotal that stands in for an absent sub-row's cell: its header row's
    cell when that row holds values and none of its sub-rows is there ((三) printed as one
    line, or the 2019-style (六) in a 2021 report). Never a cell of the other side."""
    row_key, _, column = key.rpartition(".")
    row = tdef.row(row_key)
    if row is None or not row.parent:
        return None
    stand_in = f"{row.parent}.{column}"
    if stand_in in avoid or stand_in not in cells:
        return None
    prefix = row.parent + "."
    if any(k.startswith(prefix) and k.count(".") > row.parent.count(".") + 1 for k in cells):
        return None  # some sub-row is there: the absent one is missing, not summarised
    return stand_in


def _side(
    table: str,
    cells: dict[str, Cell],
    tdef: TableDef,
    keys: tuple[str, ...],
    avoid: set[str],
    blank_as_zero: bool,
) -> _Side:
    total = Decimal(0)
    for key in keys:  # the common case first: every operand holds a number
        cell = cells.get(key)
        if cell is None or cell.value is None:
            break
        total += cell.value
    else:
        return _Side(keys, total, len(keys))
    used: dict[str, None] = {}
    for key in keys:
        if key not in cells:
            key = _stand_in(cells, tdef, key, avoid) or key
        used[key] = None
    side = _Side(tuple(used))
    for key in side.keys:
        cell = cells.get(key)
        if cell is not None and cell.value is not None:  # the common case, kept cheap
            side.total += cell.value
            side.numbers += 1
        elif cell is None:
            if _is_header_cell(tdef, key):
                side.unprinted = True  # the format leaves header rows empty: nothing to check
            else:
                side.skips.append(Skip("missing_cell", cell_pointer(table, key), key))
        elif cell.unread:
            reason = _UNREAD.get(cell.unread, "unreadable_cell")
            side.skips.append(Skip(reason, cell_pointer(table, key), key))
        elif cell.raw is not None and not parse_number(cell.raw).is_number:
            # text: the value-domain rules say so
            side.skips.append(Skip("not_a_number", cell_pointer(table, key), key))
        elif blank_as_zero:
            side.numbers += 1
        else:
            side.blanks.append(key)
    return side


def _uncheckable(
    table: str, tdef: TableDef, left: _Side, right: _Side
) -> tuple[str, Skip | None] | None:
    """Why the relation cannot be checked for this member, and the skip to report (None when
    the format itself leaves the cells empty: an unprinted header subtotal); None if it can.

    A side holding nothing but blanks (a blank total, a blank column) is not a 0 to compare
    with: the relation is not checked there and STR-009 reports the blanks."""
    if left.unprinted or right.unprinted:
        return "header subtotal not printed", None
    skips = left.skips + right.skips
    for side in (left, right):
        if side.blanks and not side.numbers and not side.skips:
            if all(_is_header_cell(tdef, key) for key in side.blanks):
                return "blank header subtotal", None
            skips.append(Skip("blank_cell", cell_pointer(table, side.blanks[0]), side.blanks[0]))
    if skips:
        return "missing operand: " + ", ".join(skip.detail for skip in skips), skips[0]
    return None


_BLANK_NOTE = Loc("（空白按0计：{cells}）", " (blank counted as 0: {cells})")


def _blank_note(ctx: Context, table: str, blanks: list[str]) -> Loc:
    return Loc(
        *(
            template.replace(
                "{cells}",
                ("、" if lang == "zh" else "; ").join(
                    ctx.label(table, key).get(lang) for key in blanks
                ),
            )
            for template, lang in zip(_BLANK_NOTE, ("zh", "en"), strict=True)
        )
    )


def _terms(ctx: Context, table: str, keys: tuple[str, ...], lang: str) -> str:
    labels = shortened([ctx.label(table, key).get(lang) for key in keys], lang)
    blank = "空白" if lang == "zh" else "blank"
    return " + ".join(
        f"{label} "
        + (blank if ctx.value(table, key) is None else decimal_str(ctx.value(table, key)))
        for label, key in zip(labels, keys, strict=True)
    )


def shortened(labels: list[str], lang: str) -> list[str]:
    """Cell names after the first without the row (or column) they all share.

    '（一）予以公开／自然人 1 + （一）予以公开／商业企业 0 + …' reads
    '（一）予以公开／自然人 1 + 商业企业 0 + …': a long row label said once.
    """
    sep = "／" if lang == "zh" else " / "
    parts = [label.split(sep) for label in labels]
    if len(parts) < 2 or any(len(p) != 2 for p in parts):
        return labels
    for shared, kept in ((0, 1), (1, 0)):
        if len({p[shared] for p in parts}) == 1:
            return [labels[0], *(p[kept] for p in parts[1:])]
    return labels


def evaluate(ctx: Context, rel: Relation) -> CheckResult:
    result = CheckResult()
    tdef = ctx.table(rel.table)
    if tdef is None or not ctx.has_table(rel.table):
        result.not_applicable.append(f"no table {rel.table}")
        return result
    try:
        members = _members(tdef, rel.over)
    except KeyError as exc:  # a set this template does not have: the relation does not apply
        result.not_applicable.append(str(exc))
        return result
    cells = ctx.report.tables[rel.table]
    for member in members:
        try:
            lhs_keys, rhs_keys = rel.sides(tdef, member)
        except KeyError as exc:
            result.not_applicable.append(str(exc))
            continue
        left = _side(rel.table, cells, tdef, lhs_keys, set(rhs_keys), rel.blank_as_zero)
        right = _side(rel.table, cells, tdef, rhs_keys, set(lhs_keys), rel.blank_as_zero)
        lhs_keys, rhs_keys = left.keys, right.keys
        uncheckable = _uncheckable(rel.table, tdef, left, right)
        if uncheckable is not None:
            why, skip = uncheckable
            result.not_applicable.append(why)
            if skip is not None:
                result.skips.append(skip)
            continue
        lhs, rhs = left.total, right.total
        holds = abs(lhs - rhs) <= rel.tolerance if rel.op == "=" else OPS[rel.op](lhs, rhs)
        if holds:
            result.passed += 1
            continue
        anchor = lhs_keys[0]
        member_label = (
            ctx.axis_label(rel.table, member, "rows" if "rows" in rel.over else "columns")
            if member is not None and rel.over
            else Loc("", "")
        )
        params = {
            "member": member_label,
            "lhs": lhs,
            "rhs": rhs,
            "difference": lhs - rhs,
            "lhs_terms": Loc(*(_terms(ctx, rel.table, lhs_keys, lang) for lang in ("zh", "en"))),
            "rhs_terms": Loc(*(_terms(ctx, rel.table, rhs_keys, lang) for lang in ("zh", "en"))),
            "op": rel.op,
            "anchor": ctx.label(rel.table, anchor),
        }
        related = tuple(cell_pointer(rel.table, key) for key in lhs_keys + rhs_keys)
        result.failures.append(
            Failure(
                pointer=cell_pointer(rel.table, anchor),
                params=params,
                expected=str(rhs) if rel.op == "=" else f"{rel.op} {rhs}",
                actual=str(lhs),
                pos=ctx.cell_pos(rel.table, anchor),
                related=related,
                note=_blank_note(ctx, rel.table, left.blanks + right.blanks)
                if left.blanks or right.blanks
                else None,
            )
        )
    return result


def relation(
    options: dict[str, Any], lhs: dict[str, Any], rhs: dict[str, Any], op: str
) -> Relation:
    return Relation(
        table=options["table"],
        lhs=lhs,
        rhs=rhs,
        over=options.get("over"),
        op=op,
        tolerance=Decimal(str(options.get("tolerance", 0))),
        blank_as_zero=bool(options.get("blank_as_zero", False)),
    )
