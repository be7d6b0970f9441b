"""statistics_period — the report states its statistics period, and it is the report year.

Options::

    severity_if_missing: warning   # severity when no period sentence is found (default: rule's)
    statements:                    # further wordings of a stated period, naming its year as
      - '统计期限为(?P<year>\\d{4})年度'   # the group ``year``: another year is wrong
    full_year:                     # wordings that name the whole report year without the word
      - '(?P<year>\\d{4})年1月1日至12月31日'   # 统计: only the report year counts (another
                                              # year may be a comparison)

When the period has no dates (none was read, or a structured report's
``period.text`` alone), these wordings are looked for in the period text and
then in the preamble.

The period must run from 1 January to 31 December of ``meta.year``
(四川 DB51/T 2660—2019 2.1; the convention of nearly all reports).
Placeholders: ``{stated}`` (the sentence or dates found), ``{expected}``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from checker.engine import patterns
from checker.engine.context import CheckResult, Context, Failure
from checker.engine.messages import Loc

KIND = "statistics_period"

OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "severity_if_missing": {"enum": ["error", "warning", "info"]},
        "statements": {"type": "array", "items": {"type": "string"}},
        "full_year": {"type": "array", "items": {"type": "string"}},
    },
}


def _stated_year(
    texts: list[str], statements: list[str], full_year: list[str], year: int
) -> tuple[int, str] | None:
    """(year, wording) of a period stated in other words, from the first text that states one:
    the report year's if a wording there names it, else another year a statement names;
    None when nothing is said."""
    for text in texts:
        other: tuple[int, str] | None = None
        for pattern in (*statements, *full_year):
            for match in patterns.finditer(pattern, text):
                stated = int(match["year"])
                if stated == year:
                    return stated, match.group(0)
                if pattern in statements and other is None:
                    other = (stated, match.group(0))
        if other is not None:
            return other
    return None


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
        if period is None or (period.start is None and period.end is None):
            texts = [period.text] if period and period.text else []
            texts += [p.text for p in ctx.scope("preamble")]
            said = _stated_year(
                texts, options.get("statements", []), options.get("full_year", []), meta.year
            )
            if said is not None and said[0] == meta.year:
                result.passed += 1
                return result
            if said is not None:
                result.failures.append(
                    Failure(
                        "/meta/period",
                        {"stated": Loc(said[1], said[1]), "expected": expected},
                        expected=f"{start}..{end}",
                        actual=said[1],
                        pos=period.pos if period else None,
                        discriminator="wrong",
                    )
                )
                return result
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
