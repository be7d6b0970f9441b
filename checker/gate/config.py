"""Configuration: ``nianbao.toml``, or the ``[tool.nianbao]`` table of ``pyproject.toml``.

Found by walking up from the checked paths (their common folder) to the root
of the file system: the first folder holding a ``nianbao.toml``, or a
``pyproject.toml`` with a ``[tool.nianbao]`` table, wins (``nianbao.toml``
first when a folder has both). ``--config FILE`` names the file instead.
Validated against ``schemas/config.schema.json`` (``nianbao schema config``);
paths in it are relative to its folder. An example::

    select = ["ALL"]
    extend-select = []
    ignore = ["TXT-005"]
    fail-on = "error"
    rules = ["rules/provincial.yaml"]      # more packs; one that extends national replaces it
    exclude = ["drafts", "README.md"]     # globs for files found in directories
    jobs = 2
    fail-on-unreadable = true             # exit 1 also on reading problems (EXT-002 …)
    time-budget = 120                     # CPU seconds per file (0: no limit; default 60)
    memory-budget = 4096                  # megabytes per file (0: no limit; default 2048)

    [severity]                            # by rule code or prefix; longest match wins
    "XY-002" = "info"

    [per-file-ignores]
    "archive/2019/**" = ["TPL", "STR-002"]

    [metadata]                            # for reports that do not state it
    agency-kind = "department"

    [[suppress]]                          # for documents that cannot carry a comment
    file = "2021/某局.docx"
    rules = ["T3-002"]
    pointer = "/tables/t3/new/total"      # optional: only at or under this node
    reason = "原表如此，已向上级报备"

    [[rollup]]                            # a combined report = Σ its members' (HY-001)
    report = "全县/2024.yaml"             # path or glob of the roll-up report
    parts = ["departments/*/2024.*"]      # its member reports

Precedence: **command line > nearest configuration file > built-in defaults.**

- Rule selection is layered as in ruff: all rules, then the configuration's
  ``select`` / ``extend-select`` / ``ignore``, then ``--select`` /
  ``--extend-select`` / ``--ignore``. A ``select`` replaces the selection made
  before it (so ``--select`` starts afresh), ``extend-select`` adds to it and
  ``ignore`` removes from it. ``per-file-ignores`` apply last, per file.
- ``--fail-on``, ``--jobs``, ``--rules``, ``--include``, ``--exclude``,
  ``--fail-on-unreadable``, ``--time-budget`` and ``--memory-budget`` given on the
  command line replace the configuration's value (lists as a whole). The command line
  can only switch ``fail-on-unreadable`` on: there is no flag that switches it off.
- ``--year``, ``--agency``, ``--agency-kind`` and ``--published`` override what a
  report states; ``[metadata]`` only fills in what a report leaves unstated.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

from checker.engine.ruleset import RuleSet, default_ruleset, load_pack, merge, with_severities
from checker.errors import InputError
from checker.model import Report
from checker.regexes import compiled
from checker.resources import data_dir, load_schema
from checker.run.budget import (
    DEFAULT_MEGABYTES,
    DEFAULT_SECONDS,
    MAX_MEGABYTES,
    MAX_SECONDS,
    FileBudget,
)
from checker.run.pipeline import MetaOverrides

CONFIG_FILE = "nianbao.toml"
PYPROJECT = "pyproject.toml"
MAX_CONFIG_BYTES = 1024 * 1024
FAIL_LEVELS = ("error", "warning", "info", "never")


class Selection(Struct, frozen=True):
    """One layer of rule selection: where it came from and what it selects, adds, removes."""

    source: str
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


class MetaDefaults(Struct, frozen=True):
    """Metadata for reports that do not state it (the configuration's ``[metadata]``)."""

    agency: str | None = None
    agency_kind: str | None = None
    region: str | None = None

    def fill(self, report: Report) -> None:
        meta = report.meta
        if meta.agency is None and self.agency is not None:
            meta.agency = self.agency
        if meta.agency_kind is None and self.agency_kind is not None:
            meta.agency_kind = self.agency_kind
        if meta.region is None and self.region is not None:
            meta.region = self.region


class SuppressEntry(Struct, frozen=True):
    """A ``[[suppress]]`` entry: the file it names (absolute) and its 1-based index."""

    file: str
    index: int
    rules: tuple[str, ...]
    pointer: str
    reason: str

    def as_entry(self) -> dict[str, Any]:
        return {"rules": list(self.rules), "pointer": self.pointer, "reason": self.reason}


class RollupEntry(Struct, frozen=True):
    """A ``[[rollup]]`` entry: the roll-up report's glob and its parts' globs, relative to `root`."""

    report: str
    parts: tuple[str, ...]
    root: str


class Config(Struct, frozen=True):
    """A configuration file as read (every field None or empty when the file does not set it)."""

    path: Path | None = None
    selection: Selection = field(default_factory=lambda: Selection("defaults"))
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    fail_on: str | None = None
    rules: tuple[str, ...] | None = None
    include: tuple[str, ...] | None = None
    exclude: tuple[str, ...] | None = None
    jobs: int | None = None
    metadata: MetaDefaults = MetaDefaults()
    suppress: tuple[SuppressEntry, ...] = ()
    rollup: tuple[RollupEntry, ...] = ()
    fail_on_unreadable: bool | None = None
    time_budget: float | None = None
    memory_budget: int | None = None

    @property
    def root(self) -> Path | None:
        return self.path.parent if self.path else None


class CliChoices(Struct, frozen=True):
    """What the command line said; None where an option was not given."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    rules: tuple[str, ...] | None = None
    include: tuple[str, ...] | None = None
    exclude: tuple[str, ...] | None = None
    jobs: int | None = None
    overrides: MetaOverrides = field(default_factory=MetaOverrides)
    fail_on_unreadable: bool | None = None
    time_budget: float | None = None  # CPU seconds per file (0: no limit)
    memory_budget: int | None = None  # megabytes per file (0: no limit)


class Settings(Struct, frozen=True):
    """The resolved settings of one run; hashable, so worker processes can rebuild and cache
    the rule set from it (compiled rules cannot be sent to another process)."""

    packs: tuple[str, ...] = ()
    layers: tuple[Selection, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    severity_source: str = ""
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    root: str | None = None
    fail_on: str = "error"
    lang: str = "zh"
    jobs: int = 1
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    overrides: MetaOverrides = field(default_factory=MetaOverrides)
    metadata: MetaDefaults = MetaDefaults()
    suppress: tuple[SuppressEntry, ...] = ()
    rollup: tuple[RollupEntry, ...] = ()
    config_path: str | None = None
    # relative paths above are relative to it: part of the value, so cached rule sets of
    # one working directory are never reused from another
    cwd: str = ""
    # time and memory per file (checker/run/budget.py)
    budget: FileBudget = field(default_factory=FileBudget)
    fail_on_unreadable: bool = False  # reading problems (EXT-002 …) fail the run too


# -- finding and reading the file --------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise InputError(str(path), f"larger than {MAX_CONFIG_BYTES} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None


def _parse_toml(path: Path, raw: bytes) -> dict[str, Any]:
    import tomllib  # only when a configuration is parsed, not when its snapshot is read

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(str(path), f"invalid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise InputError(str(path), "not UTF-8 text") from None
    except RecursionError:
        raise InputError(str(path), "nested too deeply to read") from None


def _table_in(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """The nianbao settings of a parsed file, or None (a pyproject.toml without [tool.nianbao])."""
    if path.name == PYPROJECT:
        tool = data.get("tool")
        return tool.get("nianbao") if isinstance(tool, dict) else None
    return data


def _table(path: Path) -> dict[str, Any] | None:
    return _table_in(path, _parse_toml(path, _read_bytes(path)))


# a [tool.nianbao] table is written with "tool.nianbao" (header or dotted key) or under [tool]
_TOOL_NIANBAO = r"""(?m)tool\s*\.\s*["']?nianbao|^\s*\[\s*tool\s*\]"""


def _may_configure(pyproject: Path) -> bool:
    """False only when the file certainly has no [tool.nianbao] table: most pyproject.toml
    files (this project's own) need not be parsed as TOML at every start."""
    try:
        with open(pyproject, "rb") as handle:
            text = handle.read(MAX_CONFIG_BYTES + 1).decode("utf-8", errors="replace")
    except OSError:
        return True  # reading it properly says what is wrong
    return compiled(_TOOL_NIANBAO).search(text) is not None


def find_config(paths: Iterable[Path]) -> Path | None:
    """The nearest configuration file above the common folder of `paths`, if any."""
    absolute = [os.path.abspath(p) for p in paths]
    if not absolute:
        return None
    start = Path(os.path.commonpath(absolute))
    if not start.is_dir():
        start = start.parent
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return _shown(candidate)
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _may_configure(pyproject) and _table(pyproject) is not None:
            return _shown(pyproject)
    return None


def _shown(path: Path) -> Path:
    """Relative to the working directory when inside it: that is how messages name it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else Path(relative)


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # imported only when there is a config file

    return Draft202012Validator(load_schema("config"))


@cache
def _quick_check():
    """The configuration schema as a plain function (checker/sources/schemacheck.py), or None."""
    from checker.sources.schemacheck import compile_schema

    return compile_schema(load_schema("config"))


def _valid_table(path: Path) -> dict[str, Any]:
    """The file's nianbao table, valid against the schema; InputError naming the file when not.

    Parsed and validated once per content: the table is kept in the snapshot cache, keyed
    by the file's name and bytes and the schema's, so checking a configured folder again
    neither imports tomllib nor reads the schema (~10 ms of a one-file check)."""
    from checker.cache.snapshot import cached

    raw = _read_bytes(path)
    schema = (data_dir("schemas") / "config.schema.json").read_bytes()

    def build() -> dict[str, Any]:
        data = _table_in(path, _parse_toml(path, raw))
        if data is None:
            raise InputError(str(path), "has no [tool.nianbao] table")
        quick = _quick_check()
        error = None
        if quick is None or not quick(data):  # jsonschema (~30 ms to import) only to word errors
            from jsonschema.exceptions import best_match

            error = best_match(_validator().iter_errors(data))
        if error is not None:
            where = ".".join(str(p) for p in error.absolute_path) or "top level"
            raise InputError(str(path), f"invalid configuration at {where}: {error.message}")
        return data

    return cached("config", b"\0".join([path.name.encode(), raw, schema]), build)


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value)


def load_config(path: Path) -> Config:
    """Read and validate one configuration file; InputError (naming the file) when invalid."""
    if not path.is_file():
        raise InputError(str(path), "no such configuration file")
    data = _valid_table(path)
    root = path.parent
    meta = data.get("metadata", {})
    return Config(
        path=path,
        selection=Selection(
            str(path),
            _strings(data["select"]) if "select" in data else None,
            _strings(data.get("extend-select", ())),
            _strings(data.get("ignore", ())),
        ),
        per_file_ignores=tuple(
            (pattern, _strings(codes))
            for pattern, codes in data.get("per-file-ignores", {}).items()
        ),
        severity=tuple(data.get("severity", {}).items()),
        fail_on=data.get("fail-on"),
        rules=tuple(os.path.normpath(root / p) for p in data["rules"]) if "rules" in data else None,
        include=_strings(data["include"]) if "include" in data else None,
        exclude=_strings(data["exclude"]) if "exclude" in data else None,
        jobs=_whole(data.get("jobs")),
        metadata=MetaDefaults(meta.get("agency"), meta.get("agency-kind"), meta.get("region")),
        suppress=tuple(
            SuppressEntry(
                file=os.path.normpath(os.path.abspath(root / entry["file"])),
                index=index,
                rules=_strings(entry.get("rules", ())),
                pointer=entry.get("pointer", ""),
                reason=entry.get("reason", ""),
            )
            for index, entry in enumerate(data.get("suppress", []), start=1)
        ),
        rollup=tuple(
            RollupEntry(entry["report"], _strings(entry["parts"]), os.path.abspath(root))
            for entry in data.get("rollup", [])
        ),
        fail_on_unreadable=data.get("fail-on-unreadable"),
        time_budget=data.get("time-budget"),
        memory_budget=_whole(data.get("memory-budget")),
    )


def _whole(value: Any) -> Any:
    """An integer the schema let through as 2.0 (JSON Schema counts it an integer) as 2."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


MAX_JOBS = 1024

# -- resolving: command line > configuration > defaults ------------------------------------


def resolve(cli: CliChoices, config: Config | None, lang: str = "zh") -> Settings:
    """The settings of a run (see the module docstring for the precedence)."""
    config = config or Config()
    layers = [config.selection]
    if cli.select is not None or cli.extend_select or cli.ignore:
        layers.append(Selection("--select/--extend-select/--ignore", *_cli_selection(cli)))
    rules = cli.rules if cli.rules is not None else config.rules or ()
    settings = Settings(
        packs=tuple(rules),
        layers=tuple(layers),
        severity=config.severity,
        severity_source=str(config.path or ""),
        per_file_ignores=config.per_file_ignores,
        root=str(config.root) if config.root else None,
        fail_on=_first(cli.fail_on, config.fail_on, "error"),
        lang=lang,
        jobs=_jobs(
            _first(cli.jobs, config.jobs, 1),
            "--jobs" if cli.jobs is not None else f"{config.path}: jobs",
        ),
        include=_first(cli.include, config.include, ()),
        exclude=_first(cli.exclude, config.exclude, ()),
        overrides=cli.overrides,
        metadata=config.metadata,
        suppress=config.suppress,
        rollup=config.rollup,
        config_path=str(config.path) if config.path else None,
        cwd=os.getcwd(),
        budget=_budget(cli, config),
        fail_on_unreadable=bool(_first(cli.fail_on_unreadable, config.fail_on_unreadable, False)),
    )
    if settings.fail_on not in FAIL_LEVELS:
        raise InputError("--fail-on", f"must be one of {', '.join(FAIL_LEVELS)}")
    selected_ruleset(settings)  # unknown codes and bad packs fail now, not in a worker
    for pattern, codes in settings.per_file_ignores:
        _check_codes(full_ruleset(settings), codes, f"{config.path}: per-file-ignores {pattern!r}")
    return settings


def _cli_selection(
    cli: CliChoices,
) -> tuple[tuple[str, ...] | None, tuple[str, ...], tuple[str, ...]]:
    return cli.select, cli.extend_select, cli.ignore


def _first(*values: Any) -> Any:
    return next(v for v in values if v is not None)


def _budget(cli: CliChoices, config: Config) -> FileBudget:
    """The per-file budget: each part from the command line, else the configuration, else
    the default; a value out of range names where it came from."""
    seconds = _first(cli.time_budget, config.time_budget, DEFAULT_SECONDS)
    megabytes = _first(cli.memory_budget, config.memory_budget, DEFAULT_MEGABYTES)
    if not 0 <= seconds <= MAX_SECONDS:  # also refuses nan (TOML can write it)
        source = "--time-budget" if cli.time_budget is not None else f"{config.path}: time-budget"
        raise InputError(source, f"must be 0 to {MAX_SECONDS:g} seconds")
    if not 0 <= megabytes <= MAX_MEGABYTES:
        source = (
            "--memory-budget" if cli.memory_budget is not None else f"{config.path}: memory-budget"
        )
        raise InputError(source, f"must be 0 to {MAX_MEGABYTES} megabytes")
    return FileBudget(float(seconds), int(megabytes))


def _jobs(jobs: int, source: str = "--jobs") -> int:
    if jobs < 0:
        raise InputError(source, "must be 0 (one per CPU) or more")
    if jobs > MAX_JOBS:
        raise InputError(source, f"{jobs} processes: at most {MAX_JOBS}")
    return jobs or os.cpu_count() or 1


# -- the rule set a file is checked with ---------------------------------------------------


def _matches(rule_id: str, codes: Iterable[str]) -> bool:
    return any(code == "ALL" or rule_id.startswith(code) for code in codes)


def _check_codes(ruleset: RuleSet, codes: Iterable[str], source: str) -> None:
    for code in codes:
        if code != "ALL" and not any(rule.id.startswith(code) for rule in ruleset.rules):
            raise InputError(source, f"no rule code starts with {code!r}")


@cache
def full_ruleset(settings: Settings) -> RuleSet:
    """Every rule of the packs in use, with the configured severities."""
    extra = [load_pack(Path(p)) for p in settings.packs]
    ruleset = merge([default_ruleset(), *extra]) if extra else default_ruleset()
    return with_severities(ruleset, dict(settings.severity), settings.severity_source)


@cache
def selected_ruleset(settings: Settings) -> RuleSet:
    """The rules selected by the layers of selection."""
    ruleset = full_ruleset(settings)
    chosen = {rule.id for rule in ruleset.rules}
    for layer in settings.layers:
        for codes in (layer.select or (), layer.extend_select, layer.ignore):
            _check_codes(ruleset, codes, layer.source)
        if layer.select is not None:
            chosen = {r.id for r in ruleset.rules if _matches(r.id, layer.select)}
        chosen |= {r.id for r in ruleset.rules if _matches(r.id, layer.extend_select)}
        chosen -= {r.id for r in ruleset.rules if _matches(r.id, layer.ignore)}
    return RuleSet(
        ruleset.name, [r for r in ruleset.rules if r.id in chosen], ruleset.examples_base
    )


def ignored_for(settings: Settings, path: str) -> tuple[str, ...]:
    """The per-file-ignores codes whose glob matches `path` (relative to the config's folder)."""
    if not settings.root or not settings.per_file_ignores:
        return ()
    from checker.run.discovery import glob_matches, relative_to

    relative = relative_to(Path(path), Path(settings.root))
    if relative is None:
        return ()
    return tuple(
        sorted(
            {
                code
                for pattern, codes in settings.per_file_ignores
                if glob_matches(relative, pattern)
                for code in codes
            }
        )
    )


@cache
def _without(settings: Settings, ignored: tuple[str, ...]) -> RuleSet:
    return selected_ruleset(settings).selected(None, list(ignored))


def ruleset_for(settings: Settings, path: str) -> RuleSet:
    """The rules a file is checked with: the selection minus its per-file-ignores."""
    ignored = ignored_for(settings, path)
    return _without(settings, ignored) if ignored else selected_ruleset(settings)


def suppress_entries_for(settings: Settings, path: str) -> list[tuple[int, dict[str, Any]]]:
    """The configuration's ``[[suppress]]`` entries that name `path`."""
    target = os.path.normpath(os.path.abspath(path))
    return [(e.index, e.as_entry()) for e in settings.suppress if e.file == target]
