"""compare — an inequality between two sums of cells (≤, ≥, <, >).

Options::

    table: t2
    lhs:  {columns: [total_published]}
    op:   ">="
    rhs:  {columns: [published]}
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
        "rhs": _arith.SIDE_SCHEMA,
        "op": {"enum": ["<=", ">=", "<", ">"]},
    },
}


def compile(options: dict[str, Any]):
    rel = _arith.relation(options, options["lhs"], options["rhs"], options["op"])

    def check(ctx: Context) -> CheckResult:
        return _arith.evaluate(ctx, rel)

    return check
