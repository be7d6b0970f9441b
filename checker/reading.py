"""Reading problems (EXT-002 onwards) as a class of their own, apart from the report's defects.

A table row the reader could not place, digits that split several ways, a
row it could not find: these say the checker could not read this copy of the
report reliably, not that the report is wrong. So they are warnings by
default (``rules/national/extraction.yaml``; the ``severity`` setting changes
that), they get a summary line of their own ("4 处表格未能可靠读取，相关规则
未核对"), and they fail a run only when asked (``--fail-on-unreadable``).

Why not fail by default: the clerk cannot fix a reading problem in the report,
and a gate that fails on them blocks on the checker's limits; the rules that
needed the unread cells are not applied (never guessed), the summary line says
so, and a gate that must have every table read passes ``--fail-on-unreadable``.
EXT-001 (a structured report that breaks the schema) is the report's own
defect and is not in this class.
"""

from __future__ import annotations

from collections.abc import Iterable

PREFIX = "EXT-"
NOT_READING = frozenset({"EXT-001"})


def is_reading(rule: str) -> bool:
    """Whether findings of `rule` are reading problems rather than defects of the report."""
    return rule.startswith(PREFIX) and rule not in NOT_READING


def count(rules: Iterable[str]) -> int:
    return sum(1 for rule in rules if is_reading(rule))


def summary_line(unread: int, lang: str) -> str:
    """The summary line of its own, or "" when everything was read."""
    if not unread:
        return ""
    if lang == "zh":
        return f"{unread} 处表格未能可靠读取，相关规则未核对（见 EXT 提示；--fail-on-unreadable 时按失败处理）"
    return (
        f"{unread} table passage(s) could not be read reliably; the rules that need them were "
        "not checked (see the EXT findings; --fail-on-unreadable fails the run on them)"
    )
