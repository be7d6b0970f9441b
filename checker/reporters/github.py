"""github — GitHub Actions annotations and the job summary.

``nianbao check reports/ --format github`` prints workflow commands that
GitHub shows on the pull request's changed files::

    ::error file=reports/2024.yaml,line=45,col=116,endColumn=117,title=T3-002 表三…::表三“（一）予以公开”行：…

error → ``::error``, warning → ``::warning``, info → ``::notice``. The file is
relative to the working directory (run from the repository root) with
forward slashes; ``line``/``col``/``endColumn`` appear when known (``endLine``
instead of columns for a span over several lines: GitHub takes columns only
on one line; its ``endColumn`` is inclusive).
Message data escapes ``%``, CR and LF (``%25``, ``%0D``, ``%0A``); property
values also escape ``:`` and ``,`` (``%3A``, ``%2C``), as GitHub's toolkit
does. Unreadable files and rules that could not be evaluated are errors.

GitHub displays at most 10 annotations of each type per step, so only the
first 10 errors, 10 warnings and 10 notices are printed as annotations; a
plain log line says how many more there are. When ``$GITHUB_STEP_SUMMARY``
names a file, :func:`publish` appends (never truncates) the complete list
as Markdown (the ``markdown`` format, kept under GitHub's 1 MiB limit), with
what each rule could not check. The log also gets one plain line naming the
rules that could not check everything (blank cells, unknown dates…), as the
console prints it: "0 errors" in a CI log must mean "checked and fine".
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from checker import skips
from checker.findings import Finding
from checker.reporters import Run
from checker.reporters._common import display_path, pick

FORMAT = "github"

MAX_PER_TYPE = 10
STEP_SUMMARY_MAX_BYTES = 1024 * 1024
COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, properties: dict[str, str | int | None]) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}" for key, value in properties.items() if value
    )
    return (
        f"::{kind} {props}::{escape_data(message)}"
        if props
        else f"::{kind}::{escape_data(message)}"
    )


def _annotation(finding: Finding) -> tuple[str, str]:
    loc = finding.location
    properties: dict[str, str | int | None] = {"file": display_path(loc.path)}
    if loc.line:
        properties["line"] = loc.line
        if loc.end_line and loc.end_line > loc.line:
            properties["endLine"] = loc.end_line  # GitHub takes columns on one-line spans only
        else:
            properties["col"] = loc.column
            # GitHub's endColumn is inclusive (it defaults to col); ours is exclusive
            if loc.end_line == loc.line and loc.end_column and loc.column:
                properties["endColumn"] = max(loc.end_column - 1, loc.column)
    properties["title"] = f"{finding.rule} {finding.title}".strip()
    kind = COMMANDS.get(finding.severity, "warning")
    return kind, command(kind, finding.message, properties)


def _error_annotations(run: Run) -> list[str]:
    out = []
    for error in run.errors():
        title = pick(run.lang, "nianbao 无法检查", "nianbao could not check")
        out.append(
            command(
                "error", error["message"], {"file": display_path(error["path"]), "title": title}
            )
        )
    return out


def render(run: Run) -> str:
    lines: list[str] = []
    emitted = dict.fromkeys(COMMANDS.values(), 0)
    left = dict.fromkeys(COMMANDS.values(), 0)
    candidates = [("error", line) for line in _error_annotations(run)]
    candidates += [_annotation(f) for f in run.findings]
    for kind, line in candidates:
        if emitted[kind] < MAX_PER_TYPE:
            lines.append(line)
            emitted[kind] += 1
        else:
            left[kind] += 1
    for kind, count in left.items():
        if count:
            lines.append(
                pick(
                    run.lang,
                    f"nianbao：另有 {count} 条 {kind} 未作为注释显示（GitHub 每类最多显示 {MAX_PER_TYPE} 条），完整清单见作业摘要。",
                    f"nianbao: {count} more {kind} annotation(s) not shown (GitHub displays {MAX_PER_TYPE} per type); see the job summary for the full list.",
                )
            )
    skipped = skips.summary_line(run.tally().skipped, run.lang)
    if skipped:  # a log line, not an annotation: nothing is wrong in the report, only unchecked
        lines.append(
            f"nianbao：{skipped}（逐项见作业摘要）"
            if run.lang != "en"
            else f"nianbao: {skipped} (each one in the job summary)"
        )
    return "".join(line + "\n" for line in lines)


def publish(run: Run, environ: Mapping[str, str]) -> None:
    """Append the full list as Markdown to the job summary when GitHub provides one."""
    from checker.reporters.markdown import summary

    target = environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    text = summary(run, max_bytes=STEP_SUMMARY_MAX_BYTES)
    with Path(target).open("a", encoding="utf-8", newline="\n") as handle:
        handle.write(text if text.endswith("\n") else text + "\n")
