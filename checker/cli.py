"""The `nianbao` command line (design §6). Thin: parse options, call the pipeline, report."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from checker import __version__, usage
from checker.commandline.check import run_check
from checker.commandline.common import fail, guarded, settings_for
from checker.commandline.common import overrides as _overrides
from checker.errors import InputError
from checker.run.budget import DEFAULT_MEGABYTES, DEFAULT_SECONDS


class ReportPath(usage.ParamType):
    """A path to check; an empty one is refused (a Path of "" is ".", and an unset shell
    variable, ``nianbao check "$FILE"``, would check the whole working folder)."""

    name = "path"

    def convert(self, value: object, param: object, ctx: object) -> Path:
        if isinstance(value, Path):
            return value
        if not value:  # worded for people in checker/usage.py
            raise usage.BadParameter("empty path: name a report file or folder", ctx, param)  # type: ignore[arg-type]
        return Path(str(value))


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


def _load_rules(extra: list[Path] | None):
    from checker.engine.ruleset import default_ruleset, load_pack, merge

    packs = [default_ruleset()]
    for path in extra or []:
        packs.append(load_pack(path))
    return merge(packs) if len(packs) > 1 else packs[0]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nianbao-checker {__version__}")
        raise typer.Exit()


def _every_command_in(lang: str, group: typer.core.TyperGroup) -> dict:
    """A click default map giving every command below `group` this --lang."""
    return {
        name: _every_command_in(lang, command) if hasattr(command, "commands") else {"lang": lang}
        for name, command in group.commands.items()
    }


@app.callback()
def main_options(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    lang: Annotated[
        Lang, typer.Option(help="Language of this help and the default of every command's --lang.")
    ] = Lang.zh,
) -> None:
    """nianbao: lint 政府信息公开工作年度报告 before publication and gate report repositories in CI."""
    if lang is Lang.en and isinstance(ctx.command, typer.core.TyperGroup):
        ctx.default_map = _every_command_in(lang.value, ctx.command)


@app.command()
def check(
    paths: Annotated[
        list[Path], typer.Argument(help="Report files or directories.", click_type=ReportPath())
    ],
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
        bool | None,
        typer.Option(
            "--fail-on-unreadable/--no-fail-on-unreadable",
            help="Exit 1 also when a table could not be read reliably (EXT-002 on); "
            "--no-fail-on-unreadable: not even when the configuration says so. "
            "Default: the configuration's fail-on-unreadable, else such reading problems "
            "are reported but do not fail the run.",
        ),
    ] = None,
    show_skipped: Annotated[
        bool,
        typer.Option(
            "--show-skipped",
            help="List what the run skipped: what each rule could not check (blank cells, "
            "unknown dates) and the files a folder walk took for non-reports.",
        ),
    ] = False,
    time_budget: Annotated[
        float | None,
        typer.Option(
            help="CPU seconds to read and check one file (0: no limit); "
            f"default: the configuration's time-budget, else {DEFAULT_SECONDS:g}."
        ),
    ] = None,
    memory_budget: Annotated[
        int | None,
        typer.Option(
            help="Megabytes one file may add to memory (0: no limit); "
            f"default: the configuration's memory-budget, else {DEFAULT_MEGABYTES}."
        ),
    ] = None,
) -> None:
    """Check reports and print findings. Exit 0 clean, 1 findings at --fail-on or above, 2 errors."""
    arguments = dict(locals())
    arguments["lang"] = lang.value
    run_check(**arguments)


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
    lang: Annotated[Lang, typer.Option(help="Message language.")] = Lang.zh,
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
    _print_diagnostics(report, lang.value)


def _print_diagnostics(report, lang: str = "zh") -> None:
    """What extraction could not read, worded by its EXT rule, one line each on stderr."""
    from checker.engine.evaluate import evaluate
    from checker.engine.ruleset import default_ruleset

    codes = sorted({d.code for d in report.diagnostics})
    if not codes:
        return
    findings, _ = evaluate(report, default_ruleset().selected(codes, None), lang)
    for finding in findings:
        loc = finding.location
        where = f"{loc.path}:{loc.line}" if loc.line else loc.path
        typer.echo(f"nianbao: {where}: {finding.rule} {finding.message}", err=True)


@app.command()
def schema(
    name: Annotated[SchemaName, typer.Argument(help="report | ruleset | findings | config")],
    lang: Annotated[Lang, typer.Option(help="Message language (of a problem line).")] = Lang.zh,
) -> None:
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
    lang: Annotated[Lang, typer.Option(help="Message language.")] = Lang.zh,
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
        for result in run_examples(ruleset, rule, lang.value):
            total += 1
            if not result.ok:
                failed += 1
                typer.echo(_example_line(result, lang.value))
    passed = total - failed
    typer.echo(
        f"示例 {passed} 个通过，{failed} 个未通过"
        if lang == Lang.zh
        else f"{passed} passed, {failed} failed"
    )
    if failed:
        raise typer.Exit(1)


# what a pass or a fail example is, under the rule's `examples:` in the pack
_EXAMPLE_KINDS_ZH = {"pass": "合格示例（pass）", "fail": "违规示例（fail）"}


def _example_line(result, lang: str) -> str:
    """One example that misbehaved: which, and why (checker/engine/examples.py's problem)."""
    if lang != "zh":
        return f"FAIL {result.rule} {result.kind}[{result.index}]: {result.problem}"
    kind = _EXAMPLE_KINDS_ZH.get(result.kind, result.kind)
    return f"未通过 {result.rule} {kind}第{result.index + 1}个：{_example_problem_zh(result)}"


def _example_problem_zh(result) -> str:
    """The problem of run_examples in Chinese (checker/wording.py words its shapes), or the
    rules that could not be evaluated (``R: reason; …``), each worded in turn."""
    from checker.wording import problem_zh

    problem = result.problem
    worded = problem_zh(problem)
    if worded != problem:
        return worded
    parts = [part.partition(": ") for part in problem.split("; ")]
    if all(sep for _, sep, _ in parts):
        return "；".join(
            problem_zh(f"rule {code} could not be evaluated: {reason}") for code, _, reason in parts
        )
    return problem


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
    lang: Annotated[
        Lang, typer.Option(help="Message language (the counterexamples stay YAML data).")
    ] = Lang.zh,
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
    sys.stdout.write(verdict_lines(verdicts, lang.value))
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
    lang: Annotated[Lang, typer.Option(help="Message language.")] = Lang.zh,
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
        done = (
            f"已写出报告框架；填写后运行 nianbao check {output} 检查"
            if lang == Lang.zh
            else f"skeleton written; fill it in, then nianbao check {output}"
        )
        typer.echo(f"nianbao: {output}: {done}", err=True)


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
        settings = settings_for([report], config, lang.value, jobs=1)
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
        refused = (
            f"未生成：报告有 {errors} 个错误；请改正后再生成，或加 --force 强制生成"
            if lang == Lang.zh
            else f"not rendered: {errors} error(s); fix them, or render anyway with --force"
        )
        typer.echo(f"nianbao: {report}: {refused}", err=True)
        raise typer.Exit(1)
    try:
        render_report(report, output)
    except InputError as exc:
        raise fail(exc.path, exc.message) from None
    except OSError as exc:
        raise fail(str(output), f"cannot write: {exc.strerror or exc}") from None
    if lang == Lang.zh:
        done = f"已生成（报告仍有 {errors} 个错误，--force）" if errors else "已生成"
    else:
        done = f"rendered despite {errors} error(s) (--force)" if errors else "rendered"
    typer.echo(f"nianbao: {output}: {done}", err=True)


def _run_app() -> int:
    """The app without click's standalone handling: a usage error is one line, exit 2.

    `nianbao check …` (what pre-commit runs per commit) is parsed by a command line of that
    one command: typer builds every command's options from its signature at each start.
    Its help is click's plain layout, which wraps a long flag pair (``--fail-on-unreadable /
    --no-fail-on-unreadable``) onto a line of its own where rich's table would cut the
    names short (…) in an 80-column terminal."""
    try:
        if sys.argv[1:2] == ["check"]:
            solo = typer.Typer(
                add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None
            )
            solo.command()(check)
            command, args, name = typer.main.get_command(solo), sys.argv[2:], "nianbao check"
        else:
            command, args, name = typer.main.get_command(app), sys.argv[1:], "nianbao"
        if usage.wanted_lang(sys.argv[1:]) == "zh":
            from checker.commandline.help_zh import in_chinese

            command = in_chinese(command)
        code = command.main(args=args, prog_name=name, standalone_mode=False)
    except Exception as exc:
        if isinstance(exc, usage.NoArgsIsHelpError):  # `nianbao` or `nianbao rules` alone
            typer.echo(exc.format_message())
            return 0
        if not isinstance(exc, usage.ClickException):
            raise
        typer.echo(f"nianbao: {usage.usage_line(exc, usage.wanted_lang(sys.argv[1:]))}", err=True)
        return 2
    return code if isinstance(code, int) else 0


def main() -> None:
    sys.exit(guarded(_run_app))
