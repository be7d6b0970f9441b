"""Locate the data folders (rules/, schemas/) both in a source tree and in an installed wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder `name` ("rules" or "schemas") shipped with the package."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"data folder {name!r} not found next to {_PACKAGE_DIR}")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Load one of our JSON Schemas by short name: report, ruleset, findings.

    Parsed once into the snapshot cache: a YAML report's check then imports no json."""
    from checker.cache.snapshot import cached_file

    def parse(text: str) -> dict[str, Any]:
        import json

        return json.loads(text)

    return cached_file(f"schema-{name}", data_dir("schemas") / f"{name}.schema.json", parse)
