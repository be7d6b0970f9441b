"""The `nianbao` command line (design §6). Thin: parse options, call the pipeline, report."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from datetime import date
from enum import StrEnum
from itertools import chain
from pathlib import Path
from typing import Annotated

import typer

from checker import __version__
from checker.errors import InputError
from checker.run.budget import (
    DEFAULT_MEGABYTES,
    DEFAULT_SECONDS,
    MAX_MEGABYTES,
    MAX_SECONDS,
    FileBudget,
)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Check Chinese government information-disclosure annual reports (政府信息公开工作年度报告).",
)
rules_app = typer.Typer(no_args_is_help=True, help="List, explain and test the rules.")
app.add_typer(rules_app, name="rules")


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class SchemaName(StrEnum):
    report = "report"
    ruleset = "ruleset"
    findings = "findings"
    config = "config"


def fail(path: str, message: str) -> typer.Exit:
    """Print one line naming the file and the problem (in the message language); exit code 2."""
    from checker.names import shown_name

    typer.echo(f"nianbao: {shown_name(str(path))}: {shown_name(_worded(message))}", err=True)
    return typer.Exit(2)


def _worded(message: str) -> str:
    """A problem in the language the arguments ask for (checker/wording.py)."""
    from checker.usage import wanted_lang
    from checker.wording import problem_in

    return problem_in(message, wanted_lang(sys.argv[1:]))


def _codes(values: list[str] | None) -> list[str]:
    return [c.strip().upper() for v in values or [] for c in v.split(",") if c.strip()]


def _load_rules(extra: list[Path] | None):
    from checker.engine.ruleset import default_ruleset, load_pack, merge

    packs = [default_ruleset()]
    for path in extra or []:
        packs.append(load_pack(path))
    return merge(packs) if len(packs) > 1 else packs[0]


def _overrides(year, agency, agency_kind, published):
    from checker.model import AGENCY_KINDS
    from checker.report_data import YEARS
    from checker.run.pipeline import MetaOverrides

    if agency_kind is not None and agency_kind not in AGENCY_KINDS:
        raise InputError("--agency-kind", f"must be one of {', '.join(AGENCY_KINDS)}")
    when = None
    if published is not None:
        try:
            when = date.fromisoformat(published)
        except ValueError:
            raise InputError(
                "--published", f"{published!r} is not a date like 2024-01-31"
            ) from None
    if year is not None and not YEARS[0] <= year <= YEARS[1]:
        raise InputError("--year", f"{year} is not a report year ({YEARS[0]}-{YEARS[1]})")
    return MetaOverrides(year, agency, agency_kind, when)


def _budget(seconds: float, megabytes: int) -> FileBudget:
    if not 0 <= seconds <= MAX_SECONDS:  # also refuses nan
        raise InputError("--time-budget", f"must be 0 to {MAX_SECONDS:g} seconds")
    if not 0 <= megabytes <= MAX_MEGABYTES:
        raise InputError("--memory-budget", f"must be 0 to {MAX_MEGABYTES} megabytes")
    return FileBudget(seconds, megabytes)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nianbao-checker {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """nianbao: lint 政府信息公开工作年度报告 before publication and gate report repositories in CI."""


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Report files or directories.")],
    formats: Annotated[
        list[str] | None, typer.Option("--format", "-f", help="Output format; repeat for several.")
    ] = None,
    outputs: Annotated[
        list[Path] | None,
        typer.Option("--output", "-o", help="Output file, one per --format ('-': stdout)."),
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            help="Exit 1 on findings at or above: error, warning, info or never [default: error]."
        ),
    ] = None,
    select: Annotated[
        list[str] | None, typer.Option(help="Only these rule codes or prefixes (T3,META-004).")
    ] = None,
    extend_select: Annotated[
        list[str] | None, typer.Option(help="Add these rule codes or prefixes to the selection.")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option(help="Skip these rule codes or prefixes.")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help="Configuration file (default: nearest nianbao.toml or pyproject.toml)."
        ),
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option(help="Fail only on findings this baseline does not hold.")
    ] = None,
    write_baseline: Annotated[
        Path | None, typer.Option(help="Record the current findings as the baseline; exit 0.")
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Parallel processes (0: one per CPU).")
    ] = None,
    include: Annotated[
        list[str] | None, typer.Option(help="Glob: in directories, check only matching files.")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Glob: in directories, skip matching files/folders.")
    ] = None,
    lang: Annotated[Lang, typer.Option(help="Message language.")] = Lang.zh,
    rules: Annotated[
        list[Path] | None, typer.Option("--rules", help="Extra rule pack (YAML).")
    ] = None,
    year: Annotated[
        int | None, typer.Option(help="Report (data) year, when the file does not say.")
    ] = None,
    agency: Annotated[str | None, typer.Option(help="Agency name.")] = None,
    agency_kind: Annotated[
        str | None,
        typer.Option(help="Agency kind: government, department, township, subdistrict or other."),
    ] = None,
    published: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    statistics: Annotated[
        bool, typer.Option(help="Print counts per rule instead of the findings on stdout.")
    ] = False,
    fail_on_unreadable: Annotated[
        bool,
        typer.Option(
            "--fail-on-unreadable",
            help="Exit 1 also when a table could not be read reliably (EXT-002 on); "
            "default: such reading problems are reported but do not fail the run.",
        ),
    ] = False,
    show_skipped: Annotated[
        bool,
        typer.Option(
            "--show-skipped",
            help="List what the run skipped: what each rule could not check (blank cells, "
            "unknown dates) and the files a folder walk took for non-reports.",
        ),
    ] = False,
    time_budget: Annotated[
        float, typer.Option(help="CPU seconds to read and check one file (0: no limit).")
    ] = DEFAULT_SECONDS,
    memory_budget: Annotated[
        int, typer.Option(help="Megabytes one file may add to memory (0: no limit).")
    ] = DEFAULT_MEGABYTES,
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
        settings = _settings(
            paths,
            config,
            lang.value,
            select=select,
            extend_select=extend_select,
            ignore=ignore,
            fail_on=fail_on,
            rules=rules,
            include=include,
            exclude=exclude,
            jobs=jobs,
            overrides=_overrides(year, agency, agency_kind, published),
            budget=_budget(time_budget, memory_budget),
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
            if lang.value == "zh"
            else f"baseline of {count} finding(s) written"
        )
        typer.echo(f"nianbao: {write_baseline}: {written}", err=True)
    if hide is not None:
        _report_baseline(baseline, hide.comparison(), lang.value)
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    run = Run(results, ruleset, lang.value, color=color)
    run.extra.update(skipped=skipped, show_skipped=show_skipped)
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
    for error in run.errors():
        typer.echo(f"nianbao: {error['path']}: {_worded(error['message'])}", err=True)
    if run.errors():
        raise typer.Exit(2)
    if write_baseline is None and _fails(run.findings, settings.fail_on, fail_on_unreadable):
        raise typer.Exit(1)


def _fails(findings, fail_on: str, fail_on_unreadable: bool) -> bool:
    """--fail-on judges the report's defects; reading problems fail only with --fail-on-unreadable."""
    from checker.findings import SEVERITY_RANK
    from checker.reading import is_reading

    threshold = SEVERITY_RANK.get(fail_on, 99)
    return any(
        fail_on_unreadable if is_reading(f.rule) else SEVERITY_RANK[f.severity] >= threshold
        for f in findings
    )


