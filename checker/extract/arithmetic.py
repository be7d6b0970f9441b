"""The table's own arithmetic, used only to choose between readings of run-together digits.

When a row's digits can be cut into cells in several ways (`digits`), the
relations the table itself prints or implies decide: in table 3 the 总计
column is the sum of the six applicant columns, each column's 一+二 equals
（七）总计+四, （七）总计 is the sum of the result rows, and a printed
header subtotal is the sum of its sub-rows; in table 4 each block's 总计 is
the sum of its four results. They are derived from the template data (named
sets ``applicants``/``parts``/``result_leaves`` and the rows' parents).

A reading is chosen only when it is the one reading that agrees with every
relation that can be evaluated; otherwise the group stays unresolved and
extraction reports it. Groups with a single reading are taken as written,
even if they break a relation: finding that is the rules' job, not ours.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from msgspec import Struct, field

from checker.templates import TableDef

# search budget (assignments tried) for the joint choice across several ambiguous groups
MAX_STEPS = 20000
MAX_JOINT_GROUPS = 40  # a table has at most some 30 rows; more open groups is not a table
_COLUMN_SUM_SETS = ("applicants", "parts")


class Relation(Struct, frozen=True):
    """sum(lhs cells) == sum(rhs cells); cells are "row.column" keys."""

    lhs: tuple[str, ...]
    rhs: tuple[str, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return self.lhs + self.rhs


def table_relations(tdef: TableDef) -> list[Relation]:
    """Every sum relation the table's layout implies, cell by cell."""
    relations: list[Relation] = []
    columns = [c.key for c in tdef.columns]
    rows_with_values = [r for r in tdef.rows if r.kind != "heading"]
    for set_name in _COLUMN_SUM_SETS:
        parts = tdef.sets.get(set_name)
        if parts and "total" in columns and set(parts) <= set(columns):
            for row in rows_with_values:
                relations.append(
                    Relation((f"{row.key}.total",), tuple(f"{row.key}.{p}" for p in parts))
                )
    leaves = tdef.sets.get("result_leaves")
    if leaves and tdef.row("total"):
        for column in columns:
            relations.append(
                Relation((f"total.{column}",), tuple(f"{leaf}.{column}" for leaf in leaves))
            )
    if all(tdef.row(key) for key in ("new", "carried_over", "total", "carried_forward")):
        for column in columns:
            relations.append(
                Relation(
                    (f"new.{column}", f"carried_over.{column}"),
                    (f"total.{column}", f"carried_forward.{column}"),
                )
            )
    for header in (r for r in tdef.rows if r.kind == "header"):
        children = [r.key for r in tdef.rows if r.parent == header.key]
        if children:
            for column in columns:
                relations.append(
                    Relation(
                        (f"{header.key}.{column}",),
                        tuple(f"{child}.{column}" for child in children),
                    )
                )
    return relations


class Group(Struct):
    """Cells read together (a table-3 row, the fifteen cells of table 4) and their possible values."""

    keys: tuple[str, ...]
    candidates: list[tuple[Decimal | None, ...]]
    alive: list[int] = field(default_factory=list)  # candidates the relations have not ruled out
    defective: bool = False  # no reading satisfies the sums: they did not narrow `alive`
    chosen: int | None = None  # index into candidates once decided
    _column: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.alive = list(range(len(self.candidates)))
        self._column = {key: i for i, key in enumerate(self.keys)}
        if len(self.candidates) == 1:
            self.chosen = 0

    def value(self, index: int, key: str) -> Decimal | None:
        return self.candidates[index][self._column[key]]


def _holds(relation: Relation, value_of: Callable[[str], Decimal | None]) -> bool | None:
    """True/False, or None when a cell is blank or unknown."""
    sides = []
    for side in (relation.lhs, relation.rhs):
        total = Decimal(0)
        for key in side:
            value = value_of(key)
            if value is None:
                return None
            total += value
        sides.append(total)
    return sides[0] == sides[1]


def _by_shape(group: Group, local: Sequence[Relation]) -> list[int]:
    """The readings whose shape fits the row before any sum is asked: a total of counts is at
    least each of its parts (it has at least their digits). Holds in a row whose sum is wrong."""
    bounds = [(r.lhs[0], r.rhs) for r in local if len(r.lhs) == 1]
    fitting = []
    for index in group.alive:
        fits = True
        for total_key, parts in bounds:
            total = group.value(index, total_key)
            values = [group.value(index, key) for key in parts]
            if total is not None and any(v is not None and v > total for v in values):
                fits = False
                break
        if fits:
            fitting.append(index)
    return fitting


def resolve(groups: Sequence[Group], relations: Sequence[Relation]) -> None:
    """Set `chosen` on every group whose reading the relations force; narrow `alive` on the others."""
    owner: dict[str, Group] = {key: g for g in groups for key in g.keys}
    undecided = [g for g in groups if g.chosen is None and g.candidates]
    # relations within one group first: they prune each group on its own
    for group in undecided:
        local = [r for r in relations if all(owner.get(k) is group for k in r.keys)]
        group.alive = _by_shape(group, local) or group.alive
        agreeing = [
            i
            for i in group.alive
            if all(_holds(r, lambda k, i=i, g=group: g.value(i, k)) is not False for r in local)
        ]
        # a row whose own sum fails in every reading has a real defect: its sum cannot choose
        group.defective = bool(local) and not agreeing
        group.alive = agreeing or group.alive
        if len(group.alive) == 1:
            group.chosen = group.alive[0]
    pending = [g for g in undecided if g.chosen is None and g.alive]
    if 0 < len(pending) <= MAX_JOINT_GROUPS:
        _joint(pending, relations, owner)


def _joint(pending: list[Group], relations: Sequence[Relation], owner: dict[str, Group]) -> None:
    """Try every combination of the pending groups' readings against the relations linking them."""
    order = {id(g): level for level, g in enumerate(pending)}
    checks: list[list[Relation]] = [[] for _ in pending]
    for relation in relations:
        if not all(k in owner for k in relation.keys):
            continue  # a cell of a row that is not there: nothing to check against
        levels = [order[id(owner[k])] for k in relation.keys if id(owner[k]) in order]
        if levels and len({id(owner[k]) for k in relation.keys}) > 1:
            checks[max(levels)].append(relation)
    assignment: dict[int, int] = {}
    survivors: list[set[int]] = [set() for _ in pending]
    steps = 0

    def value_of(key: str) -> Decimal | None:
        group = owner[key]
        if id(group) in assignment:
            return group.value(assignment[id(group)], key)
        return group.value(group.chosen, key) if group.chosen is not None else None

    def search(level: int) -> bool:
        nonlocal steps
        if level == len(pending):
            for index, group in enumerate(pending):
                survivors[index].add(assignment[id(group)])
            return True
        group = pending[level]
        for candidate in group.alive:
            steps += 1
            if steps > MAX_STEPS:
                return False
            assignment[id(group)] = candidate
            if all(_holds(r, value_of) is not False for r in checks[level]) and not search(
                level + 1
            ):
                return False
        assignment.pop(id(group), None)
        return True

    if not search(0):
        return  # over budget: leave every pending group undecided
    if not any(survivors):
        for group in pending:  # no reading makes the table add up: a real defect
            group.defective = True
        return
    for group, alive in zip(pending, survivors, strict=True):
        group.alive = sorted(alive)
        if len(alive) == 1:
            group.chosen = group.alive[0]
