"""gitlab — GitLab Code Quality report (a JSON array in the Code Climate issue format).

Use it as a ``codequality`` report artifact and GitLab shows the findings in
the merge request widget and the diff::

    nianbao check reports/ --format gitlab -o gl-code-quality-report.json

Each finding becomes one object with the fields GitLab documents:

- ``description``: the message (``--lang`` language);
- ``check_name``: the rule code (``T3-002``);
- ``fingerprint``: our fingerprint (rule + report + pointer), unique per finding
  and stable when lines move, so GitLab can tell new issues from old ones;
- ``severity``: error → ``major``, warning → ``minor``, info → ``info``
  (Code Quality's scale is info, minor, major, critical, blocker); a file that
  could not be read or a rule that could not be evaluated is ``blocker``;
- ``location.path``: relative to the working directory (run from the
  repository root), forward slashes; ``location.lines.begin``: the line, or 1
  when the finding has no line (GitLab requires one).

``type: "issue"`` and ``categories: ["Bug Risk"]`` are added for tools that
read the Code Climate format. Output is in input order, without timestamps.

The format has no place for what a rule could not check (a blank cell, an unknown
date): it is not an issue in the report. So that it is not lost, the job log gets the
console's one line about it on stderr (:func:`publish`), unless the console format is
written in the same run.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from checker import skips
from checker.findings import Finding, fingerprint
from checker.reporters import Run
from checker.reporters._common import display_path, pick
from checker.writer import to_json

FORMAT = "gitlab"

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def _issue(
    check: str, description: str, digest: str, severity: str, path: str, line: int
) -> dict[str, Any]:
    return {
        "type": "issue",
        "description": description,
        "check_name": check,
        "categories": ["Bug Risk"],
        "fingerprint": digest,
        "severity": severity,
        "location": {"path": display_path(path), "lines": {"begin": line}},
    }


def _finding(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    return _issue(
        finding.rule,
        finding.message,
        finding.fingerprint,
        SEVERITY.get(finding.severity, "minor"),
        loc.path,
        loc.line or 1,
    )


def document(run: Run) -> list[dict[str, Any]]:
    issues = [_finding(f) for f in run.findings]
    for result in run.results:
        if result.error:
            issues.append(
                _issue(
                    "nianbao/unreadable",
                    result.error,
                    fingerprint("nianbao/unreadable", result.path, ""),
                    "blocker",
                    result.path,
                    1,
                )
            )
        for outcome in result.outcomes:
            if outcome.outcome == "error":
                issues.append(
                    _issue(
                        outcome.rule,
                        pick(
                            run.lang,
                            f"规则 {outcome.rule} 无法评估：{outcome.reason}",
                            f"rule {outcome.rule} could not be evaluated: {outcome.reason}",
                        ),
                        fingerprint(outcome.rule, result.path, "", "evaluation-error"),
                        "blocker",
                        result.path,
                        1,
                    )
                )
    return issues


def render(run: Run) -> str:
    return to_json(document(run))


def publish(run: Run, environ: Mapping[str, str]) -> None:
    """Say in the job log what the rules could not check: the report has no place for it."""
    skipped = skips.summary_line(run.tally().skipped, run.lang)
    if skipped and "console" not in run.extra.get("formats", ()):
        hint = pick(
            run.lang,
            "（Code Quality 报告无处记载；逐项用 --show-skipped 或 -f json）",
            " (Code Quality has no place for this; --show-skipped or -f json lists each)",
        )
        sys.stderr.write(f"nianbao: {skipped}{hint}\n")
