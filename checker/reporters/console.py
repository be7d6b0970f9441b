"""console — findings for people in a terminal: grouped by file, severity coloured.

The text is built as lines of (text, style) spans. Without colour (output to a
file or a pipe, the pre-commit case) the spans are simply joined, so a one-file
check never imports rich; with colour, rich turns the styles into escape codes.
"""

from __future__ import annotations

from collections.abc import Iterator

from checker import reading, skips
from checker.findings import FileResult, Finding
from checker.reporters import Run
from checker.reporters.snippets import html_place, snippet

FORMAT = "console"

Span = tuple[str, str]  # (text, rich style; "" for none)
Line = list[Span]

_CHAR = {False: "正文第{}字", True: "text char {}"}  # a place in an HTML page's visible text
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_LABEL = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


def _where(finding: Finding) -> str:
    loc = finding.location
    where = loc.path
    if loc.line:
        where += f":{loc.line}"
        if loc.column:
            where += f":{loc.column}"
    if loc.page:
        where += f" (p.{loc.page})"
    return where


def _finding_line(finding: Finding, labels: dict[str, str]) -> Line:
    text = snippet(finding)  # text sources: the words around the figure, next to the position
    where = _where(finding)
    page = html_place(finding)  # HTML: the place in the page's visible text, not the markup line
    if page is not None:
        where, text = (
            f"{finding.location.path}:{_CHAR[labels is _LABEL['en']].format(page[0])}",
            page[1],
        )
    line: Line = [
        (f"  {where} ", ""),
        *([(f"「{text}」", "dim"), (" ", "")] if text else []),
        (labels[finding.severity], _STYLE[finding.severity]),
        (" ", ""),
        (finding.rule, "bold"),
        (f" {finding.message}", ""),
    ]
    if finding.location.pointer:
        line.append((f" {finding.location.pointer}", "dim"))
    return line


def _summary(run: Run) -> str:
    totals = run.tally()
    counts, files, unreadable = totals.counts, totals.files, totals.unreadable
    suppressed, baselined = totals.suppressed, totals.baselined
    if run.lang == "en":
        summary = (
            f"{files} file(s) checked: {counts['error']} error(s), {counts['warning']} warning(s), "
            f"{counts['info']} info"
        )
        extras = (
            (unreadable, "unreadable"),
            (suppressed, "suppressed"),
            (baselined, "in the baseline"),
        )
        skipped = (
            f", {n} non-report file(s) skipped" if (n := len(run.extra.get("skipped", ()))) else ""
        )
        return summary + "".join(f", {n} {what}" for n, what in extras if n) + skipped
    summary = f"检查 {files} 个文件：错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}"
    extras = ((unreadable, "无法读取"), (suppressed, "已抑制"), (baselined, "基线中已有"))
    skipped = f"；跳过{n}个非报告文件" if (n := len(run.extra.get("skipped", ()))) else ""
    return summary + "".join(f"，{what} {n}" for n, what in extras if n) + skipped


def _skipped_lines(run: Run) -> Iterator[Line]:
    """With --show-skipped: each file a folder walk did not check, and why."""
    skipped = run.extra.get("skipped", ())
    if not (skipped and run.extra.get("show_skipped")):
        return
    yield [("跳过的非报告文件：" if run.lang == "zh" else "Skipped (not reports):", "bold")]
    colon = "：" if run.lang == "zh" else ": "
    for item in skipped:
        yield [(f"  {item.path}", ""), (f"{colon}{item.reason_text(run.lang)}", "dim")]


def _skip_lines(result: FileResult, lang: str) -> Iterator[Line]:
    label = "not checked" if lang == "en" else "未核对"
    for rule, skip in skips.outcome_skips(result.outcomes):
        line: Line = [
            (f"  {label} ", "dim"),
            (rule, "bold"),
            (f" {skips.reason_text(skip.reason, lang)}", ""),
        ]
        if skip.pointer:
            line.append((f" {skip.pointer}", "dim"))
        yield line


def lines(run: Run) -> Iterator[Line]:
    labels = _LABEL.get(run.lang, _LABEL["zh"])
    show_skipped = bool(run.extra.get("show_skipped"))
    for result in run.results:
        if result.error:
            continue  # an unreadable file is said once, on stderr (`nianbao: <file>: <problem>`)
        skipped = list(_skip_lines(result, run.lang)) if show_skipped else []
        if not result.findings and not skipped:
            continue
        yield [(result.path, "bold underline")]
        for finding in result.findings:
            yield _finding_line(finding, labels)
        yield from skipped
    yield from _skipped_lines(run)
    skipped_line = skips.summary_line(run.tally().skipped, run.lang)
    if skipped_line:
        hint = (
            ""
            if show_skipped
            else ("（详见 --show-skipped）" if run.lang != "en" else " (details: --show-skipped)")
        )
        yield [(skipped_line + hint, "dim")]
    yield [(_summary(run), "")]
    unread = reading.summary_line(reading.count(f.rule for f in run.findings), run.lang)
    if unread:
        yield [(unread, "yellow")]


def _plain(line: Line) -> str:
    return "".join(text for text, _ in line)


def _styled(all_lines: Iterator[Line]) -> str:
    from io import StringIO

    from rich.console import Console
    from rich.text import Text

    buffer = StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        color_system="auto",
        width=200,
        highlight=False,
        soft_wrap=True,
        emoji=False,
        markup=False,
    )
    for line in all_lines:
        console.print(Text.assemble(*((text, style or None) for text, style in line)))
    return buffer.getvalue()


def render(run: Run) -> str:
    if run.color:
        return _styled(lines(run))
    return "".join(_plain(line) + "\n" for line in lines(run))
