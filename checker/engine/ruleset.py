"""Rule packs: load (safe YAML, bounded), validate (schemas/ruleset.schema.json), compile.

A pack is a YAML file with ``pack`` metadata, ``rules`` and optionally
``include`` (further rule files, relative to it) and ``examples_base`` (the
valid reports that rule examples patch). Packs are compiled once per process;
checking a report then runs the compiled checks only.

A pack may ``extends`` another (a built-in pack by name, e.g. ``national``,
or a pack file relative to it): it then holds every rule of that pack plus
its own, and its ``severity`` mapping (rule code or code prefix -> error |
warning | info) changes the severity of inherited rules without copying them.
Redefining an inherited rule id is an error.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
import msgspec.structs
from msgspec import Struct, field

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

from checker.engine import patterns
from checker.engine.kinds import KINDS, Check
from checker.engine.messages import Loc, loc_text
from checker.errors import InputError
from checker.model import Position
from checker.regexes import lazy
from checker.resources import data_dir, load_schema
from checker.sources.encoding import decode_text
from checker.sources.limits import Limits, read_bytes
from checker.templates import templates

# option keys whose string value is a regular expression (checked when a pack is loaded)
_PATTERN_KEYS = ("pattern", "skip_clause", "sentence_has", "unless_sentence", "mentions")
MAX_RULE_FILE_BYTES = 2 * 1024 * 1024
MAX_INCLUDES = 64
MAX_RULES = 1000  # rules one pack may hold with its includes (the national pack has 50)
MAX_EXTENDS_DEPTH = 8
_BUILTIN_PACK_NAME = lazy(r"^[a-z0-9][a-z0-9_-]*$")


class Applies(Struct, frozen=True):
    templates: tuple[str, ...] | None = None
    agency_kinds: tuple[str, ...] | None = None
    year_min: int | None = None
    year_max: int | None = None


class Rule(Struct):
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
    check: Check = None  # type: ignore[assignment]
    # set by a severity override: every finding takes the rule's severity, even where a
    # check would otherwise choose one per failure (statistics_period's severity_if_missing)
    severity_fixed: bool = False


class RuleSet(Struct):
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
    from jsonschema import Draft202012Validator  # only packs from outside need validating

    return Draft202012Validator(load_schema("ruleset"))


def _line(positions: dict[str, Position], pointer: str) -> str:
    probe = pointer
    while probe not in positions and probe:
        probe = probe.rsplit("/", 1)[0]
    pos = positions.get(probe)
    return f"line {pos.line}: " if pos and pos.line else ""


def _parse_pack_file(raw: bytes, path: str, bundled: bool) -> tuple[Any, dict[str, Position]]:
    # PyYAML is loaded only when a rule file is parsed, not when its snapshot is read
    from checker.sources.yamlnodes import load_yaml_with_positions

    data, positions = load_yaml_with_positions(decode_text(raw, path), path)
    if bundled:  # only a rule's own line is shown (Rule.source): a snapshot 60 times smaller
        positions = {
            k: v for k, v in positions.items() if k.count("/") == 2 and k.startswith("/rules/")
        }
    return data, positions


@cache
def _bundled_files() -> dict[str, tuple[Any, dict[str, Position]]]:
    """Every rule file of the national pack, parsed, from one snapshot keyed by all their bytes
    (checker/cache/snapshot.py): one file read at start-up instead of one per rule file."""
    from checker.cache.snapshot import cached

    raws = {
        str(path): read_bytes(path, Limits(max_bytes=MAX_RULE_FILE_BYTES))
        for path in sorted(national_pack_path().parent.glob("*.yaml"))
    }
    source = b"".join(name.encode() + b"\0" + raw + b"\0" for name, raw in raws.items())
    return cached(
        "rules",
        source,
        lambda: {name: _parse_pack_file(raw, name, bundled=True) for name, raw in raws.items()},
    )


def _read_pack_file(
    path: Path, bundled: bool = False
) -> tuple[dict[str, Any], dict[str, Position]]:
    found = _bundled_files().get(str(path)) if bundled else None
    if found is not None:
        data, positions = found
    else:
        raw = read_bytes(path, Limits(max_bytes=MAX_RULE_FILE_BYTES))
        data, positions = _parse_pack_file(raw, str(path), bundled)
    if not isinstance(data, dict):
        raise InputError(str(path), "a rule pack must be a mapping with 'pack' and 'rules'")
    if bundled:  # the national pack ships with the code; its tests validate it (start-up time)
        return data, positions
    from jsonschema.exceptions import best_match

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
                if key in _PATTERN_KEYS and isinstance(value, str):
                    error = patterns.validate(value)
                    if error:
                        raise InputError(path, f"{line}rule {rule_id}: {error}")
                if key in ("present", "absent", "patterns") and isinstance(value, list):
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


def _compile_rule(
    raw: dict[str, Any], pack: str, path: Path, pointer: str, positions, bundled: bool = False
) -> Rule:
    check_raw = dict(raw["check"])
    kind = check_raw.pop("kind")
    line = _line(positions, pointer)
    if kind == "diagnostic":
        check_raw.setdefault("code", raw["id"])
    if not bundled:  # the national pack's sets and patterns are checked by its tests
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


def _matching_codes(code: str, ids: list[str]) -> list[str]:
    return [rule_id for rule_id in ids if rule_id == code or rule_id.startswith(code)]


def with_severities(ruleset: RuleSet, overrides: dict[str, str], source: str) -> RuleSet:
    """The rule set with severities changed by rule code or prefix (the longest match wins).

    Rules are copied, never changed in place: the built-in packs are shared and cached.
    """
    ids = [rule.id for rule in ruleset.rules]
    for code in overrides:
        if not _matching_codes(code, ids):
            raise InputError(source, f"severity override: no rule code starts with {code!r}")
    if not overrides:
        return ruleset
    by_length = sorted(overrides, key=len, reverse=True)
    rules = []
    for rule in ruleset.rules:
        code = next((c for c in by_length if rule.id == c or rule.id.startswith(c)), None)
        rules.append(
            rule
            if code is None
            else msgspec.structs.replace(rule, severity=overrides[code], severity_fixed=True)
        )
    return RuleSet(ruleset.name, rules, dict(ruleset.examples_base))


def _base_pack(path: Path, extends: str, chain: tuple[Path, ...]) -> RuleSet:
    """The pack named by ``extends``: a built-in pack's name or a file relative to `path`."""
    if len(chain) > MAX_EXTENDS_DEPTH:
        raise InputError(str(path), f"packs extend each other more than {MAX_EXTENDS_DEPTH} deep")
    builtin = data_dir("rules") / extends / "pack.yaml"
    if _BUILTIN_PACK_NAME.match(extends) and builtin.is_file():
        target = builtin.resolve()
    else:
        target = (path.parent / extends).resolve()
        if Path(extends).is_absolute() or not target.is_file():
            raise InputError(
                str(path), f"extends {extends!r}: no built-in pack or pack file of that name"
            )
    if target in chain:
        raise InputError(str(path), f"extends {extends!r}: packs extend each other in a cycle")
    if target == national_pack_path().resolve():
        return default_ruleset()
    return _load_pack(target, chain)


