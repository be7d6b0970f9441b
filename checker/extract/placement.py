"""Rows placed by the template's order when their labels were lost, only when the sums prove it.

A label can go missing while its values stay: a PDF→Markdown conversion that
drops a label cell, a flattened page where a label line was lost. The values of
such a row then follow the previous row's, which reads as a row with two (or
more) rows' worth of values. When those extra values are whole rows, and the
template rows missing between the labelled row and the next labelled one are
exactly that many, the values are placed into the missing rows in the
template's order — and kept only if

- every relation of the table (balance, row totals, result totals, group
  subtotals; table 4's blocks) holds with them, and
- no other assignment of the same value rows to the missing rows also makes
  every relation hold with different cells.

Each placed row is then reported (EXT-011, info). Otherwise nothing changes:
the long row stays one row with too many values (EXT-002) and the missing rows
are reported missing (EXT-003), never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise, permutations
from typing import Any, Protocol

from msgspec import Struct, field

from checker.extract.arithmetic import table_relations
from checker.model import Cell
from checker.numbers import parse_number
from checker.templates import RowDef, TableDef

MAX_PERMUTED = 6  # up to 6! assignments are tried for uniqueness


class _Read(Protocol):
    rows: list[Any]
    cells: dict[str, Cell]
    diagnostics: list[Any]


class Proposal(Struct):
    """Value rows cut off a labelled row, and the template rows they would fill, in order."""

    host: Any  # the RowRead that carried them
    own: list[Any]  # the host's own values
    chunks: list[list[Any]]
    targets: list[RowDef]
    at: int  # index in read.rows after which they go
    placed: list[Any] = field(default_factory=list)


def proposals(tdef: TableDef, rows: Sequence[Any]) -> list[Proposal]:
    """Labelled rows that carry whole extra rows of values, with the missing rows between
    them and the next labelled row in the template's order."""
    order = {row.key: index for index, row in enumerate(tdef.rows)}
    seen = {r.row.key for r in rows}
    found = []
    for index, host in enumerate(rows):
        if host.row.kind != "leaf":
            continue
        width = len(tdef.row_columns(host.row))
        values = _without_label_cells(host.values)
        count = len(values)
        if count < 2 * width or count % width:
            continue
        after = [order[r.row.key] for r in rows[index + 1 :]]
        limit = min(after, default=len(tdef.rows))
        gap = [
            row
            for row in tdef.leaf_rows()
            if order[host.row.key] < order[row.key] < limit and row.key not in seen
        ]
        chunks = [values[i : i + width] for i in range(width, count, width)]
        if len(gap) == len(chunks) and all(len(tdef.row_columns(r)) == width for r in gap):
            found.append(Proposal(host, values[:width], chunks, gap, index))
    return found


def _without_label_cells(values: list[Any]) -> list[Any]:
    """The values without the empty cell that opens a later table row: the cell its lost label
    stood in (``|  | 0 | 3 |``)."""
    return [
        token
        for index, token in enumerate(values)
        if token.text.strip() or index == 0 or values[index - 1].block == token.block
    ]


def values_before_labels(tdef: TableDef, rows: Sequence[Any]) -> None:
    """A tall row's values met before its label (a PDF text layer emits the vertically centred
    figures on the line above the label's last line): the row above then holds two rows'
    worth of values and this one none. The counts decide: the second half is this row's."""
    for above, row in pairwise(rows):
        if above.row.kind != "leaf" or row.row.kind != "leaf" or row.values:
            continue
        width = len(tdef.row_columns(above.row))
        if len(tdef.row_columns(row.row)) == width and len(above.values) == 2 * width:
            above.values, row.values = above.values[:width], above.values[width:]


def relations_hold(tdef: TableDef, cells: dict[str, Decimal | None], placed: set[str]) -> bool:
    """Every relation of the table holds where its rows are in the table; a relation over a
    placed cell must be computable (no blank), and at least one must tie the placed cells to
    cells of other rows (a row's own total cannot tell rows apart)."""
    tied = False
    for relation in table_relations(tdef):
        keys = relation.keys
        if any(key not in cells for key in keys):
            continue  # a row the table does not have (a group subtotal that is not printed)
        values = [cells[key] for key in keys]
        if any(v is None for v in values):
            if placed & set(keys):
                return False
            continue
        lhs = sum((cells[k] for k in relation.lhs), Decimal(0))  # type: ignore[misc]
        rhs = sum((cells[k] for k in relation.rhs), Decimal(0))  # type: ignore[misc]
        if lhs != rhs:
            return False
        rows = {key.rsplit(".", 1)[0] for key in keys}
        tied = tied or (bool(placed & set(keys)) and len(rows) > 1)
    return tied


def _keys(tdef: TableDef, target: RowDef) -> list[str]:
    return [f"{target.key}.{column}" for column in tdef.row_columns(target)]


def _values(tdef: TableDef, target: RowDef, chunk: list[Any]) -> dict[str, Decimal | None] | None:
    out: dict[str, Decimal | None] = {}
    for column, token in zip(tdef.row_columns(target), chunk, strict=True):
        parsed = parse_number(token.text)
        if not parsed.is_number:
            return None
        out[f"{target.key}.{column}"] = parsed.value
    return out


def unique_and_consistent(tdef: TableDef, cells: dict[str, Cell], proposal: Proposal) -> bool:
    """The order's assignment makes every relation hold, and no other assignment of the same
    value rows does with different cells."""
    base = {key: cell.value for key, cell in cells.items()}
    outcomes: set[tuple[Any, ...]] = set()
    orders = (
        permutations(range(len(proposal.chunks)))
        if len(proposal.chunks) <= MAX_PERMUTED
        else iter([tuple(range(len(proposal.chunks)))])
    )
    in_order_holds = False
    for assignment in orders:
        trial = dict(base)
        for target, chunk_index in zip(proposal.targets, assignment, strict=True):
            values = _values(tdef, target, proposal.chunks[chunk_index])
            if values is None:
                return False
            trial.update(values)
        placed = {key for target in proposal.targets for key in _keys(tdef, target)}
        if relations_hold(tdef, trial, placed):
            outcomes.add(tuple(sorted((k, str(v)) for k, v in trial.items())))
            in_order_holds = in_order_holds or assignment == tuple(range(len(proposal.chunks)))
    return in_order_holds and len(outcomes) == 1
