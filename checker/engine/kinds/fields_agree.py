"""fields_agree — metadata facts that must name the same value do so.

Options::

    fields: [year, title_year, period_start_year, period_end_year]

Facts: ``year`` (the report's data year), ``title_year`` (the year in the
title), ``period_start_year`` / ``period_end_year`` (the statistics period).
Facts that are unknown are skipped; fewer than two known is not applicable.
Placeholders: ``{values}`` (each fact with its value).
"""

from __future__ import annotations

from typing import Any

from checker.engine.context import CheckResult, Context, Failure
from checker.engine.messages import Loc

KIND = "fields_agree"

FACT_NAMES = {
    "year": Loc("报告年度", "report year"),
    "title_year": Loc("标题年份", "title year"),
    "period_start_year": Loc("统计期限起始年份", "period start year"),
    "period_end_year": Loc("统计期限截止年份", "period end year"),
}

OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["fields"],
    "additionalProperties": False,
    "properties": {"fields": {"type": "array", "items": {"enum": list(FACT_NAMES)}, "minItems": 2}},
}

_POINTERS = {
    "year": "/meta/year",
    "title_year": "/meta/title",
    "period_start_year": "/meta/period",
    "period_end_year": "/meta/period",
}


def compile(options: dict[str, Any]):
    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        facts = ctx.facts()
        known = [(name, facts[name]) for name in options["fields"] if facts.get(name) is not None]
        if len(known) < 2:
            result.not_applicable.append("fewer than two of the facts are known")
            return result
        if len({value for _, value in known}) == 1:
            result.passed += 1
            return result
        values = Loc(
            "，".join(f"{FACT_NAMES[n].zh} {v}" for n, v in known),
            ", ".join(f"{FACT_NAMES[n].en} {v}" for n, v in known),
        )
        odd = next(n for n, v in known if v != known[0][1])
        pointer = _POINTERS[odd]
        meta = ctx.report.meta
        pos = (
            meta.period.pos
            if pointer == "/meta/period" and meta.period
            else meta.positions.get(pointer.rsplit("/", 1)[1])
        )
        result.failures.append(
            Failure(
                pointer,
                {"values": values},
                expected=known[0][1],
                actual=dict(known).get(odd),
                pos=pos,
            )
        )
        return result

    return check
