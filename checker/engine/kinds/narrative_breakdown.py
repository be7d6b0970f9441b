"""narrative_breakdown — a narrative total and its itemised breakdown add up.

Finds sentences such as ``主动公开政府信息171条，其中通知公告类76条，…，其他3条。``
and checks that the items sum to the total. The breakdown may open with
``，其中``, ``其中``, ``，(其中``, ``（其中`` (then it ends at the closing
bracket) or ``主要包括``.

How the list is read, so that ordinary wording raises nothing:

- items are split only at list separators (``，、；``); an item is a piece
  with one number in the total's unit (``通知公告76条``, ``1条播放量破亿``);
  a share (``占30%``) next to an item is skipped;
- a bracketed sub-breakdown belongs to its item
  (``预决算公开197条（政府预决算32条、部门预决算165条）`` is one item, 197);
- the list ends at the first piece that is not an item (other words, a
  comparison such as ``较上年增长12条``) and before the next breakdown's
  total, so two breakdowns in one sentence are two lists;
- a piece with a number in another unit makes the breakdown unreadable (not
  checked); so does a list of fewer than two items;
- ``等`` right after the last item (``…其他3条等``) makes that list partial:
  its items may sum to less than the total, never more. ``等`` inside an item
  (``通知公告等76条``) or later in the sentence changes nothing;
- a list passes when its items add up to the total, or its first items do and
  the list visibly ends there (a ``；``, or ``、``-joined items followed by ``，``);
- items that sum to less than the total, with no catch-all item (``其他``,
  ``其余``, ``剩余``…) and no ``等``, may be a selection from a larger whole
  (``清理规范性文件30件，其中废止3件、修改5件``): that failure is said at
  info severity, as a hint; a sum over the total, or short of it in a list
  with a catch-all item, keeps the rule's severity.

Options::

    scope: sections          # see text_pattern
    units: [条, 件, 个, 篇, 项]
    tolerance: 0

Placeholders: ``{total}``, ``{sum}``, ``{difference}``, ``{unit}``, ``{items}``
(the items as written), ``{quote}`` (the breakdown, shortened), ``{relation}``
(= or ≤), ``{partial}``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from msgspec import Struct

from checker.engine import patterns
from checker.engine.context import CheckResult, Context, Failure, TextPiece
from checker.engine.kinds.text_pattern import SCOPE_SCHEMA, match_position
from checker.engine.messages import Loc
from checker.regexes import compiled, lazy

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
_OPEN, _CLOSE = "（(", "）)"
_QUOTES = {"“": "”", "《": "》", "「": "」"}
_SENTENCE_END = "。\n！？!?"
_SEPARATORS = "，,、；;"
_NUMBER = r"\d+(?:_\d{3})*"
_THOUSANDS = lazy(r"(?<=\d),(?=\d{3}(?!\d))")
_COMPARISON = lazy(r"较|同比|环比|比上年|比去年|增长|增加|减少|下降|上升|提高|降低")
_SHARE_WORDS = lazy(r"\s*(?:约|均|分别)?(?:占|比例|占比)")
_ANY_NUMBER = lazy(r"(?<![\d.])(\d+(?:_\d{3})*(?:\.\d+)?)\s*(\S?)")


def _head_pattern(units: tuple[str, ...]) -> str:
    unit = "|".join(units)
    return (
        rf"(?<![\d.,_])(?P<total>{_NUMBER})\s*(?P<unit>{unit})"
        r"[^\d。；;，,（(其]{0,6}?[，,：:]?\s*(?P<open>[（(])?\s*(?:其中|主要包括)[：:，,]?"
    )


class _Piece(Struct):
    """One list piece: its text as written (bracket contents kept) and what it holds."""

    raw: str
    kind: str  # item | share | foreign | stop
    value: Decimal = Decimal(0)
    partial: bool = False
    end: int = 0  # offset in the text where the piece ends
    separator: str = ""  # the separator after it


_CATCH_ALL = lazy(r"其他|其它|其余|剩余|余下|另有")
_PARTIAL_NOTE = Loc(
    "（列举以“等”结尾，各项之和应不超过总数）",
    " (the list ends in 等, so the items may not exceed the total)",
)
_SELECTION_NOTE = Loc(
    "（分项之和小于总数且未列“其他”项；若只列举了其中几类，可忽略）",
    " (the items fall short of the total and name no 'other' item; "
    "ignore this if only some kinds were listed)",
)


def _span_end(flat: str, start: int, bracketed: bool) -> int:
    """Where the breakdown's text ends: the closing bracket of ``（其中``, else the sentence end
    (or a bracket closing one opened before the total)."""
    depth = 0
    for i in range(start, len(flat)):
        c = flat[i]
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            if depth == 0:
                return i
            depth -= 1
        elif c in _SENTENCE_END and (depth == 0 or not bracketed):
            return i
    return len(flat)


def _without_brackets(text: str) -> str:
    """The text with bracketed and quoted parts blanked (same length): a sub-breakdown is part
    of its item, and a separator inside a name (“双随机,一公开”) separates nothing."""
    out, depth, closing = [], 0, ""
    for c in text:
        if closing:
            closing = "" if c == closing else closing
            out.append(" ")
        elif c in _QUOTES:
            closing = _QUOTES[c]
            out.append(" ")
        elif c in _OPEN:
            depth += 1
            out.append(" ")
        elif c in _CLOSE and depth:
            depth -= 1
            out.append(" ")
        else:
            out.append(" " if depth else c)
    return "".join(out)


def _classify(flat: str, raw: str, unit: str, units: tuple[str, ...]) -> _Piece:
    numbers = list(_ANY_NUMBER.finditer(flat))
    if not numbers and _SHARE_WORDS.match(flat):
        return _Piece(raw, "share")
    if not numbers or _COMPARISON.search(flat):
        return _Piece(raw, "stop")
    in_unit = [m for m in numbers if m.group(2) == unit and "." not in m.group(1)]
    others = [m.group(2) for m in numbers if m not in in_unit]
    if any(u not in "%％" for u in others):
        return _Piece(raw, "foreign" if any(u in units for u in others) or in_unit else "stop")
    if not in_unit:
        return _Piece(raw, "share")
    if len(in_unit) > 1:
        return _Piece(raw, "foreign")
    (number,) = in_unit
    after = flat[number.end() :].lstrip()
    return _Piece(raw, "item", Decimal(number.group(1).replace("_", "")), after.startswith("等"))


def _pieces(
    text: str, flat: str, start: int, end: int, unit: str, units: tuple[str, ...], heads: list[int]
) -> list[_Piece]:
    """The list pieces from `start` to `end`, up to the first that is not an item (kept as
    'stop') or that holds the next breakdown's total."""
    pieces: list[_Piece] = []
    for m in compiled(rf"[^{_SEPARATORS}]+([{_SEPARATORS}]|$)").finditer(flat[start:end]):
        seg_start = start + m.start()
        body_end = seg_start + len(m.group(0)) - len(m.group(1))
        if any(seg_start <= h < body_end for h in heads):
            break
        piece = _classify(flat[seg_start:body_end], text[seg_start:body_end], unit, units)
        piece.end, piece.separator = body_end, m.group(1)
        pieces.append(piece)
        if piece.kind in ("stop", "foreign"):
            break
    return pieces


