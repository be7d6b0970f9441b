"""console: the same lines plain (pipes, files, pre-commit) and coloured (a terminal)."""

from __future__ import annotations

import re

from msgspec.structs import replace

from checker.reporters import Run, render

from .reporters_support import sample_run

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_plain_output_has_no_escape_codes_and_one_line_per_finding():
    run = sample_run()
    text = render("console", run)
    assert not ANSI.search(text)
    finding_lines = [line for line in text.splitlines() if line.startswith("  ")]
    assert len(finding_lines) == len(run.findings)
    assert text.rstrip().endswith(
        f"错误 {run.counts()['error']}，警告 {run.counts()['warning']}，"
        f"提示 {run.counts()['info']}，无法读取 1"
    )


def test_colour_only_adds_escape_codes():
    plain = sample_run()
    coloured = replace(plain, color=True)
    styled = render("console", coloured)
    assert ANSI.search(styled)
    assert ANSI.sub("", styled) == render("console", plain)


def test_report_text_is_never_read_as_markup_or_emoji():
    run = sample_run()
    first = run.results[0]
    finding = replace(first.findings[0], message="x [red]y[/red]")
    tricky = replace(first, path="[bold]:smile:[/bold].yaml", findings=[finding])
    for colour in (False, True):
        text = ANSI.sub("", render("console", Run([tricky], run.ruleset, "zh", color=colour)))
        assert "[bold]:smile:[/bold].yaml\n" in text and " x [red]y[/red]" in text