def _settings(paths: list[Path], config: Path | None, lang: str, **given):
    """Command line > nearest configuration > defaults (checker/gate/config.py); an option a
    command does not take is not given (`render` gives only jobs)."""
    from checker.gate.config import CliChoices, find_config, load_config, resolve

    def codes(name: str) -> tuple[str, ...] | None:
        return tuple(_codes(given[name])) if given.get(name) is not None else None

    def strings(name: str) -> tuple[str, ...] | None:
        return tuple(str(v) for v in given[name]) if given.get(name) is not None else None

    found = config if config is not None else find_config(paths)
    choices = CliChoices(
        select=codes("select"),
        extend_select=codes("extend_select") or (),
        ignore=codes("ignore") or (),
        fail_on=given.get("fail_on"),
        rules=strings("rules"),
        include=strings("include"),
        exclude=strings("exclude"),
        jobs=given.get("jobs"),
        overrides=given["overrides"]
        if "overrides" in given
        else _overrides(None, None, None, None),
        budget=given["budget"]
        if "budget" in given
        else _budget(DEFAULT_SECONDS, DEFAULT_MEGABYTES),
    )
    return resolve(choices, load_config(found) if found is not None else None, lang)


def _report_baseline(path, comparison, lang: str = "zh") -> None:
    """One line on what the baseline hid, then each entry that no longer occurs."""
    gone = sum(e.count for e in comparison.stale)
    zh = lang == "zh"
    typer.echo(
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
        typer.echo(f"  不再出现：{where}" if zh else f"  no longer occurs: {where}", err=True)
    if comparison.stale:
        typer.echo(
            f"  收紧基线：用 --write-baseline {path} 重新运行"
            if zh
            else f"  tighten the baseline: rerun with --write-baseline {path}",
            err=True,
        )


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="A source report (.txt .md .html .docx .pdf …).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (.yaml or .json).")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Report (data) year.")] = None,
    agency: Annotated[str | None, typer.Option(help="Agency name.")] = None,
    agency_kind: Annotated[str | None, typer.Option(help="Agency kind.")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    source_map: Annotated[bool, typer.Option(help="Record where each value came from.")] = True,
) -> None:
    """Turn a source document into a structured report (YAML or JSON) that checks the same."""
    from checker.report_data import report_to_data
    from checker.run.pipeline import load
    from checker.writer import to_json, to_yaml, write_atomic

    try:
        report = load(file, _overrides(year, agency, agency_kind, published), display=str(file))
    except InputError as exc:
        raise fail(exc.path, exc.message) from None
    data = report_to_data(report, with_source_map=source_map)
    as_json = output is not None and output.suffix.lower() == ".json"
    text = to_json(data) if as_json else to_yaml(data)
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            write_atomic(output, text)
        except OSError as exc:
            raise fail(str(output), f"cannot write: {exc.strerror or exc}") from None
    _print_diagnostics(report)


