"""The published JSON Schemas are valid, and the generated ones match their generators."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from checker.engine.ruleset_schema import build_ruleset_schema
from checker.report_schema import build_report_schema
from checker.resources import data_dir, load_schema


@pytest.mark.parametrize("name", ["report", "ruleset", "findings"])
def test_schema_is_valid(name):
    Draft202012Validator.check_schema(load_schema(name))


def test_report_schema_is_generated_from_templates():
    committed = json.loads((data_dir("schemas") / "report.schema.json").read_text("utf-8"))
    assert committed == build_report_schema(), (
        "run: python -m checker.report_schema > schemas/report.schema.json"
    )


def test_ruleset_schema_is_generated_from_kinds():
    committed = json.loads((data_dir("schemas") / "ruleset.schema.json").read_text("utf-8"))
    assert committed == build_ruleset_schema(), (
        "run: python -m checker.engine.ruleset_schema > schemas/ruleset.schema.json"
    )


def test_base_reports_validate_against_report_schema():
    import yaml

    validator = Draft202012Validator(load_schema("report"))
    for name in ("base-2019.yaml", "base-2021.yaml"):
        data = yaml.safe_load(
            (data_dir("rules") / "national" / "examples" / name).read_text("utf-8")
        )
        data = json.loads(json.dumps(data, default=str))
        assert list(validator.iter_errors(data)) == []
