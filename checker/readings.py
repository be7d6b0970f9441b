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
"""

from __future__ import annotations

import copy
from decimal import Decimal

from checker.engine.evaluate import evaluate
from checker.engine.ruleset import RuleSet
from checker.model import Cell, Diagnostic, Report, cell_pointer

PROSE_KINDS = ("narrative_figure",)


def judge(report: Report, ruleset: RuleSet, lang: str = "zh") -> None:
    """Fill ``judgement`` on the EXT-005 diagnostics whose readings the prose tells apart."""
    pending = [d for d in report.diagnostics if d.code == "EXT-005" and d.params.get("candidates")]
    if not pending:
        return
    prose = RuleSet(ruleset.name, [r for r in ruleset.rules if r.kind in PROSE_KINDS])
    if not prose.rules:
        return
    for diagnostic in pending:
        diagnostic.params["judgement"] = _judgement(report, prose, diagnostic, lang)


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
    chosen = agreeing[0]
    text = " ".join(v if v is not None else "□" for v in readings[chosen])
    number, _, why = contradiction.partition(": ")
    if lang == "en":
        return (
            f". Only reading ({chosen + 1}) ({text}) agrees with the figures the text states; "
            f"every other contradicts them (reading ({number}): {why}). Check the original table"
        )
    return (
        f"。其中只有第{chosen + 1}种读法（{text}）与正文所述数字一致，其他读法都与正文矛盾"
        f"（按第{number}种读法：{why}），请据此核对原表"
    )
