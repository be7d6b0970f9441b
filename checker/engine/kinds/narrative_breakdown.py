"""narrative_breakdown — a narrative total and its itemised breakdown add up.

Finds sentences such as ``主动公开政府信息171条，其中通知公告类76条，…，其他3条。``
and checks that the items sum to the total. A list that ends in 等 (``…3条等``)
is partial: its items may sum to less than the total, never more. Only items
in the total's own unit count, and a breakdown needs at least two items.

Options::

    scope: sections          # see text_pattern
    units: [条, 件, 个, 篇, 项]
    tolerance: 0

Placeholders: ``{total}``, ``{sum}``, ``{difference}``, ``{unit}``, ``{items}``,
``{quote}`` (the sentence, shortened), ``{relation}`` (= or ≤).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from checker.engine import patterns
from checker.engine.context import CheckResult, Context, Failure
from checker.engine.kinds.text_pattern import SCOPE_SCHEMA, match_position
from checker.engine.messages import Loc

KIND = "narrative_breakdown"

OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "scope": SCOPE_SCHEMA,
        "units": {
            "type": "array",
            "items": {"type": "string", "pattern": r"^\w{1,3}$"},
            "minItems": 1,
        },
        "tolerance": {"type": ["number", "string"]},
    },
}

_DEFAULT_UNITS = ("条", "件", "个", "篇", "项")


def _head_pattern(units: tuple[str, ...]) -> str:
    unit = "|".join(units)
    # "171条，其中" / "171条。其中" is not a breakdown of that sentence; a comma or nothing is
    return rf"(?<![\d.])(?P<total>\d+)\s*(?P<unit>{unit})[^\d。；;，,其]{{0,6}}[，,：:]?\s*其中"


def _item_pattern(unit: str) -> str:
    return rf"(?P<label>[^，,、；;。\d]*?)(?<![\d.])(?P<n>\d+)\s*{unit}(?![\d/])"


def compile(options: dict[str, Any]):
    scope = options.get("scope", "sections")
    units = tuple(options.get("units", _DEFAULT_UNITS))
    tolerance = Decimal(str(options.get("tolerance", 0)))
    head = _head_pattern(units)

    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        for piece in ctx.scope(scope):
            for match in patterns.finditer(head, piece.text):
                rest = piece.text[match.end() :]
                stop = min(
                    (i for i in (rest.find(c) for c in "。；;\n") if i >= 0), default=len(rest)
                )
                nested = rest.find("其中")
                if 0 <= nested < stop:
                    stop = nested
                span = rest[:stop]
                unit = match["unit"]
                items = list(patterns.finditer(_item_pattern(unit), span))
                if len(items) < 2:
                    continue
                total = Decimal(match["total"])
                values = [Decimal(item["n"]) for item in items]
                parts_sum = sum(values, Decimal(0))
                partial = "等" in span[items[-1].end() :] or span.rstrip().endswith("等")
                ok = (
                    parts_sum <= total + tolerance
                    if partial
                    else abs(parts_sum - total) <= tolerance
                )
                if ok:
                    result.passed += 1
                    continue
                listed = [f"{item['label'].strip('，,、 ')}{item['n']}{unit}" for item in items]
                quote = piece.text[match.start() : match.end() + stop]
                short = quote if len(quote) <= 60 else quote[:57] + "…"
                relation = "≤" if partial else "="
                result.failures.append(
                    Failure(
                        piece.pointer,
                        {
                            "total": total,
                            "sum": parts_sum,
                            "difference": parts_sum - total,
                            "unit": unit,
                            "items": listed,
                            "quote": short,
                            "relation": relation,
                            "partial": Loc(
                                "（列举以“等”结尾，各项之和应不超过总数）" if partial else "",
                                " (the list ends in 等, so the items may not exceed the total)"
                                if partial
                                else "",
                            ),
                        },
                        expected=f"{relation} {total}",
                        actual=str(parts_sum),
                        pos=match_position(piece, match.start()),
                        discriminator=f"{match['total']}{unit}:{match.start()}",
                    )
                )
        if not result.passed and not result.failures:
            result.not_applicable.append("no narrative breakdown found")
        return result

    return check
