"""Build schemas/report.schema.json from the template definitions.

The committed schema is generated so that it can never drift from the
templates; `tests/test_schemas.py` fails when the two disagree. Regenerate with
``python -m checker.report_schema > schemas/report.schema.json``.
"""

from __future__ import annotations

import json
from typing import Any

from checker.model import AGENCY_KINDS
from checker.templates import TableDef, templates

CELL = {"$ref": "#/$defs/cell"}


def _row_object(columns: list[str], children: dict[str, Any] | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {c: CELL for c in columns}
    props.update(children or {})
    return {"type": "object", "properties": props, "additionalProperties": False}


def _table_schema(defs: list[TableDef]) -> dict[str, Any]:
    """Union of the rows/columns of one table over all template versions."""
    columns: dict[str, list[str]] = {}
    parents: dict[str, str | None] = {}
    for table in defs:
        for row in table.rows:
            if row.kind == "heading":
                continue
            cols = columns.setdefault(row.key, [])
            for col in table.row_columns(row) if row.kind == "leaf" else ():
                if col not in cols:
                    cols.append(col)
            parents[row.key] = row.parent
    all_columns = [c.key for c in defs[0].columns]
    props: dict[str, Any] = {}
    for key, parent in parents.items():
        if parent is not None:
            continue
        children = {
            child.split(".", 1)[1]: _row_object(columns[child])
            for child, p in parents.items()
            if p == key
        }
        own = columns[key] or (all_columns if children else [])
        props[key] = _row_object(own, children)
    return {"type": "object", "properties": props, "additionalProperties": False}


def build_report_schema() -> dict[str, Any]:
    tpls = list(templates().values())
    table_names = sorted({name for t in tpls for name in t.tables})
    tables = {
        name: _table_schema([t.tables[name] for t in tpls if name in t.tables])
        for name in table_names
    }
    date = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://nianbao-checker.invalid/schemas/report.schema.json",
        "title": "政府信息公开工作年度报告 (structured report)",
        "description": "A report for nianbao-checker: metadata, six sections, tables t2/t3/t4 "
        "keyed by canonical names. A cell is a number, null (blank) or the raw text.",
        "type": "object",
        "required": ["meta"],
        "additionalProperties": False,
        "properties": {
            "meta": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "title": {"type": ["string", "null"]},
                    "agency": {"type": ["string", "null"]},
                    "agency_kind": {"enum": [*AGENCY_KINDS, None]},
                    "region": {"type": ["string", "null"]},
                    "year": {"type": ["integer", "null"], "minimum": 1990, "maximum": 2100},
                    "template": {"enum": [*(t.version for t in tpls), None]},
                    # written by `extract`: the labels that showed each template in the
                    # document, so checking the YAML resolves the template as the document did
                    "template_evidence": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            t.version: {"type": "array", "items": {"type": "string"}} for t in tpls
                        },
                    },
                    "published": {"anyOf": [date, {"type": "null"}]},
                    "legacy": {"type": "boolean"},
                    "source": {"type": "string"},
                    "period": {
                        "type": ["object", "null"],
                        "additionalProperties": False,
                        "properties": {
                            "text": {"type": "string"},
                            "start": {"anyOf": [date, {"type": "null"}]},
                            "end": {"anyOf": [date, {"type": "null"}]},
                        },
                    },
                },
            },
            "preamble": {"type": "string"},
            "sections": {
                "type": "array",
                "maxItems": 20,
                "items": {
                    "type": "object",
                    "required": ["number"],
                    "additionalProperties": False,
                    "properties": {
                        "number": {"type": "integer", "minimum": 1, "maximum": 6},
                        "title": {"type": "string"},
                        "text": {"type": "string"},
                    },
                },
            },
            "tables": {
                "type": "object",
                "additionalProperties": False,
                "properties": tables,
            },
            "diagnostics": {
                "description": "What extraction could not read (EXT codes), kept by `nianbao extract` "
                "so that the structured report checks with the same findings as its source.",
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code"],
                    "additionalProperties": False,
                    "properties": {
                        "code": {"type": "string", "pattern": r"^[A-Z][A-Z0-9]*-\d{3}$"},
                        "pointer": {"type": "string"},
                        "params": {"type": "object"},
                        "source": {"type": "string"},
                    },
                },
            },
            "source_map": {
                "description": "Where each value was read from in the source document "
                "(pointer -> 'path:line:column'), written by `nianbao extract`.",
                "type": "object",
                "additionalProperties": {"type": "string"},
            },
        },
        "$defs": {
            "cell": {
                "description": "A number, null for a blank cell, or the raw text when it is "
                "not a plain number ('/', '—', '22（其中修订16件）', a money amount).",
                "type": ["number", "null", "string"],
            }
        },
    }


if __name__ == "__main__":
    print(json.dumps(build_report_schema(), ensure_ascii=False, indent=2))
