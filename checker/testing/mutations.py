"""Mutations: one defect put into a valid report, with the rule codes it must fire.

Each mutation takes report data (the structured form, e.g. drawn by
:func:`checker.testing.reports`), never changes it, and returns a
:class:`Mutation`: the mutated copy, what was done, the codes of the
national pack that **must** fire, and those that **may** fire as well
(prose that happens to state a changed figure). A test checks
``must_fire <= fired <= must_fire | may_fire``.

========================  =========================================================  ======================
mutation                  what it does                                               must fire
========================  =========================================================  ======================
``change_cell``           adds ``delta`` (≠ 0, never below 0) to one cell of         T3-001/002/003/004 or
                          table 3 or 4                                               T4-001, by the cell's
                                                                                     relations; DIAG-001
``blank_cell``            empties one cell of table 3 or 4 (blank ≠ 0)               STR-009 (its relations
                                                                                     may fire: a blank
                                                                                     addend counts as 0)
``delete_section``        removes one of the six sections                            STR-001 (and SEC1-002
                                                                                     when the appraisal
                                                                                     sentence goes with it)
``swap_sections``         exchanges two sections                                     STR-001
``shift_period``          moves the statistics period by whole years, or cuts it     META-002 + META-003, or
                          short within the year                                      META-003
``break_breakdown``       changes one item of a "N条，其中…" breakdown so that the     TXT-009
                          items no longer add up
``contradict_prose``      makes a figure stated in the prose differ from its table   TXT-001, TXT-002 or
                                                                                     TXT-003
``switch_template``       relabels tables 2 and 3 as the other format version,       TPL-001 (+ TPL-002 for
                          keeping the declared version and the year                  a 2021+ report)
========================  =========================================================  ======================

``any_mutation(data)`` is a hypothesis strategy drawing one of them (or one of
the ``kinds`` given) with its parameters; ``MUTATION_KINDS`` lists the kinds.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from msgspec import Struct

from checker.templates import TableDef, section_def, template
from checker.testing.renderers import flat_cells

MUTATION_KINDS = (
    "change_cell",
    "blank_cell",
    "delete_section",
    "swap_sections",
    "shift_period",
    "break_breakdown",
    "contradict_prose",
    "switch_template",
)
#: what section 1 of a people's government's report must mention (SEC1-002, 条例 第五十条)
ACCOUNTABILITY_WORDS = (("考核",), ("评议",), ("责任追究", "追责", "问责"))
#: agency kinds whose reports must state appraisal, evaluation and accountability
ACCOUNTABLE_KINDS = ("government", "township")
#: figures the prose states: (table, cells summed, rule, regex of the phrase, sentence to add)
FIGURES: dict[str, tuple[str, tuple[str, ...], str, str, str]] = {
    "new": (
        "t3",
        ("new.total",),
        "TXT-001",
        r"(?:新收|收到|受理)政府信息公开申请(\d+)件",
        "全年新收政府信息公开申请{n}件。",
    ),
    "carried_over": (
        "t3",
        ("carried_over.total",),
        "TXT-001",
        r"上年结转(\d+)件",
        "上年结转政府信息公开申请{n}件。",
    ),
    "handled": (
        "t3",
        ("total.total",),
        "TXT-001",
        r"(?:办结|答复申请)(\d+)件",
        "本年度办结政府信息公开申请{n}件。",
    ),
    "carried_forward": (
        "t3",
        ("carried_forward.total",),
        "TXT-001",
        r"结转下年度继续办理(\d+)件",
        "结转下年度继续办理{n}件。",
    ),
    "review": (
        "t4",
        ("review.total",),
        "TXT-002",
        r"行政复议(\d+)件",
        "全年发生政府信息公开行政复议{n}件。",
    ),
    "lawsuits": (
        "t4",
        ("litigation_direct.total", "litigation_after_review.total"),
        "TXT-002",
        r"行政诉讼(\d+)件",
        "全年发生政府信息公开行政诉讼{n}件。",
    ),
    "normative_issued": (
        "t2",
        ("normative_documents.issued",),
        "TXT-003",
        r"(?:制发|印发|出台)行政规范性文件(\d+)件",
        "本年印发行政规范性文件{n}件。",
    ),
    "normative_in_force": (
        "t2",
        ("normative_documents.in_force",),
        "TXT-003",
        r"现行有效行政规范性文件(\d+)件",
        "现行有效行政规范性文件{n}件。",
    ),
    "normative_made": (
        "t2",
        ("normative_documents.made",),
        "TXT-003",
        r"(?:新制作|制作|制定)规范性文件(\d+)件",
        "本年制定规范性文件{n}件。",
    ),
}
_BREAKDOWN = re.compile(r"(?<![\d.])(?P<total>\d+)(?P<unit>[条件])[，,]?其中(?P<items>[^。；;\n]+)")
_ITEM = re.compile(r"(?P<label>[^，,、；;。\d]*?)(?<![\d.])(?P<n>\d+)(?P<unit>[条件])")


class Mutation(Struct, frozen=True):
    """A mutated copy of report data and the national-pack codes it must (may) fire."""

    kind: str
    description: str
    data: dict[str, Any]
    must_fire: frozenset[str]
    may_fire: frozenset[str] = frozenset()


# -- helpers on report data ------------------------------------------------------------------


def version_of(data: dict[str, Any]) -> str:
    """The format version the data's table keys show (the declared one when they show none)."""
    keys = set(flat_cells(data.get("tables", {}).get("t2", {})))
    if keys & {"regulations.issued", "normative_documents.in_force", "fees.amount"}:
        return "2021"
    if keys:
        return "2019"
    return str(data.get("meta", {}).get("template") or "2021")


