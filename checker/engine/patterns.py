"""Regular expressions from rule packs: compiled once, run with a time limit.

Rule packs are untrusted, so every search runs under the `regex` module's
timeout: a catastrophically backtracking pattern becomes an evaluation error
of that rule, never a hang. Patterns may name report facts as placeholders
(``{year}``, ``{prev_year}``, ``{next_year}``, ``{agency}``), substituted
escaped before compiling.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import regex

from checker.errors import RuleEvaluationError

SEARCH_TIMEOUT_SECONDS = 0.5
FACT_PLACEHOLDERS = ("year", "prev_year", "next_year", "agency")
_PLACEHOLDER = regex.compile(r"\{(year|prev_year|next_year|agency)\}")


def fact_values(year: int | None, agency: str | None) -> dict[str, str | None]:
    return {
        "year": str(year) if year else None,
        "prev_year": str(year - 1) if year else None,
        "next_year": str(year + 1) if year else None,
        "agency": agency,
    }


def uses_facts(pattern: str) -> set[str]:
    return set(_PLACEHOLDER.findall(pattern))


def substitute(pattern: str, facts: dict[str, str | None]) -> str | None:
    """Fill the placeholders; None when one of the facts is unknown."""
    missing = [name for name in uses_facts(pattern) if facts.get(name) is None]
    if missing:
        return None
    return _PLACEHOLDER.sub(lambda m: regex.escape(facts[m.group(1)] or ""), pattern)


def literal(pattern: str, facts: dict[str, str | None]) -> str | None:
    """The text a pattern that is one placeholder alone (``{agency}``) stands for, else None.

    Such a pattern is searched as plain text: every report names another agency, and
    compiling a regular expression per report would cost more than the search.
    """
    match = _PLACEHOLDER.fullmatch(pattern)
    return facts.get(match.group(1)) if match else None


@lru_cache(maxsize=1024)
def compiled(pattern: str) -> regex.Pattern:
    return regex.compile(pattern, regex.VERSION0 | regex.MULTILINE)


def validate(pattern: str) -> str | None:
    """An error message when the pattern (with sample facts) does not compile."""
    sample = substitute(pattern, fact_values(2020, "某机关"))
    try:
        compiled(sample or pattern)
    except regex.error as exc:
        return f"invalid regular expression {pattern!r}: {exc}"
    return None


def finditer(pattern: str, text: str) -> Iterator[regex.Match]:
    try:
        yield from compiled(pattern).finditer(text, timeout=SEARCH_TIMEOUT_SECONDS)
    except TimeoutError:
        raise RuleEvaluationError(
            f"pattern {pattern!r} exceeded the {SEARCH_TIMEOUT_SECONDS}s time limit"
        ) from None


def search(pattern: str, text: str) -> regex.Match | None:
    return next(finditer(pattern, text), None)
