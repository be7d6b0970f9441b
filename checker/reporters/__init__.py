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

from collections import Counter
from collections.abc import Mapping, Sequence
from importlib import import_module

from msgspec import Struct, field

from checker.engine.ruleset import RuleSet
from checker.findings import SEVERITIES, FileResult, Finding
from checker.skips import outcome_skips

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


class Tally(Struct, frozen=True):
    """What every format summarises, gathered in one pass over the results."""

    files: int
    unreadable: int
    suppressed: int
    baselined: int
    counts: dict[str, int]
    findings: list[Finding]
    errors: list[dict[str, str]]
    # rule -> reason -> how many things it could not check (checker/skips.py)
    skipped: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def not_applicable(self) -> int:
        return sum(sum(reasons.values()) for reasons in self.skipped.values())


def tally(results: Sequence[FileResult]) -> Tally:
    counts = dict.fromkeys(SEVERITIES, 0)
    findings: list[Finding] = []
    unreadable: list[dict[str, str]] = []
    unevaluated: list[dict[str, str]] = []
    files = suppressed = baselined = 0
    skipped: dict[str, Counter[str]] = {}
    for result in results:
        files += 1
        suppressed += result.suppressed
        baselined += result.baselined
        if result.error:
            unreadable.append({"path": result.path, "message": result.error})
        for finding in result.findings:
            counts[finding.severity] += 1
            findings.append(finding)
        for rule, skip in outcome_skips(result.outcomes):
            skipped.setdefault(rule, Counter())[skip.reason] += 1
        unevaluated += (
            {"path": result.path, "message": f"rule {o.rule} could not be evaluated: {o.reason}"}
            for o in result.outcomes
            if o.outcome == "error"
        )
    return Tally(
        files,
        len(unreadable),
        suppressed,
        baselined,
        counts,
        findings,
        unreadable + unevaluated,
        skipped,
    )


class Run(Struct):
    """One invocation's results, in input order, with what reporters need to describe them.

    The results may be a spool read back from disk: formats go through them
    once to draw them and take every total from :meth:`tally` (one pass, kept).
    """

    results: Sequence[FileResult]  # a list, or the spool of a batch run (checker/run/spool.py)
    ruleset: RuleSet
    lang: str = "zh"
    color: bool = False
    extra: dict = field(default_factory=dict)
    totals: Tally | None = None

    def tally(self) -> Tally:
        if self.totals is None:
            self.totals = tally(self.results)
        return self.totals

    @property
    def findings(self) -> list[Finding]:
        return self.tally().findings

    def counts(self) -> dict[str, int]:
        return dict(self.tally().counts)

    def errors(self) -> list[dict[str, str]]:
        return list(self.tally().errors)


def render(fmt: str, run: Run) -> str:
    module = import_module(REPORTERS[fmt])
    return module.render(run)


def publish(fmt: str, run: Run, environ: Mapping[str, str]) -> None:
    """Side outputs a format writes besides its text (github: the job summary), if any."""
    module = import_module(REPORTERS[fmt])
    if hasattr(module, "publish"):
        module.publish(run, environ)