def _cell(data: dict[str, Any], table: str, key: str) -> Any:
    node: Any = data.get("tables", {}).get(table, {})
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _set_cell(data: dict[str, Any], table: str, key: str, value: Any) -> None:
    node = data.setdefault("tables", {}).setdefault(table, {})
    *parents, leaf = key.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    return None


def numeric_cells(data: dict[str, Any], table: str) -> dict[str, Decimal]:
    """Cells of a table holding a plain number, by dotted key."""
    cells = flat_cells(data.get("tables", {}).get(table, {}))
    return {k: n for k, v in cells.items() if (n := _number(v)) is not None}


def _section_index(data: dict[str, Any], number: int) -> int | None:
    for index, section in enumerate(data.get("sections", [])):
        if section.get("number") == number:
            return index
    return None


def _states_accountability(texts: list[str]) -> bool:
    joined = "\n".join(texts)
    return all(any(word in joined for word in group) for group in ACCOUNTABILITY_WORDS)


# -- table cells -------------------------------------------------------------------------------


def _t3_relations(tdef: TableDef, key: str, cells: Collection[str]) -> set[str]:
    row, _, column = key.rpartition(".")
    definition = tdef.row(row)
    if definition is not None and definition.kind == "header":
        return {"T3-004"}
    codes = {"T3-002"}
    if row in ("new", "carried_over", "carried_forward"):
        codes.add("T3-001")
    elif row == "total":
        codes |= {"T3-001", "T3-003"}
    else:
        codes.add("T3-003")
        parent = definition.parent if definition else None
        if parent and f"{parent}.{column}" in cells:
            codes.add("T3-004")
    return codes


def _prose_codes(table: str, key: str) -> set[str]:
    """Rules whose prose figures read this cell (they fire only if the prose states it)."""
    codes = {rule for t, cells, rule, _, _ in FIGURES.values() if t == table and key in cells}
    if table == "t3":
        codes.add("TXT-001")  # applicants and result categories are prose figures too
        if key.startswith("carried_forward."):
            codes.add("TXT-010")  # the "全部办结" claim
    if table == "t4" and key.endswith((".corrected", ".other", ".pending")):
        codes.add("TXT-010")  # the "均获维持/无败诉" claims
    return codes


def change_cell(data: dict[str, Any], table: str, key: str, delta: int) -> Mutation:
    """Add `delta` to one cell of table 3 or 4 (the result must stay a non-negative count)."""
    value = numeric_cells(data, table).get(key)
    if table not in ("t3", "t4") or value is None or delta == 0 or value + delta < 0:
        raise InvalidArgument(f"cannot change {table}.{key} ({value}) by {delta}")
    mutated = copy.deepcopy(data)
    _set_cell(mutated, table, key, int(value + delta))
    if table == "t3":
        tdef = template(version_of(data)).tables["t3"]
        must = _t3_relations(tdef, key, numeric_cells(data, "t3"))
    else:
        must = {"T4-001"}
    must.add("DIAG-001")  # the minimal repair: this cell, or an ambiguity that includes it
    return Mutation(
        "change_cell",
        f"{table}.{key}: {value} -> {value + delta}",
        mutated,
        frozenset(must),
        frozenset(_prose_codes(table, key)),
    )


