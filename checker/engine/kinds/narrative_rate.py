"""narrative_rate — a percentage stated in the prose agrees with the figures it is made of.

Two forms are read:

- a *share* of a figure the sentence names: ``其中自然人申请64件，占91.4%``. The
  share is recomputed from that figure and each total the same sentence states
  before it in the same unit (``受理申请70件``), and from the table totals
  listed under ``totals`` (for sentences matching their ``sentence_has``);
- a named *rate* (``办结率98.6%``): its numerator and denominators are table cells.

A percentage agrees when some reading gives it at its printed precision
(rounded half up, half to even, or cut off: 91.43 may be printed 91.4, 91
or 91.43). A share with no total to compare it with is not judged.

Options::

    scope: sections
    units: [件, 条]
    totals:                               # table totals a share may be of
      - {sentence_has: '申请', table: t3, cells: [new.total]}
    rates:
      - name: {zh: 办结率, en: handling rate}
        pattern: '(?<!按时|按期)办结率(?:为|达到?)?\\s*(?P<pct>\\d+(?:\\.\\d+)?)\\s*%'
        table: t3
        numerator: [total.total]
        denominators: [[new.total, carried_over.total], [new.total]]

Placeholders: ``{quote}``, ``{stated}`` (the percentage), ``{computed}`` (the
first reading, at the printed precision), ``{reading}`` (what it was computed from).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from checker.engine import patterns
from checker.engine.context import CheckResult, Context, Failure, TextPiece
from checker.engine.kinds.text_pattern import SCOPE_SCHEMA, match_position
from checker.engine.messages import Loc, loc_text
from checker.numbers import decimal_str, rounded
from checker.regexes import compiled, lazy

KIND = "narrative_rate"

_CELLS = {"type": "array", "items": {"type": "string"}, "minItems": 1}
OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "scope": SCOPE_SCHEMA,
        "units": {"type": "array", "items": {"type": "string", "pattern": r"^\w{1,3}$"}},
        "totals": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["sentence_has", "table", "cells"],
                "additionalProperties": False,
                "properties": {
                    "sentence_has": {"type": "string"},
                    "table": {"enum": ["t2", "t3", "t4"]},
                    "cells": _CELLS,
                },
            },
        },
        "rates": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "pattern", "table", "numerator", "denominators"],
                "additionalProperties": False,
                "properties": {
                    "name": {
                        "type": "object",
                        "required": ["zh", "en"],
                        "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
                    },
                    "pattern": {"type": "string"},
                    "table": {"enum": ["t2", "t3", "t4"]},
                    "numerator": _CELLS,
                    "denominators": {"type": "array", "items": _CELLS, "minItems": 1},
                },
            },
        },
    },
}

_SENTENCE_END = "。；;！？!?\n"
_SHARE = lazy(
    r"(?P<n>\d+)\s*(?P<unit>[件条])[^\d。；;]{0,3}?[，,、]?\s*"
    r"(?:约|均)?(?:占比|占(?:全部|总数|总量|总计|比例)?[^\d，,。；;%]{0,10}?)(?:为|达)?\s*"
    r"(?P<pct>\d+(?:\.\d+)?)\s*[%％]"
)
_NUMBER_UNIT = r"(?<![\d.])(\d+)\s*{unit}"


def _percent(numerator: Decimal, denominator: Decimal, places: int, rounding: str) -> Decimal:
    """numerator/denominator as a percentage rounded to `places`, exact whatever the digits
    (a 40-digit figure broke the default context: yaml-116377 of the fuzz campaign)."""
    with localcontext() as context:
        context.prec = max(
            context.prec, numerator.adjusted() - denominator.adjusted() + places + 30
        )
        return rounded(numerator / denominator * 100, places, rounding)


def _places(printed: str) -> int:
    return len(printed.split(".")[1]) if "." in printed else 0


def agrees(numerator: Decimal, denominator: Decimal, printed: str) -> bool:
    """Does numerator/denominator, as a percentage, print as `printed` at its precision?"""
    if denominator == 0:
        return False
    stated = Decimal(printed)
    places = _places(printed)
    return any(
        _percent(numerator, denominator, places, mode) == stated
        for mode in (ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN)
    )


def _shown(numerator: Decimal, denominator: Decimal, printed: str) -> str:
    if not denominator:
        return "0"
    return decimal_str(_percent(numerator, denominator, _places(printed), ROUND_HALF_UP))


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    rights = [i for i in (text.find(c, end) for c in _SENTENCE_END) if i >= 0]
    return left, min(rights, default=len(text))


def _table_total(ctx: Context, table: str, cells: list[str]) -> Decimal | None:
    values = [ctx.value(table, key) for key in cells]
    return None if any(v is None for v in values) else sum(values, Decimal(0))


def compile(options: dict[str, Any]):
    scope = options.get("scope", "sections")
    units = tuple(options.get("units", ("件", "条")))
    totals = options.get("totals", [])
    rates = options.get("rates", [])

    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        for piece in ctx.scope(scope):
            _shares(ctx, piece, units, totals, result)
            _rates(ctx, piece, rates, result)
        if not result.passed and not result.failures:
            result.not_applicable.append("no percentage to recompute")
        return result

    return check


def _fail(
    piece: TextPiece,
    match: Any,
    numerator: Decimal,
    denominator: Decimal,
    reading: Loc,
    result: CheckResult,
) -> None:
    """The printed percentage against numerator/denominator at its precision; `reading` says
    where the two figures came from."""
    stated = f"{match['pct']}%"
    computed = f"{_shown(numerator, denominator, match['pct'])}%"
    result.failures.append(
        Failure(
            piece.pointer,
            {"quote": match.group(0), "stated": stated, "computed": computed, "reading": reading},
            expected=computed,
            actual=stated,
            pos=match_position(piece, match.start()),
            discriminator=f"rate:{match.start()}",
        )
    )


def _shares(
    ctx: Context, piece: TextPiece, units: tuple[str, ...], totals: list, result: CheckResult
) -> None:
    text = piece.text
    for match in patterns.finditer(_SHARE.pattern, text):
        if match["unit"] not in units:
            continue
        left, right = _sentence(text, match.start(), match.end())
        sentence = text[left:right]
        before = text[left : match.start()]
        numerator = Decimal(match["n"])
        readings: list[tuple[Decimal, Loc]] = [
            (Decimal(m.group(1)), Loc(f"{m.group(0)}", m.group(0)))
            for m in compiled(_NUMBER_UNIT.format(unit=match["unit"])).finditer(before)
        ]
        if any(agrees(numerator, d, match["pct"]) for d, _ in readings if d >= numerator):
            result.passed += 1
            continue
        # the table is read only when no total the sentence states agrees
        agreed = False
        for total in totals:
            if not patterns.search(total["sentence_has"], sentence):
                continue
            value = _table_total(ctx, total["table"], total["cells"])
            if value is None:
                continue
            if value >= numerator and agrees(numerator, value, match["pct"]):
                agreed = True
                break
            label = "、".join(ctx.label(total["table"], k).zh for k in total["cells"])
            readings.append((value, Loc(f"{label} {decimal_str(value)}", label)))
        if agreed:
            result.passed += 1
            continue
        if not readings:  # a share of a total nobody states: not judged
            continue
        denominator, named = readings[0]
        reading = Loc(
            f"{numerator}÷{decimal_str(denominator)}（{named.zh}）",
            f"{numerator} / {decimal_str(denominator)} ({named.en})",
        )
        _fail(piece, match, numerator, denominator, reading, result)


def _rates(ctx: Context, piece: TextPiece, rates: list, result: CheckResult) -> None:
    for rate in rates:
        found = list(patterns.finditer(rate["pattern"], piece.text))
        if not found:  # the table is read only for a rate the prose states
            continue
        table = rate["table"]
        numerator = _table_total(ctx, table, rate["numerator"])
        if numerator is None:
            continue
        readings = [
            (d, cells)
            for cells in rate["denominators"]
            if (d := _table_total(ctx, table, cells)) is not None
        ]
        if not readings:
            continue
        for match in found:
            if any(agrees(numerator, d, match["pct"]) for d, _ in readings):
                result.passed += 1
                continue
            denominator, cells = readings[0]
            name = loc_text(rate["name"])
            reading = Loc(
                f"{name.zh}：{decimal_str(numerator)}÷{decimal_str(denominator)}"
                f"（{'、'.join(ctx.label(table, k).zh for k in cells)}）",
                f"{name.en}: {decimal_str(numerator)} / {decimal_str(denominator)}",
            )
            _fail(piece, match, numerator, denominator, reading, result)
