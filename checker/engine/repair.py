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
search nodes per connected part of a table (each node one small exact solve;
the worst case measured, a table of random numbers and blanks, takes about
0.3 s of CPU), and at most ``MAX_REPAIRS`` repairs of the minimum size
collected. Beyond it the diagnosis says so instead of guessing. Measured in
``benchmarks/diagnosis.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from functools import cache, lru_cache

from msgspec import Struct, field

from checker.extract.arithmetic import table_relations
from checker.model import Cell
from checker.templates import TableDef

MAX_CELLS = 7  # a whole row or column of table 3: the largest defect seen in real reports
MAX_NODES = 1000  # search nodes per connected part of a table (each well under 1 ms)
MAX_REPAIRS = 100  # repairs of the minimum size collected before "at least this many"
Row = dict[str, int | Fraction]  # cell key -> coefficient; the relation is sum(coef * value) == 0


class Link(Struct, frozen=True):
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
            row[key] = row.get(key, 0) + 1
        for key in self.rhs:
            row[key] = row.get(key, 0) - 1
        return {k: c for k, c in row.items() if c}


class Repair(Struct, frozen=True):
    """Cells to change and the values that reconcile everything (None: not determined)."""

    cells: tuple[str, ...]
    values: tuple[Fraction | None, ...]

    @property
    def determined(self) -> bool:
        return all(v is not None for v in self.values)


class Diagnosis(Struct):
    """What the search found for one connected part of a table with failing relations."""

    failing: list[Link]  # the printed relations that fail (each a finding of a sum rule)
    repairs: list[Repair] = field(default_factory=list)  # every repair of the minimum size
    size: int | None = None  # the minimum size; None when none within the bound
    bounded: str = ""  # why the search stopped short, when it did
    truncated: bool = False  # MAX_REPAIRS repairs of the minimum size found, maybe more

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


@cache
def _keys_of(tdef: TableDef) -> tuple[str, ...]:
    """Every cell the relations read (no other cell is ever looked at)."""
    return tuple(dict.fromkeys(k for link in links_of(tdef) for k in link.keys))


@cache
def _rows_of(tdef: TableDef) -> tuple[Row, ...]:
    return tuple(link.row() for link in links_of(tdef))


class _OverBudget(Exception):
    pass


class _Enough(Exception):
    pass


def diagnose(
    tdef: TableDef,
    cells: Mapping[str, Cell],
    max_cells: int = MAX_CELLS,
    max_nodes: int = MAX_NODES,
) -> list[Diagnosis]:
    """A diagnosis for every connected part of the table where the relations do not hold."""
    present: list[int] = []
    failing: list[Link] = []
    residuals: list[int | Fraction] = []
    blank = False
    links = links_of(tdef)
    if not links:
        return []
    get = cells.get
    value = {k: c.value for k in _keys_of(tdef) if (c := get(k)) is not None}.__getitem__
    for index, link in enumerate(links):
        try:  # the common case, a table that adds up, costs one pass of sums and nothing more
            lhs = sum(map(value, link.lhs))  # type: ignore[arg-type]
            rhs = sum(map(value, link.rhs))  # type: ignore[arg-type]
        except KeyError:
            continue  # a cell the report does not have: the relation is left out
        except TypeError:  # a blank cell (an unknown), unless a cell is absent further on
            if any(k not in cells for k in link.keys):
                continue
            blank = True
            residuals.append(0)
        else:
            residuals.append(_exact(lhs - rhs) if lhs != rhs else 0)
            if lhs != rhs:
                failing.append(link)
        present.append(index)
    if not failing and not blank:
        return []
    known = _Known(cells)
    if blank:
        all_rows = _rows_of(tdef)
        rows = [all_rows[i] for i in present]
        keys = {k for row in rows for k in row}
        rows = _eliminate(rows, {k for k in keys if cells[k].value is None})
        residuals = [_residual(row, known) for row in rows]
        parts = _parts(tuple(rows))
    else:
        parts = _static_parts(tdef, tuple(present))
    reading = _reading_order(tdef)
    found: list[Diagnosis] = []
    for part in parts:
        own = [residuals[i] for i in part.positions]
        if not any(own):
            continue
        part_cells = part.by_cell.keys()
        explains = [link for link in failing if not part_cells.isdisjoint(link.keys)]
        found.append(_search(part, own, known, explains, reading, max_cells, max_nodes))
    return found


class _Part(Struct, frozen=True):
    """Relations linked by shared cells: their rows, places in the whole list, and a cell index."""

    rows: tuple[Row, ...]
    positions: tuple[int, ...]
    by_cell: dict[str, tuple[int, ...]]  # cell key -> the rows of this part holding it


@lru_cache(maxsize=64)
def _static_parts(tdef: TableDef, present: tuple[int, ...]) -> tuple[_Part, ...]:
    """The parts of a table without blanks: the same for every report with the same rows."""
    all_rows = _rows_of(tdef)
    return _parts(tuple(all_rows[i] for i in present))


