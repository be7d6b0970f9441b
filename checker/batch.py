"""Check many files: in parallel processes, in input order, then the cross-report pass.

``run_checks`` checks each file (``--jobs N`` worker processes, or in this
process for one job) and yields nothing until all are done, but never holds
more than the per-file results: each worker sends back the findings, the rule
outcomes, the file's suppressions and a small summary for the cross-report
(``XY-``) rules — the report itself only when a reporter draws it (html).
Results come back in the order of the input files whatever the order the
workers finish in, so ``--jobs 2`` and ``--jobs 1`` give identical output.

A file that cannot be read becomes an error result (exit code 2); the other
files are still checked. So does a file on which the checker itself failed:
a bug in one file never stops a batch, and never passes silently.

Then the cross-report pass pairs the summaries (``checker/crossyear.py``),
suppressions are applied to its findings too, and suppressions that hid
nothing are reported (``SUP-002``). A progress bar is drawn on stderr when it
is a terminal and more than ``PROGRESS_MIN_FILES`` files are checked.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from checker import crossyear, suppressions
from checker.config import Settings, full_ruleset, ruleset_for, suppress_entries_for
from checker.crossyear import YearSummary
from checker.engine.evaluate import evaluate
from checker.engine.ruleset import RuleSet
from checker.errors import InputError
from checker.findings import FileResult, Finding, RuleOutcome
from checker.pipeline import load
from checker.suppressions import Suppression

PROGRESS_MIN_FILES = 5
WINDOW_PER_JOB = 4  # tasks in flight per worker: enough to keep workers busy, bounded memory


@dataclass(frozen=True, slots=True)
class Task:
    path: str
    settings: Settings
    keep_report: bool = False


@dataclass(slots=True)
class Checked:
    """What checking one file gives back to the run."""

    result: FileResult
    summary: YearSummary | None = None
    suppressions: list[Suppression] = field(default_factory=list)


def check_one(task: Task) -> Checked:
    """Check one file (in a worker process or in this one)."""
    shown = Path(task.path).as_posix()
    try:
        return _check(task, shown)
    except InputError as exc:
        return Checked(FileResult(path=shown, error=exc.message))
    except (RecursionError, MemoryError) as exc:
        return Checked(FileResult(path=shown, error=f"cannot read: {type(exc).__name__}"))
    except Exception as exc:  # a checker bug on one file must not stop the batch
        return Checked(FileResult(path=shown, error=f"internal error: {type(exc).__name__}: {exc}"))


def _check(task: Task, shown: str) -> Checked:
    settings = task.settings
    path = Path(task.path)
    ruleset = ruleset_for(settings, shown)
    report = load(path, settings.overrides, display=shown)
    settings.metadata.fill(report)
    found = suppressions.in_source(path, shown) + suppressions.from_entries(
        suppress_entries_for(settings, shown), settings.config_path or ""
    )
    report.diagnostics.extend(suppressions.malformed(found))
    findings, outcomes = evaluate(report, ruleset, settings.lang, report_id=shown)
    kept, hidden = suppressions.apply(findings, found)
    needs = crossyear.needs_of(ruleset.rules, report.meta.template)
    meta = report.meta
    return Checked(
        FileResult(
            path=shown,
            findings=kept,
            outcomes=outcomes,
            template=meta.template,
            year=meta.year,
            agency=meta.agency,
            report=report if task.keep_report else None,
            suppressed=hidden,
        ),
        crossyear.summarize(report, needs) if needs else None,
        found,
    )


def _failed(task: Task, problem: str) -> Checked:
    return Checked(FileResult(path=Path(task.path).as_posix(), error=problem))


def _outcome(task: Task, future: Future[Checked] | BaseException) -> Checked:
    if isinstance(future, BaseException):
        return _failed(task, f"internal error: worker pool stopped: {future}")
    try:
        return future.result()
    except BrokenProcessPool as exc:
        return _failed(task, f"internal error: a worker process stopped: {exc}")


def _in_parallel(tasks: list[Task], jobs: int) -> Iterator[Checked]:
    """Results in input order; at most `jobs` × WINDOW_PER_JOB tasks in flight."""
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        window: deque[tuple[Task, Future[Checked] | BaseException]] = deque()

        def submit(task: Task) -> None:
            try:
                window.append((task, pool.submit(check_one, task)))
            except (BrokenProcessPool, RuntimeError) as exc:
                window.append((task, exc))

        pending = iter(tasks)
        for task in islice(pending, jobs * WINDOW_PER_JOB):
            submit(task)
        while window:
            task, future = window.popleft()
            yield _outcome(task, future)
            following = next(pending, None)
            if following is not None:
                submit(following)


def _checked(tasks: list[Task], jobs: int) -> Iterator[Checked]:
    if jobs <= 1 or len(tasks) <= 1:
        return map(check_one, tasks)
    return _in_parallel(tasks, min(jobs, len(tasks)))


def show_progress(count: int, stream=None) -> bool:
    stream = stream or sys.stderr
    return count > PROGRESS_MIN_FILES and hasattr(stream, "isatty") and stream.isatty()


def _progress(count: int):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    # no auto-refresh thread: worker processes may be forked while the bar is drawn
    return Progress(
        TextColumn("nianbao"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        auto_refresh=False,
    )


def run_checks(
    files: list[Path], settings: Settings, keep_reports: bool = False, progress: bool | None = None
) -> list[FileResult]:
    """Every file's result, in the order of `files`."""
    tasks = [Task(str(path), settings, keep_reports) for path in files]
    if progress is None:
        progress = show_progress(len(tasks))
    checked: list[Checked] = []
    bar = _progress(len(tasks)) if progress else None
    with bar or nullcontext():
        task_id = bar.add_task("check", total=len(tasks)) if bar else None
        for item in _checked(tasks, settings.jobs):
            checked.append(item)
            if bar is not None:
                bar.advance(task_id)  # type: ignore[arg-type]
                bar.refresh()
    return finish(checked, settings)