def blank_cell(data: dict[str, Any], table: str, key: str) -> Mutation:
    """Empty one cell (null). Blank is not 0: STR-009 reports it (not on a header row's
    subtotal, which the format leaves empty); a relation where it is an addend counts it as 0
    (so a non-zero value lost may fire that relation), one where it is the total is not
    checked."""
    if _cell(data, table, key) is None:
        raise InvalidArgument(f"{table}.{key} is not a filled cell")
    mutated = copy.deepcopy(data)
    _set_cell(mutated, table, key, None)
    must = {"STR-009"}
    if table == "t3":
        tdef = template(version_of(data)).tables["t3"]
        may = _t3_relations(tdef, key, numeric_cells(data, "t3"))
        row = tdef.row(key.rpartition(".")[0])
        if row is not None and row.kind != "leaf":
            must = set()  # a header row's printed subtotal: the format leaves it empty anyway
    else:
        may = {"T4-001"} if table == "t4" else set()
    return Mutation(
        "blank_cell",
        f"{table}.{key}: blank",
        mutated,
        frozenset(must),
        frozenset(may | _prose_codes(table, key) | ({"DIAG-001"} if may else set())),
    )


# -- sections ----------------------------------------------------------------------------------


def delete_section(data: dict[str, Any], number: int) -> Mutation:
    """Remove section `number` (1–6)."""
    index = _section_index(data, number)
    if index is None:
        raise InvalidArgument(f"the report has no section {number}")
    mutated = copy.deepcopy(data)
    mutated["sections"].pop(index)
    must = {"STR-001"}
    kind = data.get("meta", {}).get("agency_kind")
    if kind in ACCOUNTABLE_KINDS and not _states_accountability(
        [s.get("text") or "" for s in mutated["sections"]]
    ):
        must.add("SEC1-002")
    return Mutation(
        "delete_section", f"section {section_def(number).title} deleted", mutated, frozenset(must)
    )


def swap_sections(data: dict[str, Any], first: int, second: int) -> Mutation:
    """Exchange the places of two sections."""
    i, j = _section_index(data, first), _section_index(data, second)
    if i is None or j is None or i == j:
        raise InvalidArgument(f"cannot swap sections {first} and {second}")
    mutated = copy.deepcopy(data)
    sections = mutated["sections"]
    sections[i], sections[j] = sections[j], sections[i]
    return Mutation(
        "swap_sections", f"sections {first} and {second} swapped", mutated, frozenset({"STR-001"})
    )


# -- metadata ----------------------------------------------------------------------------------


def shift_period(data: dict[str, Any], years: int = 0, end_month: int = 12) -> Mutation:
    """Move the statistics period by `years`, or (years=0) end it on the last day of `end_month`."""
    meta = data.get("meta", {})
    year = meta.get("year")
    if not isinstance(year, int) or (years == 0 and end_month == 12) or not 1 <= end_month <= 12:
        raise InvalidArgument("shift_period needs a report year and a real change")
    start_year = year + years
    end = date(start_year, end_month + 1, 1) if end_month < 12 else date(start_year + 1, 1, 1)
    end = date.fromordinal(end.toordinal() - 1)
    mutated = copy.deepcopy(data)
    mutated["meta"]["period"] = {
        "text": f"本报告所列数据的统计期限自{start_year}年1月1日起至{end.year}年{end.month}月{end.day}日止",
        "start": date(start_year, 1, 1).isoformat(),
        "end": end.isoformat(),
    }
    must = {"META-003"} | ({"META-002"} if years else set())
    what = f"by {years:+d} years" if years else f"to end on {end.isoformat()}"
    return Mutation("shift_period", f"statistics period moved {what}", mutated, frozenset(must))


# -- prose -------------------------------------------------------------------------------------


def _breakdowns(data: dict[str, Any]) -> list[tuple[int, re.Match[str]]]:
    found = []
    for index, section in enumerate(data.get("sections", [])):
        for match in _BREAKDOWN.finditer(section.get("text") or ""):
            items = [i for i in _ITEM.finditer(match["items"]) if i["unit"] == match["unit"]]
            if len(items) >= 2:
                found.append((index, match))
    return found


def _heads_broken_breakdown(text: str, offset: int) -> bool:
    """Is the number at `offset` the total of a breakdown whose items no longer fit it?"""
    for match in _BREAKDOWN.finditer(text):
        if match.start("total") != offset:
            continue
        items = [int(i["n"]) for i in _ITEM.finditer(match["items"]) if i["unit"] == match["unit"]]
        if len(items) < 2:
            return False
        partial = match["items"].rstrip().endswith("等")
        total = int(match["total"])
        return sum(items) > total if partial else sum(items) != total
    return False


