"""template — the report uses one format version, the one in force for its year.

Options::

    assert: evidenced   # the version is recognisable from the labels, and is the one declared;
                        # also said (at the rule's severity) when the version is newer than the
                        # report year's (the 2021 format for a 2020 report)
    assert: current     # the version is the one in force for the report year
    assert: consistent  # the structure (rows, blocks, columns) of only one version is used; a
                        # wording variant of the other version alone (a template's ``wording``
                        # labels, e.g. 行政规范性文件 in a 2019 table) is said at info severity
    assert: uniform     # the report uses a national uniform format at all (not legacy)

Evidence is the set of labels (source documents) or canonical keys
(structured reports) that only one version has. Placeholders:
``{template}``, ``{expected}``, ``{year}``, ``{evidence}`` (labels per version),
``{declared}`` (the version a structured report declares), ``{note}`` (evidenced:
what else there is to say), ``{detail}`` (consistent: a mix of structures or a
wording variant).
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


def _structural(evidence: dict[str, list[str]]) -> dict[str, list[str]]:
    """The evidence that is structure, not a wording variant (see the templates' ``wording``)."""
    known = templates()
    kept = {
        version: [
            label for label in labels if label not in getattr(known.get(version), "wording", ())
        ]
        for version, labels in evidence.items()
    }
    return {version: labels for version, labels in kept.items() if labels}


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
            newer = (
                expected is not None
                and meta.template in evidence
                and meta.template > expected.version
            )
            failed = not evidence or (declared is not None and declared not in evidence) or newer
            params["declared"] = _name(declared) if declared else Loc("未声明", "not declared")
            params["note"] = (
                Loc(
                    f"；该格式晚于{meta.year}年度适用的{params['expected'].zh}",
                    f"; this format is newer than the {params['expected'].en} of {meta.year}",
                )
                if newer
                else Loc("", "")
            )
        elif mode == "consistent":
            structural = _structural(evidence)
            failed = len(evidence) > 1
            if failed and len(structural) < 2:
                params["detail"] = Loc(
                    f"报告按{params['template'].zh}核对；个别标签的用词属于另一版本"
                    "（用词差异，不是混用格式）",
                    f"Checked as the {params['template'].en}; some wording belongs to the other "
                    "version (a wording variant, not a mix of formats)",
                )
                result.failures.append(
                    Failure(
                        "/tables",
                        params,
                        expected=params["template"].en,
                        actual=params["evidence"].en,
                        severity="info",
                        discriminator="wording",
                    )
                )
                return result
            params["detail"] = Loc(
                "报告混用了两个格式版本的表格结构（行、栏目或列）",
                "The report mixes the table structures (rows, blocks or columns) of two format "
                "versions",
            )
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
