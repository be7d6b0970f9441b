"""Render → extract round trip of `nianbao render` on generated reports (issue 16's acceptance).

For each template, N reports are drawn by ``checker.testing.strategies``
(derandomized: the same reports on every run), rendered by
``checker.authoring`` to DOCX, HTML, PDF and Markdown, and read back by the
project's own readers (``checker.sources.read_report``, as ``nianbao extract``
does). A report passes a format when its tables 2–4 (every cell's value) and
its section numbers, titles and texts come back exactly and the reader
reported no extraction problem (``checker.testing.report_differences`` with
no metadata fields); the title, year and publication date read back are
counted separately.

    nice -n 19 python benchmarks/roundtrip.py            # 200 reports per template
    python benchmarks/roundtrip.py --reports 20 --formats .pdf

Prints one table: per template and format the reports that came back
identical, the failures (the first differences of each are printed above the
table), and the mean render and read time per report.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

from checker.authoring.render import render_data
from checker.sources import read_report
from checker.testing import build_report, report_differences, reports

FORMATS = (".docx", ".html", ".pdf", ".md")
META = ("title", "year", "published")


def run(template: str, count: int, formats: tuple[str, ...]) -> dict:
    tally: dict = defaultdict(lambda: defaultdict(float))
    drawn = [0]

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(reports(template=template))
    def one(data: dict) -> None:
        drawn[0] += 1
        expected = build_report(data)
        with tempfile.TemporaryDirectory() as folder:
            for suffix in formats:
                start = time.perf_counter()
                document = render_data(data, expected, suffix)
                rendered = time.perf_counter()
                path = Path(folder) / f"report{suffix}"
                path.write_bytes(document if isinstance(document, bytes) else document.encode())
                actual = read_report(path)
                done = time.perf_counter()
                row = tally[suffix]
                row["render"] += rendered - start
                row["read"] += done - rendered
                problems = report_differences(expected, actual, ())
                if problems:
                    row["failed"] += 1
                    print(f"{template} {suffix} #{drawn[0]}: {problems[:3]}", file=sys.stderr)
                else:
                    row["identical"] += 1
                if not report_differences(expected, actual, META):
                    row["meta"] += 1

    one()
    return {"reports": drawn[0], "formats": tally}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=200, help="reports per template")
    parser.add_argument("--templates", nargs="*", default=["2019", "2021"])
    parser.add_argument("--formats", nargs="*", default=list(FORMATS))
    args = parser.parse_args()
    lines = [
        "| template | format | reports | identical tables + sections | failed | title/year/date too | render s/report | read s/report |",
        "|---|---|---|---|---|---|---|---|",
    ]
    failed = 0
    for template in args.templates:
        result = run(template, args.reports, tuple(args.formats))
        n = result["reports"]
        for suffix in args.formats:
            row = result["formats"][suffix]
            failed += int(row["failed"])
            lines.append(
                f"| {template} | {suffix} | {n} | {int(row['identical'])} | {int(row['failed'])} "
                f"| {int(row['meta'])} | {row['render'] / n:.2f} | {row['read'] / n:.2f} |"
            )
    print("\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
