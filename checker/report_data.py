"""Convert between plain data (the structured YAML/JSON form) and the Report model."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from checker.model import (
    TABLES,
    Cell,
    Diagnostic,
    Meta,
    Period,
    Position,
    Report,
    Section,
    cell_pointer,
)
from checker.numbers import parse_number
from checker.templates import key_evidence, resolve_template, section_def, templates


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


YEARS = (1990, 2100)  # the report schema's range of meta.year
# beyond 10^±100 a written number is no count or amount (those stay under 10^15): it is read
# as text, which the value rules report, instead of breaking every sum with decimal.Overflow
MAX_EXPONENT = 100


def _cell(raw: Any, pos: Position | None) -> Cell:
    if raw is None:
        return Cell(None, None, pos)
    if isinstance(raw, bool):
        return Cell(None, str(raw).lower(), pos)
    if isinstance(raw, float):
        raw = Decimal(repr(raw))
    if isinstance(raw, int | Decimal) and (isinstance(raw, int) or raw.is_finite()):
        value = Decimal(raw)
        if abs(value.adjusted()) <= MAX_EXPONENT:
            return Cell(value, str(raw), pos)
    # .nan and .inf read as what they are: text, not a number; so does a number of an order
    # no arithmetic can carry (999991.0e+4009999999 overflowed every sum: json-53959)
    text = str(raw)
    parsed = parse_number(text)
    return Cell(parsed.value, text, pos, parsed.note)


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested rows to flat keys: {withheld: {state_secret: {total: 1}}} -> {withheld.state_secret.total: 1}."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def report_from_data(
    data: dict[str, Any], path: str, positions: dict[str, Position] | None = None
) -> Report:
    """Build a Report from schema-shaped data; tolerant of parts the schema rejected."""
    positions = positions or {}
    raw_meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    meta = Meta(source=path)
    for field_name in ("title", "agency", "agency_kind", "region"):
        value = raw_meta.get(field_name)
        setattr(meta, field_name, value if isinstance(value, str) else None)
    year = raw_meta.get("year")
    plausible = (
        isinstance(year, int) and not isinstance(year, bool) and YEARS[0] <= year <= YEARS[1]
    )
    meta.year = year if plausible else None  # out of range: EXT-001 says so; no rule uses it
    meta.published = _date(raw_meta.get("published"))
    meta.legacy = raw_meta.get("legacy") is True
    period = raw_meta.get("period")
    if isinstance(period, dict):
        meta.period = Period(
            text=str(period.get("text", "")),
            start=_date(period.get("start")),
            end=_date(period.get("end")),
            pos=positions.get("/meta/period"),
        )
    meta.positions = {
        name: positions[f"/meta/{name}"] for name in raw_meta if f"/meta/{name}" in positions
    }

    report = Report(meta=meta, node_positions=dict(positions))
    report.preamble = data.get("preamble") if isinstance(data.get("preamble"), str) else ""
    report.preamble_pos = positions.get("/preamble")

    sections = data.get("sections") if isinstance(data.get("sections"), list) else []
    for index, raw in enumerate(sections):
        if not isinstance(raw, dict) or not isinstance(raw.get("number"), int):
            continue
        number = raw["number"]
        if not 1 <= number <= 6:
            continue
        canonical = section_def(number).title
        report.sections.append(
            Section(
                number=number,
                title=str(raw.get("title") or canonical),
                canonical_title=canonical,
                text=str(raw.get("text") or ""),
                pos=positions.get(f"/sections/{index}"),
                text_pos=positions.get(f"/sections/{index}/text"),
            )
        )

    tables = data.get("tables") if isinstance(data.get("tables"), dict) else {}
    for name in TABLES:
        raw_table = tables.get(name)
        if not isinstance(raw_table, dict):
            continue
        report.tables[name] = {
            key: _cell(value, positions.get(cell_pointer(name, key)))
            for key, value in _flatten(raw_table).items()
        }

    for item in data.get("diagnostics") or []:
        if isinstance(item, dict) and isinstance(item.get("code"), str):
            params = item.get("params") if isinstance(item.get("params"), dict) else {}
            pointer = item.get("pointer") if isinstance(item.get("pointer"), str) else ""
            report.diagnostics.append(Diagnostic(item["code"], dict(params), pointer))

    written = raw_meta.get("template_evidence")  # what `extract` found in the document
    meta.template_evidence = (
        {k: [str(x) for x in v] for k, v in written.items() if isinstance(v, list)}
        if isinstance(written, dict)
        else key_evidence({n: set(t) for n, t in report.tables.items()})
    )
    declared = raw_meta.get("template")
    meta.declared_template = str(declared) if declared is not None else None
    meta.template = (
        None
        if meta.legacy
        else resolve_template(meta.declared_template, meta.template_evidence, meta.year)
    )
    _mark_unread(report)
    return report


# extraction diagnostics whose cells were left unknown, and why (model.Cell.unread)
_UNREAD_BY_CODE = {"EXT-002": "unreadable", "EXT-003": "missing", "EXT-005": "ambiguous"}


def _mark_unread(report: Report) -> None:
    """A structured copy of an extracted report (``nianbao extract``) keeps the diagnostics:
    the blank cells they cover are unknown, not blanks the report printed (STR-009)."""
    rows_after: dict[str, list[str]] = {}
    tpl = templates().get(report.meta.template or "")
    for diag in report.diagnostics:
        why = _UNREAD_BY_CODE.get(diag.code)
        if why is None or not diag.pointer.startswith("/tables/"):
            continue
        pointers = [diag.pointer]
        count = diag.params.get("count")
        table = diag.pointer.split("/")[2]
        if diag.code == "EXT-003" and isinstance(count, int) and tpl and table in tpl.tables:
            if table not in rows_after:
                rows_after[table] = [r.key for r in tpl.tables[table].leaf_rows()]
            leaves = rows_after[table]
            first = "/".join(diag.pointer.split("/")[3:]).replace("/", ".")
            if first in leaves:
                start = leaves.index(first)
                pointers = [cell_pointer(table, k) for k in leaves[start : start + count]]
        for key, cell in report.tables.get(table, {}).items():
            pointer = cell_pointer(table, key)
            if (
                cell.value is None
                and cell.raw is None
                and any(pointer == p or pointer.startswith(p + "/") for p in pointers)
            ):
                cell.unread = why


def _cell_data(cell: Cell) -> Any:
    if cell.value is None:
        return cell.raw if cell.raw not in (None, "") else None
    if cell.note is not None or (cell.raw is not None and parse_number(cell.raw).unit):
        return cell.raw
    value = cell.value
    return int(value) if value == value.to_integral_value() else value


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        *parents, leaf = key.split(".")
        node = nested
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return nested


def _diagnostic_data(diag: Diagnostic) -> dict[str, Any]:
    item: dict[str, Any] = {"code": diag.code, "pointer": diag.pointer, "params": diag.params}
    if diag.pos and diag.pos.line:
        item["source"] = f"{diag.pos.path}:{diag.pos.line}:{diag.pos.column or 1}"
    return item


def _evidence_data(report: Report) -> dict[str, list[str]] | None:
    """The template evidence, when the table keys would not show the same templates.

    A document's evidence comes from its labels; read back, a structured report
    takes it from its keys. Where the two name other templates (labels that
    showed none, or another one), the YAML carries what the document showed.
    """
    from_keys = key_evidence({n: set(t) for n, t in report.tables.items()})
    if set(from_keys) == set(report.meta.template_evidence):
        return None
    return {k: list(v) for k, v in report.meta.template_evidence.items()}


def report_to_data(report: Report, with_source_map: bool = False) -> dict[str, Any]:
    """The structured (YAML/JSON) form of a report, the inverse of report_from_data."""
    meta = report.meta
    raw_meta: dict[str, Any] = {
        "title": meta.title,
        "agency": meta.agency,
        "agency_kind": meta.agency_kind,
        "region": meta.region,
        "year": meta.year,
        "template": meta.template or meta.declared_template,
        "template_evidence": _evidence_data(report),
        "published": meta.published.isoformat() if meta.published else None,
    }
    if meta.legacy:
        raw_meta["legacy"] = True
    if meta.period:
        raw_meta["period"] = {
            "text": meta.period.text,
            "start": meta.period.start.isoformat() if meta.period.start else None,
            "end": meta.period.end.isoformat() if meta.period.end else None,
        }
    data: dict[str, Any] = {"meta": {k: v for k, v in raw_meta.items() if v is not None}}
    if report.preamble:
        data["preamble"] = report.preamble
    data["sections"] = [
        {"number": s.number, "title": s.title, "text": s.text} for s in report.sections
    ]
    data["tables"] = {
        name: _nest({key: _cell_data(cell) for key, cell in cells.items()})
        for name, cells in report.tables.items()
    }
    if report.diagnostics:
        data["diagnostics"] = [_diagnostic_data(d) for d in report.diagnostics]
    if with_source_map:
        source_map = {}
        for name, cells in report.tables.items():
            for key, cell in cells.items():
                if cell.pos and cell.pos.line:
                    where = f"{cell.pos.path}:{cell.pos.line}:{cell.pos.column or 1}"
                    if cell.pos.page:
                        where += f" (page {cell.pos.page}"
                        if cell.pos.x is not None:
                            where += f", x {cell.pos.x}, y {cell.pos.y}"
                        where += ")"
                    source_map[cell_pointer(name, key)] = where
        for index, section in enumerate(report.sections):
            if section.pos and section.pos.line:
                source_map[f"/sections/{index}"] = f"{section.pos.path}:{section.pos.line}:1"
        if source_map:
            data["source_map"] = source_map
    return data
