"""markdown — a summary for pull-request comments and CI step summaries (GitHub-flavoured Markdown).

In this order: a heading with the number of files checked; a table of counts
by severity (and unreadable files); a table of counts per rule (code,
severity, count, title); then the findings per file, one table row each
(line:column, severity, rule, message, JSON pointer); last, the files that
could not be read, the rules that could not be evaluated, and what the rules
could not check (blank cells, missing rows, unknown facts: checker/skips.py). Headings follow
``--lang``; messages are the findings' own (already localized).

Report text is untrusted: every piece of it is escaped so it cannot open a
link, an HTML tag, code, a table cell or an @-mention of its own; line breaks
are folded.
``summary(run, max_bytes)`` stops listing findings before a size limit (GitHub
step summaries take at most 1 MiB) and says how many were left out.
"""

from __future__ import annotations

from checker import skips
from checker.findings import SEVERITIES, Finding
from checker.regexes import lazy
from checker.reporters import Run
from checker.reporters._common import (
    counts_per_rule,
    display_path,
    one_line,
    pick,
    severity_label,
)
from checker.reporters.snippets import html_place, snippet

FORMAT = "markdown"

_SPECIAL = lazy(r"([\\`*_\[\]|~])")
_LINE_START = lazy(r"^([#>+=-])")
_ICON = {"error": "🔴", "warning": "🟡", "info": "🔵"}


def escape(text: str) -> str:
    """Plain text safe inside Markdown, including a table cell and a list item."""
    flat = one_line(text).replace("&", "&amp;").replace("<", "&lt;")
    flat = _SPECIAL.sub(r"\\\1", flat)
    flat = flat.replace("@", "@\u200b")  # an untrusted report must not @-mention people
    return _LINE_START.sub(r"\\\1", flat)


def _where(finding: Finding, lang: str = "zh") -> str:
    loc = finding.location
    if not loc.line:
        return "—"
    where = f"{loc.line}:{loc.column}" if loc.column else str(loc.line)
    text = snippet(finding)  # text sources: the words around the figure
    page = html_place(finding)  # HTML: the place in the page's visible text
    if page is not None:
        where, text = pick(lang, f"正文第{page[0]}字", f"text char {page[0]}"), page[1]
    return f"{where} 「{escape(text)}」" if text else where


def _head(run: Run) -> list[str]:
    lang = run.lang
    counts = run.counts()
    files, unreadable = run.tally().files, run.tally().unreadable
    lines = [
        "## "
        + pick(lang, f"nianbao 检查结果：{files} 个文件", f"nianbao: {files} file(s) checked"),
        "",
        f"| {pick(lang, '级别', 'Severity')} | {pick(lang, '数量', 'Count')} |",
        "|---|---:|",
    ]
    lines += [f"| {_ICON[s]} {severity_label(s, lang)} | {counts[s]} |" for s in SEVERITIES]
    if unreadable:
        lines.append(f"| ⛔ {pick(lang, '无法读取的文件', 'unreadable files')} | {unreadable} |")
    lines.append("")
    per_rule = counts_per_rule(run.findings)
    if not per_rule:
        lines += [pick(lang, "未发现问题。", "No findings."), ""]
        return lines
    lines += [
        "### " + pick(lang, "按规则统计", "By rule"),
        "",
        f"| {pick(lang, '规则', 'Rule')} | {pick(lang, '级别', 'Severity')} "
        f"| {pick(lang, '数量', 'Count')} | {pick(lang, '标题', 'Title')} |",
        "|---|---|---:|---|",
    ]
    for rule, title, by_severity in per_rule:
        severities = pick(lang, "、", ", ").join(severity_label(s, lang) for s in by_severity)
        lines.append(
            f"| {escape(rule)} | {severities} | {sum(by_severity.values())} | {escape(title)} |"
        )
    lines.append("")
    return lines


def _file_blocks(run: Run) -> list[tuple[list[str], list[str]]]:
    """(heading and table header lines, one row per finding) for every file with findings."""
    lang = run.lang
    header = (
        f"| {pick(lang, '位置', 'Line')} | {pick(lang, '级别', 'Severity')} "
        f"| {pick(lang, '规则', 'Rule')} | {pick(lang, '说明', 'Message')} "
        f"| {pick(lang, '指针', 'Pointer')} |"
    )
    out = []
    for result in run.results:
        if not result.findings:
            continue
        heading = f"#### {escape(display_path(result.path))} ({len(result.findings)})"
        rows = [
            f"| {_where(f, lang)} | {_ICON.get(f.severity, '')} {severity_label(f.severity, lang)} "
            f"| {escape(f.rule)} | {escape(f.message)} "
            f"| {escape(f.location.pointer) if f.location.pointer else ''} |"
            for f in result.findings
        ]
        out.append(([heading, "", header, "|---|---|---|---|---|"], rows))
    return out


def _errors(run: Run) -> list[str]:
    errors = run.errors()
    lines = []
    if errors:
        lines = ["### " + pick(run.lang, "无法检查", "Not checked"), ""]
        lines += [f"- {escape(display_path(e['path']))}: {escape(e['message'])}" for e in errors]
        lines.append("")
    return lines + _skipped(run)


def _skipped(run: Run) -> list[str]:
    """What the rules could not check: per file, each rule with its reasons and cells."""
    total = run.tally().not_applicable
    if not total:
        return []
    lang = run.lang
    lines = ["### " + pick(lang, f"未能核对（{total} 处）", f"Not checked ({total})"), ""]
    for result in run.results:
        per_rule: dict[str, list[str]] = {}
        for rule, skip in skips.outcome_skips(result.outcomes):
            text = skips.reason_text(skip.reason, lang)
            per_rule.setdefault(rule, []).append(f"{text} {skip.pointer}".strip())
        if not per_rule:
            continue
        lines.append(f"- {escape(display_path(result.path))}")
        for rule, items in per_rule.items():
            shown = pick(lang, "；", "; ").join(items[:10])
            more = len(items) - 10
            if more > 0:
                shown += pick(lang, f"……另{more}处", f" … {more} more")
            lines.append(f"  - {escape(rule)}: {escape(shown)}")
    return [*lines, ""]


def summary(run: Run, max_bytes: int | None = None) -> str:
    """The Markdown page; with `max_bytes`, findings stop before the page would exceed it."""
    head = "\n".join(_head(run)) + "\n"
    tail = "\n".join(_errors(run))
    blocks = _file_blocks(run)
    if not blocks:
        return head + tail
    lines = ["### " + pick(run.lang, "问题清单", "Findings"), ""]
    budget = None if max_bytes is None else max_bytes - 1024 - len((head + tail).encode())
    used = sum(len(line.encode()) + 1 for line in lines)
    shown = 0
    for prelude, rows in blocks:
        for row in rows:
            piece = [*prelude, row] if row is rows[0] else [row]
            cost = sum(len(line.encode()) + 1 for line in piece)
            if budget is not None and used + cost > budget:
                left = len(run.findings) - shown
                lines += [
                    "",
                    pick(
                        run.lang,
                        f"……另有 {left} 处问题未列出（超出篇幅限制），请查看完整输出。",
                        f"… {left} more finding(s) not listed (size limit); see the full output.",
                    ),
                    "",
                ]
                return head + "\n".join(lines) + "\n" + tail
            lines += piece
            used += cost
            shown += 1
        lines.append("")
    return head + "\n".join(lines) + "\n" + tail


def render(run: Run) -> str:
    return summary(run)
