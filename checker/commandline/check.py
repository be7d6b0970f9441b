"""`nianbao check`: read, check and report; the exit code says how it went (design §6).

Free of typer: :mod:`checker.cli` declares the options (help, types) and calls
:func:`run_check`; :mod:`checker.commandline.launch` calls it straight from a
well-formed command line without loading typer at all.
"""

from __future__ import annotations

import os
import sys
from itertools import chain
from pathlib import Path

from msgspec.structs import replace

from checker.commandline.common import echo, fail, overrides, settings_for, worded
from checker.errors import InputError


def run_check(
    paths: list[Path],
    formats: list[str] | None = None,
    outputs: list[Path] | None = None,
    fail_on: str | None = None,
    select: list[str] | None = None,
    extend_select: list[str] | None = None,
    ignore: list[str] | None = None,
    config: Path | None = None,
    baseline: Path | None = None,
    write_baseline: Path | None = None,
    jobs: int | None = None,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    lang: str = "zh",
    rules: list[Path] | None = None,
    year: int | None = None,
    agency: str | None = None,
    agency_kind: str | None = None,
    published: str | None = None,
    statistics: bool = False,
    fail_on_unreadable: bool | None = None,  # None: not given (the configuration's, else off)
    show_skipped: bool = False,
    time_budget: float | None = None,  # None: not given (the configuration's, else 60 s)
    memory_budget: int | None = None,  # None: not given (the configuration's, else 2048 MB)
) -> None:
    """Check reports and print findings. Exit 0 clean, 1 findings at --fail-on or above, 2 errors."""
    from checker.gate.config import selected_ruleset
    from checker.reporters import NEEDS_REPORTS, REPORTERS, Run, publish, render
    from checker.run.batch import run_checks
    from checker.run.discovery import walk
    from checker.writer import write_atomic

    try:
        formats = formats or ["console"]
        for fmt in formats:
            if fmt not in REPORTERS:
                raise InputError(
                    "--format", f"unknown format {fmt!r}; choose from {', '.join(REPORTERS)}"
                )
        outputs = outputs or []
        if outputs and len(outputs) != len(formats):
            raise InputError("--output", "give one --output per --format")
        settings = settings_for(
            paths,
            config,
            lang,
            select=select,
            extend_select=extend_select,
            ignore=ignore,
            fail_on=fail_on,
            rules=rules,
            include=include,
            exclude=exclude,
            jobs=jobs,
            overrides=overrides(year, agency, agency_kind, published),
            fail_on_unreadable=fail_on_unreadable,
            time_budget=time_budget,
            memory_budget=memory_budget,
        )
        ruleset = selected_ruleset(settings)
        root = Path(settings.root) if settings.root else None
        skipped: list = []  # files a folder walk passed over as not reports (checker/run/sniff.py)
        files = walk(paths, settings.include, settings.exclude, root, skipped)
        first = next(files, None)
        if baseline is not None or write_baseline is not None:
            from checker.gate import baseline as baselines
        known = baselines.load(baseline) if baseline is not None else None
    except InputError as exc:
        raise fail(exc.path, exc.message) from None
    if first is None:
        hint = f" (skipped {len(skipped)} non-report file(s); --show-skipped lists them)"
        raise fail(", ".join(map(str, paths)), "no report files found" + (hint if skipped else ""))
    count = None
    if sys.stderr.isatty():  # a progress bar needs the number of files: walk once more
        count = sum(1 for _ in walk(paths, settings.include, settings.exclude, root))
    keep = bool(NEEDS_REPORTS.intersection(formats))
    recorder = baselines.Recorder() if write_baseline is not None else None
    hide = baselines.Filter(known) if known is not None else None
    hooks = [hook for hook in (recorder, hide) if hook is not None]  # record first, then hide
    results = run_checks(
        chain([first], files), settings, keep_reports=keep, each=hooks, count=count
    )
    if recorder is not None:
        try:
            count = baselines.write(write_baseline, recorder.entries())
        except OSError as exc:
            raise fail(str(write_baseline), f"cannot write: {exc.strerror or exc}") from None
        written = (
            f"已写入基线，共 {count} 条发现"
            if lang == "zh"
            else f"baseline of {count} finding(s) written"
        )
        echo(f"nianbao: {write_baseline}: {written}", err=True)
    if hide is not None:
        _report_baseline(baseline, hide.comparison(), lang)
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    run = Run(results, ruleset, lang, color=color)
    run.extra.update(skipped=skipped, show_skipped=show_skipped, formats=tuple(formats))
    run.tally()  # one pass over the (spooled) results; every format shares the totals
    for index, fmt in enumerate(formats):
        if statistics and not outputs:
            break
        text = render(fmt, replace(run, color=color and not outputs))
        target = str(outputs[index]) if outputs else ""
        try:
            if outputs and str(outputs[index]) != "-":  # "-o -": this format on stdout
                write_atomic(outputs[index], text)
            else:
                sys.stdout.write(text)
            target = os.environ.get("GITHUB_STEP_SUMMARY", "")
            publish(fmt, run, os.environ)
        except OSError as exc:
            raise fail(target or fmt, f"cannot write: {exc.strerror or exc}") from None
    if statistics:
        from checker.reporters import statistics as rule_statistics

        sys.stdout.write(rule_statistics.render(run))
    from checker.cache import patterns

    patterns.save()  # what this run compiled, for the next run's start-up
    for error in run.errors():
        echo(f"nianbao: {error['path']}: {worded(error['message'])}", err=True)
    if run.errors():
        raise SystemExit(2)
    failed = fails(run.findings, settings.fail_on, settings.fail_on_unreadable)
    if write_baseline is None and failed:
        raise SystemExit(1)


def fails(findings, fail_on: str, fail_on_unreadable: bool) -> bool:
    """--fail-on judges the report's defects; reading problems fail only with --fail-on-unreadable."""
    from checker.findings import SEVERITY_RANK
    from checker.reading import is_reading

    threshold = SEVERITY_RANK.get(fail_on, 99)
    return any(
        fail_on_unreadable if is_reading(f.rule) else SEVERITY_RANK[f.severity] >= threshold
        for f in findings
    )


def _report_baseline(path, comparison, lang: str = "zh") -> None:
    """One line on what the baseline hid, then each entry that no longer occurs."""
    gone = sum(e.count for e in comparison.stale)
    zh = lang == "zh"
    echo(
        f"nianbao: {path}: 基线中已有 {comparison.known} 条（不再显示），新发现 {comparison.new} 条，"
        f"不再出现 {gone} 条"
        if zh
        else f"nianbao: {path}: {comparison.known} known finding(s) hidden, {comparison.new} new, "
        f"{gone} no longer occur",
        err=True,
    )
    for entry in comparison.stale:
        times = f" ×{entry.count}" if entry.count > 1 else ""
        where = f"{entry.path} {entry.rule} {entry.pointer}{times}"
        echo(f"  不再出现：{where}" if zh else f"  no longer occurs: {where}", err=True)
    if comparison.stale:
        echo(
            f"  收紧基线：用 --write-baseline {path} 重新运行"
            if zh
            else f"  tighten the baseline: rerun with --write-baseline {path}",
            err=True,
        )
