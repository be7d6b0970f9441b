"""Minimal repair: the fewest cells whose correction makes every relation of a table hold.

When one cell of table 3 is mistyped, three or four sums fail at once. This
module finds the cause: the smallest set of cells whose change makes every
failing relation hold without breaking any that held. It is an exact search
over the relation graph, not a heuristic:

- The relations are the ones the table's layout implies (``table_relations``
  of ``checker.extract.arithmetic``: each row's total = its parts, 总计 = the
  result rows, 一+二 = （七）+四, a printed subtotal = its sub-rows, table 4's
  block totals). A relation with a cell the report does not have is left out.
- Blank cells (and text where a number belongs) take part as *unknowns*: they
  are eliminated first (exact rational elimination), so what remains are
  relations among the printed numbers, each the consequence of the originals
  whatever the blanks hold. Filling a blank is never counted as a repair.
- The search deepens the size k = 0, 1, 2, ... of the repair. A relation that
  fails must contain a repaired cell, so it branches on the cells of the
  failing relation with the fewest cells; a lower bound (failing relations no
  two of which share a cell each need their own cell) prunes. When every
  failing relation is covered, the changes are solved for exactly; a repair
  whose changes cannot satisfy the relations it touches is extended only by
  cells of those relations (any larger repair must contain one). All
  repairs of the minimum size are listed.
- A repaired value must be a whole number when the table's numbers all are.
  It may be negative: ruling out negative values would turn some errors in
  two cells into a confident, wrong one-cell diagnosis.
- Relations of different tables, and parts of a table that share no relation
  (the three blocks of table 4), are diagnosed separately.

The bound: repairs of at most ``MAX_CELLS`` cells, at most ``MAX_NODES``
search nodes per connected part of a table (each node one small exact solve).
Beyond it the diagnosis says so instead of guessing. Measured in
``benchmarks/diagnosis.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cache

from checker.extract.arithmetic import table_relations
from checker.model import Cell
from checker.templates import TableDef

MAX_CELLS = 7  # a whole row or column of table 3: the largest defect seen in real reports
MAX_NODES = 20000  # search nodes per connected part of a table
Row = dict[str, Fraction]  # cell key -> coefficient; the relation is sum(coef * value) == 0


@dataclass(frozen=True, slots=True)
class Link:
    """One relation of the table: sum(lhs) == sum(rhs), with the cell that names it (its anchor)."""

    anchor: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return self.lhs + self.rhs

    def row(self) -> Row:
        row: Row = {}
        for key in self.lhs:
            row[key] = row.get(key, Fraction(0)) + 1
        for key in self.rhs:
            row[key] = row.get(key, Fraction(0)) - 1
        return {k: c for k, c in row.items() if c}


@dataclass(frozen=True, slots=True)
class Repair:
    """Cells to change and the values that reconcile everything (None: not determined)."""

    cells: tuple[str, ...]
    values: tuple[Fraction | None, ...]

    @property
    def determined(self) -> bool:
        return all(v is not None for v in self.values)


@dataclass(slots=True)
class Diagnosis:
    """What the search found for one connected part of a table with failing relations."""

    failing: list[Link]  # the printed relations that fail (each a finding of a sum rule)
    repairs: list[Repair] = field(default_factory=list)  # every repair of the minimum size
    size: int | None = None  # the minimum size; None when none within the bound
    bounded: str = ""  # why the search stopped short, when it did

    @property
    def unique(self) -> Repair | None:
        if len(self.repairs) == 1 and self.repairs[0].determined:
            return self.repairs[0]
        return None

    def explained_by(self, repair: Repair) -> list[Link]:
        """The failing relations the repair makes hold (those holding one of its cells)."""
        cells = set(repair.cells)
        return [link for link in self.failing if cells & set(link.keys)]


@cache
def links_of(tdef: TableDef) -> tuple[Link, ...]:
    """The table's relations, each named by its first left-hand cell (where its finding points)."""
    return tuple(Link(r.lhs[0], r.lhs, r.rhs) for r in table_relations(tdef))


class _OverBudget(Exception):
    pass


def diagnose(
    tdef: TableDef,
    cells: Mapping[str, Cell],
    max_cells: int = MAX_CELLS,
    max_nodes: int = MAX_NODES,
) -> list[Diagnosis]:
    """A diagnosis for every connected part of the table where the relations do not hold."""
    links = [link for link in links_of(tdef) if all(k in cells for k in link.keys)]
    if not links:
        return []
    values = {key: cells[key].value for link in links for key in link.keys}
    unknown = {key for key, value in values.items() if value is None}
    failing = [link for link in links if not unknown & set(link.keys) and _fails(link, values)]
    if not failing and not unknown:
        return []  # the common case, a table that adds up: no algebra at all
    rows = _eliminate([link.row() for link in links], unknown)
    known = {k: Fraction(v) for k, v in values.items() if v is not None}
    whole = all(v.denominator == 1 for v in known.values())
    found: list[Diagnosis] = []
    for part in _components(rows):
        residuals = [_residual(row, known) for row in part]
        if not any(residuals):
            continue
        keys = {k for row in part for k in row}
        own = [link for link in failing if keys & set(link.keys)]
        found.append(
            _search(part, residuals, known, whole, own, _reading_order(tdef), max_cells, max_nodes)
        )
    return found


@cache
def _reading_order(tdef: TableDef) -> dict[str, int]:
    """Cell key -> its place when the table is read row by row."""
    keys = (f"{row.key}.{col.key}" for row in tdef.rows for col in tdef.columns)
    return {key: i for i, key in enumerate(keys)}


