"""narrative_figure — a figure stated in the prose equals the table.

Options::

    scope: sections
    figures:
      - name: {zh: 本年新收申请, en: new applications}
        pattern: '(?:新收|收到)[^。；，,]{0,12}?申请\\s*(?P<n>\\d+)\\s*件'
        table: t3
        cells: [new.total]            # summed when several
        templates: ["2019", "2021"]   # optional: the figure applies to these formats only
      - name: {zh: 复议诉讼均获维持, en: all upheld}
        pattern: '均(?:获|被)?维持'
        value: 0                      # a claim: the cells must sum to this value
        table: t4
        cells: [review.corrected, review.pending]

Every match is checked. A figure whose cells are blank or absent is not
applicable. Placeholders: ``{figure}`` (name), ``{stated}`` (the number in
the prose), ``{table_value}``, ``{cells}`` (cells with values), ``{quote}``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from checker.engine import patterns
from checker.engine.context import CheckResult, Context, Failure
from checker.engine.kinds.text_pattern import SCOPE_SCHEMA, match_position
from checker.engine.messages import Loc, loc_text
from checker.model import cell_pointer
from checker.numbers import decimal_str

KIND = "narrative_figure"

_FIGURE = {
    "type": "object",
    "required": ["name", "pattern", "table", "cells"],
    "additionalProperties": False,
    "properties": {
        "name": {
            "type": "object",
            "required": ["zh", "en"],
            "additionalProperties": False,
            "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
        },
        "pattern": {"type": "string"},
        "value": {"type": "integer"},
        "table": {"enum": ["t2", "t3", "t4"]},
        "cells": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "templates": {"type": "array", "items": {"enum": ["2019", "2021"]}},
    },
}
OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["figures"],
    "additionalProperties": False,
    "properties": {
        "scope": SCOPE_SCHEMA,
        "figures": {"type": "array", "items": _FIGURE, "minItems": 1},
    },
}


def _terms(ctx: Context, table: str, cells: list[str], values: list, lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(
        f"{ctx.label(table, key).get(lang)} {decimal_str(v)}"
        for key, v in zip(cells, values, strict=True)
    )


def compile(options: dict[str, Any]):
    scope = options.get("scope", "sections")
    figures = options["figures"]

    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        pieces = ctx.scope(scope)
        template = ctx.report.meta.template
        for figure in figures:
            if "templates" in figure and template not in figure["templates"]:
                continue
            table, cells = figure["table"], figure["cells"]
            values = [ctx.value(table, key) for key in cells]
            if any(v is None for v in values):
                result.not_applicable.append(f"cells blank or absent: {cells}")
                continue
            table_value = sum(values, Decimal(0))
            name = loc_text(figure["name"])
            for piece in pieces:
                for match in patterns.finditer(figure["pattern"], piece.text):
                    stated = (
                        Decimal(match["n"])
                        if "n" in match.groupdict() and match["n"]
                        else Decimal(figure.get("value", 0))
                    )
                    if stated == table_value:
                        result.passed += 1
                        continue
                    terms = Loc(*(_terms(ctx, table, cells, values, lang) for lang in ("zh", "en")))
                    quote = match.group(0)
                    result.failures.append(
                        Failure(
                            piece.pointer,
                            {
                                "figure": name,
                                "stated": stated,
                                "table_value": table_value,
                                "cells": terms,
                                "quote": quote,
                            },
                            expected=str(table_value),
                            actual=str(stated),
                            pos=match_position(piece, match.start()),
                            related=tuple(cell_pointer(table, key) for key in cells),
                            discriminator=f"{name.en}:{quote}",
                        )
                    )
        if not result.passed and not result.failures:
            result.not_applicable.append("no figure found in the prose")
        return result

    return check
