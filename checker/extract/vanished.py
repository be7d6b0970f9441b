"""A column left blank in every row, in flattened text where empty cells vanish.

Web text flattened from a table drops empty cells: a report whose 总计 column
is blank prints every table-3 row with six values instead of seven. Read row
by row, each row is short by one (EXT-002), or worse, a two-digit value is cut
in two to make up the count. Read as a table, the pattern is plain: the same
column is missing from every short row. This module finds that column from
the values per row and the table's own relations (`arithmetic`): a blank is
put back at each candidate position in every short row, and the position is
taken when the relations support it best: most relations confirmed minus
relations broken (a blank addend counting as 0, a relation whose whole side is
blank not judged; a real error of the report may still break one or two), and
more confirmed than broken. When several positions fit (the blank sits
among columns of zeros), the short rows are not guessed: one EXT-002 names
them and the columns the blank may be in, and their cells stay unknown. When
none fits, nothing changes and the rows are read, or reported, as before.
A row with no value at all is read as a blank row the same way, unless some
row of the table has values to spare (they may be this row's, printed before
its label).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Protocol

from msgspec.structs import replace

from checker.extract.arithmetic import Relation
from checker.extract.tokens import Token
from checker.model import Cell, Diagnostic, Position
from checker.numbers import parse_number
from checker.templates import TableDef

_MIN_SHORT_ROWS = 2  # one short row is a slip, not a pattern


class PendingRow(Protocol):
    """A row waiting to be read: its cell keys and the value tokens found after its label."""

    pointer: str
    label: str
    anchor: Position | None
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
    if sides[0] == sides[1] == 0:
        return None  # zeros add up wherever the blank goes: no evidence either way
    return sides[0] == sides[1]


def vanished_column(
    rows: Sequence[PendingRow], relations: Sequence[Relation]
) -> tuple[int, list[int]] | None:
    """(row width, the positions that fit) for the column every short row is missing;
    None when the rows show no such pattern."""
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
    verdicts: list[list[bool | None]] = []  # per position, per relation
    for position in range(width):
        values = dict(known)
        for row in short:
            cells: list[object] = [_BLANK if v is None else v for v in parsed[id(row)]]
            cells.insert(position, _BLANK)
            values.update(zip(row.keys, cells, strict=True))
        verdicts.append([_holds(relation, values.get) for relation in relations])
    # only relations judged differently from one position to another are evidence (a sum of
    # applicants holds wherever among them the blank goes; a blank total leaves its row
    # unjudged): the position they support best, confirmed minus broken (the report may
    # hold a real error as well). Several best positions: which column is blank is unknown.
    telling = [i for i in range(len(relations)) if len({v[i] for v in verdicts}) > 1]
    scores = [
        sum(1 for i in telling if v[i] is True) - sum(1 for i in telling if v[i] is False)
        for v in verdicts
    ]
    best = max(scores)
    fits = [position for position, score in enumerate(scores) if score == best and best >= 0]
    return (width, fits) if fits else None


def _fill_blank_rows(rows: Sequence[PendingRow]) -> None:
    """A row with no value at all, in a table where no row has values to spare, is a row left
    blank whose empty cells vanished (not values printed elsewhere: when a row has too many,
    the missing ones may be there, and the rows are left to be reported as they are)."""
    if any(len(r.values) > len(r.keys) for r in rows) or all(not r.values for r in rows):
        return
    for row in rows:
        if not row.values and row.anchor is not None:
            row.values.extend(
                Token("", row.anchor, -1, is_value=True) for _ in range(len(row.keys))
            )


def fill_vanished_column(
    rows: list[PendingRow], relations: Sequence[Relation], tdef: TableDef, cells: dict[str, Cell]
) -> list[Diagnostic]:
    """Put an empty cell back into every short row at the column the table shows missing.

    When several columns fit, the short rows are taken out of `rows`, their cells left
    unknown in `cells`, and one EXT-002 diagnostic names them and the candidate columns."""
    _fill_blank_rows(rows)
    found = vanished_column(rows, relations)
    if found is None:
        return []
    width, fits = found
    short = [r for r in rows if len(r.keys) == width and len(r.values) == width - 1 and r.values]
    if len(fits) == 1:
        for row in short:
            anchor = row.values[min(fits[0], len(row.values) - 1)]
            row.values.insert(fits[0], replace(anchor, text="", splittable=False))
        return []
    for row in short:
        rows.remove(row)
        for key in row.keys:
            cells[key] = Cell(None, None, row.values[0].pos, unread="ambiguous")
    names = [tdef.columns[i] for i in fits if i < len(tdef.columns)]
    first, last = short[0], short[-1]
    return [
        Diagnostic(
            "EXT-002",
            {
                "row": f"{first.label}”至“{last.label}" if len(short) > 1 else first.label,
                "expected": width,
                "actual": width - 1,
                "values": {
                    "zh": f"共{len(short)}行每行少一个数，空白列可能是"
                    + "、".join(f"“{c.zh}”" for c in names),
                    "en": f"{len(short)} rows each one value short; the blank column may be "
                    + ", ".join(f'"{c.en}"' for c in names),
                },
            },
            first.pointer,
            first.values[0].pos if first.values else first.anchor,
        )
    ]
