"""Build schemas/ruleset.schema.json: the pack layout plus every check kind's options.

The committed schema is generated so that it cannot drift from the kinds;
`tests/test_schemas.py` fails when they disagree. Regenerate with
``python -m checker.engine.ruleset_schema > schemas/ruleset.schema.json``.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from checker.engine.kinds import KINDS

_LOC = {
    "type": "object",
    "required": ["zh", "en"],
    "additionalProperties": False,
    "properties": {
        "zh": {"type": "string", "minLength": 1},
        "en": {"type": "string", "minLength": 1},
    },
}
_EXAMPLE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "base": {
            "type": "string",
            "pattern": "^[a-z0-9-]+$",
            "description": "which valid base (a key of the pack's examples_base) to patch",
        },
        "note": {"type": "string"},
        "set": {
            "type": "object",
            "description": "JSON pointer -> new value",
            "propertyNames": {"pattern": "^/"},
        },
        "remove": {"type": "array", "items": {"type": "string", "pattern": "^/"}},
        "fires_with": {
            "description": "other error rules this failing example is meant to fire too (a "
            "diagnosis of failing sums cannot fail alone)",
            "type": "array",
            "items": {"type": "string", "pattern": r"^[A-Z][A-Z0-9]*-\d{3}$"},
        },
        "replace": {
            "description": "exact substitutions in the base's source text (for a YAML base: "
            "to add what only the text carries, such as a suppression comment)",
            "type": "array",
            "items": {
                "type": "object",
                "required": ["old", "new"],
                "additionalProperties": False,
                "properties": {
                    "old": {"type": "string", "minLength": 1},
                    "new": {"type": "string"},
                },
            },
        },
    },
}


def _example_with_previous() -> dict[str, Any]:
    """An example may bring last year's report of the same agency, for cross-year rules."""
    example = copy.deepcopy(_EXAMPLE)
    example["properties"]["previous"] = {
        "$ref": "#/$defs/previous_example",
        "description": "last year's report (another patched base) for cross-year rules",
    }
    example["properties"]["parts"] = {
        "type": "array",
        "minItems": 1,
        "items": {"$ref": "#/$defs/previous_example"},
        "description": "member reports (other patched bases): the example is a roll-up of them",
    }
    return example


def build_ruleset_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {
        "loc": _LOC,
        "example": _example_with_previous(),
        "previous_example": _EXAMPLE,
    }
    branches = []
    for name, module in sorted(KINDS.items()):
        options = copy.deepcopy(module.OPTIONS_SCHEMA)
        options.setdefault("properties", {})["kind"] = {"const": name}
        options["required"] = ["kind", *options.get("required", [])]
        defs[f"kind_{name}"] = options
        branches.append(
            {
                "if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
                "then": {"$ref": f"#/$defs/kind_{name}"},
            }
        )
    defs["check"] = {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": sorted(KINDS)}},
        "allOf": branches,
    }
    defs["rule"] = {
        "type": "object",
        "required": [
            "id",
            "title",
            "severity",
            "basis",
            "rationale",
            "check",
            "message",
            "examples",
        ],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": r"^[A-Z][A-Z0-9]*-\d{3}$"},
            "title": {"$ref": "#/$defs/loc"},
            "severity": {"enum": ["error", "warning", "info"]},
            "basis": {"$ref": "#/$defs/loc"},
            "rationale": {"$ref": "#/$defs/loc"},
            "applies": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "templates": {
                        "type": "array",
                        "items": {"enum": ["2019", "2021"]},
                        "minItems": 1,
                    },
                    "agency_kinds": {
                        "type": "array",
                        "items": {
                            "enum": ["government", "department", "township", "subdistrict", "other"]
                        },
                        "minItems": 1,
                    },
                    "years": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "min": {"type": "integer"},
                            "max": {"type": "integer"},
                        },
                    },
                },
            },
            "check": {"$ref": "#/$defs/check"},
            "message": {"$ref": "#/$defs/loc"},
            "examples": {
                "type": "object",
                "required": ["pass", "fail"],
                "additionalProperties": False,
                "properties": {
                    "pass": {"type": "array", "items": {"$ref": "#/$defs/example"}, "minItems": 1},
                    "fail": {"type": "array", "items": {"$ref": "#/$defs/example"}, "minItems": 1},
                },
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://nianbao-checker.invalid/schemas/ruleset.schema.json",
        "title": "nianbao-checker rule pack",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "pack": {
                "type": "object",
                "required": ["name", "version"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9_.-]*$"},
                    "version": {"type": "string"},
                    "description": {"$ref": "#/$defs/loc"},
                },
            },
            "include": {"type": "array", "items": {"type": "string"}},
            "extends": {
                "type": "string",
                "minLength": 1,
                "description": "a built-in pack's name (national) or a pack file relative to "
                "this one: its rules are inherited",
            },
            "severity": {
                "type": "object",
                "description": "severity of inherited rules, by rule code or code prefix",
                "propertyNames": {"pattern": r"^[A-Z][A-Z0-9]*(-\d{0,3})?$"},
                "additionalProperties": {"enum": ["error", "warning", "info"]},
            },
            "examples_base": {
                "type": "object",
                "propertyNames": {"pattern": "^[a-z0-9-]+$"},
                "additionalProperties": {"type": "string"},
            },
            "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
        },
        "$defs": defs,
    }


if __name__ == "__main__":
    print(json.dumps(build_ruleset_schema(), ensure_ascii=False, indent=2))