def _parts(rows: tuple[Row, ...]) -> tuple[_Part, ...]:
    by_cell: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        for key in row:
            by_cell.setdefault(key, []).append(index)
    seen: set[int] = set()
    parts = []
    for start in range(len(rows)):
        if start in seen:
            continue
        members, queue = [], [start]
        seen.add(start)
        while queue:
            index = queue.pop()
            members.append(index)
            for key in rows[index]:
                for other in by_cell[key]:
                    if other not in seen:
                        seen.add(other)
                        queue.append(other)
        members.sort()
        local = {pos: i for i, pos in enumerate(members)}
        index_of: dict[str, list[int]] = {}
        for pos in members:
            for key in rows[pos]:
                index_of.setdefault(key, []).append(local[pos])
        parts.append(
            _Part(
                tuple(rows[i] for i in members),
                tuple(members),
                {k: tuple(v) for k, v in index_of.items()},
            )
        )
    return tuple(parts)


class _Known(dict[str, int | Fraction]):
    """The printed numbers, made exact when first asked for (most cells never are)."""

    def __init__(self, cells: Mapping[str, Cell]) -> None:
        super().__init__()
        self.cells = cells

    def __missing__(self, key: str) -> int | Fraction:
        value = self.cells[key].value
        if value is None:
            raise KeyError(key)
        exact = self[key] = _exact(value)
        return exact


def _exact(value: Decimal) -> int | Fraction:
    """A printed number for exact arithmetic: int when whole (fast), else a Fraction."""
    if value == value.to_integral_value():
        return int(value)
    return Fraction(value)


@cache
def _reading_order(tdef: TableDef) -> dict[str, int]:
    """Cell key -> its place when the table is read row by row."""
    keys = (f"{row.key}.{col.key}" for row in tdef.rows for col in tdef.columns)
    return {key: i for i, key in enumerate(keys)}


def _residual(row: Row, known: Mapping[str, int | Fraction]) -> int | Fraction:
    return sum(coef * known[key] for key, coef in row.items())


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
                scale = Fraction(factor) / pivot[key]
                for k, c in pivot.items():
                    new = row.get(k, 0) - scale * c
                    if new:
                        row[k] = new
                    else:
                        row.pop(k, None)
    return [row for row in rows if row]


def _search(
    part: _Part,
    residuals: list[int | Fraction],
    known: Mapping[str, int | Fraction],
    failing: list[Link],
    reading: Mapping[str, int],
    max_cells: int,
    max_nodes: int,
) -> Diagnosis:
    diagnosis = Diagnosis(failing)
    rows, by_cell = part.rows, part.by_cell
    broken = [i for i, r in enumerate(residuals) if r]
    last = len(reading)

    def order(key: str) -> tuple[int, str]:
        return reading.get(key, last), key

    def whole() -> bool:
        return all(isinstance(known[k], int) for row in rows for k in row)

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
                for key in sorted(rows[narrowest], key=order):
                    visit(chosen | {key})
                return
            touched = sorted({i for key in chosen for i in by_cell[key]})
            repair = _solve(
                [rows[i] for i in touched],
                [residuals[i] for i in touched],
                chosen,
                known,
                whole,
                order,
            )
            if repair is not None:
                if len(chosen) == size:
                    found[repair.cells] = repair
                    if len(found) >= MAX_REPAIRS:
                        raise _Enough
                return
            if len(chosen) < size:
                touching = {k for i in touched for k in rows[i]} - chosen
                for key in sorted(touching, key=order):
                    visit(chosen | {key})

        try:
            visit(frozenset())
        except _Enough:
            diagnosis.size, diagnosis.truncated = size, True
            diagnosis.repairs = sorted(found.values(), key=lambda r: [order(c) for c in r.cells])
            return diagnosis
        except _OverBudget:
            diagnosis.bounded = f"more than {max_nodes} candidate repairs of {size} cells"
            diagnosis.repairs = sorted(found.values(), key=lambda r: [order(c) for c in r.cells])
            return diagnosis
        if found:
            diagnosis.size = size
            diagnosis.repairs = sorted(found.values(), key=lambda r: [order(c) for c in r.cells])
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
    residuals: Sequence[int | Fraction],
    chosen: frozenset[str],
    known: Mapping[str, int | Fraction],
    whole: Callable[[], bool],
    order: Callable[[str], tuple[int, str]],
) -> Repair | None:
    """The changes to `chosen` that make `rows` (those touching it) hold, or None when none do.

    Rows that touch no chosen cell already hold (the search only gets here when
    every failing row is covered). A value the rows leave open is None."""
    cells = sorted(chosen, key=order)
    matrix = [
        [Fraction(row.get(key, 0)) for key in cells] + [-Fraction(residual)]
        for row, residual in zip(rows, residuals, strict=True)
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
        None if change is None else Fraction(known[key]) + change
        for key, change in zip(cells, changes, strict=True)
    )
    if any(v is not None and v.denominator != 1 for v in values) and whole():
        return None
    return Repair(tuple(cells), values)
