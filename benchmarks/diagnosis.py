"""DIAG-001 (minimal repair): how often one wrong cell is named, and what the diagnosis costs.

    python benchmarks/diagnosis.py --reports 1000 --cells 12

Over ``--reports`` valid reports drawn by ``checker.testing.reports()`` (the
same ones every run), ``--cells`` numeric cells of tables 3 and 4 per report
(drawn with a fixed seed) are changed one at a time to another value between 0
and 60. For each change the repair search (``checker/engine/repair.py``)
answers: *unique* (it names exactly the changed cell and its original value),
*ambiguous* (several repairs of one cell, the changed cell among them) or
*wrong* (anything else: must stay 0). The counts are printed by row group.

Then the cost, in CPU time (the machine is shared), measured side by side in
this process on the same reports: a whole check of each report as a YAML file
(``check_file``: read, build, every rule), the national rule set alone
(``evaluate``) and the DIAG-001 rule alone, for each report as drawn (valid:
the common case) and with one table-3 cell changed (the search runs).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import corpus  # noqa: E402  (benchmarks/ is not a package)

from checker.engine import repair  # noqa: E402
from checker.engine.evaluate import evaluate  # noqa: E402
from checker.engine.ruleset import RuleSet, default_ruleset  # noqa: E402
from checker.model import Cell, Report  # noqa: E402
from checker.templates import templates  # noqa: E402
from checker.testing import build_report  # noqa: E402

T3_GROUPS = {
    "new": "t3 一、本年新收",
    "carried_over": "t3 二、上年结转",
    "granted": "t3 （一）予以公开",
    "partial": "t3 （二）部分公开",
    "withheld": "t3 （三）不予公开",
    "unable": "t3 （四）无法提供",
    "rejected": "t3 （五）不予处理",
    "other": "t3 （六）其他处理",
    "total": "t3 （七）总计",
    "carried_forward": "t3 四、结转下年度",
}
T4_GROUPS = {
    "review": "t4 行政复议",
    "litigation_direct": "t4 未经复议直接起诉",
    "litigation_after_review": "t4 复议后起诉",
}


def group_of(table: str, key: str) -> str:
    row = key.rsplit(".", 1)[0]
    head = row.split(".")[0]
    if table == "t4":
        return T4_GROUPS.get(head, f"t4 {head}")
    name = T3_GROUPS.get(head, f"t3 {head}")
    if "." in row:
        return name
    if head in ("withheld", "unable", "rejected") or (head == "other" and key.count(".") == 1):
        return name + ("（小计行）" if _is_header(key) else "")
    return name


def _is_header(key: str) -> bool:
    return key.split(".")[0] in ("withheld", "unable", "rejected") and key.count(".") == 1


def judge(report: Report, table: str, key: str, new: Decimal) -> str:
    cells = dict(report.tables[table])
    original = cells[key].value
    cells[key] = Cell(new, str(new))
    tdef = templates()[report.meta.template].tables[table]
    found = repair.diagnose(tdef, cells)
    truth = repair.Repair((key,), (Fraction(original),))
    if len(found) != 1:
        return "wrong"
    if found[0].unique == truth:
        return "unique"
    if found[0].unique is None and truth in found[0].repairs:
        return "ambiguous"
    return "wrong"


def accuracy(reports: list[Report], cells: int, seed: int) -> dict[str, Counter]:
    rng = random.Random(seed)
    tally: dict[str, Counter] = defaultdict(Counter)
    for report in reports:
        keys = [
            (table, key)
            for table in ("t3", "t4")
            for key, cell in report.tables[table].items()
            if cell.value is not None
        ]
        for table, key in rng.sample(keys, min(cells, len(keys))):
            original = int(report.tables[table][key].value)
            new = rng.choice([v for v in range(61) if v != original])
            tally[group_of(table, key)][judge(report, table, key, Decimal(new))] += 1
    return tally


def check_time(reports: list[Report], ruleset: RuleSet, repeat: int) -> float:
    """CPU seconds of a whole check of the reports as YAML files (read, build, evaluate)."""
    import tempfile

    from checker.run.pipeline import check_file
    from checker.testing.renderers import render_yaml

    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, data in enumerate(_DATA):
            path = Path(folder) / f"{index:04d}.yaml"
            path.write_text(render_yaml(data), "utf-8")
            paths.append(path)
        best = float("inf")
        for _ in range(repeat):
            start = time.process_time()
            for path in paths:
                check_file(path, ruleset)
            best = min(best, time.process_time() - start)
    return best


_DATA: list[dict] = []


def timing(reports: list[Report], ruleset: RuleSet, repeat: int) -> list[tuple[str, float, float]]:
    diag = RuleSet(ruleset.name, [r for r in ruleset.rules if r.id == "DIAG-001"])
    broken = []
    rng = random.Random(1)
    for report in reports:
        copy = Report(report.meta, report.sections, dict(report.tables), report.preamble)
        copy.tables["t3"] = dict(report.tables["t3"])
        key = rng.choice(sorted(k for k, c in copy.tables["t3"].items() if c.value is not None))
        copy.tables["t3"][key] = Cell(copy.tables["t3"][key].value + 1)
        broken.append(copy)
    rows = []
    for name, batch in (("valid reports", reports), ("one table-3 cell changed", broken)):
        full = min(_time(batch, ruleset) for _ in range(repeat))
        alone = min(_time(batch, diag) for _ in range(repeat))
        rows.append((name, full, alone))
    return rows


def _time(reports: list[Report], ruleset: RuleSet) -> float:
    """CPU seconds (the machine is shared: wall time measures the neighbours too)."""
    start = time.process_time()
    for report in reports:
        evaluate(report, ruleset)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--cells", type=int, default=12, help="cells changed per report")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    # hypothesis draws some reports twice: draw more, keep the first N distinct
    _DATA[:] = corpus.draw_pool(args.reports + args.reports // 5 + 10)[: args.reports]
    reports = [build_report(data) for data in _DATA]
    tally = accuracy(reports, args.cells, args.seed)
    total: Counter = Counter()
    print(f"{len(reports)} reports, {args.cells} single-cell changes each (tables 3 and 4)\n")
    print(
        f"{'row group':<28}{'changes':>9}{'unique':>9}{'ambiguous':>11}{'wrong':>7}{'unique %':>10}"
    )
    for group in sorted(tally):
        counts = tally[group]
        total.update(counts)
        n = sum(counts.values())
        print(
            f"{group:<28}{n:>9}{counts['unique']:>9}{counts['ambiguous']:>11}"
            f"{counts['wrong']:>7}{100 * counts['unique'] / n:>9.1f}%"
        )
    n = sum(total.values())
    print(
        f"{'all':<28}{n:>9}{total['unique']:>9}{total['ambiguous']:>11}"
        f"{total['wrong']:>7}{100 * total['unique'] / n:>9.1f}%\n"
    )
    ruleset = default_ruleset()
    whole = check_time(reports, ruleset, args.repeat) / len(reports)
    print(f"CPU time per report; whole check (read YAML + all rules): {1000 * whole:.2f} ms\n")
    print(f"{'':<28}{'all rules':>12}{'DIAG-001':>12}{'of rules':>10}{'of check':>10}")
    for name, full, alone in timing(reports, ruleset, args.repeat):
        n = len(reports)
        print(
            f"{name:<28}{1000 * full / n:>9.2f} ms{1000 * alone / n:>9.2f} ms"
            f"{100 * alone / full:>9.1f}%{100 * alone / n / whole:>9.1f}%"
        )


if __name__ == "__main__":
    main()
