"""A realistic run for the reporter tests: defective samples, a clean one, an unreadable file,
a rule that could not be evaluated and a finding without a line."""

from __future__ import annotations

from functools import cache

from msgspec.structs import replace

from checker.engine.ruleset import default_ruleset
from checker.findings import FileResult, Finding, Location, RuleOutcome, fingerprint
from checker.reporters import Run
from checker.run.pipeline import check_file

from .conftest import ROOT

SAMPLES = (
    "reports_samples/defects/t3-row-total.yaml",
    "reports_samples/defects/t4-block-total.yaml",
    "reports_samples/defects/text-t3-cell.txt",
    "reports_samples/haicang-gongxinju-2020.txt",
)
UNREADABLE = "/nonexistent-dir/broken.yaml"  # outside the repository: no relative path exists
BROKEN_RULE = "T2-001"


def unreadable_result() -> FileResult:
    return FileResult(path=UNREADABLE, error="line 2, column 1: YAML syntax error")


def lineless_finding(path: str) -> Finding:
    return Finding(
        rule="STR-004",
        severity="error",
        title="表二、表三、表四齐全",
        message="缺少表二",
        location=Location(path, "/tables/t2"),
        fingerprint=fingerprint("STR-004", path, "/tables/t2"),
    )


@cache
def sample_results(lang: str = "zh", keep_report: bool = True) -> tuple[FileResult, ...]:
    """Checked once per session; tests must not mutate them."""
    ruleset = default_ruleset()
    results = [
        check_file(ROOT / rel, ruleset, lang, display=rel, keep_report=keep_report)
        for rel in SAMPLES
    ]
    # a rule that could not be evaluated, and a finding that has no line
    clean = results[3]
    outcomes = [
        RuleOutcome(o.rule, "error", "ZeroDivisionError: boom") if o.rule == BROKEN_RULE else o
        for o in clean.outcomes
    ]
    # the real sample states no publication date (META-010): here it stands for a clean file
    results[3] = replace(
        clean, outcomes=outcomes, findings=[f for f in clean.findings if f.rule != "META-010"]
    )
    missing = results[1]
    results[1] = replace(missing, findings=[*missing.findings, lineless_finding(missing.path)])
    return (*results, unreadable_result())


def sample_run(lang: str = "zh") -> Run:
    return Run(list(sample_results(lang)), default_ruleset(), lang)
