"""equation — the sum of one set of cells equals the sum of another.

Options::

    table: t3
    lhs:  {rows: [new, carried_over]}
    rhs:  {rows: [total, carried_forward]}
    over: {columns: "@columns"}
    tolerance: 0          # optional absolute tolerance (money written with decimals)

Used for the printed 勾稽关系 of table 3 (一 + 二 = (七) + 四). Blanks follow
the sum kind's policy: a blank operand counts as 0 ("空白按0计"), a side with
nothing but blanks, or an absent operand, makes the member not applicable. Placeholders: ``{member}``,
``{lhs}``, ``{rhs}``, ``{difference}``, ``{lhs_terms}``, ``{rhs_terms}``.
"""

from __future__ import annotations

from typing import Any

from checker.engine.context import CheckResult, Context
from checker.engine.kinds import _arith

KIND = "equation"

OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["table", "lhs", "rhs"],
    "additionalProperties": False,
    "properties": {
        **_arith.COMMON_PROPERTIES,
        "lhs": _arith.SIDE_SCHEMA,
        "rhs": _arith.SIDE_SCHEMA,
    },
}


def compile(options: dict[str, Any]):
    rel = _arith.relation(options, options["lhs"], options["rhs"], "=")

    def check(ctx: Context) -> CheckResult:
        return _arith.evaluate(ctx, rel)

    return check