def finish(checked: list[Checked], settings: Settings) -> list[FileResult]:
    """The cross-report pass, then suppressions over its findings and the unused ones."""
    cross = crossyear.cross_year_pass(
        [item.summary for item in checked if item.summary is not None and not item.result.error],
        lambda path: ruleset_for(settings, path),
        settings.lang,
    )
    known = [rule.id for rule in full_ruleset(settings).rules]
    return [_finish_one(item, cross.get(item.result.path), settings, known) for item in checked]


def _replace_outcomes(outcomes: list[RuleOutcome], new: list[RuleOutcome]) -> list[RuleOutcome]:
    by_rule = {outcome.rule: outcome for outcome in new}
    return [by_rule.get(outcome.rule, outcome) for outcome in outcomes]


def _finish_one(
    item: Checked,
    cross: tuple[list[Finding], list[RuleOutcome]] | None,
    settings: Settings,
    known: list[str],
) -> FileResult:
    result = item.result
    if result.error:
        return result
    if cross is not None:
        found, outcomes = cross
        kept, hidden = suppressions.apply(found, item.suppressions)
        result.findings.extend(kept)
        result.suppressed += hidden
        result.outcomes = _replace_outcomes(result.outcomes, outcomes)
    evaluated = {o.rule for o in result.outcomes if o.outcome in ("pass", "fail")}
    stale = suppressions.unused(item.suppressions, evaluated, known)
    if stale:
        ruleset = ruleset_for(settings, result.path)
        codes = {d.code for d in stale}
        subset = RuleSet(ruleset.name, [r for r in ruleset.rules if r.id in codes])
        found, outcomes = evaluate(
            suppressions.report_with(result.path, stale), subset, settings.lang, result.path
        )
        result.findings.extend(found)
        result.outcomes = _replace_outcomes(result.outcomes, outcomes)
    result.findings.sort(key=Finding.sort_key)
    return result
