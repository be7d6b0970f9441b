"""compare — an inequality between two sums of cells (≤, ≥, <, >).

Options::

    table: t2
    lhs:  {columns: [total_published]}
    op:   ">="
    rhs:  {columns: [published]}     # or {value: 0}: the left side against zero
    over: {rows: "@documents"}

Placeholders as for ``equation``, plus ``{op}``.
"""

from __future__ import annotations

from typing import Any

from checker.engine.context import CheckResult, Context
from checker.engine.kinds import _arith

KIND = "compare"

OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["table", "lhs", "rhs", "op"],
    "additionalProperties": False,
    "properties": {
        **_arith.COMMON_PROPERTIES,
        "lhs": _arith.SIDE_SCHEMA,
        "rhs": {
            "oneOf": [
                _arith.SIDE_SCHEMA,
                {
                    "type": "object",
                    "required": ["value"],
                    "additionalProperties": False,
                    "properties": {"value": {"const": 0}},
                },
            ]
        },
        "op": {"enum": ["<=", ">=", "<", ">"]},
    },
}


def compile(options: dict[str, Any]):
    rhs = options["rhs"]
    if "value" in rhs:  # zero: a side of no cells sums to 0
        rhs = {"cells": []}
    rel = _arith.relation(options, options["lhs"], rhs, options["op"])

    def check(ctx: Context) -> CheckResult:
        return _arith.evaluate(ctx, rel)

    return check
