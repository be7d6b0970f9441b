"""Turn the text of a table cell into a number, a blank, or "not a number".

Full-width digits, thousands separators, signs (本年增/减 is signed), units
written in the cell (``251000元``) and annotations (``22（其中修订16件）``) are
understood. Placeholders (``/``, ``—``, ``-``, ``无``, ``不适用``, empty) are blank, never 0.
"""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache

from msgspec import Struct

from checker.regexes import lazy

PLACEHOLDERS = frozenset(
    {
        "",
        "/",
        "／",
        "-",
        "--",
        "—",
        "–",
        "——",
        "－",
        "－－",
        "…",
        "...",
        "无",
        "暂无",
        "不适用",
        "\\",
        "×",
        "n/a",
        "N/A",
        "□",  # an empty checkbox or a placeholder box
        "☐",
        "▢",
    }
)
MAX_SHOWN_DIGITS = 40
_UNITS = r"(?:万元|元|件|条|个|项|人次|次|页)"
_NUMBER = lazy(
    r"^(?P<sign>[+\-−])?\s*(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?\s*"
    + rf"(?P<unit>{_UNITS})?\s*(?P<note>[(（].*[)）])?$"
)


class ParsedNumber(Struct, frozen=True):
    value: Decimal | None  # None when blank
    is_number: bool  # False for text that is neither a number nor a placeholder
    unit: str | None = None
    note: str | None = None
    signed: bool = False


def normalize_digits(text: str) -> str:
    """NFKC-fold full-width digits, signs and brackets; drop inner spaces and NBSPs."""
    return unicodedata.normalize("NFKC", text).replace("\u00a0", " ").strip()


@lru_cache(maxsize=16384)  # extraction asks about the same few hundred strings all the time
def parse_number(text: str | None) -> ParsedNumber:
    if text is None:
        return ParsedNumber(None, True)
    folded = normalize_digits(text)
    if folded in PLACEHOLDERS:
        return ParsedNumber(None, True)
    match = _NUMBER.match(folded)
    if not match:
        return ParsedNumber(None, False)
    digits = match["digits"].replace(",", "")
    literal = digits + (f".{match['frac']}" if match["frac"] else "")
    try:
        value = Decimal(literal)
    except InvalidOperation:  # pragma: no cover - the regex only admits digits
        return ParsedNumber(None, False)
    sign = match["sign"]
    if sign in ("-", "−") and value:
        value = -value  # "-0" stays 0
    note = match["note"][1:-1] if match["note"] else None
    return ParsedNumber(value, True, match["unit"], note, signed=sign is not None)


def is_value_token(text: str) -> bool:
    """True when `text` reads as a table value (a number or a blank placeholder)."""
    return parse_number(text).is_number


def decimal_str(value: Decimal | None) -> str:
    """Render a Decimal for people: 12, 3.5, -1 (never 1E+1)."""
    if value is None:
        return "空"
    if not value.is_finite():
        return str(value)
    if abs(value.adjusted()) > MAX_SHOWN_DIGITS:  # 1E+400: digits nobody reads
        return f"{value.normalize():E}"
    if value == value.to_integral_value():
        return format(value.to_integral_value(), "f")
    return format(value.normalize(), "f")


def rounded(value: Decimal, places: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    """``value`` rounded to ``places`` decimals (negative: tens, hundreds…), exactly, however
    many digits it has: the default 28-digit context makes ``quantize`` raise
    InvalidOperation on a figure of 40 digits (a typo, or a hostile file)."""
    with localcontext() as context:
        context.prec = max(context.prec, max(value.adjusted(), 0) + max(places, 0) + 2)
        return value.quantize(Decimal(1).scaleb(-places), rounding=rounding)