def _verdict(items: list[_Piece], total: Decimal, tolerance: Decimal) -> tuple[bool, bool]:
    """(passes, partial) for the items of one list.

    Besides the whole list, its first items pass when they make the total and end where
    the list visibly ends: at a ``；``, or where the separator changes (items joined by
    ``、`` followed by a ``，``: the rest is another clause, or the parent list of a nested
    breakdown)."""
    partial = items[-1].partial
    running = Decimal(0)
    joiner = items[0].separator
    for index, item in enumerate(items[:-1]):
        running += item.value
        ends_here = item.separator in "；;" or (index >= 1 and item.separator != joiner)
        if index >= 1 and ends_here and abs(running - total) <= tolerance:
            return True, partial
    whole = running + items[-1].value
    if partial:
        return whole <= total + tolerance, partial
    return abs(whole - total) <= tolerance, partial


def compile(options: dict[str, Any]):
    scope = options.get("scope", "sections")
    units = tuple(options.get("units", _DEFAULT_UNITS))
    tolerance = Decimal(str(options.get("tolerance", 0)))
    head = _head_pattern(units)

    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        for piece in ctx.scope(scope):
            _check_piece(piece, head, units, tolerance, result)
        if not result.passed and not result.failures:
            result.not_applicable.append("no narrative breakdown found")
        return result

    return check


def _check_piece(
    piece: TextPiece, head: str, units: tuple[str, ...], tolerance: Decimal, result: CheckResult
) -> None:
    text = piece.text
    normal = _THOUSANDS.sub("_", text)
    matches = list(patterns.finditer(head, normal))
    heads = [m.start("total") for m in matches]
    for match in matches:
        bracketed = bool(match["open"])
        end = _span_end(normal, match.end(), bracketed)
        flat = normal[: match.end()] + _without_brackets(normal[match.end() : end]) + normal[end:]
        unit = match["unit"]
        found = _pieces(text, flat, match.end(), end, unit, units, heads)
        if any(p.kind == "foreign" for p in found):
            continue
        items = [p for p in found if p.kind == "item"]
        if len(items) < 2:
            continue
        total = Decimal(match["total"].replace("_", ""))
        ok, partial = _verdict(items, total, tolerance)
        if ok:
            result.passed += 1
            continue
        parts_sum = sum((i.value for i in items), Decimal(0))
        listed = [i.raw.strip(" ，,、；;：:") for i in items]
        quote = text[match.start() : items[-1].end]
        short = quote if len(quote) <= 80 else quote[:77] + "…"
        relation = "≤" if partial else "="
        # items short of the total with no catch-all item may be highlights of a larger whole
        # (清理30件，其中废止3件、修改5件): ordinary wording, so a hint and not a warning
        selection = (
            not partial and parts_sum < total and not any(_CATCH_ALL.search(i.raw) for i in items)
        )
        note = _SELECTION_NOTE if selection else _PARTIAL_NOTE if partial else Loc("", "")
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
                    "partial": note,
                },
                expected=f"{relation} {total}",
                actual=str(parts_sum),
                pos=match_position(piece, match.start()),
                discriminator=f"{match['total']}{unit}:{match.start()}",
                severity="info" if selection else None,
            )
        )
