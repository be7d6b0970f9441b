"""Readings of run-together digits (EXT-005) weighed against what the report says in words.

When the table's own sums leave several readings of a row, extraction blanks
the row and reports EXT-005 with the readings still possible. The report's
prose often states some of the row's figures ("全年新收政府信息公开申请70件").
This module tries each reading: the row filled with it, the rule set's
narrative-figure rules (the TXT rules comparing prose and table) run on that
copy. When exactly one reading leaves every prose figure about the row's
cells true, and every other reading contradicts at least one of them, the
finding says which reading and why (the figure and its quote). It stays a
finding: the row is still blank and no value is chosen.

In a batch that holds last year's report of the same agency, the cross-year
rules (XY-) weigh the readings the same way once the pair is found
(:func:`judge_with_previous`, called from the batch's cross-report pass): a
row carried over from last year, or documents in force, often has only one
reading that continues last year's figures.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import TYPE_CHECKING

import msgspec
import msgspec.structs

from checker.engine.evaluate import evaluate
from checker.engine.ruleset import Rule, RuleSet
from checker.model import Cell, Diagnostic, Report, cell_pointer

if TYPE_CHECKING:
    from checker.findings import Finding
    from checker.gate.crossyear import YearSummary

PROSE_KINDS = ("narrative_figure",)
MAX_TRIALS = (
    500  # rule evaluations per report spent on weighing readings (hostile text stays cheap)
)


def judge(report: Report, ruleset: RuleSet, lang: str = "zh") -> None:
    """Fill ``judgement`` on the EXT-005 diagnostics whose readings the prose tells apart."""
    pending = [d for d in report.diagnostics if d.code == "EXT-005" and d.params.get("candidates")]
    if not pending:
        return
    prose = [r for r in ruleset.rules if r.kind in PROSE_KINDS]
    budget = MAX_TRIALS
    for diagnostic in pending:
        found = diagnostic.params["candidates"]
        about = RuleSet(
            ruleset.name, [r for r in prose if _about(r, found["table"], found["keys"])]
        )
        budget -= len(found["values"]) * len(about.rules)
        if about.rules and budget >= 0:
            diagnostic.params["judgement"] = _judgement(report, about, diagnostic, lang)


def _about(rule: Rule, table: str, keys: list[str]) -> bool:
    """Whether a narrative-figure rule states a figure of one of these cells."""
    wanted = set(keys)
    return any(
        figure.get("table") == table and wanted & set(figure.get("cells", ()))
        for figure in rule.options.get("figures", ())
    )


def _judgement(report: Report, prose: RuleSet, diagnostic: Diagnostic, lang: str) -> str:
    found = diagnostic.params["candidates"]
    table, keys, readings = found["table"], found["keys"], found["values"]
    pointers = {cell_pointer(table, key) for key in keys}
    agreeing: list[int] = []
    contradiction = ""
    for index, values in enumerate(readings):
        trial = copy.copy(report)
        trial.diagnostics = []
        trial.tables = dict(report.tables)
        cells = trial.tables[table] = dict(report.tables.get(table, {}))
        for key, value in zip(keys, values, strict=True):
            cells[key] = Cell(Decimal(value) if value is not None else None, value)
        findings, _ = evaluate(trial, prose, lang)
        against = [f for f in findings if pointers & set(f.related)]
        if not against:
            agreeing.append(index)
        elif not contradiction:
            contradiction = f"{index + 1}: {against[0].message}"
    if len(agreeing) != 1 or len(readings) < 2 or not contradiction:
        return ""
    return _said(readings[agreeing[0]], agreeing[0], contradiction, lang, False)


def _said(values: list | tuple, chosen: int, contradiction: str, lang: str, last_year: bool) -> str:
    """'Only reading k agrees with …, every other contradicts it (reading j: why)'."""
    text = " ".join(v if v is not None else "□" for v in values)
    number, _, why = contradiction.partition(": ")
    if lang == "en":
        source = "last year's report" if last_year else "the figures the text states"
        return (
            f". Only reading ({chosen + 1}) ({text}) agrees with {source}; "
            f"every other contradicts it (reading ({number}): {why}). Check the original table"
        )
    source = "上年度报告" if last_year else "正文所述数字"
    return (
        f"。其中只有第{chosen + 1}种读法（{text}）与{source}一致，其他读法都与之矛盾"
        f"（按第{number}种读法：{why}），请据此核对原表"
    )


def judge_with_previous(
    findings: list[Finding],
    summary: YearSummary,
    previous: list[YearSummary],
    ruleset: RuleSet,
    lang: str = "zh",
) -> None:
    """In a batch, when last year's report of the agency is among the checked files: try each
    reading of a blank row against the cross-year rules and, when exactly one agrees, say so
    in the row's EXT-005 finding."""
    from checker.gate import crossyear

    rules = [r for r in ruleset.rules if crossyear.is_cross_report(r)]
    if not summary.readings or not previous or not rules:
        return
    subset = RuleSet(ruleset.name, rules)
    for table, keys, readings in summary.readings:
        pointers = {cell_pointer(table, key) for key in keys}
        owner = next(
            (f for f in findings if f.rule == "EXT-005" and f.location.pointer in _rows(pointers)),
            None,
        )
        if owner is None or len(readings) < 2:
            continue
        agreeing: list[int] = []
        contradiction = ""
        for index, values in enumerate(readings):
            cells = {name: dict(found) for name, found in summary.cells.items()}
            row = cells.setdefault(table, {})
            for key, value in zip(keys, values, strict=True):
                row[key] = Cell(Decimal(value) if value is not None else None, value)
            trial = msgspec.structs.replace(summary, cells=cells, readings=())
            against = []
            for before in previous:
                found, _ = evaluate(crossyear._pair_report(trial, before), subset, lang)
                against += [f for f in found if pointers & {f.location.pointer, *f.related}]
            if not against:
                agreeing.append(index)
            elif not contradiction:
                contradiction = f"{index + 1}: {against[0].message}"
        if len(agreeing) == 1 and contradiction:
            owner.message += _said(readings[agreeing[0]], agreeing[0], contradiction, lang, True)


def _rows(pointers: set[str]) -> set[str]:
    """The row pointers of some cell pointers (an EXT-005 finding points at its row)."""
    return {p.rsplit("/", 1)[0] for p in pointers} | pointers
