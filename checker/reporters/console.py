"""console — findings for people in a terminal: grouped by file, severity coloured."""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from rich.markup import escape

from checker.findings import Finding
from checker.reporters import Run

FORMAT = "console"

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


def render(run: Run) -> str:
    buffer = StringIO()
    console = Console(
        file=buffer,
        force_terminal=run.color,
        color_system="auto" if run.color else None,
        width=200,
        highlight=False,
        soft_wrap=True,
    )
    labels = _LABEL.get(run.lang, _LABEL["zh"])
    for result in run.results:
        if result.error:
            console.print(f"[bold red]{escape(result.path)}[/]: {escape(result.error)}")
            continue
        if not result.findings:
            continue
        console.print(f"[bold underline]{escape(result.path)}[/]")
        for finding in result.findings:
            style = _STYLE[finding.severity]
            pointer = (
                f" [dim]{escape(finding.location.pointer)}[/]" if finding.location.pointer else ""
            )
            console.print(
                f"  {escape(_where(finding))} [{style}]{labels[finding.severity]}[/] "
                f"[bold]{finding.rule}[/] {escape(finding.message)}{pointer}"
            )
    for error in run.errors():
        if "could not be evaluated" in error["message"]:
            console.print(f"[bold red]{escape(error['path'])}[/]: {escape(error['message'])}")
    counts = run.counts()
    files = len(run.results)
    unreadable = sum(1 for r in run.results if r.error)
    suppressed = sum(r.suppressed for r in run.results)
    baselined = sum(r.baselined for r in run.results)
    if run.lang == "en":
        summary = (
            f"{files} file(s) checked: {counts['error']} error(s), {counts['warning']} warning(s), "
            f"{counts['info']} info"
        )
        if unreadable:
            summary += f", {unreadable} unreadable"
        if suppressed:
            summary += f", {suppressed} suppressed"
        if baselined:
            summary += f", {baselined} in the baseline"
    else:
        summary = (
            f"检查 {files} 个文件：错误 {counts['error']}，警告 {counts['warning']}，"
            f"提示 {counts['info']}"
        )
        if unreadable:
            summary += f"，无法读取 {unreadable}"
        if suppressed:
            summary += f"，已抑制 {suppressed}"
        if baselined:
            summary += f"，基线中已有 {baselined}"
    console.print(summary)
    return buffer.getvalue()
