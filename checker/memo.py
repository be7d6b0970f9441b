"""Memoising pure functions of a line of text.

Reports repeat the same lines (row labels, small numbers, headings) across a
batch, so readers remember what they worked out for a short line. Long lines
(a crawled page on one line) are worked out each time and never kept, so the
cache's memory stays bounded by ``maxsize × max_length``. Arguments after the
text (a table definition, a set of labels) must be hashable.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import lru_cache, wraps
from typing import TypeVar

R = TypeVar("R")


def line_cache(
    maxsize: int = 8192, max_length: int = 200
) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Cache a pure function of a string and other hashable arguments (results immutable)."""

    def wrap(function: Callable[..., R]) -> Callable[..., R]:
        cached = lru_cache(maxsize)(function)

        @wraps(function)
        def call(text: str, *rest: Hashable) -> R:
            return cached(text, *rest) if len(text) <= max_length else function(text, *rest)

        return call

    return wrap