def _fails(link: Link, values: Mapping[str, Decimal | None]) -> bool:
    lhs = sum((values[k] for k in link.lhs), Decimal(0))  # type: ignore[misc]
    rhs = sum((values[k] for k in link.rhs), Decimal(0))  # type: ignore[misc]
    return lhs != rhs


def _residual(row: Row, known: Mapping[str, Fraction]) -> Fraction:
    return sum((coef * known[key] for key, coef in row.items()), Fraction(0))


def _eliminate(rows: list[Row], unknown: set[str]) -> list[Row]:
    """The relations among printed cells that hold whatever the unknown cells are."""
    rows = [dict(row) for row in rows]
    for key in sorted(unknown):
        pivot = next((row for row in rows if key in row), None)
        if pivot is None:
            continue
        rows.remove(pivot)
        for row in rows:
            factor = row.get(key)
            if factor:
                scale = factor / pivot[key]
                for k, c in pivot.items():
                    new = row.get(k, Fraction(0)) - scale * c
                    if new:
                        row[k] = new
                    else:
                        row.pop(k, None)
    return [row for row in rows if row]


def _components(rows: list[Row]) -> list[list[Row]]:
    """Rows grouped by shared cells, in the order of their first row."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for row in rows:
        first, *rest = row
        for key in rest:
            parent[find(key)] = find(first)
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(find(next(iter(row))), []).append(row)
    return list(groups.values())


def _search(
    rows: list[Row],
    residuals: list[Fraction],
    known: Mapping[str, Fraction],
    whole: bool,
    failing: list[Link],
    reading: Mapping[str, int],
    max_cells: int,
    max_nodes: int,
) -> Diagnosis:
    diagnosis = Diagnosis(failing)
    broken = [i for i, r in enumerate(residuals) if r]
    keys = sorted({k for row in rows for k in row}, key=lambda k: (reading.get(k, len(reading)), k))
    order = {key: i for i, key in enumerate(keys)}
    nodes = 0
    for size in range(max_cells + 1):
        found: dict[tuple[str, ...], Repair] = {}
        seen: set[frozenset[str]] = set()

        def visit(chosen: frozenset[str], size: int = size, found=found, seen=seen) -> None:
            nonlocal nodes
            if chosen in seen:
                return
            seen.add(chosen)
            nodes += 1
            if nodes > max_nodes:
                raise _OverBudget
            open_rows = [i for i in broken if not chosen & rows[i].keys()]
            if len(chosen) + _disjoint(rows, open_rows) > size:
                return
            if open_rows:
                narrowest = min(open_rows, key=lambda i: (len(rows[i]), i))
                for key in sorted(rows[narrowest], key=order.__getitem__):
                    visit(chosen | {key})
                return
            repair = _solve(rows, residuals, chosen, known, whole, order)
            if repair is not None:
                if len(chosen) == size:
                    found[repair.cells] = repair
                return
            if len(chosen) < size:
                touching = {k for row in rows if chosen & row.keys() for k in row} - chosen
                for key in sorted(touching, key=order.__getitem__):
                    visit(chosen | {key})

        try:
            visit(frozenset())
        except _OverBudget:
            diagnosis.bounded = f"more than {max_nodes} candidate repairs of {size} cells"
            diagnosis.repairs = sorted(found.values(), key=lambda r: [order[c] for c in r.cells])
            return diagnosis
        if found:
            diagnosis.size = size
            diagnosis.repairs = sorted(found.values(), key=lambda r: [order[c] for c in r.cells])
            return diagnosis
    diagnosis.bounded = f"no repair of at most {max_cells} cells"
    return diagnosis


def _disjoint(rows: list[Row], indices: Iterable[int]) -> int:
    """How many of the rows share no cell with one another (greedily): a lower bound on cells."""
    used: set[str] = set()
    count = 0
    for i in sorted(indices, key=lambda i: len(rows[i])):
        if used.isdisjoint(rows[i]):
            used.update(rows[i])
            count += 1
    return count


def _solve(
    rows: Sequence[Row],
    residuals: Sequence[Fraction],
    chosen: frozenset[str],
    known: Mapping[str, Fraction],
    whole: bool,
    order: Mapping[str, int],
) -> Repair | None:
    """The changes to `chosen` that make every row hold, or None when there are none.

    Rows that touch no chosen cell already hold (the search only gets here when
    every failing row is covered). A value the rows leave open is None."""
    cells = sorted(chosen, key=order.__getitem__)
    matrix = [
        [row.get(key, Fraction(0)) for key in cells] + [-residuals[i]]
        for i, row in enumerate(rows)
        if chosen & row.keys()
    ]
    pivots: list[int] = []
    rank = 0
    for col in range(len(cells)):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][col]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][col]
        matrix[rank] = [x / lead for x in matrix[rank]]
        for r, other in enumerate(matrix):
            if r != rank and other[col]:
                factor = other[col]
                matrix[r] = [x - factor * y for x, y in zip(other, matrix[rank], strict=True)]
        pivots.append(col)
        rank += 1
    if any(row[-1] for row in matrix[rank:]):
        return None  # inconsistent
    changes: list[Fraction | None] = [None] * len(cells)
    for r, col in enumerate(pivots):
        if not any(matrix[r][c] for c in range(len(cells)) if c != col):
            changes[col] = matrix[r][-1]
    if any(change == 0 for change in changes):
        return None  # a cell that need not change: a smaller repair covers it
    values = tuple(
        None if change is None else known[key] + change
        for key, change in zip(cells, changes, strict=True)
    )
    if whole and any(v is not None and v.denominator != 1 for v in values):
        return None
    return Repair(tuple(cells), values)