def _print_diagnostics(report) -> None:
    """What extraction could not read, worded by its EXT rule, one line each on stderr."""
    from checker.engine.evaluate import evaluate
    from checker.engine.ruleset import default_ruleset

    codes = sorted({d.code for d in report.diagnostics})
    if not codes:
        return
    findings, _ = evaluate(report, default_ruleset().selected(codes, None))
    for finding in findings:
        loc = finding.location
        where = f"{loc.path}:{loc.line}" if loc.line else loc.path
        typer.echo(f"nianbao: {where}: {finding.rule} {finding.message}", err=True)


@app.command()
def schema(name: Annotated[SchemaName, typer.Argument(help="report | ruleset | findings")]) -> None:
    """Print one of the JSON Schemas."""
    from checker.resources import data_dir

    sys.stdout.write(
        (data_dir("schemas") / f"{name.value}.schema.json").read_text(encoding="utf-8")
    )


@rules_app.command("list")
def rules_list(
    lang: Annotated[Lang, typer.Option(help="Language.")] = Lang.zh,
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra rule pack.")] = None,
) -> None:
    """List every rule: code, severity, title."""
    try:
        ruleset = _load_rules(rules)
    except InputError as exc:
        raise fail(exc.path, exc.message) from None
    for rule in ruleset.rules:
        typer.echo(f"{rule.id:<9} {rule.severity:<8} {rule.title.get(lang.value)}")


