"""Check one file end to end: read -> (extract) -> evaluate. Pure of any output concerns."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from msgspec import Struct

from checker.engine.evaluate import evaluate
from checker.engine.ruleset import RuleSet
from checker.errors import InputError
from checker.findings import FileResult
from checker.model import Report
from checker.names import shown_name
from checker.run.budget import FileBudget, within
from checker.sources import read_report
from checker.sources.limits import Limits
from checker.templates import resolve_template


class MetaOverrides(Struct, frozen=True):
    """Metadata given on the command line or in config: it wins over what the file says."""

    year: int | None = None
    agency: str | None = None
    agency_kind: str | None = None
    published: date | None = None

    def apply(self, report: Report) -> None:
        meta = report.meta
        if self.year is not None:
            meta.year = self.year
            if not meta.template_evidence:  # only labels outrank the year in choosing a template
                meta.template = resolve_template(None, {}, meta.year)
        if self.agency is not None:
            meta.agency = self.agency
        if self.agency_kind is not None:
            meta.agency_kind = self.agency_kind
        if self.published is not None:
            meta.published = self.published


def load(
    path: Path,
    overrides: MetaOverrides | None = None,
    limits: Limits | None = None,
    display: str | None = None,
) -> Report:
    report = read_report(path, limits, display)
    if overrides:
        overrides.apply(report)
    return report


def check_file(
    path: Path,
    ruleset: RuleSet,
    lang: str = "zh",
    overrides: MetaOverrides | None = None,
    limits: Limits | None = None,
    display: str | None = None,
    keep_report: bool = False,
    file_budget: FileBudget | None = None,
) -> FileResult:
    from checker.readings import judge

    shown = display or shown_name(path.as_posix())
    try:
        with within(file_budget, shown):
            report = load(path, overrides, limits, shown)
            judge(report, ruleset, lang)  # EXT-005 readings weighed against the prose
            findings, outcomes = evaluate(report, ruleset, lang, report_id=shown)
    except InputError as exc:
        return FileResult(path=shown, error=exc.message)
    except (RecursionError, MemoryError) as exc:
        return FileResult(path=shown, error=f"cannot read: {type(exc).__name__}")
    return FileResult(
        path=shown,
        findings=findings,
        outcomes=outcomes,
        template=report.meta.template,
        year=report.meta.year,
        agency=report.meta.agency,
        report=report if keep_report else None,  # batch runs keep reports only when asked
    )
