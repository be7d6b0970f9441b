"""Reader for structured reports (.yaml, .yml, .json): validated against report.schema.json.

Schema violations do not stop the check: each becomes an EXT-001 finding at
the offending node, and the rest of the report is still checked.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

from checker.errors import InputError
from checker.model import Diagnostic, Report
from checker.report_data import report_from_data
from checker.resources import load_schema
from checker.sources.encoding import decode_text
from checker.sources.limits import Limits, read_bytes
from checker.sources.schemacheck import Check, compile_schema
from checker.sources.yamlnodes import load_yaml_with_positions
from checker.wording import schema_problem_zh

EXTENSIONS = (".yaml", ".yml", ".json")


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # needed only for the errors of an invalid report

    return Draft202012Validator(_inline_refs(load_schema("report")))


@cache
def _quick_check() -> Check | None:
    return compile_schema(load_schema("report"))


def schema_errors(data: object) -> list[ValidationError]:
    """The report's schema violations, in document order; a quick check first (most are valid)."""
    quick = _quick_check()
    if quick is not None and quick(data):
        return []
    return sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path)))


def _inline_refs(schema: Any, defs: dict[str, Any] | None = None) -> Any:
    """The schema with each local ``{"$ref": "#/$defs/x"}`` replaced by x itself.

    Same verdicts and messages; jsonschema then no longer resolves the reference
    anew for each of a report's few hundred cells (half the time of a check).
    """
    if defs is None:
        defs = schema.get("$defs", {}) if isinstance(schema, dict) else {}
    if isinstance(schema, list):
        return [_inline_refs(item, defs) for item in schema]
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref")
    if len(schema) == 1 and isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = defs.get(ref.removeprefix("#/$defs/"))
        import json  # only to word schema errors: a valid report needs none

        if target is not None and "$ref" not in json.dumps(target):  # not recursive
            return _inline_refs(target, defs)
    return {key: _inline_refs(value, defs) for key, value in schema.items()}


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
    for error in schema_errors(data):
        pointer = _pointer(error.absolute_path)
        diagnostics.append(
            Diagnostic(
                "EXT-001",
                {
                    "pointer": pointer or "/",
                    "problem": error.message,
                    "problem_zh": schema_problem_zh(error),
                },
                pointer,
                positions.get(pointer),
            )
        )
    report = report_from_data(data, shown, positions)
    report.diagnostics.extend(diagnostics)
    return report
