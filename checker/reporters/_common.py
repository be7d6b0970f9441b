"""Helpers the CI reporters share: repository-relative paths, localized labels, counts per rule."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from checker.findings import SEVERITIES, Finding

SEVERITY_LABELS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


def pick(lang: str, zh: str, en: str) -> str:
    """One of a fixed string's two languages."""
    return en if lang == "en" else zh


def severity_label(severity: str, lang: str) -> str:
    return SEVERITY_LABELS["en" if lang == "en" else "zh"].get(severity, severity)


def relative_path(path: str, root: Path | None = None) -> str | None:
    """`path` relative to `root` (default: the working directory) with forward slashes.

    None when the file lies outside `root`, where a repository-relative path cannot exist.
    """
    base = os.path.abspath(root or Path.cwd())
    target = os.path.abspath(path)
    try:
        common = os.path.commonpath([base, target])
    except ValueError:  # different drives on Windows
        return None
    if common != base:
        return None
    return Path(os.path.relpath(target, base)).as_posix()


def artifact_uri(path: str, root: Path | None = None) -> tuple[str, bool]:
    """A URI for the file and whether it is relative to the source root (`%SRCROOT%`)."""
    relative = relative_path(path, root)
    if relative is not None:
        return quote(relative, safe="/"), True
    return Path(os.path.abspath(path)).as_uri(), False


def display_path(path: str, root: Path | None = None) -> str:
    """Repository-relative when possible, else the path as given."""
    return relative_path(path, root) or path


def counts_per_rule(findings: list[Finding]) -> list[tuple[str, str, dict[str, int]]]:
    """(rule, title, counts by severity) for every rule with findings, ordered by rule code."""
    by_rule: dict[str, Counter[str]] = {}
    titles: dict[str, str] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, Counter())[finding.severity] += 1
        titles.setdefault(finding.rule, finding.title)
    return [
        (rule, titles[rule], {s: by_rule[rule][s] for s in SEVERITIES if by_rule[rule][s]})
        for rule in sorted(by_rule)
    ]


def one_line(text: str) -> str:
    """Text on a single line (reports are untrusted and may hide line breaks in values)."""
    return " ".join(text.split())
