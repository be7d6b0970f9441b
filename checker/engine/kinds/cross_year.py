"""cross_year — a report against last year's report of the same agency.

Checked when the run holds both reports (matched on agency name and year, see
``checker/gate/crossyear.py``); a report checked without its predecessor is *not
applicable*. Two forms.

A relation between this year's and last year's cells::

    table: t3
    over: {columns: "@columns"}          # checked once per member ({member} below)
    lhs: [{year: this, cell: "carried_over.{member}"}]
    rhs: [{year: last, cell: "carried_forward.{member}"}]

Each side is a sum of terms; a term names a cell of this year's (``this``) or
last year's (``last``) table, and ``sign: "-"`` subtracts it. ``over`` is
resolved against this year's template; a term whose cell the other report's
template lacks, or that is blank, makes that member not applicable — so a
relation across the 2020→2021 template change holds wherever both forms have
the cells. Placeholders: ``{member}``, ``{lhs}``, ``{rhs}``, ``{difference}``,
``{lhs_terms}``, ``{rhs_terms}``, ``{previous}`` (last year's file),
``{previous_year}``, ``{year}``, ``{paired}`` (the two agency names, when the
reports write them differently: 平潭综合实验区 / 平潭综合实验区管委会).

Near-identical narrative (内容雷同)::

    text: {scope: sections, threshold: 0.9, min_length: 200}

fails when the similarity of the two texts of ``scope`` (as in
``text_pattern``) reaches ``threshold``; numbers are ignored, so a copy with
this year's figures filled in still counts. Texts shorter than ``min_length``
characters are not applicable. Placeholders: ``{similarity}``,
``{threshold}``, ``{previous}``, ``{previous_year}``, ``{year}``, ``{paired}``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from checker.engine.context import CheckResult, Context, Failure
from checker.engine.kinds import _arith
from checker.engine.messages import Loc
from checker.gate.crossyear import CrossYear, Needs, YearSummary, agency_key, same_agency
from checker.model import cell_pointer
from checker.numbers import decimal_str, rounded
from checker.templates import templates

KIND = "cross_year"

_TERM: dict[str, Any] = {
    "type": "object",
    "required": ["year", "cell"],
    "additionalProperties": False,
    "properties": {
        "year": {"enum": ["this", "last"]},
        "cell": {
            "type": "string",
            "pattern": r"^([a-z_]+|\{member\})(\.([a-z_]+|\{member\}))*$",
            "description": 'a cell key; "{member}" stands for the member of `over`',
        },
        "sign": {"enum": ["+", "-"]},
    },
}
_SIDE: dict[str, Any] = {"type": "array", "items": _TERM, "minItems": 1}

OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "table": {"enum": ["t2", "t3", "t4"]},
        "over": _arith.OVER_SCHEMA,
        "lhs": _SIDE,
        "rhs": _SIDE,
        "text": {
            "type": "object",
            "required": ["threshold"],
            "additionalProperties": False,
            "properties": {
                "scope": {"type": "string", "pattern": r"^(sections|all|section:[1-6])$"},
                "threshold": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                "min_length": {"type": "integer", "minimum": 1},
            },
        },
    },
    "oneOf": [
        {"required": ["table", "lhs", "rhs"], "not": {"required": ["text"]}},
        {
            "required": ["text"],
            "not": {"anyOf": [{"required": [k]} for k in ("table", "over", "lhs", "rhs")]},
        },
    ],
}

_NO_PREVIOUS = "needs last year's report of the same agency, checked in the same run"


def _members(options: dict[str, Any], template: str | None) -> tuple[str | None, ...]:
    over = options.get("over")
    if over is None:
        return (None,)
    tdef = templates()[template].tables.get(options["table"]) if template in templates() else None
    if tdef is None:
        return ()
    try:
        return tdef.resolve(over.get("rows") or over.get("columns"))
    except KeyError:
        return ()


def _key(term: dict[str, Any], member: str | None) -> str:
    return term["cell"].replace("{member}", member or "")


def needs(options: dict[str, Any], template: str | None) -> Needs:
    """Cells (or texts) a report of `template` must keep for this check, in either year's role."""
    if "text" in options:
        return Needs(scopes=frozenset({options["text"].get("scope", "sections")}))
    table = options["table"]
    keys = {
        (table, _key(term, member))
        for member in _members(options, template)
        for term in options["lhs"] + options["rhs"]
    }
    return Needs(cells=frozenset(keys))


