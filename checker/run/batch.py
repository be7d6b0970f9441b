"""Check many files: in parallel processes, in input order, then the cross-report pass.

``run_checks`` checks each file (``--jobs N`` worker processes given files in
chunks of ``CHUNK``, or in this process for one job) and finishes it as if no
report of the year before were among the checked files: the final result of
almost every file. That result, and a side record for the cross-report
(``XY-``) rules (the file's summary, and the unfinished check when the file
carries suppressions), come back pickled once (:class:`Packed`) and go
straight into :class:`~checker.run.spool.Spool` s, so memory does not grow with
the number of files: a national run of 100,000 reports holds a few arrays of
8-byte numbers per file, not the results. Results come back in the order of
the input files whatever the order the workers finish in, so ``--jobs 2`` and
``--jobs 1`` give identical output.

A file that cannot be read becomes an error result (exit code 2); the other
files are still checked. So does a file on which the checker itself failed:
a bug in one file never stops a batch, and never passes silently.

Then :func:`finish` goes through the files once, in order. A file whose
agency has a report of the year before among the checked files (found through
a ``crossyear.PairIndex``) is finished again with the cross-report rules run
on the pair, suppressions applied to their findings and judged again
(``SUP-002``); every other result is copied as it came. The ``each`` hooks
(the baseline) see every result before it is spooled for the reporters. A
progress bar is drawn on stderr when it is a terminal and more than
``PROGRESS_MIN_FILES`` files are checked.
"""

from __future__ import annotations

import pickle
import sys
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from functools import cache
from itertools import chain, islice
from pathlib import Path

from msgspec import Struct, field

from checker import readings
from checker.engine.evaluate import evaluate
from checker.engine.ruleset import RuleSet
from checker.errors import InputError
from checker.findings import FileResult, Finding, RuleOutcome
from checker.gate import crossyear, suppressions
from checker.gate.config import Settings, full_ruleset, ruleset_for, suppress_entries_for
from checker.gate.crossyear import YearSummary
from checker.gate.suppressions import Suppression
from checker.names import shown_name
from checker.run import budget
from checker.run.pipeline import load
from checker.run.spool import Spool

PROGRESS_MIN_FILES = 5
WINDOW_PER_JOB = 4  # chunks in flight per worker: enough to keep workers busy, bounded memory
CHUNK = 8  # files per task sent to a worker: fewer round trips, results still in order


class Task(Struct, frozen=True):
    path: str
    settings: Settings
    keep_report: bool = False


class Checked(Struct):
    """What checking one file gives back to the run."""

    result: FileResult
    summary: YearSummary | None = None
    suppressions: list[Suppression] = field(default_factory=list)


def check_one(task: Task) -> Checked:
    """Check one file (in a worker process or in this one)."""
    shown = shown_name(Path(task.path).as_posix())
    try:
        with budget.within(task.settings.budget, shown):
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
    real = path.as_posix()  # per-file settings match the real name
    ruleset = ruleset_for(settings, real)
    report = load(path, settings.overrides, display=shown)
    settings.metadata.fill(report)
    if settings.rollup:  # a roll-up report: its parts are read here, whatever --jobs is
        from checker.gate import rollup

        report.rollup = rollup.gather(settings, path)
    found = suppressions.in_source(path, shown) + suppressions.from_entries(
        suppress_entries_for(settings, real), settings.config_path or ""
    )
    report.diagnostics.extend(suppressions.malformed(found))
    readings.judge(report, ruleset, settings.lang)  # EXT-005: does the prose pick a reading?
    findings, outcomes = evaluate(report, ruleset, settings.lang, report_id=shown)
    report.rollup = None  # the parts' tables are not kept with the result
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
    return Checked(FileResult(path=shown_name(Path(task.path).as_posix()), error=problem))


def _key(item: Checked) -> tuple[str, int] | None:
    return item.summary.key if item.summary is not None and not item.result.error else None


class Packed(Struct, frozen=True):
    """One file's check as it travels from a worker into the spools, pickled once.

    ``result`` is the file's result finished as if no report of the year before
    were among the checked files: the final answer for almost every file, which
    the parent then copies without unpickling. ``side`` holds what the
    cross-report pass needs for the rest: the summary (a predecessor of other
    files, or a file with a predecessor) and, when the file carries
    suppressions, the unfinished check to finish again.
    """

    key: tuple[str, int] | None  # (normalised agency, year) when the cross-report rules apply
    side: bytes  # pickled (YearSummary | None, pickled unfinished Checked | None)
    result: bytes  # pickled FileResult


