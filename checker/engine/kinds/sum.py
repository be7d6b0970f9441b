"""sum — a total equals the sum of its parts.

Options::

    table: t3
    total: {row: total}                 # or {column: total}
    parts: {rows: "@result_leaves"}     # or {columns: [...]}; "@name" = a set of the template
    over:  {columns: "@columns"}        # checked once per member of the other axis
    groups: [{total: ..., parts: ...}]  # instead of total/parts: several sums in one rule

The relation is checked per member of ``over``. A blank part counts as 0 and
the message says so ("空白按0计"); a blank total, or parts that are all blank,
make the member *not applicable* and it is reported as skipped (STR-009 reports
the blanks). An absent or unreadable cell also makes the member not applicable
(the table-shape and extraction rules report it), so a missing row never
produces a sum finding on shifted numbers; a printed header subtotal stands in
for its sub-rows when none of them is there. Message placeholders: ``{member}`` (the column or row checked),
``{total_cell}``, ``{total}``, ``{sum}``, ``{difference}``, ``{parts}``
(each part with its value).
"""

from __future__ import annotations

from typing import Any

from checker.engine.context import CheckResult, Context
from checker.engine.kinds import _arith

KIND = "sum"

_SINGLE = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "maxProperties": 1,
    "properties": {"row": {"type": "string"}, "column": {"type": "string"}},
}
_GROUP = {
    "type": "object",
    "required": ["total", "parts"],
    "additionalProperties": False,
    "properties": {"total": _SINGLE, "parts": _arith.SIDE_SCHEMA},
}
OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["table"],
    "additionalProperties": False,
    "properties": {
        **_arith.COMMON_PROPERTIES,
        "total": _SINGLE,
        "parts": _arith.SIDE_SCHEMA,
        "groups": {"type": "array", "items": _GROUP, "minItems": 1},
    },
    "oneOf": [{"required": ["total", "parts"]}, {"required": ["groups"]}],
}


def _total_side(total: dict[str, str]) -> dict[str, Any]:
    return {"rows": [total["row"]]} if "row" in total else {"columns": [total["column"]]}


def compile(options: dict[str, Any]):
    groups = options.get("groups") or [{"total": options["total"], "parts": options["parts"]}]
    relations = [_arith.relation(options, _total_side(g["total"]), g["parts"], "=") for g in groups]

    def check(ctx: Context) -> CheckResult:
        merged = CheckResult()
        for rel in relations:
            result = _arith.evaluate(ctx, rel)
            for failure in result.failures:
                p = failure.params
                failure.params = {
                    "member": p["member"],
                    "total_cell": p["anchor"],
                    "total": p["lhs"],
                    "sum": p["rhs"],
                    "difference": p["difference"],
                    "parts": p["rhs_terms"],
                }
            merged.failures += result.failures
            merged.passed += result.passed
            merged.not_applicable += result.not_applicable
            merged.skips += result.skips
        return merged

    return check
