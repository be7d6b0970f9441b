"""Row labels matched tolerantly but safely: a misspelt or restyled label still anchors its row.

A published table may misspell a label (``2.其他法律行政止公开``), drop or add a
character, or number its rows in another style (``(2)``, ``2）``, ``二、``).
Such a label names a template row when all of these hold:

- its text (numbering aside) is close to that row's label (similarity at least
  ``MIN_SIMILARITY``) and clearly closer to it than to any other row (by ``MARGIN``);
- where both are numbered, the numbers agree (``2.`` is not the row numbered ``3.``);
- no exact label in the table names that row already (never two rows on one label);
- its place in the table agrees: it stands between the rows before and after it in
  the template's order.

The row is then read, and EXT-010 (a warning) names the printed and the official label.
"""

from __future__ import annotations

import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from checker.regexes import lazy
from checker.templates import RowDef, TableDef, normalize_label, split_numbering

MIN_SIMILARITY = 0.75
MARGIN = 0.1
_LOOSE_NUMBER = lazy(
    r"^(?:[(（](?P<a>\d{1,2}|[一二三四五六七八九十]{1,3})[)）]|(?P<b>\d{1,2}|[一二三四五六七八九十]{1,3})[)）.、．])"
)
_CHINESE = "一二三四五六七八九十"


def _number_of(text: str) -> tuple[str, str, str]:
    """(kind, number, rest): kind 'paren' for (一)/(1), 'dot' for 1./一、/2）, '' when unnumbered;
    the number in Arabic digits, so that styles compare."""
    folded = unicodedata.normalize("NFKC", text).strip()
    match = _LOOSE_NUMBER.match(folded)
    if not match:
        return "", "", folded
    number = match["a"] or match["b"]
    if number[0] in _CHINESE:
        number = str(_CHINESE.index(number[-1]) + 1 + (10 if len(number) > 1 else 0))
    return ("paren" if match["a"] else "dot"), number, folded[match.end() :]


def is_numbered(text: str) -> bool:
    """Does the label start with a row number in any style (``(2)``, ``2）``, ``二、``)?"""
    kind, _, rest = _number_of(text)
    return len(text) <= 40 and bool(kind) and len(rest.strip()) >= 2


def _row_number(row: RowDef) -> str:
    return _number_of(row.labels[0])[1]


@lru_cache(maxsize=8192)
def _similarity(left: str, right: str) -> float:
    return SequenceMatcher(None, left, right).ratio()


def _closeness(core: str, row_core: str) -> float:
    """Similarity, or 0.9 for a label cut short or run on (one holds the other's opening)."""
    shorter = min(len(core), len(row_core))
    if shorter >= 4 and (core.startswith(row_core) or row_core.startswith(core)):
        return max(0.9, _similarity(core, row_core))
    return _similarity(core, row_core)


def closest_row(text: str, tdef: TableDef) -> RowDef | None:
    """The one template row `text` is close enough to (see the module), ignoring table order."""
    _, number, rest = _number_of(text)
    core = split_numbering(normalize_label(rest))[1]
    if len(core) < 2:
        return None
    scored: list[tuple[float, RowDef]] = []
    for row in tdef.rows:
        if row.kind == "heading":
            continue
        row_number = _row_number(row)
        if number and row_number and number != row_number:
            continue
        best = max((_closeness(core, c) for c in row.cores), default=0.0)
        scored.append((best, row))
    scored.sort(key=lambda item: -item[0])
    if not scored or scored[0][0] < MIN_SIMILARITY:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < MARGIN:
        return None
    return scored[0][1]
