"""statistics_period — the report states its statistics period, and it is the report year.

Options::

    severity_if_missing: warning   # severity when no period sentence is found (default: rule's)

The period must run from 1 January to 31 December of ``meta.year``
(四川 DB51/T 2660—2019 2.1; the convention of nearly all reports).
Placeholders: ``{stated}`` (the sentence or dates found), ``{expected}``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from checker.engine.context import CheckResult, Context, Failure
from checker.engine.messages import Loc

KIND = "statistics_period"

OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"severity_if_missing": {"enum": ["error", "warning", "info"]}},
}


def compile(options: dict[str, Any]):
    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        meta = ctx.report.meta
        if meta.year is None:
            result.not_applicable.append("report year unknown")
            return result
        start, end = date(meta.year, 1, 1), date(meta.year, 12, 31)
        expected = Loc(f"{meta.year}年1月1日至{meta.year}年12月31日", f"{start} to {end}")
        period = meta.period
        if period is None or (period.start is None and period.end is None and not period.text):
            result.failures.append(
                Failure(
                    "/meta/period",
                    {"stated": Loc("未说明", "not stated"), "expected": expected},
                    expected=f"{start}..{end}",
                    actual=None,
                    severity=options.get("severity_if_missing"),
                    discriminator="missing",
                )
            )
            return result
        if period.start == start and period.end == end:
            result.passed += 1
            return result
        stated = (
            Loc(f"{period.start}至{period.end}", f"{period.start} to {period.end}")
            if period.start or period.end
            else Loc(period.text, period.text)
        )
        result.failures.append(
            Failure(
                "/meta/period",
                {"stated": stated, "expected": expected},
                expected=f"{start}..{end}",
                actual=f"{period.start}..{period.end}",
                pos=period.pos,
                discriminator="wrong",
            )
        )
        return result

    return check
