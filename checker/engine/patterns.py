"""Regular expressions from rule packs: compiled once, run with time limits.

Rule packs are untrusted, so every search runs under the `regex` module's
timeout: a catastrophically backtracking pattern becomes an evaluation error
of that rule, never a hang. The limits count the regular expression's own
work only (each search is timed, not the rule's work between matches, so the
outcome does not depend on the load of the machine): at most
``SEARCH_TIMEOUT_SECONDS`` per search, ``RULE_REGEX_SECONDS`` for all the
searches of one rule on one report and ``FILE_REGEX_SECONDS`` for all rules
on one report (:func:`new_report`, :func:`new_rule`), so forty
catastrophic rules cannot cost a minute per file. A pattern must be at most
``MAX_PATTERN_CHARS`` long and its counted repeats (``{100}``) may multiply
to at most ``MAX_REPEAT_PRODUCT``: compiling ``((((a{100}){100}){100}){100})``
exhausted memory. Patterns may name report facts as placeholders
(``{year}``, ``{prev_year}``, ``{next_year}``, ``{agency}``), substituted
escaped before compiling.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextvars import ContextVar
from functools import lru_cache

import regex
from msgspec import Struct

from checker.cache.patterns import compile_regex
from checker.errors import InputError, RuleEvaluationError
from checker.regexes import lazy
from checker.run.budget import FileBudget, within

SEARCH_TIMEOUT_SECONDS = 0.5
RULE_REGEX_SECONDS = 2.0
FILE_REGEX_SECONDS = 10.0
MAX_PATTERN_CHARS = 4000
MAX_REPEAT_PRODUCT = 100_000
COMPILE_SECONDS = 2.0
COMPILE_MEGABYTES = 256
_COUNTED = lazy(r"(?<!\\)\{(\d+)(?:,(\d*))?\}")  # linear: plain re will do


class _Spent(Struct):
    rule: float = 0.0
    report: float = 0.0
    bounded: bool = True  # False for the bundled pack's rules: only each search is limited


_SPENT: ContextVar[_Spent | None] = ContextVar("regex_spent", default=None)


def new_report() -> None:
    """Rules start on a new report: the regex time of the report starts at zero."""
    _SPENT.set(_Spent())


def end_report() -> None:
    """The rules are done with the report: searches outside a report are limited per search."""
    _SPENT.set(None)


def new_rule(bundled: bool = False) -> None:
    """A new rule starts: its own regex time starts at zero. The bundled pack's rules are
    trusted: a long report must not make them fail, so only each of their searches is timed."""
    spent = _SPENT.get()
    if spent is not None:
        spent.rule = 0.0
        spent.bounded = not bundled


def _allowed(spent: _Spent | None) -> float:
    if spent is None or not spent.bounded:
        return SEARCH_TIMEOUT_SECONDS
    return min(
        SEARCH_TIMEOUT_SECONDS, RULE_REGEX_SECONDS - spent.rule, FILE_REGEX_SECONDS - spent.report
    )


FACT_PLACEHOLDERS = ("year", "prev_year", "next_year", "agency")
_PLACEHOLDER = lazy(r"\{(year|prev_year|next_year|agency)\}")


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
    return compile_regex(pattern, regex.VERSION0 | regex.MULTILINE)


def _repeat_product(pattern: str) -> int:
    """The product of the counted repeats' upper bounds (a bound on how they nest)."""
    product = 1
    for match in _COUNTED.finditer(pattern):
        upper = match.group(2) if match.group(2) else match.group(1)
        product *= max(int(upper[:7]), 1)
        if product > MAX_REPEAT_PRODUCT:
            break
    return product


def validate(pattern: str) -> str | None:
    """An error message when the pattern (with sample facts) does not compile, or is too big."""
    if len(pattern) > MAX_PATTERN_CHARS:
        return f"regular expression of {len(pattern)} characters, over {MAX_PATTERN_CHARS}"
    if _repeat_product(pattern) > MAX_REPEAT_PRODUCT:
        return (
            f"regular expression {pattern[:60]!r}: its counted repeats multiply to more than "
            f"{MAX_REPEAT_PRODUCT}"
        )
    sample = substitute(pattern, fact_values(2020, "某机关"))
    try:
        with within(FileBudget(COMPILE_SECONDS, COMPILE_MEGABYTES), "pattern"):
            compiled(sample or pattern)
    except regex.error as exc:
        return f"invalid regular expression {pattern!r}: {exc}"
    except RecursionError:
        return f"regular expression {pattern[:60]!r}: groups nested too deeply"
    except InputError:  # over the compile budget
        return (
            f"regular expression {pattern[:60]!r} takes more than {COMPILE_SECONDS:g} s or "
            f"{COMPILE_MEGABYTES} MB to compile"
        )
    return None


def finditer(pattern: str, text: str) -> Iterator[regex.Match]:
    """Matches left to right, as ``finditer``; each search timed on its own and charged."""
    program = compiled(pattern)
    spent = _SPENT.get()
    position, end, last_empty = 0, len(text), -1
    while position <= end:
        allowed = _allowed(spent)
        started = time.perf_counter()
        try:
            if allowed <= 0:
                raise TimeoutError
            match = program.search(text, position, timeout=allowed)
        except TimeoutError:
            raise RuleEvaluationError(_over(pattern, spent)) from None
        finally:
            if spent is not None and spent.bounded:
                took = time.perf_counter() - started
                spent.rule += took
                spent.report += took
        if match is None:
            return
        if match.end() == match.start() == last_empty:  # no second empty match at one place
            position += 1
            continue
        yield match
        if match.end() == match.start():
            last_empty = match.end()
            position = match.end()
        else:
            position = match.end()


def _over(pattern: str, spent: _Spent | None) -> str:
    if spent is not None and spent.report >= FILE_REGEX_SECONDS:
        return f"pattern {pattern!r}: the rules' regular expressions exceeded their {FILE_REGEX_SECONDS}s time limit for this report"
    if spent is not None and spent.rule >= RULE_REGEX_SECONDS:
        return f"pattern {pattern!r}: the rule's regular expressions exceeded their {RULE_REGEX_SECONDS}s time limit"
    return f"pattern {pattern!r} exceeded the {SEARCH_TIMEOUT_SECONDS}s time limit"


def search(pattern: str, text: str) -> regex.Match | None:
    return next(finditer(pattern, text), None)