@rules_app.command("show")
def rules_show(
    code: Annotated[str, typer.Argument(help="A rule code, e.g. T3-001.")],
    lang: Annotated[Lang, typer.Option(help="Language.")] = Lang.zh,
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra rule pack.")] = None,
) -> None:
    """Explain a rule: what it checks, why, its basis and its examples."""
    from checker.engine.explain import explain

    try:
        ruleset = _load_rules(rules)
    except InputError as exc:
        raise fail(exc.path, exc.message) from None
    rule = ruleset.by_id(code.upper())
    if rule is None:
        raise fail(code, "no such rule (see `nianbao rules list`)")
    sys.stdout.write(explain(rule, lang.value))


@rules_app.command("test")
def rules_test(
    packs: Annotated[
        list[Path] | None, typer.Argument(help="Rule packs (default: the national pack).")
    ] = None,
) -> None:
    """Run every rule's passing and failing examples; exit 1 if any misbehaves."""
    from checker.engine.examples import run_examples
    from checker.engine.ruleset import default_ruleset, load_pack, merge

    try:
        ruleset = (
            merge([default_ruleset(), *(load_pack(p) for p in packs)])
            if packs
            else default_ruleset()
        )
    except InputError as exc:
        raise fail(exc.path, exc.message) from None
    tested = {r.id for p in packs for r in load_pack(p).rules} if packs else None
    failed = total = 0
    for rule in ruleset.rules:
        if tested is not None and rule.id not in tested:
            continue
        for result in run_examples(ruleset, rule):
            total += 1
            if not result.ok:
                failed += 1
                typer.echo(f"FAIL {rule.id} {result.kind}[{result.index}]: {result.problem}")
    typer.echo(f"{total - failed} passed, {failed} failed")
    if failed:
        raise typer.Exit(1)


@rules_app.command("verify")
def rules_verify(
    packs: Annotated[
        list[Path] | None, typer.Argument(help="Rule packs (default: the national pack).")
    ] = None,
    examples: Annotated[
        int, typer.Option("--examples", min=1, help="Generated reports per rule scope.")
    ] = 50,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Random seed (default: derandomized).")
    ] = None,
) -> None:
    """Prove each rule on generated valid reports (soundness, sensitivity); exit 1 on a failure."""
    from checker.engine.ruleset import default_ruleset, load_pack, merge

    try:
        from checker.testing.verify import verdict_lines, verify_rules
    except ImportError as exc:  # hypothesis is missing
        raise fail("nianbao rules verify", f"needs hypothesis ({exc})") from None
    try:
        loaded = [load_pack(p) for p in packs or []]
        ruleset = merge([default_ruleset(), *loaded]) if loaded else default_ruleset()
    except InputError as exc:
        raise fail(exc.path, exc.message) from None
    tested = {r.id for pack in loaded for r in pack.rules} if loaded else None
    rules = [r for r in ruleset.rules if tested is None or r.id in tested]
    verdicts = verify_rules(rules, examples=examples, seed_value=seed)
    sys.stdout.write(verdict_lines(verdicts))
    if any(v.problems for v in verdicts):
        raise typer.Exit(1)


@app.command()
def new(
    year: Annotated[int, typer.Option(help="Report (data) year.")],
    agency: Annotated[str, typer.Option(help="The agency's full name.")],
    agency_kind: Annotated[
        str, typer.Option(help="government|department|township|subdistrict|other")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The skeleton YAML ('-': stdout).")
    ],
    template: Annotated[
        str | None, typer.Option(help="Format 2019|2021 (default: the report year's).")
    ] = None,
    previous: Annotated[
        Path | None, typer.Option("--from", help="Last year's report: carry over linked values.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing output file.")] = False,
) -> None:
    """Write a report skeleton (YAML) to fill in: every section and table cell, with guidance."""
    from checker.authoring.commands import new_report

    try:
        text = new_report(year, agency, agency_kind, template, previous, output, force)
    except InputError as exc:
        raise fail(exc.path, exc.message) from None
    if str(output) == "-":
        sys.stdout.write(text)
    else:
        typer.echo(
            f"nianbao: {output}: skeleton written; fill it in, then nianbao check {output}",
            err=True,
        )


