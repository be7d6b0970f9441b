"""What could not be checked, said in every output ("错误 0" must mean "checked and fine").

A rule records a :class:`~checker.findings.Skip` when it could not check something:
a sum whose total is blank, a row that is missing or unreadable, a deadline
without a publication date or an agency kind. Rules that do not apply to a
report (a 2019-format rule on a 2021 report, nothing in the prose to compare)
record none. Every output format lists the skips per file (JSON
``files[].not_applicable``, SARIF run notifications, Markdown, HTML,
``--statistics``) and counts them (``summary.not_applicable``); the console
prints one summary line, and the details with ``--show-skipped``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from checker.findings import FileResult, RuleOutcome, Skip

# reason code -> (zh, en): why a rule could not check something
REASONS: dict[str, tuple[str, str]] = {
    "blank_cell": ("空白单元格", "blank cell"),
    "missing_cell": ("缺少行或列", "missing row or column"),
    "blank_in_part": ("组成报告中该单元格空白或缺失", "blank or absent in a member report"),
    "unreadable_cell": ("单元格无法读取", "unreadable cell"),
    "ambiguous_reading": ("数字连写、读法不唯一", "digits run together, ambiguous reading"),
    "not_a_number": ("单元格不是数字", "cell is not a number"),
    "missing_table": ("缺少表格", "missing table"),
    "unknown_agency_kind": ("机关类型未知（可用 --agency-kind）", "agency kind unknown (--agency-kind)"),
    "unknown_publication_date": ("发布日期未知（可用 --published）", "publication date unknown (--published)"),
    "unknown_year": ("报告年度未知（可用 --year）", "report year unknown (--year)"),
    "unknown_template": ("格式版本未知", "format version unknown"),
}  # fmt: skip


def reason_text(reason: str, lang: str) -> str:
    zh, en = REASONS.get(reason, (reason, reason))
    return en if lang == "en" else zh


def outcome_skips(outcomes: Iterable[RuleOutcome]) -> Iterator[tuple[str, Skip]]:
    """(rule, skip) for everything the rules of one file could not check, in rule order."""
    for outcome in outcomes:
        for skip in outcome.skips:
            yield outcome.rule, skip


def entries(result: FileResult, lang: str = "zh") -> list[dict[str, Any]]:
    """The JSON form: ``[{rule, reason, message, pointer?}]``."""
    found: list[dict[str, Any]] = []
    for rule, skip in outcome_skips(result.outcomes):
        entry: dict[str, Any] = {
            "rule": rule,
            "reason": skip.reason,
            "message": reason_text(skip.reason, lang),
        }
        if skip.pointer:
            entry["pointer"] = skip.pointer
        found.append(entry)
    return found


def per_rule(results: Iterable[FileResult]) -> dict[str, Counter[str]]:
    """rule -> how many skips of each reason, over all files."""
    counts: dict[str, Counter[str]] = {}
    for result in results:
        for rule, skip in outcome_skips(result.outcomes):
            counts.setdefault(rule, Counter())[skip.reason] += 1
    return counts


def describe(counts: dict[str, Counter[str]], lang: str, limit: int = 8) -> str:
    """'T3-002 空白单元格×23、META-004 机关类型未知…' for a summary line."""
    sep = "、" if lang != "en" else "; "
    parts = []
    for rule in sorted(counts)[:limit]:
        reasons = ", ".join(
            reason_text(reason, lang) + (f"×{n}" if n > 1 else "")
            for reason, n in sorted(counts[rule].items())
        )
        parts.append(f"{rule} {reasons}")
    more = len(counts) - limit
    if more > 0:
        parts.append(f"…（另{more}条）" if lang != "en" else f"… ({more} more)")
    return sep.join(parts)


def summary_line(counts: dict[str, Counter[str]], lang: str) -> str | None:
    """One line for the console: how many rules could not check something, and why."""
    if not counts:
        return None
    if lang == "en":
        return f"{len(counts)} rule(s) could not check everything: {describe(counts, lang)}"
    return f"{len(counts)} 条规则未能核对：{describe(counts, lang)}"
