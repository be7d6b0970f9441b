"""Readings of table cells whose digits ran together (``行政规范性文件693665``).

Crawled and flattened web pages lose the borders between table cells: the
seven cells ``64 0 0 2 0 4 70`` of a row arrive as ``640020470``. Given the
number of cells a row must have, this module lists every way the digit runs
can be cut into that many cells. A cell is written without leading zeros
(``0`` itself, or a number not starting with 0), which already makes many
runs unique (``0000000`` can only be seven zeros). Which of several readings
is right is not decided here: the table's own sums decide (`arithmetic`), and
when they cannot, extraction reports the ambiguity instead of guessing.

A run is only ever cut when the row has fewer values than cells; a row that
already has its count is read as written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from math import comb, prod

from msgspec import Struct
from msgspec.structs import replace

from checker.model import Position
from checker.numbers import normalize_digits

# more candidate readings than this for one row means "too many to judge": ambiguous
MAX_READINGS = 20000


class Piece(Struct, frozen=True):
    """One cell's text as cut from a value token, with its own source position."""

    text: str
    pos: Position | None


# one cell of a reading: (its text, index of the value token it comes from, offset in that token)
Cut = tuple[str, int, int]
Reading = tuple[Cut, ...]


class ValueText(Struct, frozen=True):
    """A value token as the reader found it; `splittable` when it may be several cells run together."""

    text: str
    pos: Position | None
    splittable: bool = False


def is_digit_run(text: str) -> bool:
    """Plain ASCII (or full-width) digits only: the one shape a lost cell border leaves."""
    folded = normalize_digits(text)
    return len(folded) >= 2 and folded.isascii() and folded.isdigit()


def _shift(pos: Position | None, offset: int) -> Position | None:
    if pos is None or pos.column is None or offset == 0:
        return pos
    return replace(pos, column=pos.column + offset, end_line=None, end_column=None)


def cuts(digits: str, parts: int, start: int = 0) -> Iterator[tuple[int, ...]]:
    """Start offsets of each part for every cut of `digits[start:]` into `parts` numbers without leading zeros."""
    rest = len(digits) - start
    if parts < 1 or rest < parts:
        return
    if parts == 1:
        if rest == 1 or digits[start] != "0":
            yield (start,)
        return
    longest = 1 if digits[start] == "0" else rest - parts + 1
    for length in range(1, longest + 1):
        for tail in cuts(digits, parts - 1, start + length):
            yield (start, *tail)


def _distributions(extra: int, capacities: Sequence[int]) -> Iterator[tuple[int, ...]]:
    """Ways to hand `extra` additional pieces to tokens, each taking at most its capacity."""
    if not capacities:
        if extra == 0:
            yield ()
        return
    for take in range(min(extra, capacities[0]) + 1):
        for rest in _distributions(extra - take, capacities[1:]):
            yield (take, *rest)


def readings(
    values: Sequence[ValueText], count: int, budget: int = MAX_READINGS
) -> list[Reading] | None:
    """Every reading of `values` as exactly `count` cells; None when there are more than `budget`.

    An empty list means no reading exists (too many values, or too few that
    cannot be cut). `pieces` turns a reading into cells with positions."""
    if len(values) >= count:
        return [tuple((v.text, i, 0) for i, v in enumerate(values))] if len(values) == count else []
    folded = [normalize_digits(v.text) for v in values]
    capacities = [
        max(len(f) - 1, 0) if v.splittable and is_digit_run(v.text) else 0
        for v, f in zip(values, folded, strict=True)
    ]
    distributions = list(_distributions(count - len(values), capacities))
    upper_bound = sum(
        prod(comb(max(len(text) - 1, 0), more) for text, more in zip(folded, extra, strict=True))
        for extra in distributions
    )
    if upper_bound > budget:
        return None
    found: list[Reading] = []
    for extra in distributions:
        options: list[list[Reading]] = []
        for index, (value, text, more) in enumerate(zip(values, folded, extra, strict=True)):
            if more == 0:
                options.append([((value.text, index, 0),)])
                continue
            options.append(
                [
                    tuple(
                        (text[s:e], index, s)
                        for s, e in zip(starts, (*starts[1:], len(text)), strict=True)
                    )
                    for starts in cuts(text, more + 1)
                ]
            )
        found.extend(_product(options))
    return found


def pieces(values: Sequence[ValueText], reading: Reading) -> tuple[Piece, ...]:
    """The cells of one reading, each at its own column in the source."""
    return tuple(Piece(text, _shift(values[index].pos, offset)) for text, index, offset in reading)


def _product(options: list[list[Reading]]) -> Iterator[Reading]:
    if not options:
        yield ()
        return
    for head in options[0]:
        for tail in _product(options[1:]):
            yield head + tail
