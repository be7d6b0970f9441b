"""`nianbao rules show CODE`: a rule explained for people."""

from __future__ import annotations

from checker.engine.kinds import KINDS
from checker.engine.ruleset import Rule
from checker.writer import to_yaml

_HEAD = {
    "zh": ("级别", "依据", "理由", "适用", "检查方式", "消息模板", "示例", "通过", "违反", "全部"),
    "en": (
        "Severity",
        "Basis",
        "Rationale",
        "Applies to",
        "Check",
        "Message",
        "Examples",
        "pass",
        "fail",
        "all",
    ),
}


def explain(rule: Rule, lang: str) -> str:
    h = _HEAD["en" if lang == "en" else "zh"]
    applies = rule.applies
    scope = []
    if applies.templates:
        scope.append("templates " + ", ".join(applies.templates))
    if applies.agency_kinds:
        scope.append("agency kinds " + ", ".join(applies.agency_kinds))
    if applies.year_min or applies.year_max:
        scope.append(f"years {applies.year_min or ''}–{applies.year_max or ''}")
    doc = (KINDS[rule.kind].__doc__ or "").strip().splitlines()[0]
    lines = [
        f"{rule.id}  {rule.title.get(lang)}",
        "",
        f"{h[0]}: {rule.severity}",
        f"{h[1]}: {rule.basis.get(lang)}",
        f"{h[2]}: {rule.rationale.get(lang)}",
        f"{h[3]}: {'; '.join(scope) or h[9]}",
        f"{h[4]}: {doc}",
        to_yaml({k: v for k, v in rule.options.items() if k != "code"}).rstrip()
        if rule.options
        else "",
        f"{h[5]}: {rule.message.get(lang)}",
        f"{h[6]}:",
        to_yaml(
            {h[7]: rule.examples.get("pass", []), h[8]: rule.examples.get("fail", [])}
        ).rstrip(),
        "",
    ]
    return "\n".join(line for line in lines if line is not None) + "\n"
