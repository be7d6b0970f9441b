"""Render structured report data into the source shapes the readers accept.

Each renderer takes report data (the structured form, e.g. drawn by
:func:`checker.testing.reports`) and returns the text of a source document
that a reader turns back into the same report:

- ``render_web_text`` — the flattened web page of ``reports_samples/``: the
  title line, the publication date on its own line, the preamble, numbered
  headings, one paragraph per line, and tables flattened to one cell per
  line with ``|`` separator lines (a ``.txt`` file).
- ``render_markdown`` — YAML front matter (title, agency, agency_kind, year,
  published), ``#``/``##`` headings and pipe tables (a ``.md`` file).
- ``render_html`` — a web page with ``ArticleTitle``/``PubDate`` meta tags,
  ``<h2>`` headings, ``<p>`` paragraphs and ``<table>`` grids (``.html``).
- ``render_docx`` — a Word document (bytes): paragraphs for the title, the
  date, the preamble and the headings, and a Word table per table block.
- ``render_yaml`` — the structured form itself (``.yaml``).

``RENDERERS`` maps each file suffix to its renderer. Tables are placed at
the end of their section (t2 in 二, t3 in 三, t4 in 四), after its prose; a
table whose section is missing is not rendered. ``row_order`` lists the
template row keys of a table in the order to print them (the readers anchor
rows on their labels, so any order reads the same). A blank cell (``null``)
is an empty cell: in the flattened text an empty line, which the reader
cannot tell from a missing one.

What each shape carries: the flattened text, HTML and Word have no agency kind (it is
inferred from the agency name, so ``other`` reads as unknown) and no declared
template (it is recognised from the labels); everything else survives every
shape. :func:`report_differences` compares two reports on cells, sections
and metadata, which is the render → read property.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from checker.model import Report
from checker.numbers import decimal_str
from checker.templates import TableDef, template
from checker.writer import to_yaml

SECTION_OF_TABLE = {2: "t2", 3: "t3", 4: "t4"}
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
RowOrder = Mapping[str, Sequence[str]]

#: metadata a report read from each shape is expected to keep
CARRIED_META: dict[str, tuple[str, ...]] = {
    ".txt": ("title", "agency", "year", "template", "published", "period"),
    ".md": ("title", "agency", "agency_kind", "year", "template", "published", "period"),
    ".html": ("title", "agency", "year", "template", "published", "period"),
    ".docx": ("title", "agency", "year", "template", "published", "period"),
    ".yaml": ("title", "agency", "agency_kind", "year", "template", "published", "period"),
}


def flat_cells(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested table data to dotted cell keys: {withheld: {query: {total: 1}}} -> withheld.query.total."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            flat.update(flat_cells(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def cell_text(value: Any) -> str:
    """How a cell value is written in a source document (blank: empty)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return decimal_str(value)  # canonical: 0.00 -> 0, 5.10 -> 5.1
    return str(value)


def _chinese_date(iso: str) -> str:
    when = date.fromisoformat(iso)
    return f"{when.year}年{when.month}月{when.day}日"


# -- a table as rows of cells (shared by every shape) ----------------------------------------


def _rows(tdef: TableDef, cells: dict[str, Any], order: Sequence[str] | None) -> list[list[str]]:
    """[label, value…] for each row that has cells (or is a heading), in the requested order."""
    keys = list(order) if order is not None else [r.key for r in tdef.rows]
    rows: list[list[str]] = []
    for key in keys:
        row = tdef.row(key)
        if row is None:
            continue
        columns = [c.key for c in tdef.columns] if row.kind != "leaf" else tdef.row_columns(row)
        present = [c for c in columns if f"{key}.{c}" in cells]
        if row.kind == "heading" or (row.kind == "header" and not present):
            rows.append([row.zh])
        elif present:
            rows.append([row.zh, *(cell_text(cells.get(f"{key}.{c}")) for c in columns)])
    return rows


def table_grid(
    name: str, version: str, data: Mapping[str, Any], order: Sequence[str] | None = None
) -> list[list[list[str]]]:
    """A table as blocks of rows: [header row, data rows…] per block (t2 has one block per item)."""
    tdef = template(version).tables[name]
    cells = flat_cells(data)
    if name == "t4":
        header = ["", *(c.zh for c in tdef.columns)]
        body = [
            [r.zh, *(cell_text(cells.get(f"{r.key}.{c.key}")) for c in tdef.columns)]
            for r in tdef.leaf_rows()
        ]
        return [[header, *body]]
    if name == "t3":
        header = ["申请人情况", *(c.zh for c in tdef.columns)]
        return [[header, *_rows(tdef, cells, order)]]
    blocks: dict[str, list[str]] = {}
    for row in tdef.leaf_rows():
        blocks.setdefault(row.block or "", []).append(row.key)
    grid = []
    for block, keys in blocks.items():
        wanted = [k for k in order if k in keys] if order is not None else keys
        columns = tdef.row_columns(tdef.row(keys[0]))  # type: ignore[arg-type]
        header = [block, *(tdef.column(c).zh for c in columns)]  # type: ignore[union-attr]
        grid.append([header, *_rows(tdef, cells, wanted)])
    return grid


