"""Output formats, one module per format, all behind one interface.

A reporter module defines ``FORMAT`` (its ``--format`` name) and
``render(run: Run) -> str``. The CLI writes the text to stdout or, atomically,
to the ``--output`` file. To add a format, add a module and list it in
``REPORTERS``; modules are imported only when their format is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

from checker.engine.ruleset import RuleSet
from checker.findings import SEVERITIES, FileResult

REPORTERS: dict[str, str] = {
    "console": "checker.reporters.console",
    "json": "checker.reporters.json_report",
}


@dataclass(slots=True)
class Run:
    """One invocation's results, in input order, with what reporters need to describe them."""

    results: list[FileResult]
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
