"""Memoising pure functions of a line of text.

Reports repeat the same lines (row labels, small numbers, headings) across a
batch, so readers remember what they worked out for a short line. Long lines
(a crawled page on one line) are worked out each time and never kept, so the
cache's memory stays bounded by ``maxsize × max_length``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

R = TypeVar("R")


def line_cache(
    maxsize: int = 8192, max_length: int = 200
) -> Callable[[Callable[[str], R]], Callable[[str], R]]:
    """Cache a pure function of one string (results must be immutable)."""

    def wrap(function: Callable[[str], R]) -> Callable[[str], R]:
        cached = lru_cache(maxsize)(function)

        @wraps(function)
        def call(text: str) -> R:
            return cached(text) if len(text) <= max_length else function(text)

        return call

    return wrap
