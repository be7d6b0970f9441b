"""template — the report uses one format version, the one in force for its year.

Options::

    assert: evidenced   # the version is recognisable from the labels, and is the one declared
    assert: current     # the version is the one in force for the report year
    assert: consistent  # labels of only one version are used
    assert: uniform     # the report uses a national uniform format at all (not legacy)

Evidence is the set of labels (source documents) or canonical keys
(structured reports) that only one version has. Placeholders:
``{template}``, ``{expected}``, ``{year}``, ``{evidence}`` (labels per version),
``{declared}`` (the version a structured report declares).
"""

from __future__ import annotations

from typing import Any

from checker.engine.context import CheckResult, Context, Failure
from checker.engine.messages import Loc
from checker.templates import template_for_year, templates

KIND = "template"

OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["assert"],
    "additionalProperties": False,
    "properties": {"assert": {"enum": ["evidenced", "current", "consistent", "uniform"]}},
}


def _name(version: str | None) -> Loc:
    tpl = templates().get(version or "")
    return Loc(tpl.name_zh, tpl.name_en) if tpl else Loc("未知格式", "unknown format")


def _evidence(evidence: dict[str, list[str]]) -> Loc:
    zh = "；".join(
        f"{_name(v).zh}：{'、'.join(labels[:4])}" for v, labels in sorted(evidence.items())
    )
    en = "; ".join(
        f"{_name(v).en}: {', '.join(labels[:4])}" for v, labels in sorted(evidence.items())
    )
    return Loc(zh or "无", en or "none")


def compile(options: dict[str, Any]):
    mode = options["assert"]

    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        meta = ctx.report.meta
        evidence = meta.template_evidence
        expected = template_for_year(meta.year)
        params = {
            "template": _name(meta.template),
            "expected": _name(expected.version if expected else None),
            "year": meta.year if meta.year is not None else "?",
            "evidence": _evidence(evidence),
        }
        if mode == "uniform":
            failed = meta.legacy
        elif meta.legacy:
            result.not_applicable.append("legacy report")
            return result
        elif mode == "evidenced":
            declared = meta.declared_template
            failed = not evidence or (declared is not None and declared not in evidence)
            params["declared"] = _name(declared) if declared else Loc("未声明", "not declared")
        elif mode == "consistent":
            failed = len(evidence) > 1
        else:  # current
            if expected is None or meta.template is None or meta.template not in evidence:
                result.not_applicable.append("year or evidenced template unknown")
                return result
            failed = meta.template != expected.version
        if failed:
            result.failures.append(
                Failure(
                    "/tables", params, expected=params["expected"].en, actual=params["template"].en
                )
            )
        else:
            result.passed += 1
        return result

    return check
