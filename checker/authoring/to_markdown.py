"""The report as Markdown: YAML front matter, ``#``/``##`` headings and pipe tables.

Pipe tables cannot merge cells, so each table is printed as label + figures
per row, the way the national format reads row by row: table 2 one small
table per item of 第二十条 (its header row names the item and the columns,
with the unit 万元 in the fee column's label), table 3 with the 勾稽关系 note
heading the label column and a row of its own for each group label, table 4
one row per 行政复议 / 直接起诉 / 复议后起诉 block.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checker.authoring.layout import Layout
from checker.testing.renderers import T3_NOTE, table_grid
from checker.writer import to_yaml


def _cell(text: str) -> str:
    return text.replace("|", "｜")


def _pipe_table(rows: list[list[str]]) -> list[str]:
    width = max(len(r) for r in rows)
    padded = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(_cell(c) for c in padded[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in padded[1:]]
    return lines


def render_markdown(layout: Layout, data: Mapping[str, Any]) -> str:
    front = {
        "title": layout.title or None,
        "agency": layout.agency,
        "agency_kind": layout.agency_kind,
        "year": layout.year,
        "published": layout.published.isoformat() if layout.published else None,
    }
    front = {k: v for k, v in front.items() if v is not None}
    lines = ["---", to_yaml(front).rstrip("\n"), "---", ""] if front else []
    if layout.title:
        lines += [f"# {layout.title}", ""]
    if layout.date_line:
        lines += [layout.date_line, ""]
    for text in layout.preamble:
        lines += [text, ""]
    tables = data.get("tables") or {}
    for section in layout.sections:
        lines += [f"## {section.heading}", ""]
        for text in section.paragraphs:
            lines += [text, ""]
        if section.table is None:
            continue
        for block in table_grid(section.table.name, layout.version, tables[section.table.name]):
            if section.table.name == "t3":
                block = [[T3_NOTE, *block[0][1:]], *block[1:]]
            lines += [*_pipe_table(block), ""]
    return "\n".join(lines)
