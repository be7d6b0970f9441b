"""narrative_figure — a figure or a claim stated in the prose agrees with the tables.

The options are a small claim model, kept in the rule pack (data, not code):
each *figure* names what the prose states, the phrasings reports use for it,
and the table cells (or sums of cells) it refers to.

Options::

    scope: sections
    sentence_has: '申请'             # optional: only sentences mentioning this are read
                                     # (a figure may set its own, and ``unless_sentence``:
                                     # sentences mentioning that are not read)
    skip_clause: '上年|去年|其中'     # optional: a match is skipped when the words of its
                                     # clause before it say it is about something else
    figures:
      - name: {zh: 本年新收申请, en: new applications}
        patterns:                     # phrasing variants ("pattern:" for a single one)
          - '新收(?:政府信息公开)?申请\\s*(?P<n>\\d+)\\s*件'
          - '(?P<n>\\d+)\\s*件新收申请'
        table: t3
        cells: [new.total]            # summed when several
        alternatives:                 # optional: further readings; any one that agrees passes
          - [new.total, carried_over.total]
        templates: ["2019", "2021"]   # optional: the figure applies to these formats only
        keywords: [新收]              # optional: words every phrasing contains; a piece
                                      # without any of them is not searched (speed)
      - name: {zh: 复议诉讼均获维持, en: all upheld}
        pattern: '均(?:获|被)?维持'
        value: 0                      # a claim: the cells must sum to this value
        table: t4
        cells: [review.corrected, review.pending]
        groups:                       # optional, for claims: only the groups the sentence
          - {mentions: '复议', cells: [review.corrected]}   # mentions (all when none is)
          - {mentions: '诉讼', cells: [litigation_direct.corrected]}

A figure's number is the ``n`` group (``3,119`` is read as 3119; an amount
agrees at the precision the prose writes it, 96.2 for 96.16); figures are
read in the order listed and a number one figure has read is not read again
by a later one, so the specific phrasing (予以公开及部分公开) is listed before
the general one (予以公开). Patterns may use ``{year}``, ``{prev_year}``,
``{next_year}``. A figure whose cells are blank or absent is not applicable.
Placeholders: ``{figure}`` (name), ``{stated}`` (the number in the prose),
``{table_value}``, ``{cells}`` (cells with values), ``{quote}``.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from checker.engine import patterns
from checker.engine.context import CheckResult, Context, Failure, TextPiece
from checker.engine.kinds.text_pattern import SCOPE_SCHEMA, match_position
from checker.engine.messages import Loc, loc_text
from checker.model import cell_pointer
from checker.numbers import decimal_str, rounded

KIND = "narrative_figure"

_CELLS = {"type": "array", "items": {"type": "string"}, "minItems": 1}
_FIGURE = {
    "type": "object",
    "required": ["name", "table", "cells"],
    "additionalProperties": False,
    "properties": {
        "name": {
            "type": "object",
            "required": ["zh", "en"],
            "additionalProperties": False,
            "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
        },
        "pattern": {"type": "string"},
        "patterns": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "value": {"type": "integer"},
        "table": {"enum": ["t2", "t3", "t4"]},
        "cells": _CELLS,
        "alternatives": {"type": "array", "items": _CELLS, "minItems": 1},
        "groups": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["mentions", "cells"],
                "additionalProperties": False,
                "properties": {"mentions": {"type": "string"}, "cells": _CELLS},
            },
        },
        "keywords": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "skip_clause": {"type": "string"},
        "sentence_has": {"type": "string"},
        "unless_sentence": {"type": "string"},
        "templates": {"type": "array", "items": {"enum": ["2019", "2021"]}},
    },
    "anyOf": [{"required": ["pattern"]}, {"required": ["patterns"]}],
}
OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["figures"],
    "additionalProperties": False,
    "properties": {
        "scope": SCOPE_SCHEMA,
        "sentence_has": {"type": "string"},
        "skip_clause": {"type": "string"},
        "figures": {"type": "array", "items": _FIGURE, "minItems": 1},
    },
}

_SENTENCE_END = "。；;！？!?\n"
_CLAUSE_END = _SENTENCE_END + "，,、：:"


def _terms(ctx: Context, table: str, cells: list[str], values: list, lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(
        f"{ctx.label(table, key).get(lang)} {decimal_str(v)}"
        for key, v in zip(cells, values, strict=True)
    )


def _bounds(text: str, start: int, end: int, stops: str) -> tuple[int, int]:
    """The sentence (or clause) around text[start:end]."""
    left = max(text.rfind(c, 0, start) for c in stops) + 1
    rights = [i for i in (text.find(c, end) for c in stops) if i >= 0]
    return left, min(rights, default=len(text))


def _number(raw: str) -> Decimal:
    return Decimal(raw.replace(",", "").replace("，", ""))


class _Reading:
    """The cells one reading of a figure refers to, with their values (None when blank)."""

    def __init__(self, ctx: Context, table: str, cells: list[str]) -> None:
        self.cells = cells
        self.values = [ctx.value(table, key) for key in cells]
        self.usable = all(v is not None for v in self.values)
        self.total = sum(self.values, Decimal(0)) if self.usable else None


def _agrees(stated: Decimal, total: Decimal | None) -> bool:
    """Equal, or equal at the precision the prose writes (96.2万元 for a table's 96.16)."""
    if total is None:
        return False
    if stated == total:
        return True
    places = stated.as_tuple().exponent
    if not isinstance(places, int) or places <= total.as_tuple().exponent:  # type: ignore[operator]
        return False
    return rounded(total, -places) == stated


def _compiled_patterns(figure: dict[str, Any], facts: dict[str, str | None]) -> list[str]:
    raw = figure.get("patterns") or [figure["pattern"]]
    filled = (patterns.substitute(p, facts) for p in raw)
    return [p for p in filled if p is not None]


def _claim_cells(figure: dict[str, Any], sentence: str) -> list[str]:
    """A claim's cells: those of the groups its sentence mentions (all when it names none)."""
    groups = figure.get("groups")
    if not groups:
        return figure["cells"]
    named = [g for g in groups if patterns.search(g["mentions"], sentence)]
    chosen = named or groups
    return [cell for g in chosen for cell in g["cells"]]


def compile(options: dict[str, Any]):
    scope = options.get("scope", "sections")
    figures = options["figures"]
    sentence_has = options.get("sentence_has")
    rule_skip = options.get("skip_clause")
    by_agency = "{agency}" in f"{figures}{rule_skip}"

    @lru_cache(maxsize=32)
    def prepared(year: int | None, agency: str | None) -> tuple[tuple[list[str], list[str]], ...]:
        """Each figure's phrasings and clause guards with the report's facts filled in: the
        same for every report of a year, so substituted once, not once per report."""
        facts = patterns.fact_values(year, agency)
        return tuple(
            (
                _compiled_patterns(figure, facts),
                [
                    s
                    for s in (
                        patterns.substitute(x, facts) if x else None
                        for x in (rule_skip, figure.get("skip_clause"))
                    )
                    if s
                ],
            )
            for figure in figures
        )

    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        pieces = ctx.scope(scope)
        meta = ctx.report.meta
        filled = prepared(meta.year, meta.agency if by_agency else None)
        claimed: dict[int, set[tuple[int, int]]] = {}
        for figure, (phrasings, skips) in zip(figures, filled, strict=True):
            if "templates" in figure and meta.template not in figure["templates"]:
                continue
            found = _Finder(pieces, claimed, skips, figure.get("keywords"))
            wanted = figure.get("sentence_has", sentence_has)
            unless = figure.get("unless_sentence")
            for piece, match in found.matches(phrasings, wanted, unless):
                _judge(ctx, figure, figure["table"], piece, match, result)
        if not result.passed and not result.failures:
            result.not_applicable.append("no figure found in the prose")
        return result

    return check


class _Finder:
    """Matches of a figure's phrasings, minus those another figure read or a clause rules out."""

    def __init__(
        self,
        pieces: list[TextPiece],
        claimed: dict[int, set[tuple[int, int]]],
        skips: list[str],
        keywords: list[str] | None = None,
    ) -> None:
        self.keywords = keywords
        self.pieces = pieces
        self.claimed = claimed
        self.skips = skips

    def matches(self, compiled: list[str], sentence_has: str | None, unless: str | None):
        for index, piece in enumerate(self.pieces):
            if self.keywords and not any(word in piece.text for word in self.keywords):
                continue  # plain-text test first: most pieces state most figures nowhere
            taken = self.claimed.setdefault(index, set())
            found = (
                match for pattern in compiled for match in patterns.finditer(pattern, piece.text)
            )
            for match in found:
                span = match.span("n") if match.groupdict().get("n") else None
                if span is not None and span in taken:
                    continue
                text = piece.text
                left, right = _bounds(text, match.start(), match.end(), _SENTENCE_END)
                sentence = text[left:right]
                if sentence_has and not patterns.search(sentence_has, sentence):
                    continue
                if unless and patterns.search(unless, sentence):
                    continue
                clause_left, _ = _bounds(text, match.start(), match.start(), _CLAUSE_END)
                before = text[clause_left : match.start()]
                if any(patterns.search(s, before) for s in self.skips):
                    continue
                if span is not None:
                    taken.add(span)
                yield piece, match


def _judge(
    ctx: Context,
    figure: dict[str, Any],
    table: str,
    piece: TextPiece,
    match: Any,
    result: CheckResult,
) -> None:
    if match.groupdict().get("n"):
        stated = _number(match["n"])
        cell_lists = [figure["cells"], *figure.get("alternatives", ())]
    else:
        stated = Decimal(figure.get("value", 0))
        left, right = _bounds(piece.text, match.start(), match.end(), _SENTENCE_END)
        cell_lists = [_claim_cells(figure, piece.text[left:right])]
    usable: list[_Reading] = []
    for cells in cell_lists:  # further readings are read only when the first ones disagree
        reading = _Reading(ctx, table, cells)
        if reading.usable and _agrees(stated, reading.total):
            result.passed += 1
            return
        if reading.usable:
            usable.append(reading)
    if not usable:
        result.not_applicable.append(f"cells blank or absent: {figure['cells']}")
        return
    first = usable[0]
    name = loc_text(figure["name"])
    terms = Loc(*(_terms(ctx, table, first.cells, first.values, lang) for lang in ("zh", "en")))
    quote = match.group(0)
    result.failures.append(
        Failure(
            piece.pointer,
            {
                "figure": name,
                "stated": stated,
                "table_value": first.total,
                "cells": terms,
                "quote": quote,
            },
            expected=str(first.total),
            actual=str(stated),
            pos=match_position(piece, match.start()),
            related=tuple(cell_pointer(table, key) for key in first.cells),
            discriminator=f"{name.en}:{quote}",
        )
    )