def break_breakdown(
    data: dict[str, Any], which: int = 0, item: int = 0, excess: int = 1
) -> Mutation:
    """Raise one item of the `which`-th "N条，其中…" breakdown so the items exceed what they may."""
    found = _breakdowns(data)
    if not found or excess < 1:
        raise InvalidArgument("the report has no narrative breakdown to break")
    index, match = found[which % len(found)]
    items = [i for i in _ITEM.finditer(match["items"]) if i["unit"] == match["unit"]]
    target = items[item % len(items)]
    total, listed = int(match["total"]), sum(int(i["n"]) for i in items)
    partial = match["items"].rstrip().endswith("等")
    raise_by = (total - listed + excess) if partial else excess
    new_value = int(target["n"]) + raise_by
    start = match.start("items") + target.start("n")
    end = match.start("items") + target.end("n")
    mutated = copy.deepcopy(data)
    text = mutated["sections"][index]["text"]
    mutated["sections"][index]["text"] = text[:start] + str(new_value) + text[end:]
    return Mutation(
        "break_breakdown",
        f"breakdown of {total}{match['unit']}: item {target['label']}{target['n']} -> {new_value}",
        mutated,
        frozenset({"TXT-009"}),
        # an item may also be a figure the prose rules read (自然人申请N件)
        frozenset({"TXT-001", "TXT-002", "TXT-003"}) if match["unit"] == "件" else frozenset(),
    )


def contradict_prose(data: dict[str, Any], figure: str, offset: int = 1) -> Mutation:
    """State `figure` (a key of FIGURES) in the prose as the table's value + `offset`.

    The number of the first phrase stating the figure is changed; when the prose
    states none, a sentence is added to section 1."""
    if figure not in FIGURES or offset == 0:
        raise InvalidArgument(f"unknown figure {figure!r} or zero offset")
    table, cells, rule, phrase, sentence = FIGURES[figure]
    values = [numeric_cells(data, table).get(key) for key in cells]
    if any(v is None for v in values):
        raise InvalidArgument(f"the table cells of {figure} are not all filled")
    stated = int(sum(values, Decimal(0))) + offset  # type: ignore[arg-type]
    if stated < 0:
        raise InvalidArgument(f"{figure} would be stated as a negative number")
    mutated = copy.deepcopy(data)
    sections = mutated.setdefault("sections", [])
    must = {rule}
    for section in sections:
        match = re.search(phrase, section.get("text") or "")
        if match:
            text = section["text"]
            section["text"] = text[: match.start(1)] + str(stated) + text[match.end(1) :]
            if _heads_broken_breakdown(section["text"], match.start(1)):
                must.add("TXT-009")  # the figure is also the total of a breakdown
            break
    else:
        index = _section_index(mutated, 1)
        if index is None:
            raise InvalidArgument("no section 1 to state the figure in")
        text = sections[index].get("text") or ""
        sections[index]["text"] = (text + "\n" if text else "") + sentence.format(n=stated)
    return Mutation(
        "contradict_prose",
        f"the prose states {figure} as {stated} (table: {stated - offset})",
        mutated,
        frozenset(must),
    )


def _figures_for(data: dict[str, Any]) -> list[str]:
    version = version_of(data)
    only_2019, only_2021 = {"normative_made"}, {"normative_issued", "normative_in_force"}
    usable = []
    for name, (table, cells, _, _, _) in FIGURES.items():
        if (version == "2021" and name in only_2019) or (version == "2019" and name in only_2021):
            continue
        if all(key in numeric_cells(data, table) for key in cells):
            usable.append(name)
    return usable


# -- template ----------------------------------------------------------------------------------


def _t2_as(version: str, data: dict[str, Any]) -> dict[str, Any]:
    """Table 2 relabelled as `version`, keeping what both versions share."""
    cells = numeric_cells(data, "t2")
    tdef = template(version).tables["t2"]
    flat: dict[str, Any] = {}
    for row in tdef.leaf_rows():
        for column in tdef.row_columns(row):
            flat[f"{row.key}.{column}"] = 0
    for prefix in ("regulations", "normative_documents"):
        if version == "2019":
            issued = cells.get(f"{prefix}.issued", Decimal(0))
            flat[f"{prefix}.made"] = flat[f"{prefix}.published"] = int(issued)
            flat[f"{prefix}.total_published"] = int(cells.get(f"{prefix}.in_force", issued))
        else:
            made = cells.get(f"{prefix}.published", Decimal(0))
            flat[f"{prefix}.issued"] = int(cells.get(f"{prefix}.made", Decimal(0)))
            flat[f"{prefix}.in_force"] = int(cells.get(f"{prefix}.total_published", made))
    for row in ("licensing", "punishment", "coercion"):
        flat[f"{row}.decisions"] = int(cells.get(f"{row}.decisions", Decimal(0)))
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        row, column = key.rsplit(".", 1)
        nested.setdefault(row, {})[column] = value
    return nested


