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
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from checker.engine.context import CheckResult, Context, Failure
from checker.engine.messages import Loc
from checker.model import Cell, cell_pointer
from checker.numbers import decimal_str
from checker.templates import TableDef

AXIS_LIST: dict[str, Any] = {
    "oneOf": [
        {"type": "string", "pattern": r"^@[a-z_]+$"},
        {"type": "array", "items": {"type": "string"}, "minItems": 1},
    ]
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


@dataclass(frozen=True, slots=True)
class Relation:
    table: str
    lhs: dict[str, Any]
    rhs: dict[str, Any]
    over: dict[str, Any] | None
    op: str = "="
    tolerance: Decimal = Decimal(0)
    blank_as_zero: bool = False
    # (table definition, member) -> both sides' cell keys: the same for every report of a
    # format version, so worked out once per rule, not once per report
    _keys: dict[tuple[TableDef, str | None], tuple[tuple[str, ...], tuple[str, ...]]] = field(
        default_factory=dict, repr=False, compare=False
    )

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


def _side_total(cells: dict[str, Cell], keys: tuple[str, ...], blank_as_zero: bool):
    total = Decimal(0)
    missing: list[str] = []
    for key in keys:
        cell = cells.get(key)
        value = cell.value if cell is not None else None
        if value is None:
            if blank_as_zero and cell is not None:
                continue
            missing.append(key)
            continue
        total += value
    return total, missing


def _terms(ctx: Context, table: str, keys: tuple[str, ...], lang: str) -> str:
    labels = shortened([ctx.label(table, key).get(lang) for key in keys], lang)
    return " + ".join(
        f"{label} {decimal_str(ctx.value(table, key))}"
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
        lhs, lhs_missing = _side_total(cells, lhs_keys, rel.blank_as_zero)
        rhs, rhs_missing = _side_total(cells, rhs_keys, rel.blank_as_zero)
        if lhs_missing or rhs_missing:
            result.not_applicable.append("missing operand: " + ", ".join(lhs_missing + rhs_missing))
            continue
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
