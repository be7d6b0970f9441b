"""deadline — the publication date falls on the right side of a date relative to the report year.

Options::

    month: 1
    day: 31
    year_offset: 1           # the date is in report year + offset
    direction: not_after     # not_after (a deadline) | not_before (an earliest date)

条例 第四十九条: departments publish by 1月31日, the 本级政府 report by 3月31日
of the following year. Not applicable when the publication date is unknown,
and reported as skipped (META-010 tells how to give the date).
Placeholders: ``{published}``, ``{limit}``, ``{days}`` (how many days off).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from checker.engine.context import CheckResult, Context, Failure
from checker.findings import Skip

KIND = "deadline"

OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["month", "day"],
    "additionalProperties": False,
    "properties": {
        "month": {"type": "integer", "minimum": 1, "maximum": 12},
        "day": {"type": "integer", "minimum": 1, "maximum": 31},
        "year_offset": {"type": "integer", "minimum": -1, "maximum": 2},
        "direction": {"enum": ["not_after", "not_before"]},
    },
}


def compile(options: dict[str, Any]):
    offset = options.get("year_offset", 1)
    direction = options.get("direction", "not_after")

    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        meta = ctx.report.meta
        if meta.year is None or meta.published is None:
            result.not_applicable.append("report year or publication date unknown")
            result.skips.append(
                Skip("unknown_year", "/meta/year")
                if meta.year is None
                else Skip("unknown_publication_date", "/meta/published")
            )
            return result
        limit = date(meta.year + offset, options["month"], options["day"])
        late = meta.published > limit if direction == "not_after" else meta.published < limit
        if not late:
            result.passed += 1
            return result
        days = abs((meta.published - limit).days)
        result.failures.append(
            Failure(
                "/meta/published",
                {"published": meta.published.isoformat(), "limit": limit.isoformat(), "days": days},
                expected=("<= " if direction == "not_after" else ">= ") + limit.isoformat(),
                actual=meta.published.isoformat(),
                pos=meta.positions.get("published"),
            )
        )
        return result

    return check
