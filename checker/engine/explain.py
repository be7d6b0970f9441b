"""`nianbao rules show CODE`: a rule explained for people."""

from __future__ import annotations

from checker.engine.kinds import KINDS
from checker.engine.ruleset import Applies, Rule
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


# what each check kind does, in Chinese (the English is the first line of its docstring)
KIND_WORDS_ZH = {
    "compare": "两组单元格之和的大小关系（≤、≥、<、>）",
    "cross_year": "与同一机关上一年度的报告对照",
    "deadline": "发布日期在相对报告年度的规定日期之前（或之后）",
    "diagnostic": "读取或提取报告时遇到的问题",
    "equation": "一组单元格之和等于另一组单元格之和",
    "fields_agree": "应当一致的基本信息（年度、名称等）彼此一致",
    "narrative_breakdown": "正文中的合计数与其分项之和一致",
    "narrative_figure": "正文所述数字与表格一致",
    "required_sections": "六个部分齐全、顺序正确、标题规范、内容不为空",
    "statistics_period": "报告写明统计期限，且为报告年度",
    "sum": "合计等于各分项之和",
    "table_shape": "格式规定的表格、行、列和单元格齐全",
    "template": "报告只用一种格式，且为其年度适用的格式",
    "text_pattern": "报告某部分必须（或不得）出现的文字",
    "value_domain": "每个填写的单元格的值符合该列的取值范围",
}
_SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
_AGENCY_KIND_ZH = {
    "government": "人民政府",
    "department": "政府部门",
    "township": "乡镇",
    "subdistrict": "街道",
    "other": "其他机关",
}


def scope_words(applies: Applies, lang: str) -> str:
    """A rule's scope in plain words ("" when it applies to every report)."""
    zh = lang == "zh"
    parts = []
    if applies.templates:
        versions = "、".join(applies.templates) if zh else ", ".join(applies.templates)
        parts.append(f"{versions}年格式" if zh else f"templates {versions}")
    if applies.agency_kinds:
        kinds = applies.agency_kinds
        parts.append(
            "机关类型：" + "、".join(_AGENCY_KIND_ZH.get(k, k) for k in kinds)
            if zh
            else "agency kinds " + ", ".join(kinds)
        )
    if applies.year_min or applies.year_max:
        low, high = applies.year_min or "", applies.year_max or ""
        parts.append(f"{low}–{high}年度" if zh else f"years {low}–{high}")
    return ("；" if zh else "; ").join(parts)


def kind_words(kind: str, lang: str) -> str:
    if lang == "zh" and kind in KIND_WORDS_ZH:
        return KIND_WORDS_ZH[kind]
    return (KINDS[kind].__doc__ or kind).strip().splitlines()[0]


def explain(rule: Rule, lang: str) -> str:
    h = _HEAD["en" if lang == "en" else "zh"]
    scope = scope_words(rule.applies, "en" if lang == "en" else "zh")
    severity = rule.severity if lang == "en" else _SEVERITY_ZH.get(rule.severity, rule.severity)
    lines = [
        f"{rule.id}  {rule.title.get(lang)}",
        "",
        f"{h[0]}: {severity}",
        f"{h[1]}: {rule.basis.get(lang)}",
        f"{h[2]}: {rule.rationale.get(lang)}",
        f"{h[3]}: {scope or h[9]}",
        f"{h[4]}: {kind_words(rule.kind, lang)}",
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
