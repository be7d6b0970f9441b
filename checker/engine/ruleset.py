"""Rule packs: load (safe YAML, bounded), validate (schemas/ruleset.schema.json), compile.

A pack is a YAML file with ``pack`` metadata, ``rules`` and optionally
``include`` (further rule files, relative to it) and ``examples_base`` (the
valid reports that rule examples patch). Packs are compiled once per process;
checking a report then runs the compiled checks only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from checker.engine import patterns
from checker.engine.kinds import KINDS, Check
from checker.engine.messages import Loc, loc_text
from checker.errors import InputError
from checker.model import Position
from checker.resources import data_dir, load_schema
from checker.sources.encoding import decode_text
from checker.sources.limits import Limits, read_bytes
from checker.sources.yamlnodes import load_yaml_with_positions
from checker.templates import templates

MAX_RULE_FILE_BYTES = 2 * 1024 * 1024
MAX_INCLUDES = 64


@dataclass(frozen=True, slots=True)
class Applies:
    templates: tuple[str, ...] | None = None
    agency_kinds: tuple[str, ...] | None = None
    year_min: int | None = None
    year_max: int | None = None


@dataclass(slots=True)
class Rule:
    id: str
    title: Loc
    severity: str
    basis: Loc
    rationale: Loc
    message: Loc
    kind: str
    options: dict[str, Any]
    applies: Applies
    examples: dict[str, list[dict[str, Any]]]
    pack: str
    source: Position
    check: Check = field(repr=False, default=None)  # type: ignore[assignment]


@dataclass(slots=True)
class RuleSet:
    name: str
    rules: list[Rule]
    examples_base: dict[str, Path] = field(default_factory=dict)

    def by_id(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def selected(self, select: list[str] | None, ignore: list[str] | None) -> RuleSet:
        """Rules whose id starts with a selected prefix and with no ignored prefix (ruff-style)."""

        def matches(rule_id: str, codes: list[str]) -> bool:
            return any(code == "ALL" or rule_id.startswith(code) for code in codes)

        kept = [
            r
            for r in self.rules
            if (not select or matches(r.id, select)) and not (ignore and matches(r.id, ignore))
        ]
        return RuleSet(self.name, kept, self.examples_base)


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema("ruleset"))


def _line(positions: dict[str, Position], pointer: str) -> str:
    probe = pointer
    while probe not in positions and probe:
        probe = probe.rsplit("/", 1)[0]
    pos = positions.get(probe)
    return f"line {pos.line}: " if pos and pos.line else ""


def _read_pack_file(path: Path) -> tuple[dict[str, Any], dict[str, Position]]:
    text = decode_text(read_bytes(path, Limits(max_bytes=MAX_RULE_FILE_BYTES)), str(path))
    data, positions = load_yaml_with_positions(text, str(path))
    if not isinstance(data, dict):
        raise InputError(str(path), "a rule pack must be a mapping with 'pack' and 'rules'")
    errors = list(_validator().iter_errors(data))
    # an unexpected key is usually a typo and says more than the "required" error it causes
    typos = [e for e in errors if e.validator == "additionalProperties"]
    error = typos[0] if typos else best_match(errors)
    if error is not None:
        pointer = "".join(f"/{p}" for p in error.absolute_path)
        where = pointer or "/"
        raise InputError(
            str(path), f"{_line(positions, pointer)}invalid rule pack at {where}: {error.message}"
        )
    return data, positions


def _set_names() -> set[str]:
    return {
        f"@{name}"
        for t in templates().values()
        for table in t.tables.values()
        for name in table.sets
    }


def _check_option_strings(rule_id: str, options: Any, path: str, line: str) -> None:
    """Reject unknown "@set" names and invalid regular expressions at load time."""
    known_sets = _set_names()
    stack = [options]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in ("pattern",) and isinstance(value, str):
                    error = patterns.validate(value)
                    if error:
                        raise InputError(path, f"{line}rule {rule_id}: {error}")
                if key in ("present", "absent") and isinstance(value, list):
                    for item in value:
                        pattern = item["pattern"] if isinstance(item, dict) else item
                        error = patterns.validate(pattern)
                        if error:
                            raise InputError(path, f"{line}rule {rule_id}: {error}")
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and item.startswith("@") and item not in known_sets:
            raise InputError(path, f"{line}rule {rule_id}: no template defines the set {item!r}")


def _compile_rule(raw: dict[str, Any], pack: str, path: Path, pointer: str, positions) -> Rule:
    check_raw = dict(raw["check"])
    kind = check_raw.pop("kind")
    line = _line(positions, pointer)
    if kind == "diagnostic":
        check_raw.setdefault("code", raw["id"])
    _check_option_strings(raw["id"], check_raw, str(path), line)
    applies_raw = raw.get("applies", {})
    years = applies_raw.get("years", {})
    rule = Rule(
        id=raw["id"],
        title=loc_text(raw["title"]),
        severity=raw["severity"],
        basis=loc_text(raw["basis"]),
        rationale=loc_text(raw["rationale"]),
        message=loc_text(raw["message"]),
        kind=kind,
        options=check_raw,
        applies=Applies(
            tuple(applies_raw["templates"]) if "templates" in applies_raw else None,
            tuple(applies_raw["agency_kinds"]) if "agency_kinds" in applies_raw else None,
            years.get("min"),
            years.get("max"),
        ),
        examples={k: list(v) for k, v in raw.get("examples", {}).items()},
        pack=pack,
        source=positions.get(pointer) or Position(str(path)),
    )
    try:
        rule.check = KINDS[kind].compile(check_raw)
    except (KeyError, ValueError, TypeError) as exc:
        raise InputError(str(path), f"{line}rule {rule.id}: cannot compile check: {exc}") from None
    return rule


def load_pack(path: Path) -> RuleSet:
    """Load one pack file and the files it includes; raises InputError on any problem."""
    data, positions = _read_pack_file(path)
    if "pack" not in data:
        raise InputError(str(path), "a rule pack needs a 'pack' section with name and version")
    name = data["pack"]["name"]
    rules: list[Rule] = []
    files: list[tuple[Path, dict[str, Any], dict[str, Position]]] = [(path, data, positions)]
    for include in data.get("include", [])[:MAX_INCLUDES]:
        included = (path.parent / include).resolve()
        if path.parent.resolve() not in included.parents:
            raise InputError(str(path), f"include {include!r} points outside the pack's folder")
        files.append((included, *_read_pack_file(included)))
    seen: dict[str, Path] = {}
    for file_path, file_data, file_positions in files:
        for index, raw in enumerate(file_data.get("rules", [])):
            if raw["id"] in seen:
                raise InputError(
                    str(file_path), f"rule {raw['id']} is defined twice (also in {seen[raw['id']]})"
                )
            seen[raw["id"]] = file_path
            rules.append(_compile_rule(raw, name, file_path, f"/rules/{index}", file_positions))
    bases = {
        version: (path.parent / rel).resolve()
        for version, rel in data.get("examples_base", {}).items()
    }
    return RuleSet(name, rules, bases)


def merge(sets: list[RuleSet]) -> RuleSet:
    """Several packs as one: a later pack may not redefine an earlier pack's rule id."""
    merged = RuleSet("+".join(s.name for s in sets), [], {})
    for ruleset in sets:
        for rule in ruleset.rules:
            if merged.by_id(rule.id):
                raise InputError(
                    str(rule.source.path),
                    f"rule {rule.id} is already defined by pack {merged.by_id(rule.id).pack}",
                )  # type: ignore[union-attr]
            merged.rules.append(rule)
        for version, base in ruleset.examples_base.items():
            merged.examples_base.setdefault(version, base)
    return merged


def national_pack_path() -> Path:
    return data_dir("rules") / "national" / "pack.yaml"


@cache
def default_ruleset() -> RuleSet:
    return load_pack(national_pack_path())
