"""A column left blank in every row, in flattened text where empty cells vanish.

Web text flattened from a table drops empty cells: a report whose 总计 column
is blank prints every table-3 row with six values instead of seven. Read row
by row, each row is short by one (EXT-002), or worse, a two-digit value is cut
in two to make up the count. Read as a table, the pattern is plain: the same
column is missing from every short row. This module finds that column from
the values per row and the table's own relations (`arithmetic`): a blank is
put back at each candidate position in every short row, and the position is
taken only when it is the one that contradicts none of the relations (a blank
addend counting as 0, a relation whose whole side is blank not judged) and
at least one relation confirms it. Otherwise nothing changes and the rows are
read, or reported, as before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Protocol

from checker.extract.arithmetic import Relation
from checker.extract.tokens import Token
from checker.numbers import parse_number

_MIN_SHORT_ROWS = 2  # one short row is a slip, not a pattern


class PendingRow(Protocol):
    """A row waiting to be read: its cell keys and the value tokens found after its label."""

    keys: tuple[str, ...]
    values: list[Token]


_BLANK = object()  # a vanished cell put back (counts as 0 as an addend, never as a whole side)


def _holds(relation: Relation, value_of: Callable[[str], object]) -> bool | None:
    """True/False, or None when a cell is unknown or a whole side is blank."""
    sides = []
    for side in (relation.lhs, relation.rhs):
        total, numbers = Decimal(0), 0
        for key in side:
            value = value_of(key)
            if value is None:
                return None
            if value is not _BLANK:
                total += value  # type: ignore[operator]
                numbers += 1
        if not numbers:
            return None
        sides.append(total)
    return sides[0] == sides[1]


def vanished_column(
    rows: Sequence[PendingRow], relations: Sequence[Relation]
) -> tuple[int, int] | None:
    """(row width, position) of the column every short row is missing, when the relations
    single it out."""
    widths = Counter(len(r.keys) for r in rows if len(r.values) == len(r.keys) - 1)
    if not widths:
        return None
    width, count = widths.most_common(1)[0]
    if count < _MIN_SHORT_ROWS or width < 2:
        return None
    short = [r for r in rows if len(r.keys) == width and len(r.values) == width - 1]
    full = [r for r in rows if len(r.keys) == width and len(r.values) == width]
    parsed: dict[int, list[Decimal | None]] = {}
    for row in [*short, *full]:
        numbers = [parse_number(v.text) for v in row.values]
        if not all(n.is_number for n in numbers):
            return None  # text among the values: not a table row to rearrange
        parsed[id(row)] = [n.value for n in numbers]
    known: dict[str, object] = {}
    for row in full:
        for key, value in zip(row.keys, parsed[id(row)], strict=True):
            known[key] = _BLANK if value is None else value
    fits: list[int] = []
    for position in range(width):
        values = dict(known)
        for row in short:
            cells: list[object] = [_BLANK if v is None else v for v in parsed[id(row)]]
            cells.insert(position, _BLANK)
            values.update(zip(row.keys, cells, strict=True))
        verdicts = [_holds(relation, values.get) for relation in relations]
        if False not in verdicts and True in verdicts:
            fits.append(position)
    return (width, fits[0]) if len(fits) == 1 else None


def fill_vanished_column(rows: Sequence[PendingRow], relations: Sequence[Relation]) -> int:
    """Put an empty cell back into every short row at the column the table shows missing;
    the number of rows filled (0 when no single column fits)."""
    found = vanished_column(rows, relations)
    if found is None:
        return 0
    width, position = found
    filled = 0
    for row in rows:
        if len(row.keys) != width or len(row.values) != width - 1 or not row.values:
            continue
        at = min(position, len(row.values) - 1)
        anchor = row.values[at]
        blank = replace(anchor, text="", splittable=False)
        row.values.insert(position, blank)
        filled += 1
    return filled
