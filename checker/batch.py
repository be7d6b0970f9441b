"""Check many files: in parallel processes, in input order, then the cross-report pass.

``run_checks`` checks each file (``--jobs N`` worker processes given files in
chunks of ``CHUNK``, or in this process for one job). Each check gives back
the findings, the rule outcomes, the file's suppressions and a summary for the
cross-report (``XY-``) rules — the report itself only when a reporter draws
it (html) — pickled once and kept in a :class:`~checker.spool.Spool`, so
memory does not grow with the number of files: a national run of 100,000
reports holds an offset and a key hash per file, not the results.
Results come back in the order of the input files whatever the order the
workers finish in, so ``--jobs 2`` and ``--jobs 1`` give identical output.

A file that cannot be read becomes an error result (exit code 2); the other
files are still checked. So does a file on which the checker itself failed:
a bug in one file never stops a batch, and never passes silently.

Then :func:`finish` goes through the spooled results once, in order: the
cross-report rules on each report and last year's reports of its agency
(found through a ``crossyear.PairIndex``), suppressions over their findings,
suppressions that hid nothing (``SUP-002``), then the ``each`` hooks (the
baseline), and spools the finished result for the reporters. A progress bar
is drawn on stderr when it is a terminal and more than ``PROGRESS_MIN_FILES``
files are checked.
"""

from __future__ import annotations

import pickle
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from checker import crossyear, suppressions
from checker.config import Settings, full_ruleset, ruleset_for, suppress_entries_for
from checker.crossyear import YearSummary
from checker.engine.evaluate import evaluate
from checker.engine.ruleset import RuleSet
from checker.errors import InputError
from checker.findings import FileResult, Finding, RuleOutcome
from checker.pickling import compact_pickle
from checker.pipeline import load
from checker.spool import Spool
from checker.suppressions import Suppression

PROGRESS_MIN_FILES = 5
WINDOW_PER_JOB = 4  # chunks in flight per worker: enough to keep workers busy, bounded memory
CHUNK = 8  # files per task sent to a worker: fewer round trips, results still in order


@dataclass(frozen=True, slots=True)
class Task:
    path: str
    settings: Settings
    keep_report: bool = False


@compact_pickle
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


def _key(item: Checked) -> tuple[str, int] | None:
    return item.summary.key if item.summary is not None and not item.result.error else None


Packed = tuple["tuple[str, int] | None", bytes]  # (cross-year key, pickled Checked)


def _pack(item: Checked) -> Packed:
    return _key(item), pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)


def check_chunk(tasks: list[Task]) -> list[Packed]:
    """Check a few files in a worker; results go back pickled once, straight into the spool."""
    return [_pack(check_one(task)) for task in tasks]


def _chunks(tasks: Iterable[Task], size: int) -> Iterator[list[Task]]:
    it = iter(tasks)
    while chunk := list(islice(it, size)):
        yield chunk


def _in_parallel(tasks: Iterable[Task], jobs: int, size: int) -> Iterator[Packed]:
    """Results in input order; at most `jobs` × WINDOW_PER_JOB chunks in flight."""
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        window: deque[tuple[list[Task], Future[list[Packed]] | BaseException]] = deque()

        def submit(chunk: list[Task]) -> None:
            try:
                window.append((chunk, pool.submit(check_chunk, chunk)))
            except (BrokenProcessPool, RuntimeError) as exc:
                window.append((chunk, exc))

        pending = _chunks(tasks, size)
        for chunk in islice(pending, jobs * WINDOW_PER_JOB):
            submit(chunk)
        while window:
            chunk, future = window.popleft()
            if isinstance(future, BaseException):
                problem = f"internal error: worker pool stopped: {future}"
                yield from (_pack(_failed(task, problem)) for task in chunk)
            else:
                try:
                    yield from future.result()
                except BrokenProcessPool as exc:
                    problem = f"internal error: a worker process stopped: {exc}"
                    yield from (_pack(_failed(task, problem)) for task in chunk)
            following = next(pending, None)
            if following is not None:
                submit(following)


def _checked(tasks: Iterator[Task], jobs: int, count: int | None) -> Iterator[Packed]:
    """Packed results in input order: here for one job or one file, else in `jobs` workers."""
    ahead = list(islice(tasks, jobs * WINDOW_PER_JOB * CHUNK))  # enough to size the chunks
    if jobs <= 1 or len(ahead) <= 1:
        return (_pack(check_one(task)) for task in chain(ahead, tasks))
    known = max(len(ahead), count or 0)
    size = max(1, min(CHUNK, known // (jobs * WINDOW_PER_JOB)))  # small runs: all workers busy
    return _in_parallel(chain(ahead, tasks), min(jobs, len(ahead)), size)


def show_progress(count: int, stream=None) -> bool:
    stream = stream or sys.stderr
    return count > PROGRESS_MIN_FILES and hasattr(stream, "isatty") and stream.isatty()


def _progress():
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
    files: Iterable[Path],
    settings: Settings,
    keep_reports: bool = False,
    progress: bool | None = None,
    each: Iterable[Callable[[FileResult], None]] = (),
    count: int | None = None,
) -> Spool[FileResult]:
    """Every file's finished result, in the order of `files`, spooled (``checker/spool.py``).

    `files` may be a lazy walk (``discovery.walk``): it is consumed as the checks
    go, never listed. `count`, when known, sizes the progress bar (and decides,
    with `progress` None, whether to draw one). `each` are called on every
    finished result in order before it is spooled (the baseline recorder and
    filter): the only place a result may be changed.
    """
    if isinstance(files, list) and count is None:
        count = len(files)
    tasks = (Task(str(path), settings, keep_reports) for path in files)
    if progress is None:
        progress = count is not None and show_progress(count)
    checked: Spool[Checked] = Spool()
    index = crossyear.PairIndex()
    bar = _progress() if progress else None
    with bar or nullcontext():
        task_id = bar.add_task("check", total=count) if bar else None
        for position, (key, data) in enumerate(_checked(tasks, settings.jobs, count)):
            checked.append_pickled(data)
            index.add(position, key)
            if bar is not None:
                bar.advance(task_id)  # type: ignore[arg-type]
                bar.refresh()
    index.freeze()
    try:
        return finish(checked, index, settings, tuple(each))
    finally:
        checked.close()


def finish(
    checked: Spool[Checked],
    index: crossyear.PairIndex,
    settings: Settings,
    each: tuple[Callable[[FileResult], None], ...] = (),
) -> Spool[FileResult]:
    """The cross-report rules, then suppressions over their findings and the unused ones."""
    known = [rule.id for rule in full_ruleset(settings).rules]
    finished: Spool[FileResult] = Spool()
    for item in checked:
        cross = None
        if item.summary is not None and not item.result.error:
            cross = crossyear.cross_results(
                item.summary,
                _previous(item.summary, checked, index),
                lambda path: ruleset_for(settings, path),
                settings.lang,
            )
        result = _finish_one(item, cross, settings, known)
        for hook in each:
            hook(result)
        finished.append(result)
    return finished


def _previous(summary: YearSummary, checked: Spool[Checked], index: crossyear.PairIndex):
    """The summaries of the same agency for the year before, in input order."""
    if summary.key is None:
        return []
    wanted = (summary.key[0], summary.key[1] - 1)
    found = (checked[position].summary for position in index.find(wanted))
    return [other for other in found if other is not None and other.key == wanted]


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