def load_pack(path: Path) -> RuleSet:
    """Load one pack file, the files it includes and the pack it extends; InputError on any problem."""
    return _load_pack(path, ())


def _load_pack(path: Path, chain: tuple[Path, ...], bundled: bool = False) -> RuleSet:
    data, positions = _read_pack_file(path, bundled)
    if "pack" not in data:
        raise InputError(str(path), "a rule pack needs a 'pack' section with name and version")
    name = data["pack"]["name"]
    rules: list[Rule] = []
    files: list[tuple[Path, dict[str, Any], dict[str, Position]]] = [(path, data, positions)]
    folder = path.parent if bundled else path.parent.resolve()  # the bundled pack is ours
    for include in data.get("include", [])[:MAX_INCLUDES]:
        included = folder / include if bundled else (folder / include).resolve()
        if not bundled and folder not in included.parents:
            raise InputError(str(path), f"include {include!r} points outside the pack's folder")
        files.append((included, *_read_pack_file(included, bundled)))
    seen: dict[str, Path] = {}
    for file_path, file_data, file_positions in files:
        for index, raw in enumerate(file_data.get("rules", [])):
            if len(seen) >= MAX_RULES:
                raise InputError(
                    str(file_path), f"more than {MAX_RULES} rules in the pack and its includes"
                )
            if raw["id"] in seen:
                raise InputError(
                    str(file_path), f"rule {raw['id']} is defined twice (also in {seen[raw['id']]})"
                )
            seen[raw["id"]] = file_path
            rules.append(
                _compile_rule(raw, name, file_path, f"/rules/{index}", file_positions, bundled)
            )
    bases = {
        version: (path.parent / rel).resolve()
        for version, rel in data.get("examples_base", {}).items()
    }
    if "extends" not in data:
        if data.get("severity"):
            raise InputError(
                str(path), "'severity' overrides need 'extends' (the pack they change)"
            )
        return RuleSet(name, rules, bases)
    base = _base_pack(path, data["extends"], (*chain, path.resolve()))
    base = with_severities(base, data.get("severity", {}), str(path))
    for rule in rules:
        inherited = base.by_id(rule.id)
        if inherited is not None:
            raise InputError(
                str(rule.source.path),
                f"rule {rule.id} is inherited from pack {inherited.pack}; "
                "change its severity under 'severity:' instead of copying it",
            )
    return RuleSet(name, base.rules + rules, {**base.examples_base, **bases})


def merge(sets: list[RuleSet]) -> RuleSet:
    """Several packs as one: a later pack may not redefine an earlier pack's rule id.

    A pack that extends an earlier one carries that pack's rules (perhaps with other
    severities): those replace the earlier copies in place instead of clashing.
    """
    merged = RuleSet("+".join(s.name for s in sets), [], {})
    for ruleset in sets:
        for rule in ruleset.rules:
            earlier = merged.by_id(rule.id)
            if earlier is not None and earlier.pack == rule.pack:
                merged.rules[merged.rules.index(earlier)] = rule
                continue
            if earlier is not None:
                raise InputError(
                    str(rule.source.path),
                    f"rule {rule.id} is already defined by pack {earlier.pack}",
                )
            merged.rules.append(rule)
        for version, base in ruleset.examples_base.items():
            merged.examples_base.setdefault(version, base)
    return merged


def national_pack_path() -> Path:
    return data_dir("rules") / "national" / "pack.yaml"


@cache
def _bundled_folder() -> str:
    return os.path.join(str(national_pack_path().parent), "")  # with the separator


def is_bundled(rule: Rule) -> bool:
    """A rule of the pack that ships with the checker (not one a user's pack brought)."""
    return rule.source.path.startswith(_bundled_folder())


@cache
def default_ruleset() -> RuleSet:
    """The national pack, loaded once per process (schema-validated by the test suite)."""
    return _load_pack(national_pack_path(), (), bundled=True)
