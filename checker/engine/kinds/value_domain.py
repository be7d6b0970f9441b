"""value_domain — every filled cell holds a value of its column's domain.

Options::

    table: t3
    rows: "@rows"            # optional: restrict to these rows (default: every cell present)
    columns: [change, amount] # optional: restrict to these columns
    domain: count            # optional: count | signed | money (default: the column's domain)
    require_unit: true       # optional: a non-zero money cell must state its unit (元/万元)
    unit: 万元               # optional: the header's unit; a cell stating another (365元) fails
    plausible_max: 1000000   # optional: a larger value is implausible (written in 元?)

Domains: ``count`` a non-negative integer; ``signed`` an integer, sign allowed
(本年增/减); ``money`` a non-negative amount with decimals allowed. Text that is
not a number (``"约5件"``) fails; a blank cell is not judged here (blank ≠ 0).
Placeholders: ``{cell}``, ``{value}``, ``{domain}``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from checker.engine.context import CheckResult, Context, Failure
from checker.engine.kinds._arith import AXIS_LIST
from checker.engine.messages import Loc
from checker.model import cell_pointer
from checker.numbers import decimal_str, parse_number

KIND = "value_domain"

OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["table"],
    "additionalProperties": False,
    "properties": {
        "table": {"enum": ["t2", "t3", "t4"]},
        "rows": AXIS_LIST,
        "columns": AXIS_LIST,
        "domain": {"enum": ["count", "signed", "money"]},
        "require_unit": {"type": "boolean"},
        "unit": {"type": "string", "minLength": 1},
        "plausible_max": {"type": "number", "exclusiveMinimum": 0},
    },
}

DOMAIN_NAMES = {
    "count": Loc("非负整数", "a non-negative integer"),
    "signed": Loc("整数（可带正负号）", "an integer (sign allowed)"),
    "money": Loc("非负金额", "a non-negative amount"),
}


def _violates(value: Decimal, domain: str) -> bool:
    integral = value == value.to_integral_value()
    if domain == "count":
        return value < 0 or not integral
    if domain == "signed":
        return not integral
    return value < 0


_BLANK = ("blank",)  # a blank or placeholder cell: neither passes nor fails
_WITH_UNIT = Loc("带单位的金额（元或万元）", "an amount with its unit (元 or 万元)")


def _unit_problem(cell: Any, unit: str | None, plausible_max: Decimal | None):
    """A stated unit other than the header's, or an implausibly large value (see _problem)."""
    shown = cell.raw or str(cell.value)
    stated = parse_number(cell.raw or "").unit if cell.raw else None
    if unit and stated and stated != unit:
        return (
            f"in {unit}",
            cell.raw,
            shown,
            Loc(
                f"以{unit}为单位的金额（表头单位为{unit}）",
                f"an amount in {unit} (the header's unit)",
            ),
        )
    if plausible_max is not None and cell.value > plausible_max:
        limit = decimal_str(plausible_max)
        return (
            f"<= {limit}",
            shown,
            shown,
            Loc(
                f"合理范围内的金额（超过{limit}{unit or ''}，是否按元填写？）",
                f"a plausible amount (over {limit} {unit or ''}: written in 元?)",
            ),
        )
    return None


def _problem(
    cell: Any,
    domain: str,
    require_unit: bool,
    unit: str | None = None,
    plausible_max: Decimal | None = None,
):
    """None when the cell is fine, _BLANK when there is nothing to judge, else
    (expected, actual, the value as shown, the domain's name) for the failure."""
    value = cell.value
    if value is None:
        if cell.raw is not None and not parse_number(cell.raw).is_number:
            return domain, cell.raw, cell.raw, DOMAIN_NAMES[domain]
        return _BLANK
    shown = cell.raw or str(value)
    if _violates(value, domain):
        return domain, shown, shown, DOMAIN_NAMES[domain]
    if require_unit and domain == "money" and value != 0 and not parse_number(cell.raw or "").unit:
        return "amount with unit", cell.raw, shown, _WITH_UNIT
    if unit or plausible_max is not None:
        return _unit_problem(cell, unit, plausible_max)
    return None


def compile(options: dict[str, Any]):
    table = options["table"]
    require_unit = bool(options.get("require_unit"))
    unit = options.get("unit")
    plausible_max = Decimal(str(options["plausible_max"])) if "plausible_max" in options else None

    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        tdef = ctx.table(table)
        cells = ctx.report.tables.get(table)
        if tdef is None or not cells:
            result.not_applicable.append(f"no table {table}")
            return result
        rows = set(tdef.resolve(options["rows"])) if "rows" in options else None
        columns = set(tdef.resolve(options["columns"])) if "columns" in options else None
        for key, cell in cells.items():
            row_key, _, col_key = key.rpartition(".")
            if (rows is not None and row_key not in rows) or (
                columns is not None and col_key not in columns
            ):
                continue
            column = tdef.column(col_key)
            domain = options.get("domain") or (column.domain if column else "count")
            problem = _problem(cell, domain, require_unit, unit, plausible_max)
            if problem is None:
                result.passed += 1
                continue
            if problem is _BLANK:
                continue
            expected, actual, shown, domain_name = problem
            pointer = cell_pointer(table, key)  # worded only for a failure: the rare case
            result.failures.append(
                Failure(
                    pointer,
                    {"cell": ctx.label(table, key), "value": shown, "domain": domain_name},
                    expected=expected,
                    actual=actual,
                    pos=ctx.cell_pos(table, key),
                    related=(pointer,),
                )
            )
        if not result.passed and not result.failures:
            result.not_applicable.append("no filled cell to judge")
        return result

    return check
