"""Extraction: Document -> Report, driven by the template definitions.

Sections are found by their numbered headings, metadata from hints and the
text, tables by row labels. What cannot be mapped becomes an EXT diagnostic
with its source position; nothing is guessed silently.

A report before the uniform formats (data year 2018 or earlier, or a 2019/2020
report without any uniform table) is marked ``meta.legacy``: the TPL rules
say so, and no table is extracted or checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the readers are imported by extract(): a YAML check (which needs only
    # extract.arithmetic, for DIAG-001) does not pay for the text readers at start-up
    from checker.model import Report
    from checker.sources.document import Document


def is_legacy_shape(year: int | None, evidence: dict[str, list[str]], has_tables: bool) -> bool:
    """No table and no label of a uniform format: a legacy report, unless its year requires the
    2021 format (then it is a uniform report with its tables missing, for the STR rules to say)."""
    if evidence or has_tables:
        return False
    return year is None or year <= 2020


def extract(doc: Document) -> Report:
    from checker.extract.meta import extract_meta
    from checker.extract.sections import finish_sections, split_sections
    from checker.extract.tables import extract_tables
    from checker.model import Report
    from checker.report_data import YEARS
    from checker.templates import resolve_template

    layout = split_sections(doc)
    meta = extract_meta(doc, layout)
    if meta.year is not None and not YEARS[0] <= meta.year <= YEARS[1]:
        meta.year = None  # front matter saying 99999999019: no date rule may run on it
    if meta.legacy:  # a pre-2019 report by its year: there are no uniform tables to read
        tables, evidence, table_diagnostics = {}, {}, []
    else:
        tables, evidence, table_diagnostics = extract_tables(doc, layout, meta.year)
    finish_sections(doc, layout)
    meta.template_evidence = evidence
    declared = doc.hints.get("template")
    meta.legacy = meta.legacy or is_legacy_shape(meta.year, evidence, any(tables.values()))
    meta.declared_template = declared.value if declared else None
    meta.template = (
        None if meta.legacy else resolve_template(meta.declared_template, evidence, meta.year)
    )
    report = Report(
        meta=meta,
        sections=layout.sections,
        tables={name: cells for name, cells in tables.items() if cells},
        preamble=layout.preamble,
        preamble_pos=layout.preamble_pos,
        diagnostics=[
            *doc.diagnostics,
            *([] if meta.legacy else layout.diagnostics),  # the old outline is no deviation
            *table_diagnostics,
        ],
    )
    if doc.blocks:
        report.node_positions[""] = doc.blocks[0].pos
    for index, section in enumerate(report.sections):
        if section.pos:
            report.node_positions[f"/sections/{index}"] = section.pos
    for name, cells in report.tables.items():
        first = next((c.pos for c in cells.values() if c.pos), None)
        if first:
            report.node_positions[f"/tables/{name}"] = first
    if meta.period and meta.period.pos:
        report.node_positions["/meta/period"] = meta.period.pos
    for field_name, pos in meta.positions.items():
        report.node_positions[f"/meta/{field_name}"] = pos
    return report