def _dump(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _pack(item: Checked, settings: Settings) -> Packed:
    key = _key(item)
    unfinished = _dump(item) if item.suppressions and key is not None else None
    side = _dump((item.summary if key is not None else None, unfinished))
    cross = None
    if item.summary is not None and not item.result.error:
        cross = _cross(item.summary, [], settings)
    known = _known_rules(settings)
    return Packed(key, side, _dump(_finish_one(item, cross, settings, known)))


@cache
def _known_rules(settings: Settings) -> tuple[str, ...]:
    return tuple(rule.id for rule in full_ruleset(settings).rules)


def _cross(summary: YearSummary, previous: list[YearSummary], settings: Settings):
    return crossyear.cross_results(
        summary, previous, lambda path: ruleset_for(settings, path), settings.lang
    )


def check_chunk(tasks: list[Task]) -> list[Packed]:
    """Check and finish a few files in a worker; the parent stores the bytes as they come."""
    return [_pack(check_one(task), task.settings) for task in tasks]


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
                yield from (_pack(_failed(task, problem), task.settings) for task in chunk)
            else:
                try:
                    yield from future.result()
                except BrokenProcessPool as exc:
                    problem = f"internal error: a worker process stopped: {exc}"
                    yield from (_pack(_failed(task, problem), task.settings) for task in chunk)
            following = next(pending, None)
            if following is not None:
                submit(following)


def _checked(tasks: Iterator[Task], jobs: int, count: int | None) -> Iterator[Packed]:
    """Packed results in input order: here for one job or one file, else in `jobs` workers."""
    ahead = list(islice(tasks, jobs * WINDOW_PER_JOB * CHUNK))  # enough to size the chunks
    if jobs <= 1 or len(ahead) <= 1:
        return (_pack(check_one(task), task.settings) for task in chain(ahead, tasks))
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
    """Every file's finished result, in the order of `files`, spooled (``checker/run/spool.py``).

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
    sides: Spool[tuple[YearSummary | None, bytes | None]] = Spool()
    alone: Spool[FileResult] = Spool()
    index = crossyear.PairIndex()
    wanted = array("q")  # per file: the hash of its predecessor's key (0: none)
    bar = _progress() if progress else None
    with bar or nullcontext():
        task_id = bar.add_task("check", total=count) if bar else None
        for position, packed in enumerate(_checked(tasks, settings.jobs, count)):
            sides.append_pickled(packed.side)
            alone.append_pickled(packed.result)
            index.add(position, packed.key)
            key = packed.key
            wanted.append(index.hash_of(crossyear.previous_key(key)) if key is not None else 0)
            if bar is not None:
                bar.advance(task_id)  # type: ignore[arg-type]
                bar.refresh()
    index.freeze()
    try:
        return finish(sides, alone, index, wanted, settings, tuple(each))
    finally:
        sides.close()
        alone.close()


def finish(
    sides: Spool[tuple[YearSummary | None, bytes | None]],
    alone: Spool[FileResult],
    index: crossyear.PairIndex,
    wanted: array,
    settings: Settings,
    each: tuple[Callable[[FileResult], None], ...] = (),
) -> Spool[FileResult]:
    """The results in order: as finished alone, or again with last year's reports of the agency.

    Only a file whose predecessor's key hash is among the checked files is
    unpickled here (and every file when an `each` hook must see it); the rest
    are copied as the worker pickled them.
    """
    finished: Spool[FileResult] = Spool()
    for position in range(len(alone)):
        result = None
        if wanted[position] and index.has_hash(wanted[position]):  # perhaps: _with_previous sees
            result = _with_previous(position, sides, alone, index, settings)
        if result is None and not each:
            finished.append_pickled(alone.pickled(position))
            continue
        if result is None:
            result = alone[position]
        for hook in each:
            hook(result)
        finished.append(result)
    return finished


def _with_previous(
    position: int,
    sides: Spool[tuple[YearSummary | None, bytes | None]],
    alone: Spool[FileResult],
    index: crossyear.PairIndex,
    settings: Settings,
) -> FileResult | None:
    """The file's result with the cross-report rules run against its predecessors; None if none."""
    summary, unfinished = sides[position]
    if summary is None or summary.key is None:
        return None
    key = crossyear.previous_key(summary.key)
    found = (sides[other][0] for other in index.find(key))
    previous = [
        other
        for other in found
        if other is not None
        and other.key == key
        and crossyear.same_agency(other.agency, summary.agency)
    ]
    if not previous:
        return None  # only the hash matched
    cross = _cross(summary, previous, settings)
    if unfinished is not None:  # suppressions: apply them to the new findings, judge them again
        result = _finish_one(pickle.loads(unfinished), cross, settings, _known_rules(settings))
        _readings(result, summary, previous, settings)
        return result
    result = alone[position]
    _readings(result, summary, previous, settings)
    if cross is not None:  # no suppressions: finishing again is adding the findings
        findings, outcomes = cross
        result.findings.extend(findings)
        result.findings.sort(key=Finding.sort_key)
        result.outcomes = _replace_outcomes(result.outcomes, outcomes)
    return result


def _readings(
    result: FileResult, summary: YearSummary, previous: list[YearSummary], settings: Settings
) -> None:
    """EXT-005: does last year's report single out one reading of a blank row?"""
    if summary.readings:
        ruleset = ruleset_for(settings, result.path)
        readings.judge_with_previous(result.findings, summary, previous, ruleset, settings.lang)


def _replace_outcomes(outcomes: list[RuleOutcome], new: list[RuleOutcome]) -> list[RuleOutcome]:
    by_rule = {outcome.rule: outcome for outcome in new}
    return [by_rule.get(outcome.rule, outcome) for outcome in outcomes]


def _finish_one(
    item: Checked,
    cross: tuple[list[Finding], list[RuleOutcome]] | None,
    settings: Settings,
    known: tuple[str, ...],
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