@app.command()
def render(
    report: Annotated[Path, typer.Argument(help="A structured report (.yaml/.json).")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The document: .docx, .html, .pdf or .md.")
    ],
    force: Annotated[
        bool, typer.Option(help="Render even when the report has error findings.")
    ] = False,
    config: Annotated[
        Path | None, typer.Option("--config", help="Configuration file for the check.")
    ] = None,
    lang: Annotated[Lang, typer.Option(help="Message language.")] = Lang.zh,
) -> None:
    """Publish a report in the official layout; refuses (exit 1) a report with errors unless --force."""
    from checker.authoring.commands import render_report
    from checker.authoring.render import load_structured, output_format
    from checker.gate.config import selected_ruleset
    from checker.reporters import Run
    from checker.reporters import render as draw
    from checker.run.batch import run_checks

    try:
        output_format(output)
        load_structured(report)  # a file render cannot use stops here, before the check
        settings = _settings([report], config, lang.value, jobs=1)
        run = Run(list(run_checks([report], settings)), selected_ruleset(settings), lang.value)
    except InputError as exc:
        raise fail(exc.path, exc.message) from None
    run.tally()
    for error in run.errors():
        raise fail(error["path"], error["message"])
    errors = sum(1 for f in run.findings if f.severity == "error")
    if run.findings:
        sys.stdout.write(draw("console", run))
    if errors and not force:
        typer.echo(
            f"nianbao: {report}: not rendered: {errors} error(s); fix them, or render anyway with --force",
            err=True,
        )
        raise typer.Exit(1)
    try:
        render_report(report, output)
    except InputError as exc:
        raise fail(exc.path, exc.message) from None
    except OSError as exc:
        raise fail(str(output), f"cannot write: {exc.strerror or exc}") from None
    forced = f" despite {errors} error(s) (--force)" if errors else ""
    typer.echo(f"nianbao: {output}: rendered{forced}", err=True)


def _run_app() -> int:
    """The app without click's standalone handling: a usage error is one line, exit 2.

    `nianbao check …` (what pre-commit runs per commit) is parsed by a command line of that
    one command: typer builds every command's options from its signature at each start."""
    try:
        if sys.argv[1:2] == ["check"]:
            solo = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
            solo.command()(check)
            code = solo(args=sys.argv[2:], prog_name="nianbao check", standalone_mode=False)
        else:
            code = app(standalone_mode=False)
    except Exception as exc:
        from checker import usage  # only on the way out: start-up time

        if isinstance(exc, usage.NoArgsIsHelpError):  # `nianbao` or `nianbao rules` alone
            typer.echo(exc.format_message())
            return 0
        if not isinstance(exc, usage.ClickException):
            raise
        typer.echo(f"nianbao: {usage.usage_line(exc, usage.wanted_lang(sys.argv[1:]))}", err=True)
        return 2
    return code if isinstance(code, int) else 0


def main() -> None:
    try:
        sys.exit(_run_app())
    except InputError as exc:  # a late input problem that escaped a command
        typer.echo(f"nianbao: {exc.path}: {_worded(exc.message)}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("nianbao: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: one line, never a traceback (NIANBAO_DEBUG=1 shows it)
        if os.environ.get("NIANBAO_DEBUG"):
            raise
        typer.echo(f"nianbao: {_worded(f'internal error: {type(exc).__name__}: {exc}')}", err=True)
        sys.exit(2)
