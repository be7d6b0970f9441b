"""Reader for structured reports (.yaml, .yml, .json): validated against report.schema.json.

Schema violations do not stop the check: each becomes an EXT-001 finding at
the offending node, and the rest of the report is still checked.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

from checker.errors import InputError
from checker.model import Diagnostic, Report
from checker.report_data import report_from_data
from checker.resources import load_schema
from checker.sources.encoding import decode_text
from checker.sources.limits import Limits, read_bytes
from checker.sources.yamlnodes import load_yaml_with_positions

EXTENSIONS = (".yaml", ".yml", ".json")


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema("report"))


def _pointer(parts: object) -> str:
    return "".join(f"/{str(p).replace('~', '~0').replace('/', '~1')}" for p in parts)  # type: ignore[attr-defined]


def read_structured(path: Path, limits: Limits | None = None, display: str | None = None) -> Report:
    shown = display or str(path)
    text = decode_text(read_bytes(path, limits), shown)
    data, positions = load_yaml_with_positions(text, shown)
    return structured_report(data, positions, shown)


def structured_report(data: object, positions: dict, shown: str) -> Report:
    if not isinstance(data, dict):
        raise InputError(shown, "a structured report must be a mapping with at least 'meta'")
    diagnostics = []
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path))):
        pointer = _pointer(error.absolute_path)
        diagnostics.append(
            Diagnostic(
                "EXT-001",
                {"pointer": pointer or "/", "problem": error.message},
                pointer,
                positions.get(pointer),
            )
        )
    report = report_from_data(data, shown, positions)
    report.diagnostics.extend(diagnostics)
    return report
