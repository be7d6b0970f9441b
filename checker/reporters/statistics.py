"""statistics — counts per rule, for ``nianbao check --statistics`` (like ``ruff --statistics``).

One line per rule with findings, most frequent first (then by code): the
count, the rule code, the severities seen and the rule's title; then a total
line; then, the same way, what each rule could not check (blank cells, unknown
dates: checker/skips.py) and its total. ``--statistics`` prints this instead of the findings on stdout; formats
given with ``-o`` are still written to their files.
"""

from __future__ import annotations

from rich.cells import cell_len

from checker import skips
from checker.reporters import Run
from checker.reporters._common import counts_per_rule, pick, severity_label


def render(run: Run) -> str:
    rows = counts_per_rule(run.findings)
    rows.sort(key=lambda row: (-sum(row[2].values()), row[0]))
    skipped = run.tally().skipped
    width = max(
        [len(str(sum(r[2].values()))) for r in rows]
        + [len(str(sum(reasons.values()))) for reasons in skipped.values()],
        default=1,
    )
    code_width = max([len(r[0]) for r in rows] + [len(rule) for rule in skipped], default=0)
    lines = []
    for rule, title, by_severity in rows:
        severities = ",".join(severity_label(s, run.lang) for s in by_severity)
        padding = " " * max(8 - cell_len(severities), 0)  # CJK labels are two cells wide
        lines.append(
            f"{sum(by_severity.values()):>{width}}  {rule:<{code_width}}  {severities}{padding} {title}"
        )
    total = len(run.findings)
    lines.append(
        pick(
            run.lang,
            f"共 {total} 处问题，涉及 {len(rows)} 条规则",
            f"{total} finding(s) from {len(rows)} rule(s)",
        )
    )
    for rule in sorted(skipped, key=lambda r: (-sum(skipped[r].values()), r)):
        reasons = pick(run.lang, "、", "; ").join(
            skips.reason_text(reason, run.lang) + (f"×{n}" if n > 1 else "")
            for reason, n in sorted(skipped[rule].items())
        )
        lines.append(
            f"{sum(skipped[rule].values()):>{width}}  {rule:<{code_width}}  "
            + pick(run.lang, "未能核对：", "not checked: ")
            + reasons
        )
    if skipped:
        lines.append(
            pick(
                run.lang,
                f"共 {run.tally().not_applicable} 处未能核对，涉及 {len(skipped)} 条规则",
                f"{run.tally().not_applicable} item(s) not checked by {len(skipped)} rule(s)",
            )
        )
    return "\n".join(lines) + "\n"
