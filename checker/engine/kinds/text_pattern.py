"""text_pattern — wording that must (or must not) appear in a part of the report.

Options::

    scope: section:5          # title | preamble | section:N | sections | all
    present: ['考核', '评议']   # each pattern must match somewhere in the scope; an item may
                              # also be {pattern: ..., name: {zh, en}} to name it for people
    absent: ['^\\s*无[。.]?\\s*$']  # no pattern may match; an item may also be
                              # {pattern: ..., scope: section:5} to look in another scope
    min_chars: 20             # the scope holds at least this many letters/CJK characters

Patterns are regular expressions (the ``regex`` module, run with a time
limit) and may use ``{year}``, ``{prev_year}``, ``{next_year}``, ``{agency}``.
A scope that is absent (no such section, no title) is not applicable.
Placeholders: ``{missing}`` (patterns not found), ``{found}`` (text matched),
``{chars}``, ``{min_chars}``.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from checker.engine import patterns
from checker.engine.context import CheckResult, Context, Failure, TextPiece
from checker.engine.messages import Loc, loc_text
from checker.model import Position
from checker.regexes import lazy

KIND = "text_pattern"

SCOPE_SCHEMA = {"type": "string", "pattern": r"^(title|preamble|sections|all|section:[1-6])$"}
OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["scope"],
    "additionalProperties": False,
    "properties": {
        "scope": SCOPE_SCHEMA,
        "present": {
            "type": "array",
            "minItems": 1,
            "items": {
                "oneOf": [
                    {"type": "string"},
                    {
                        "type": "object",
                        "required": ["pattern", "name"],
                        "additionalProperties": False,
                        "properties": {
                            "pattern": {"type": "string"},
                            "name": {
                                "type": "object",
                                "required": ["zh", "en"],
                                "additionalProperties": False,
                                "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
                            },
                        },
                    },
                ]
            },
        },
        "absent": {
            "type": "array",
            "minItems": 1,
            "items": {
                "oneOf": [
                    {"type": "string"},
                    {
                        "type": "object",
                        "required": ["pattern"],
                        "additionalProperties": False,
                        "properties": {"pattern": {"type": "string"}, "scope": SCOPE_SCHEMA},
                    },
                ]
            },
        },
        "min_chars": {"type": "integer", "minimum": 1},
    },
    "anyOf": [{"required": ["present"]}, {"required": ["absent"]}, {"required": ["min_chars"]}],
}


def _readable(pattern: str) -> str:
    """A keyword pattern shown to people without regex escapes."""
    return pattern.replace("\\", "")


def match_position(piece: TextPiece, offset: int) -> Position | None:
    """Line/column of a character offset inside a text piece (text starts on its own line)."""
    if piece.offsets:
        starts = [start for start, _ in piece.offsets]
        start, pos = piece.offsets[max(0, bisect_right(starts, offset) - 1)]
        if pos.line is None:
            return pos
        return Position(pos.path, pos.line, (pos.column or 1) + offset - start, page=pos.page)
    if piece.pos is None or piece.pos.line is None:
        return piece.pos
    before = piece.text[:offset]
    line = piece.pos.line + before.count("\n")
    column = offset - (before.rfind("\n") + 1) + 1
    return Position(piece.pos.path, line, column, page=piece.pos.page)


_NOT_ALNUM = lazy(r"[\W_]+")


def _alnum_count(text: str) -> int:
    """Letters and digits (Chinese characters included), as str.isalnum counts them."""
    return len(_NOT_ALNUM.sub("", text))


def compile(options: dict[str, Any]):
    scope = options["scope"]

    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        pieces = ctx.scope(scope)
        if not pieces:
            result.not_applicable.append(f"scope {scope} absent")
            return result
        facts = patterns.fact_values(ctx.report.meta.year, ctx.report.meta.agency)
        first = pieces[0]
        joined = "\n".join(p.text for p in pieces)
        chars = _alnum_count(joined) if "min_chars" in options else None
        common = {
            "chars": chars,
            "min_chars": options.get("min_chars", 0),
            "found": joined.strip()[:40],
            "missing": "",
        }
        if "min_chars" in options and chars < options["min_chars"]:
            result.failures.append(
                Failure(
                    first.pointer,
                    common,
                    expected=f">= {options['min_chars']}",
                    actual=chars,
                    pos=first.pos,
                    discriminator="min_chars",
                )
            )
            return result  # too short: what it does or does not say adds nothing
        missing: list[Loc] = []
        for item in options.get("present", ()):
            raw = item["pattern"] if isinstance(item, dict) else item
            pattern = patterns.substitute(raw, facts)
            if pattern is None:
                result.not_applicable.append(f"facts unknown for {raw!r}")
                continue
            text = patterns.literal(raw, facts)
            found = (
                any(text in p.text for p in pieces)
                if text is not None
                else any(patterns.search(pattern, p.text) for p in pieces)
            )
            if not found:
                missing.append(
                    loc_text(item["name"])
                    if isinstance(item, dict)
                    else loc_text(_readable(pattern))
                )
        if missing:
            result.failures.append(
                Failure(
                    first.pointer,
                    {**common, "missing": missing},
                    expected=[m.en for m in missing],
                    actual=None,
                    pos=first.pos,
                    discriminator="present",
                )
            )
        for item in options.get("absent", ()):
            raw = item["pattern"] if isinstance(item, dict) else item
            pattern = patterns.substitute(raw, facts)
            if pattern is None:
                result.not_applicable.append(f"facts unknown for {raw!r}")
                continue
            where = (
                ctx.scope(item["scope"]) if isinstance(item, dict) and "scope" in item else pieces
            )
            for piece in where:
                for match in patterns.finditer(pattern, piece.text):
                    found = match.group(0).strip() or match.group(0)
                    result.failures.append(
                        Failure(
                            piece.pointer,
                            {**common, "found": found},
                            expected=None,
                            actual=match.group(0),
                            pos=match_position(piece, match.start()),
                            discriminator=f"absent:{found}",
                        )
                    )
        if not result.failures:
            result.passed += 1
        elif chars is None:  # counted only when a message may say it
            counted = _alnum_count(joined)
            for failure in result.failures:
                failure.params["chars"] = counted
        return result

    return check
