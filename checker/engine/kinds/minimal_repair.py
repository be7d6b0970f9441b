"""minimal_repair — which cell is wrong: the fewest cells whose correction makes every sum hold.

Options::

    tables: [t2, t3, t4]     # the tables whose layout relations are searched

One mistyped cell of table 3 breaks three or four sums at once, each a
finding of its own sum rule. This kind looks for the cause
(``checker/engine/repair.py``): over the relations of each table (a row's
total = its parts, （七）总计 = the result rows, 一+二 = （七）+四, printed
subtotals, table 4's blocks), the smallest set of cells whose change makes
every failing relation hold without breaking any that held. Blank cells are
unknowns, never counted as changes.

- Exactly one smallest repair: one finding on the repaired cell (its
  ``expected`` the reconciling value, ``actual`` the printed one; for a
  repair of several cells, lists in cell order), naming the failing
  relations it explains; their cells are its ``related`` pointers, so a
  reader sees one cause, not four symptoms. ``related`` lists the repaired
  cells first (the HTML report relies on it), then the cells the explained
  findings point at.
- Several: one finding listing up to three and saying it is ambiguous; no
  cell is picked.
- None within the bound (``repair.MAX_CELLS`` cells, ``repair.MAX_NODES``
  search nodes, ``repair.MAX_REPAIRS`` repairs listed as "at least"): not
  applicable, with that reason.

Placeholders: ``{table}``, ``{diagnosis}`` (the whole explanation),
``{bound}`` (the search bound in words).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from checker.engine import repair as search
from checker.engine.context import CheckResult, Context, Failure
from checker.engine.kinds._arith import WHOLE_TABLES_SCHEMA
from checker.engine.messages import Loc
from checker.model import cell_pointer
from checker.numbers import decimal_str

KIND = "minimal_repair"

OPTIONS_SCHEMA: dict[str, Any] = WHOLE_TABLES_SCHEMA

_TABLE_NAME = {
    "t2": Loc("表二", "Table 2"),
    "t3": Loc("表三", "Table 3"),
    "t4": Loc("表四", "Table 4"),
}
SHOWN = 3  # repairs listed when several are possible
BOUND = Loc(
    f"最多改动{search.MAX_CELLS}个单元格，每个相连部分最多试{search.MAX_NODES}种组合",
    f"at most {search.MAX_CELLS} cells changed, at most {search.MAX_NODES} combinations "
    "tried per connected part",
)


def _number(value: Fraction | Decimal | None) -> str:
    if value is None:
        return "?"
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        return decimal_str(Decimal(value.numerator) / Decimal(value.denominator))
    return decimal_str(value)


def _changes(ctx: Context, table: str, fix: search.Repair) -> Loc:
    """'“A”填报6，应为7；“B”…' in both languages."""
    parts: dict[str, list[str]] = {"zh": [], "en": []}
    for key, value in zip(fix.cells, fix.values, strict=True):
        label = ctx.label(table, key)
        printed = _number(ctx.value(table, key))
        if value is None:
            parts["zh"].append(f"“{label.zh}”填报{printed}，应改为多少无法唯一确定")
            parts["en"].append(f'"{label.en}" is {printed}, its correct value is not determined')
        else:
            parts["zh"].append(f"“{label.zh}”填报{printed}，应为{_number(value)}")
            parts["en"].append(f'"{label.en}" is {printed}, should be {_number(value)}')
    return Loc("；".join(parts["zh"]), "; ".join(parts["en"]))


def _relations(ctx: Context, table: str, links: list[search.Link]) -> Loc:
    names = list(dict.fromkeys(ctx.label(table, link.anchor) for link in links))
    return Loc("、".join(f"“{n.zh}”" for n in names), ", ".join(f'"{n.en}"' for n in names))


def _unique(ctx: Context, table: str, diagnosis: search.Diagnosis, fix: search.Repair) -> Failure:
    explained = diagnosis.explained_by(fix)
    name, count = _TABLE_NAME[table], len(explained)
    changes, sums = _changes(ctx, table, fix), _relations(ctx, table, explained)
    if len(fix.cells) == 1:
        head = Loc(f"{name.zh}{changes.zh}：只改这一个单元格，", f"{name.en}: {changes.en}. ")
    else:
        head = Loc(
            f"{name.zh}最少要改{len(fix.cells)}个单元格，且只有一种改法：{changes.zh}。这样改，",
            f"{name.en}: at least {len(fix.cells)} cells must change and only one way works: "
            f"{changes.en}. ",
        )
    if count:
        text = Loc(
            f"{head.zh}{count}处不平衡（{sums.zh}）即全部成立，且不破坏其他勾稽关系",
            f"{head.en}Correcting this makes the {count} failing sum(s) ({sums.en}) hold "
            "without breaking any other",
        )
    else:  # no sum could run (blank cells), but what the blanks must hold contradicts itself
        text = Loc(
            f"{head.zh}空白单元格按未知数计算时表内勾稽关系互相矛盾，改正后全部可以成立",
            f"{head.en}With the blank cells as unknowns the table's sums contradict each "
            "other; correcting this makes them all hold",
        )
    first = fix.cells[0]
    values = [_number(v) for v in fix.values]
    printed = [_number(ctx.value(table, k)) for k in fix.cells]
    return Failure(
        pointer=cell_pointer(table, first),
        params={"table": name, "diagnosis": text, "bound": BOUND},
        expected=values[0] if len(values) == 1 else values,
        actual=printed[0] if len(printed) == 1 else printed,
        pos=ctx.cell_pos(table, first),
        related=_related(table, fix.cells, explained),
        discriminator=",".join(fix.cells),
    )


def _ambiguous(ctx: Context, table: str, diagnosis: search.Diagnosis) -> Failure:
    name, repairs = _TABLE_NAME[table], diagnosis.repairs
    # a count cannot be negative, but a repair giving one still counts: ruling it out would
    # let two wrong cells pass for one; the possible ones are listed first
    repairs = sorted(repairs, key=_negative)
    shown = repairs[:SHOWN]
    sums = _relations(ctx, table, diagnosis.failing)
    listed = [_changes(ctx, table, fix) for fix in shown]
    more = len(repairs) - len(shown)
    negative = sum(1 for fix in repairs[len(shown) :] if _negative(fix))
    rest = Loc("", "")
    if more:
        rest = Loc(f"；另有{more}种", f"; {more} more")
        if negative:
            rest = Loc(
                f"{rest.zh}（其中{negative}种得出负数）",
                f"{rest.en} ({negative} giving a negative)",
            )
    if not diagnosis.size:
        rest = Loc(
            f"{rest.zh}；搜索到上限即停止，可能还有其他改法",
            f"{rest.en}; the search stopped at its bound",
        )
    size = diagnosis.size or 0
    count = Loc(f"至少{len(repairs)}", f"at least {len(repairs)}") if diagnosis.truncated else None
    count = count or Loc(str(len(repairs)), str(len(repairs)))
    text = Loc(
        f"{name.zh}有{count.zh}种同样只改{size}个单元格的改法都能使{len(diagnosis.failing)}处"
        f"不平衡（{sums.zh}）全部成立，无法确定是哪个单元格填错，请按原始台账核对："
        + "；".join(f"（{i}）{c.zh}" for i, c in enumerate(listed, 1))
        + rest.zh,
        f"{name.en}: {count.en} different repairs of {size} cell(s) each make the "
        f"{len(diagnosis.failing)} failing sum(s) ({sums.en}) hold; which cell is wrong cannot "
        "be told, check the records: "
        + "; ".join(f"({i}) {c.en}" for i, c in enumerate(listed, 1))
        + rest.en,
    )
    anchor = diagnosis.failing[0].anchor if diagnosis.failing else shown[0].cells[0]
    cells = tuple(dict.fromkeys(k for fix in shown for k in fix.cells))
    return Failure(
        pointer=cell_pointer(table, anchor),
        params={"table": name, "diagnosis": text, "bound": BOUND},
        pos=ctx.cell_pos(table, anchor),
        related=_related(table, cells, diagnosis.failing),
        discriminator="ambiguous:" + anchor,
    )


def _negative(fix: search.Repair) -> bool:
    return any(v is not None and v < 0 for v in fix.values)


def _related(table: str, cells: tuple[str, ...], links: list[search.Link]) -> tuple[str, ...]:
    pointers = [cell_pointer(table, key) for key in cells]
    pointers += [cell_pointer(table, link.anchor) for link in links]
    return tuple(dict.fromkeys(pointers))


LARGEST = Decimal(10) ** 15  # no count or amount of these tables comes near it


def _beyond_counting(value: Decimal | None) -> bool:
    return value is not None and (not value.is_finite() or abs(value) >= LARGEST)


def _related_keys(tdef) -> frozenset[str]:
    """The cells the table's relations read (only these take part in a repair)."""
    return frozenset(key for link in search.links_of(tdef) for key in link.keys)


def compile(options: dict[str, Any]):
    tables = tuple(options["tables"])

    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        for table in tables:
            tdef = ctx.table(table)
            if tdef is None or not ctx.has_table(table):
                continue
            cells = ctx.report.tables[table]
            if any(
                (cell := cells.get(key)) is not None and _beyond_counting(cell.value)
                for key in _related_keys(tdef)
            ):
                # 1e400 or a 40-digit "count": the value rules report it; a repair of it would
                # be a number nobody can read (and exact arithmetic on it is unbounded)
                result.not_applicable.append(f"{table}: a value too large to diagnose")
                continue
            for diagnosis in search.diagnose(tdef, cells):
                if not diagnosis.repairs:
                    result.not_applicable.append(f"{table}: {diagnosis.bounded} ({BOUND.en})")
                elif (fix := diagnosis.unique) is not None and not diagnosis.bounded:
                    result.failures.append(_unique(ctx, table, diagnosis, fix))
                else:
                    result.failures.append(_ambiguous(ctx, table, diagnosis))
        if not result.failures and not result.not_applicable:
            result.passed += 1
        return result

    return check