def _side(
    ctx: Context, link: CrossYear, table: str, terms: list[dict[str, Any]], member: str | None
) -> tuple[Decimal, list[str], Loc]:
    total = Decimal(0)
    missing: list[str] = []
    shown: dict[str, list[str]] = {"zh": [], "en": []}
    for term in terms:
        summary = link.current if term["year"] == "this" else link.previous
        key = _key(term, member)
        cell = summary.cell(table, key)
        if cell is None or cell.value is None:
            missing.append(f"{summary.year} {key}")
            continue
        negative = term.get("sign") == "-"
        total += -cell.value if negative else cell.value
        for lang in ("zh", "en"):
            year = f"{summary.year}年" if lang == "zh" else f"{summary.year}"
            sign = "−" if negative else ("+" if shown[lang] else "")
            label = ctx.label(table, key).get(lang)
            shown[lang].append(f"{sign} {year} {label} {decimal_str(cell.value)}".strip())
    return total, missing, Loc(" ".join(shown["zh"]), " ".join(shown["en"]))


def _paired(link: CrossYear) -> Loc:
    """Which names were taken for one agency, when they are variants of one name (a pair made
    otherwise, as in rule examples, is not said to be one agency)."""
    mine, theirs = link.current.agency, link.previous.agency
    if not same_agency(mine, theirs) or agency_key(mine) == agency_key(theirs):  # type: ignore[arg-type]
        return Loc("", "")
    return Loc(
        f"；按同一机关配对：“{theirs}”与“{mine}”",
        f'; paired as one agency: "{theirs}" and "{mine}"',
    )


def _common(link: CrossYear) -> dict[str, Any]:
    return {
        "previous": link.previous.path,
        "previous_year": link.previous.year,
        "year": link.current.year,
        "paired": _paired(link),
    }


def _relation(options: dict[str, Any]):
    table = options["table"]
    over = options.get("over") or {}
    axis = "rows" if "rows" in over else "columns"

    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        link = ctx.report.cross_year
        if link is None:
            result.not_applicable.append(_NO_PREVIOUS)
            return result
        members = _members(options, link.current.template)
        if not members:
            result.not_applicable.append(f"template {link.current.template} has no such {axis}")
        for member in members:
            lhs, lhs_missing, lhs_terms = _side(ctx, link, table, options["lhs"], member)
            rhs, rhs_missing, rhs_terms = _side(ctx, link, table, options["rhs"], member)
            if lhs_missing or rhs_missing:
                result.not_applicable.append("missing: " + ", ".join(lhs_missing + rhs_missing))
                continue
            if lhs == rhs:
                result.passed += 1
                continue
            anchor_term = next((t for t in options["lhs"] if t["year"] == "this"), None)
            anchor_term = anchor_term or next(t for t in options["rhs"] if t["year"] == "this")
            anchor = _key(anchor_term, member)
            anchor_cell = link.current.cell(table, anchor)
            result.failures.append(
                Failure(
                    pointer=cell_pointer(table, anchor),
                    params={
                        "member": ctx.axis_label(table, member, axis) if member else Loc("", ""),
                        "lhs": lhs,
                        "rhs": rhs,
                        "difference": lhs - rhs,
                        "lhs_terms": lhs_terms,
                        "rhs_terms": rhs_terms,
                        **_common(link),
                    },
                    expected=str(rhs),
                    actual=str(lhs),
                    pos=anchor_cell.pos if anchor_cell else None,
                    related=(cell_pointer(table, anchor),),
                    discriminator=link.previous.path,
                )
            )
        return result

    return check


def _percent(value: Decimal) -> str:
    return f"{rounded(value * 100, 0, ROUND_HALF_EVEN)}%"


def _similarity(options: dict[str, Any]):
    scope = options["text"].get("scope", "sections")
    threshold = Decimal(str(options["text"]["threshold"]))
    min_length = int(options["text"].get("min_length", 1))

    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        link = ctx.report.cross_year
        if link is None:
            result.not_applicable.append(_NO_PREVIOUS)
            return result
        this, last = _texts(link.current, scope), _texts(link.previous, scope)
        if this is None or last is None or min(this.length, last.length) < min_length:
            result.not_applicable.append(f"{scope}: text missing or shorter than {min_length}")
            return result
        similarity = this.similarity(last)
        if similarity < threshold:
            result.passed += 1
            return result
        result.failures.append(
            Failure(
                pointer=this.pointer,
                params={
                    "similarity": _percent(similarity),
                    "threshold": _percent(threshold),
                    **_common(link),
                },
                expected=f"< {_percent(threshold)}",
                actual=_percent(similarity),
                pos=this.pos,
                discriminator=link.previous.path,
            )
        )
        return result

    return check


def _texts(summary: YearSummary, scope: str):
    return summary.texts.get(scope)


def compile(options: dict[str, Any]):
    return _similarity(options) if "text" in options else _relation(options)
