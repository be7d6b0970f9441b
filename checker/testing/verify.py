"""``nianbao rules verify``: prove rules against generated reports, not only their examples.

For every rule, three properties are tested on valid reports drawn by
:func:`checker.testing.reports` (restricted to the rule's ``applies``):

- **soundness** — a valid report never fires the rule (nor makes it raise an
  evaluation error).
- **sensitivity** — every cell the rule reads can make it fire: for each
  such cell, some generated report and some change of that cell (±1, ±1000,
  a fraction, text such as ``约3件``) fire the rule. A cell that is read but
  can never matter means an operand on both sides of a relation, a tolerance
  that swallows every error, or a condition that can never hold.
- **insensitivity** — changing a cell the rule does *not* read never fires it.

Which cells a rule reads is derived, not declared: the rule is evaluated on a
copy of the report whose cells record each read of their value (the proxies
live only in that copy; checking real reports is untouched). A cell that a
rule only tests for presence (table shape) is not a value read.

A failure names the rule and the property and shows hypothesis's shrunk
counterexample: the report's metadata, the cells (and text) involved, as a
small YAML document. Runs are deterministic: ``derandomize`` unless a seed
is given, never the example database. Rules whose scope the generator does
not cover (e.g. reports before 2019) are listed as not exercised.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any

import msgspec
import msgspec.structs
from hypothesis import HealthCheck, Phase, find, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument, NoSuchExample
from msgspec import Struct, field

from checker.engine.evaluate import evaluate
from checker.engine.explain import scope_words
from checker.engine.ruleset import Rule, RuleSet
from checker.findings import Finding
from checker.model import AGENCY_KINDS, Cell, Report, Section
from checker.report_data import report_from_data
from checker.testing.renderers import flat_cells
from checker.testing.strategies import YEARS, reports
from checker.writer import to_yaml

#: changes tried on a read cell, in order, until one fires the rule
#: ("blank" last: a blank is STR-009's defect; for a sum it is an addend counted as 0)
CHANGES: tuple[str, ...] = ("+1", "-1000", "+0.5", "-1", "+1000", "text", "blank")
#: changes of an unread cell that must not fire the rule
QUIET_CHANGES: tuple[str, ...] = ("+1", "text")
#: unread cells changed per rule and report
UNREAD_SAMPLE = 3
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
Where = tuple[str, str]  # (table, cell key)


class Problem(Struct):
    rule: str
    property: str  # soundness | sensitivity | insensitivity
    explanation: str
    counterexample: dict[str, Any]
    shrunk: bool = True

    def to_yaml(self) -> str:
        return to_yaml(
            {
                "rule": self.rule,
                "property": self.property,
                "problem": self.explanation,
                "counterexample" + ("" if self.shrunk else " (not shrunk)"): self.counterexample,
            }
        )


class Verdict(Struct):
    rule: str
    reports: int = 0  # generated reports the rule applied to
    cells_read: int = 0
    problems: list[Problem] = field(default_factory=list)
    skipped: str = ""
    skipped_zh: str = ""


# -- which cells a rule reads ------------------------------------------------------------------


class _RecordingCell:
    """A cell that notes every read of its value, raw text or note."""

    __slots__ = ("_cell", "_log", "_where")

    def __init__(self, cell: Cell, where: Where, log: set[Where]) -> None:
        self._cell, self._where, self._log = cell, where, log

    def __getattr__(self, name: str) -> Any:
        if name in ("value", "raw", "note"):
            self._log.add(self._where)
        return getattr(self._cell, name)


class _RecordingSection:
    """A section that notes that its text was read."""

    __slots__ = ("_log", "_section")

    def __init__(self, section: Section, log: set[Where]) -> None:
        self._section, self._log = section, log

    def __getattr__(self, name: str) -> Any:
        if name == "text":
            self._log.add(("text", ""))
        return getattr(self._section, name)


def recording_copy(report: Report, log: set[Where]) -> Report:
    """A copy of `report` whose cells and sections record reads into `log`."""
    tables = {
        name: {key: _RecordingCell(cell, (name, key), log) for key, cell in cells.items()}
        for name, cells in report.tables.items()
    }
    sections = [_RecordingSection(s, log) for s in report.sections]
    return msgspec.structs.replace(report, tables=tables, sections=sections)  # type: ignore[arg-type]


# -- changing one cell -------------------------------------------------------------------------


def build_report(data: dict[str, Any]) -> Report:
    """The report of generated data, without re-validating it against the report schema."""
    return report_from_data(data, "generated.yaml")


def _changed_value(value: Decimal | None, change: str) -> Any:
    if change == "text":
        return f"约{value if value is not None else 1}件"
    if change == "blank":
        return None
    base = value if value is not None else Decimal(0)
    result = base + Decimal(change)
    return int(result) if result == result.to_integral_value() else result


@lru_cache(maxsize=4096)
def _cell_of(value: Any) -> Cell:
    """The cell a structured report holding `value` would have (cells are never mutated)."""
    return report_from_data({"tables": {"t4": {"review": {"upheld": value}}}}, "").tables["t4"][
        "review.upheld"
    ]


def with_cell(report: Report, table: str, key: str, value: Any) -> Report:
    """`report` with one cell replaced (everything else shared)."""
    cells = {**report.tables[table], key: _cell_of(value)}
    return msgspec.structs.replace(report, tables={**report.tables, table: cells})


def with_data_cell(data: dict[str, Any], table: str, key: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    node = changed["tables"][table]
    *parents, leaf = key.split(".")
    for part in parents:
        node = node[part]
    node[leaf] = value
    return changed


def _fires(report: Report, rule_set: RuleSet) -> list[Finding]:
    return evaluate(report, rule_set, "zh")[0]


def _firing_change(report: Report, rule_set: RuleSet, where: Where, changes: Iterable[str]):
    table, key = where
    value = report.tables[table][key].value
    for change in changes:
        new = _changed_value(value, change)
        if _fires(with_cell(report, table, key, new), rule_set):
            return change, new
    return None


# -- the rule's scope --------------------------------------------------------------------------


def scope_strategy(rule: Rule, max_count: int = 40) -> tuple[tuple, st.SearchStrategy] | str:
    """(a key naming the scope, generated reports in the rule's scope), or why there are none."""
    applies = rule.applies
    versions = [v for v in YEARS if applies.templates is None or v in applies.templates]
    lo = applies.year_min if applies.year_min is not None else 0
    hi = applies.year_max if applies.year_max is not None else 9999
    years = [y for v in versions for y in YEARS[v] if lo <= y <= hi]
    kinds = [k for k in AGENCY_KINDS if applies.agency_kinds is None or k in applies.agency_kinds]
    if not years or not kinds:
        return f"the generator makes no report in this rule's scope ({scope_words(applies, 'en')})"
    key = (tuple(versions), tuple(years), tuple(kinds))
    return key, reports(template=versions, year=years, agency_kind=kinds, max_count=max_count)


# -- one scan of generated reports -----------------------------------------------------------------


class _RuleState(Struct):
    rule: Rule
    rule_set: RuleSet
    verdict: Verdict
    read: set[Where] = field(default_factory=set)
    sensitive: set[Where] = field(default_factory=set)
    unsound: dict[str, Any] | None = None  # the first valid report that fired the rule
    noisy: tuple[dict[str, Any], Where, str] | None = None
    deaf: dict[Where, dict[str, Any]] = field(default_factory=dict)  # first report per cell


def _reads(report: Report, rule_set: RuleSet) -> tuple[list[Finding], set[Where], str]:
    log: set[Where] = set()
    findings, outcomes = evaluate(recording_copy(report, log), rule_set, "zh")
    return findings, log, outcomes[0].outcome if outcomes else "not_applicable"


def _outcome_error(report: Report, rule_set: RuleSet) -> str | None:
    outcome = evaluate(report, rule_set, "zh")[1][0]
    return outcome.reason if outcome.outcome == "error" else None


def _scan_one(state: _RuleState, data: dict[str, Any], report: Report, rng: random.Random) -> None:
    findings, log, outcome = _reads(report, state.rule_set)
    if outcome == "not_applicable" and not log:
        return
    state.verdict.reports += 1
    if findings or outcome == "error":
        if state.unsound is None:
            state.unsound = data
        return
    cells = {w for w in log if w[0] != "text"}
    state.read |= cells
    for where in sorted(cells - state.sensitive):
        if _firing_change(report, state.rule_set, where, CHANGES):
            state.sensitive.add(where)
        else:
            state.deaf.setdefault(where, data)
    if state.noisy is None:
        unread = sorted(
            (name, key)
            for name, table in report.tables.items()
            for key in table
            if (name, key) not in cells
        )
        for where in rng.sample(unread, min(UNREAD_SAMPLE, len(unread))):
            fired = _firing_change(report, state.rule_set, where, QUIET_CHANGES)
            if fired:
                state.noisy = (data, where, fired[0])
                break


def _settings(examples: int, seed_value: int | None, shrink: bool) -> settings:
    phases = (Phase.generate, Phase.shrink) if shrink else (Phase.generate,)
    return settings(
        max_examples=examples,
        database=None,
        derandomize=seed_value is None,
        deadline=None,
        phases=phases,
        suppress_health_check=_HEALTH,
        print_blob=False,
    )


def _scan(
    strategy: st.SearchStrategy[dict[str, Any]],
    states: list[_RuleState],
    examples: int,
    seed_value: int | None,
) -> None:
    counter = [0]

    def check(data: dict[str, Any]) -> None:
        counter[0] += 1
        report = build_report(data)
        rng = random.Random(f"{seed_value}:{counter[0]}")
        for state in states:
            _scan_one(state, data, report, rng)

    test = _settings(examples, seed_value, shrink=False)(given(strategy)(check))
    if seed_value is not None:
        test = seed(seed_value)(test)
    test()


# -- shrinking a failure -------------------------------------------------------------------------


def _shrink(strategy, condition, fallback: dict[str, Any], examples: int, seed_value: int | None):
    """The minimal report satisfying `condition` (hypothesis.find), or the one the scan met."""
    rng = random.Random(seed_value) if seed_value is not None else None
    try:
        found = find(
            strategy,
            condition,
            settings=_settings(max(examples, 50) * 4, seed_value, shrink=True),
            random=rng,
        )
    except NoSuchExample:
        return fallback, False
    return found, True


def _excerpt(data: dict[str, Any], cells: Iterable[Where], text: bool) -> dict[str, Any]:
    """A small YAML report: metadata, the given cells, every non-zero cell of their tables
    (a shrunk report has few, and they show what the rule overlooked), and the text when
    the rule reads it."""
    cells = set(cells)
    for name in {table for table, _ in cells}:
        for key, value in flat_cells(data.get("tables", {}).get(name, {})).items():
            if value not in (0, None):
                cells.add((name, key))
    out: dict[str, Any] = {"meta": data.get("meta", {})}
    if text:
        if data.get("preamble"):
            out["preamble"] = data["preamble"]
        out["sections"] = [
            {"number": s["number"], "text": s.get("text", "")} for s in data.get("sections", [])
        ]
    tables: dict[str, Any] = {}
    for name, key in sorted(cells):
        value = flat_cells(data.get("tables", {}).get(name, {})).get(key)
        node = tables.setdefault(name, {})
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    if tables:
        out["tables"] = tables
    return out


def _pointer_cells(finding: Finding) -> set[Where]:
    cells = set()
    for pointer in (finding.location.pointer, *finding.related):
        parts = pointer.strip("/").split("/")
        if len(parts) >= 3 and parts[0] == "tables":
            cells.add((parts[1], ".".join(parts[2:])))
    return cells


def _soundness_problem(
    state: _RuleState, strategy, examples: int, seed_value: int | None
) -> Problem:
    rule_set = state.rule_set

    def fires(data: dict[str, Any]) -> bool:
        findings, _, outcome = _reads(build_report(data), rule_set)
        return bool(findings) or outcome == "error"

    assert state.unsound is not None
    data, shrunk = _shrink(strategy, fires, state.unsound, examples, seed_value)
    report = build_report(data)
    findings, log, _ = _reads(report, rule_set)
    if findings:
        reason = f"fires on a valid report: {findings[0].message}"
        cells = set().union(*(_pointer_cells(f) for f in findings)) or log
    else:
        reason = f"evaluation error on a valid report: {_outcome_error(report, rule_set)}"
        cells = log
    excerpt = _excerpt(data, {w for w in cells if w[0] != "text"}, ("text", "") in log)
    return Problem(state.rule.id, "soundness", reason, excerpt, shrunk)


def _row_column(key: str) -> tuple[str, str]:
    row, _, column = key.rpartition(".")
    return row, column


def _sensitivity_problem(
    state: _RuleState, deaf_cells: list[Where], strategy, examples: int, seed_value: int | None
) -> Problem:
    """One problem for all the cells that never made the rule fire, shrunk on the first."""
    rule_set = state.rule_set
    where = deaf_cells[0]

    def deaf(data: dict[str, Any]) -> bool:
        report = build_report(data)
        findings, log, _ = _reads(report, rule_set)
        return (
            not findings
            and where in log
            and _firing_change(report, rule_set, where, CHANGES) is None
        )

    data, shrunk = _shrink(strategy, deaf, state.deaf[where], examples, seed_value)
    _, log, _ = _reads(build_report(data), rule_set)
    table, key = where
    row, column = _row_column(key)
    near = {
        w
        for w in log
        if w[0] == table and (_row_column(w[1])[0] == row or _row_column(w[1])[1] == column)
    }
    others = [f"{t}.{k}" for t, k in deaf_cells[1:]]
    also = (
        f" (nor of {len(others)} more: {', '.join(others[:12])}{'…' if len(others) > 12 else ''})"
        if others
        else ""
    )
    explanation = (
        f"reads {table}.{key}, but no change of it{also} fires the rule in any of the "
        f"generated reports (tried {', '.join(CHANGES)})"
    )
    excerpt = _excerpt(data, near | {where}, ("text", "") in log)
    return Problem(state.rule.id, "sensitivity", explanation, excerpt, shrunk)


def _insensitivity_problem(
    state: _RuleState, strategy, examples: int, seed_value: int | None
) -> Problem:
    assert state.noisy is not None
    data, where, change = state.noisy
    table, key = where
    rule_set = state.rule_set

    def noisy(candidate: dict[str, Any]) -> bool:
        report = build_report(candidate)
        findings, log, _ = _reads(report, rule_set)
        return (
            not findings
            and key in report.tables.get(table, {})
            and where not in log
            and _firing_change(report, rule_set, where, (change,)) is not None
        )

    shrunk_data, shrunk = _shrink(strategy, noisy, data, examples, seed_value)
    value = build_report(shrunk_data).tables[table][key].value
    new = _changed_value(value, change)
    changed = with_data_cell(shrunk_data, table, key, new)
    findings = _fires(build_report(changed), rule_set)
    message = findings[0].message if findings else "(no longer fires)"
    explanation = (
        f"does not read {table}.{key}, yet changing it from {value} to {new} fires it: {message}"
    )
    log: set[Where] = set()
    evaluate(recording_copy(build_report(changed), log), rule_set)
    excerpt = _excerpt(changed, {where}, ("text", "") in log)
    return Problem(state.rule.id, "insensitivity", explanation, excerpt, shrunk)


# -- entry point -------------------------------------------------------------------------------


def verify_rules(
    rules: list[Rule], examples: int = 30, seed_value: int | None = None
) -> list[Verdict]:
    """Soundness, sensitivity and insensitivity of each rule on `examples` reports per scope."""
    if examples < 1:
        raise InvalidArgument("examples must be at least 1")
    groups: dict[tuple, tuple[st.SearchStrategy, list[_RuleState]]] = {}
    verdicts: list[Verdict] = []
    for rule in rules:
        verdict = Verdict(rule.id)
        verdicts.append(verdict)
        scope = scope_strategy(rule)
        if isinstance(scope, str):
            verdict.skipped = scope
            verdict.skipped_zh = (
                f"生成器不产生本规则适用范围内的报告（{scope_words(rule.applies, 'zh')}）"
            )
            continue
        key, strategy = scope
        state = _RuleState(rule, RuleSet(rule.pack, [rule]), verdict)
        groups.setdefault(key, (strategy, []))[1].append(state)
    for strategy, states in groups.values():
        _scan(strategy, states, examples, seed_value)
        for state in states:
            state.verdict.cells_read = len(state.read)
            if state.unsound is not None:
                state.verdict.problems.append(
                    _soundness_problem(state, strategy, examples, seed_value)
                )
            deaf = sorted(state.read - state.sensitive)
            if deaf:
                state.verdict.problems.append(
                    _sensitivity_problem(state, deaf, strategy, examples, seed_value)
                )
            if state.noisy is not None:
                state.verdict.problems.append(
                    _insensitivity_problem(state, strategy, examples, seed_value)
                )
    return verdicts


# each property a verdict judges, for people reading `nianbao rules verify` in Chinese
PROPERTY_ZH = {
    "soundness": "合格报告上误报",
    "sensitivity": "所读单元格改动后仍不报告",
    "insensitivity": "未读的单元格改动后却报告",
}


def verdict_lines(verdicts: list[Verdict], lang: str = "en") -> str:
    """What `nianbao rules verify` prints: a line per rule, each failure as a YAML document
    (its keys and explanation in English: it is data for the rule's author to replay)."""
    zh = lang == "zh"
    lines: list[str] = []
    failed = skipped = 0
    for verdict in verdicts:
        if verdict.skipped or verdict.reports == 0:
            skipped += 1
            if zh:
                why = verdict.skipped_zh or "没有一份生成的报告适用本规则"
                lines.append(f"跳过 {verdict.rule}：{why}")
            else:
                why = verdict.skipped or "not applicable to any generated report"
                lines.append(f"SKIP {verdict.rule}: {why}")
        elif verdict.problems:
            failed += 1
            kinds = sorted({p.property for p in verdict.problems})
            if zh:
                names = "、".join(f"{PROPERTY_ZH.get(k, k)}（{k}）" for k in kinds)
                lines.append(f"未通过 {verdict.rule}：{names}（{verdict.reports} 份报告）")
            else:
                lines.append(f"FAIL {verdict.rule}: {', '.join(kinds)} ({verdict.reports} reports)")
        elif zh:
            lines.append(
                f"通过 {verdict.rule}：{verdict.reports} 份报告，读取 {verdict.cells_read} 个单元格"
            )
        else:
            lines.append(
                f"ok   {verdict.rule}: {verdict.reports} reports, {verdict.cells_read} cells read"
            )
    for verdict in verdicts:
        for problem in verdict.problems:
            lines += ["---", problem.to_yaml().rstrip("\n")]
    passed = len(verdicts) - failed - skipped
    lines.append(
        f"验证通过 {passed} 条，未通过 {failed} 条，未能验证 {skipped} 条"
        if zh
        else f"{passed} verified, {failed} failed, {skipped} not exercised"
    )
    return "\n".join(lines) + "\n"
