"""required_sections — the six numbered sections are there, in order, worded, not empty.

Options::

    sections: [1, 2, 3, 4, 5, 6]   # which sections (default: all six)
    order: true                    # also require ascending order
    wording: false                 # instead: flag titles that deviate from the official text
    non_empty: false               # instead: flag listed sections that have a heading but no text

Placeholders: ``{section}`` (official title), ``{title}`` (as written),
``{problem}`` (what is wrong: a missing section, or the order found).
"""

from __future__ import annotations

from typing import Any

from checker.engine.context import CheckResult, Context, Failure
from checker.engine.messages import Loc
from checker.templates import normalize_label, section_def, split_numbering

KIND = "required_sections"

OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "sections": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": 6},
            "minItems": 1,
            "uniqueItems": True,
        },
        "order": {"type": "boolean"},
        "wording": {"type": "boolean"},
        "non_empty": {"type": "boolean"},
    },
}

_CHINESE_NUMBERS = "一二三四五六"


def _core(title: str) -> str:
    return split_numbering(normalize_label(title))[1]


def compile(options: dict[str, Any]):
    wanted = options.get("sections", [1, 2, 3, 4, 5, 6])

    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        report = ctx.report
        present = {s.number: (i, s) for i, s in enumerate(report.sections)}
        if options.get("wording") or options.get("non_empty"):
            for number in wanted:
                if number not in present:
                    result.not_applicable.append(f"section {number} absent")
                    continue
                index, section = present[number]
                official = section_def(number)
                pointer = f"/sections/{index}"
                if options.get("wording"):
                    ok = _core(section.title) == official.core
                else:
                    ok = bool(section.text.strip())
                if ok:
                    result.passed += 1
                else:
                    result.failures.append(
                        Failure(
                            pointer,
                            {"section": ctx.section_title(number), "title": section.title},
                            expected=official.title,
                            actual=section.title if options.get("wording") else "",
                            pos=section.pos,
                        )
                    )
            return result
        missing = [n for n in wanted if n not in present]
        for number in missing:
            later = [s for s in report.sections if s.number > number]
            result.failures.append(
                Failure(
                    "/sections",
                    {
                        "section": ctx.section_title(number),
                        "problem": Loc(
                            f"缺少“{section_def(number).title}”",
                            f'missing "{section_def(number).en}"',
                        ),
                    },
                    expected=section_def(number).title,
                    actual="absent",
                    pos=later[0].pos if later else None,
                    discriminator=str(number),
                )
            )
        if options.get("order", True):
            found = [s.number for s in report.sections if s.number in wanted]
            if found != sorted(found) or len(found) != len(set(found)):
                order = "、".join(_CHINESE_NUMBERS[n - 1] for n in found)
                result.failures.append(
                    Failure(
                        "/sections",
                        {
                            "section": order,
                            "problem": Loc(
                                f"顺序不对（实际顺序：{order}）", f"out of order (found: {order})"
                            ),
                        },
                        expected="一、二、三、四、五、六",
                        actual=order,
                        pos=report.sections[0].pos if report.sections else None,
                        discriminator="order",
                    )
                )
        if not result.failures:
            result.passed += 1
        return result

    return check
