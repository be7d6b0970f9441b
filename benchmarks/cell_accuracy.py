"""Per-file cell accuracy of tables 3 and 4 against hand transcriptions, and the findings that matter.

    python benchmarks/cell_accuracy.py CORPUS_DIR [CORPUS_DIR...] [--misses]

For every ``<name>.expected.json`` in a folder, each source file of the same stem
(``.txt .html .md .pdf .docx``) is read and checked with the national rules. Printed per
file: cells read exactly / cells transcribed, and the codes that would be false alarms on
a report whose table is on the page (STR-001, STR-004) or on a consistent report
(error-severity T3-/T4-), plus every EXT- code. ``--misses`` lists the wrong cells.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from decimal import Decimal
from pathlib import Path

SOURCES = (".txt", ".html", ".md", ".pdf", ".docx")


def expected(path: Path) -> dict[str, dict[str, Decimal | None]]:
    raw = json.loads(path.read_text("utf-8"))
    return {
        table: {k: None if v is None else Decimal(str(v)) for k, v in raw.get(table, {}).items()}
        for table in ("t3", "t4")
    }


def measure(source: Path, want: dict[str, dict[str, Decimal | None]], ruleset: object) -> dict:
    from checker.run.pipeline import check_file

    started = time.perf_counter()
    result = check_file(source, ruleset, keep_report=True)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    if result.error or result.report is None:
        return {"error": result.error, "right": 0, "total": sum(map(len, want.values()))}
    tables = result.report.tables
    wrong = []
    right = total = 0
    for table, cells in want.items():
        for key, value in cells.items():
            total += 1
            cell = tables.get(table, {}).get(key)
            got = "absent" if cell is None else cell.value
            if got == value:
                right += 1
            else:
                wrong.append(f"{table}.{key}: want {value} got {got}")
    codes = sorted(
        {
            f"{f.rule}({f.severity[0]})"
            for f in result.findings
            if f.rule in ("STR-001", "STR-003", "STR-004")
            or f.rule.startswith("EXT-")
            or (f.rule.startswith(("T3-", "T4-")) and f.severity == "error")
        }
    )
    return {"right": right, "total": total, "wrong": wrong, "codes": codes, "seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--misses", action="store_true", help="list every wrong cell")
    args = parser.parse_args(argv)
    from checker.engine.ruleset import default_ruleset

    ruleset = default_ruleset()
    grand_right = grand_total = 0
    for folder in args.folders:
        for exp in sorted(folder.glob("*.expected.json")):
            stem = exp.name.removesuffix(".expected.json")
            want = expected(exp)
            sources = [p for p in sorted(folder.glob(f"{stem}.*")) if p.suffix in SOURCES]
            for source in sources:
                row = measure(source, want, ruleset)
                grand_right += row["right"]
                grand_total += row["total"]
                share = 100 * row["right"] / row["total"] if row["total"] else 100.0
                if row.get("error"):
                    print(f"{source}: ERROR {row['error']}")
                    continue
                print(
                    f"{source.name:32} {row['right']:4}/{row['total']:<4} {share:6.1f}%  "
                    f"{row['seconds']:6.2f}s  {' '.join(row['codes'])}"
                )
                if args.misses:
                    for miss in row["wrong"]:
                        print(f"    {miss}")
    share = 100 * grand_right / grand_total if grand_total else 100.0
    print(f"{'all':32} {grand_right:4}/{grand_total:<4} {share:6.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