def _t3_as(version: str, data: dict[str, Any]) -> dict[str, Any]:
    """Table 3 with （六）其他处理 as one row (2019) or as its three sub-rows (2021)."""
    t3 = copy.deepcopy(data.get("tables", {}).get("t3", {}))
    other = t3.pop("other", {})
    columns = template(version).tables["t3"].sets["columns"]
    if version == "2019":
        parts = [v for v in other.values() if isinstance(v, dict)] or [other]
        merged = {c: sum(int(_number(p.get(c)) or 0) for p in parts) for c in columns}
        rebuilt = {k: v for k, v in t3.items() if k not in ("total", "carried_forward")}
        rebuilt["other"] = merged
    else:
        zeros = dict.fromkeys(columns, 0)
        rebuilt = {k: v for k, v in t3.items() if k not in ("total", "carried_forward")}
        rebuilt["other"] = {
            "no_correction": dict(zeros),
            "unpaid_fee": dict(zeros),
            "other": {c: other.get(c, 0) for c in columns},
        }
    rebuilt["total"], rebuilt["carried_forward"] = t3.get("total"), t3.get("carried_forward")
    return {k: v for k, v in rebuilt.items() if v is not None}


def switch_template(data: dict[str, Any]) -> Mutation:
    """Relabel tables 2 and 3 as the other format version; the declared version and year stay."""
    current = version_of(data)
    other = "2019" if current == "2021" else "2021"
    mutated = copy.deepcopy(data)
    mutated["tables"]["t2"] = _t2_as(other, data)
    mutated["tables"]["t3"] = _t3_as(other, data)
    year = data.get("meta", {}).get("year")
    must = {"TPL-001"}
    if other == "2019" and isinstance(year, int) and year >= 2021:
        must.add("TPL-002")
    return Mutation(
        "switch_template", f"tables relabelled as the {other} format", mutated, frozenset(must)
    )


# -- the strategy ------------------------------------------------------------------------------


def _table_cells(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(t, k) for t in ("t3", "t4") for k in numeric_cells(data, t)]


@st.composite
def any_mutation(
    draw: st.DrawFn, data: dict[str, Any], kinds: Collection[str] | None = None
) -> Mutation:
    """One mutation of `data` (of the given kinds, default all) with drawn parameters."""
    chosen = tuple(kinds or MUTATION_KINDS)
    unknown = set(chosen) - set(MUTATION_KINDS)
    if unknown:
        raise InvalidArgument(f"unknown mutation kinds {sorted(unknown)}")
    kind = draw(st.sampled_from(chosen))
    if kind in ("change_cell", "blank_cell"):
        table, key = draw(st.sampled_from(_table_cells(data)))
        if kind == "blank_cell":
            return blank_cell(data, table, key)
        value = int(numeric_cells(data, table)[key])
        up = st.integers(1, 50)
        down = st.integers(-value, -1) if value else up
        return change_cell(data, table, key, draw(st.one_of(up, down)))
    if kind == "delete_section":
        numbers = [s["number"] for s in data.get("sections", [])]
        return delete_section(data, draw(st.sampled_from(numbers)))
    if kind == "swap_sections":
        numbers = [s["number"] for s in data.get("sections", [])]
        first, second = draw(
            st.lists(st.sampled_from(numbers), min_size=2, max_size=2, unique=True)
        )
        return swap_sections(data, first, second)
    if kind == "shift_period":
        if draw(st.booleans()):
            return shift_period(data, years=draw(st.sampled_from((-1, 1, -2))))
        return shift_period(data, end_month=draw(st.integers(1, 11)))
    if kind == "break_breakdown":
        return break_breakdown(
            data, draw(st.integers(0, 5)), draw(st.integers(0, 5)), draw(st.integers(1, 20))
        )
    if kind == "contradict_prose":
        figure = draw(st.sampled_from(_figures_for(data)))
        table, cells = FIGURES[figure][:2]
        value = sum(numeric_cells(data, table)[key] for key in cells)
        offsets = (1, 2, 10, -1) if value >= 1 else (1, 2, 10)
        return contradict_prose(data, figure, draw(st.sampled_from(offsets)))
    return switch_template(data)
