"""rollup — a roll-up report's table cells equal the sum of its member reports' cells.

Options::

    tables: [t2, t3, t4]

A county's or city's combined report (全县/全市汇总) sums its members'
reports. The configuration names both (``[[rollup]]``, ``checker/gate/rollup.py``);
for a report it names as a roll-up, every number of the listed tables that
the roll-up prints is compared with the sum of the same cell over the parts.
Money compares within one unit of the last place the roll-up prints; counts
exactly. A report that no ``[[rollup]]`` names is not applicable, and so is
a roll-up with a missing or unreadable part (with that reason): a sum over
some of the parts proves nothing. A cell blank in the roll-up is not compared
(STR-009 and the blank-cell rules say it); a cell blank or absent in a part is
not compared either, and each such cell is recorded as a skip naming the part
(reason ``blank_in_part``), listed with the other skips of the run.

Placeholders: ``{cell}`` (the cell's full label), ``{rollup}`` (the roll-up's
value), ``{sum}``, ``{difference}``, ``{parts}`` (each part's value, largest
first, at most ``SHOWN_PARTS``), ``{count}`` (number of parts).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from checker.engine.context import CheckResult, Context, Failure
from checker.engine.kinds._arith import WHOLE_TABLES_SCHEMA
from checker.engine.messages import Loc
from checker.findings import Skip
from checker.model import cell_pointer
from checker.numbers import decimal_str

KIND = "rollup"

OPTIONS_SCHEMA: dict[str, Any] = WHOLE_TABLES_SCHEMA

SHOWN_PARTS = 10
_TABLE_NAME = {
    "t2": Loc("表二", "Table 2"),
    "t3": Loc("表三", "Table 3"),
    "t4": Loc("表四", "Table 4"),
}


def _tolerance(value: Decimal, domain: str) -> Decimal:
    """Counts exactly; money within one unit of the last place the roll-up prints."""
    if domain != "money":
        return Decimal(0)
    exponent = value.as_tuple().exponent
    return Decimal(1).scaleb(exponent) if isinstance(exponent, int) and exponent < 0 else Decimal(0)


def _parts_text(values: list[tuple[str, Decimal]]) -> Loc:
    ranked = sorted(values, key=lambda item: (-abs(item[1]), item[0]))
    shown = ranked[:SHOWN_PARTS]
    zh = "、".join(f"{path} {decimal_str(v)}" for path, v in shown)
    en = ", ".join(f"{path} {decimal_str(v)}" for path, v in shown)
    if len(ranked) > len(shown):
        zh += f" 等{len(ranked)}份"
        en += f" and {len(ranked) - len(shown)} more"
    return Loc(zh, en)


def compile(options: dict[str, Any]):
    tables = tuple(options["tables"])

    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        rollup = ctx.report.rollup
        if rollup is None:
            result.not_applicable.append("not a roll-up report (no [[rollup]] names it)")
            return result
        if rollup.problems:
            result.not_applicable.append(
                "parts missing or unreadable: " + "; ".join(rollup.problems[:5])
            )
            return result
        if not rollup.parts:
            result.not_applicable.append("the roll-up has no parts")
            return result
        skipped: list[str] = []
        for table in tables:
            tdef = ctx.table(table)
            cells = ctx.report.tables.get(table, {})
            if tdef is None or not cells:
                continue
            for key, cell in cells.items():
                column = tdef.column(key.rpartition(".")[2])
                if column is None or cell.value is None:
                    continue
                values: list[tuple[str, Decimal]] = []
                for part in rollup.parts:
                    other = part.tables.get(table, {}).get(key)
                    if other is None or other.value is None:
                        skipped.append(f"{part.path}{cell_pointer(table, key)}")
                        # said even when other cells were compared: never a silent gap
                        result.skips.append(
                            Skip("blank_in_part", cell_pointer(table, key), part.path)
                        )
                        values = []
                        break
                    values.append((part.path, other.value))
                if not values:
                    continue
                total = sum((v for _, v in values), Decimal(0))
                if abs(cell.value - total) <= _tolerance(cell.value, column.domain):
                    result.passed += 1
                    continue
                label = ctx.label(table, key)
                name = _TABLE_NAME[table]
                result.failures.append(
                    Failure(
                        pointer=cell_pointer(table, key),
                        params={
                            "cell": Loc(f"{name.zh}“{label.zh}”", f'{name.en} "{label.en}"'),
                            "rollup": cell.value,
                            "sum": total,
                            "difference": cell.value - total,
                            "parts": _parts_text(values),
                            "count": len(values),
                        },
                        expected=decimal_str(total),
                        actual=decimal_str(cell.value),
                        pos=ctx.cell_pos(table, key),
                    )
                )
        if skipped and not result.failures and not result.passed:
            result.not_applicable.append("blank or absent in a part: " + ", ".join(skipped[:5]))
        return result

    return check
