"""Cells as people see them: what a reader of the printed table would not count as a value.

- Empty cells at the edges of a row (``|  |`` after the last value of a Markdown
  row, a ruled but empty PDF cell between a label spanning two columns and the
  values) are not values when the row has more cells than columns: they are
  dropped, leading or trailing, when that makes the count right. Empty cells
  inside the row are dropped only when the row's non-empty cells are exactly its
  columns (a merged cell drawn as two). Otherwise the row keeps them, so a real
  blank stays blank and a row that is really too long is still reported.
- A page footer inside a table (``— 5 —``, ``- 5 -``, ``第5页``) is no value.
"""

from __future__ import annotations

import unicodedata
from typing import Protocol, TypeVar

from checker.regexes import lazy

_DECORATED_PAGE_NUMBER = lazy(
    r"^(?:[-—–－―~·•]+\d{1,4}[-—–－―~·•]+|第\d{1,4}页(?:[,/，]?共\d{1,4}页)?|共\d{1,4}页[,/，]?第\d{1,4}页)$"
)


class _HasText(Protocol):
    text: str


T = TypeVar("T", bound=_HasText)


def is_page_footer(text: str) -> bool:
    """``— 5 —``, ``- 5 -``, ``第5页``, ``第5页共9页``: a page number set off by its decoration."""
    folded = unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "")
    return bool(_DECORATED_PAGE_NUMBER.match(folded))


def trim_empty(values: list[T], count: int) -> list[T]:
    """The row's values without the empty cells a person would not count (see the module)."""
    if len(values) <= count:
        return values
    lead = 0
    while lead < len(values) and not values[lead].text.strip():
        lead += 1
    trail = 0
    while trail < len(values) - lead and not values[len(values) - 1 - trail].text.strip():
        trail += 1
    excess = len(values) - count
    if lead and not trail and lead >= excess:
        return values[excess:]
    if trail and not lead and trail >= excess:
        return values[: len(values) - excess]
    if lead and trail and lead + trail == excess:
        return values[lead : len(values) - trail]
    filled = [v for v in values if v.text.strip()]
    return filled if len(filled) == count else values
