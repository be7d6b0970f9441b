"""Output formats, one module per format, all behind one interface.

A reporter module defines ``FORMAT`` (its ``--format`` name) and
``render(run: Run) -> str``. The CLI writes the text to stdout or, atomically,
to the ``--output`` file. To add a format, add a module and list it in
``REPORTERS``; modules are imported only when their format is asked for.
A module may also define ``publish(run, environ)`` for side outputs (the
github format appends to ``$GITHUB_STEP_SUMMARY``); formats in
``NEEDS_REPORTS`` need ``FileResult.report`` (``check_file(keep_report=True)``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import import_module

from checker.engine.ruleset import RuleSet
from checker.findings import SEVERITIES, FileResult

REPORTERS: dict[str, str] = {
    "console": "checker.reporters.console",
    "json": "checker.reporters.json_report",
    "sarif": "checker.reporters.sarif",
    "junit": "checker.reporters.junit",
    "github": "checker.reporters.github",
    "gitlab": "checker.reporters.gitlab",
    "markdown": "checker.reporters.markdown",
    "html": "checker.reporters.html",
}
# formats that draw the reports themselves: only then does a run keep each Report in memory
NEEDS_REPORTS = frozenset({"html"})


@dataclass(slots=True)
class Run:
    """One invocation's results, in input order, with what reporters need to describe them."""

    results: Sequence[FileResult]  # a list, or the spool of a batch run (checker/spool.py)
    ruleset: RuleSet
    lang: str = "zh"
    color: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def findings(self):
        return [f for r in self.results for f in r.findings]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    def errors(self) -> list[dict[str, str]]:
        out = [{"path": r.path, "message": r.error} for r in self.results if r.error]
        for result in self.results:
            for outcome in result.outcomes:
                if outcome.outcome == "error":
                    out.append(
                        {
                            "path": result.path,
                            "message": f"rule {outcome.rule} could not be evaluated: {outcome.reason}",
                        }
                    )
        return out


def render(fmt: str, run: Run) -> str:
    module = import_module(REPORTERS[fmt])
    return module.render(run)


def publish(fmt: str, run: Run, environ: Mapping[str, str]) -> None:
    """Side outputs a format writes besides its text (github: the job summary), if any."""
    module = import_module(REPORTERS[fmt])
    if hasattr(module, "publish"):
        module.publish(run, environ)