def _version(data: Mapping[str, Any]) -> str:
    tables = data.get("tables", {})
    t2 = flat_cells(tables.get("t2", {}))
    if any(k.endswith((".issued", ".in_force")) for k in t2):
        return "2021"
    if t2:
        return "2019"
    return str(data.get("meta", {}).get("template") or "2021")


def _tables_of(data: Mapping[str, Any], number: int) -> list[str]:
    name = SECTION_OF_TABLE.get(number)
    return [name] if name and data.get("tables", {}).get(name) else []


def _layout(data: Mapping[str, Any], section: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(paragraphs, tables) of one section: the prose comes first, the tables after it."""
    paragraphs = [line for line in (section.get("text") or "").split("\n") if line]
    return paragraphs, _tables_of(data, section["number"])


# -- flattened web text --------------------------------------------------------------------


def _flat_block(rows: Iterable[list[str]]) -> list[str]:
    lines: list[str] = []
    for row in rows:
        for cell in row:
            lines += [cell, "|"]
        lines.append("||")
    return lines


def render_web_text(data: Mapping[str, Any], row_order: RowOrder | None = None) -> str:
    """The flattened web-page text of reports_samples/*.txt (see the module docstring)."""
    meta = data.get("meta", {})
    version = _version(data)
    lines: list[str] = []
    if meta.get("title"):
        lines.append(meta["title"])
    preamble = (data.get("preamble") or "").split("\n")
    if meta.get("published"):
        date_line = f"（{_chinese_date(meta['published'])}）"
        if preamble[0] != date_line:  # a preamble read from a page already holds the date line
            lines.append(date_line)
    lines += [line for line in preamble if line]
    for section in data.get("sections", []):
        before, tables = _layout(data, section)
        lines += [section.get("title", ""), *before]
        for name in tables:
            if name == "t3":
                lines.append(T3_NOTE)
            for block in table_grid(
                name, version, data["tables"][name], (row_order or {}).get(name)
            ):
                lines += _flat_block(block)
    return "\n".join(lines) + "\n"


# -- Markdown --------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return text.replace("|", "｜")


def _md_table(rows: list[list[str]]) -> list[str]:
    width = max(len(r) for r in rows)
    padded = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(_md_cell(c) for c in padded[0]) + " |"]
    lines.append("|" + "---|" * width)
    lines += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in padded[1:]]
    return lines


def render_markdown(data: Mapping[str, Any], row_order: RowOrder | None = None) -> str:
    """Markdown with YAML front matter, headings and pipe tables."""
    meta = data.get("meta", {})
    version = _version(data)
    front = {
        k: meta[k]
        for k in ("title", "agency", "agency_kind", "year", "published")
        if meta.get(k) is not None
    }
    lines = ["---", to_yaml(front).rstrip("\n"), "---", ""] if front else []
    if meta.get("title"):
        lines += [f"# {meta['title']}", ""]
    if data.get("preamble"):
        lines += [*data["preamble"].split("\n"), ""]
    for section in data.get("sections", []):
        before, tables = _layout(data, section)
        lines += [f"## {section.get('title', '')}", ""]
        for line in before:
            lines += [line, ""]
        for name in tables:
            for block in table_grid(
                name, version, data["tables"][name], (row_order or {}).get(name)
            ):
                lines += [*_md_table(block), ""]
    return "\n".join(lines)


# -- HTML ------------------------------------------------------------------------------------


def _html_table(blocks: list[list[list[str]]]) -> list[str]:
    out = ['<table border="1">']
    for block in blocks:
        width = max(len(r) for r in block)
        for index, row in enumerate(block):
            tag = "th" if index == 0 else "td"
            cells = row + [""] * (width - len(row)) if len(row) > 1 else row
            span = f' colspan="{width}"' if len(row) == 1 else ""
            out.append(
                "<tr>" + "".join(f"<{tag}{span}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>"
            )
    out.append("</table>")
    return out


def render_html(data: Mapping[str, Any], row_order: RowOrder | None = None) -> str:
    """A web page: meta tags for title and date, h2 headings, paragraphs and data tables."""
    meta = data.get("meta", {})
    version = _version(data)
    head = ['<meta charset="utf-8">']
    if meta.get("title"):
        head += [
            f'<meta name="ArticleTitle" content="{html.escape(meta["title"])}">',
            f"<title>{html.escape(meta['title'])}_政府信息公开专栏</title>",
        ]
    if meta.get("published"):
        head.append(f'<meta name="PubDate" content="{meta["published"]}">')
    body = ['<div class="nav"><a href="/">首页</a></div>', '<div class="article">']
    if meta.get("title"):
        body.append(f"<h1>{html.escape(meta['title'])}</h1>")
    body += [
        f"<p>{html.escape(line)}</p>" for line in (data.get("preamble") or "").split("\n") if line
    ]
    for section in data.get("sections", []):
        before, tables = _layout(data, section)
        body.append(f"<h2>{html.escape(section.get('title', ''))}</h2>")
        body += [f"<p>{html.escape(line)}</p>" for line in before]
        for name in tables:
            if name == "t3":
                body.append(f"<p>{T3_NOTE}</p>")
            body += _html_table(
                table_grid(name, version, data["tables"][name], (row_order or {}).get(name))
            )
    body.append("</div>")
    return (
        "<!DOCTYPE html>\n<html><head>"
        + "".join(head)
        + "</head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def render_yaml(data: Mapping[str, Any], row_order: RowOrder | None = None) -> str:
    """The structured form (row order is irrelevant to a mapping and ignored)."""
    return to_yaml(dict(data))


def render_docx(data: Mapping[str, Any], row_order: RowOrder | None = None) -> bytes:
    """A Word document: title, date and preamble paragraphs, headings, and one table per block."""
    import io

    import docx

    meta = data.get("meta", {})
    version = _version(data)
    document = docx.Document()
    if meta.get("title"):
        document.core_properties.title = meta["title"]
        document.add_paragraph(meta["title"])
    if meta.get("published"):
        document.add_paragraph(f"（{_chinese_date(meta['published'])}）")
    for line in (data.get("preamble") or "").split("\n"):
        if line:
            document.add_paragraph(line)
    for section in data.get("sections", []):
        before, tables = _layout(data, section)
        document.add_paragraph(section.get("title", ""))
        for line in before:
            document.add_paragraph(line)
        for name in tables:
            if name == "t3":
                document.add_paragraph(T3_NOTE)
            for block in table_grid(
                name, version, data["tables"][name], (row_order or {}).get(name)
            ):
                width = max(len(row) for row in block)
                table = document.add_table(rows=len(block), cols=width)
                for row, cells in zip(table.rows, block, strict=True):
                    for cell, text in zip(row.cells, cells, strict=False):
                        cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


RENDERERS: dict[str, Callable[..., str | bytes]] = {
    ".txt": render_web_text,
    ".md": render_markdown,
    ".html": render_html,
    ".docx": render_docx,
    ".yaml": render_yaml,
}


# -- the render -> read property ---------------------------------------------------------------


def _meta_value(report: Report, name: str) -> Any:
    meta = report.meta
    if name == "period":
        return (meta.period.start, meta.period.end) if meta.period else None
    return getattr(meta, name)


def report_differences(
    expected: Report, actual: Report, meta_fields: Iterable[str] = CARRIED_META[".yaml"]
) -> list[str]:
    """What differs between two reports in cells, sections and the given metadata (empty: same)."""
    problems = [
        f"meta.{name}: {_meta_value(expected, name)!r} != {_meta_value(actual, name)!r}"
        for name in meta_fields
        if _meta_value(expected, name) != _meta_value(actual, name)
    ]
    want = [(s.number, s.title, s.text) for s in expected.sections]
    got = [(s.number, s.title, s.text) for s in actual.sections]
    if want != got:
        problems.append(f"sections: {want!r} != {got!r}")
    for name in sorted(set(expected.tables) | set(actual.tables)):
        left = {k: c.value for k, c in expected.tables.get(name, {}).items()}
        right = {k: c.value for k, c in actual.tables.get(name, {}).items()}
        for key in sorted(set(left) | set(right)):
            if left.get(key, "absent") != right.get(key, "absent"):
                problems.append(
                    f"{name}.{key}: {left.get(key, 'absent')!r} != {right.get(key, 'absent')!r}"
                )
    problems += [f"diagnostic {d.code}: {d.params}" for d in actual.diagnostics]
    return problems
