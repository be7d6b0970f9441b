"""facts_known — the facts other rules need are known, or the user is told how to give them.

Options::

    facts: [year, agency_kind, published]   # metadata fields, in the order named
    from_year: 2019                          # optional: only for reports of this year on

One failure listing every fact the report leaves unknown, each with how to give
it (``--year``, ``--agency-kind`` or ``[metadata]`` in the configuration,
``--published``), so that a deadline rule that could not run is never silent.
A report before ``from_year`` is not applicable. Placeholder: ``{missing}``.
"""

from __future__ import annotations

from typing import Any

from checker.engine.context import CheckResult, Context, Failure
from checker.engine.messages import Loc

KIND = "facts_known"

HOW_TO_GIVE: dict[str, Loc] = {
    "year": Loc("报告年度（可用 --year 指定）", "the report year (give it with --year)"),
    "agency_kind": Loc(
        "机关类型（可用 --agency-kind 或配置文件 [metadata] 的 agency-kind 指定）",
        "the agency kind (give it with --agency-kind, or agency-kind under [metadata] in the configuration)",
    ),
    "published": Loc(
        "发布日期（报告中未见发布日期或落款日期；可用 --published 指定）",
        "the publication date (none in the report or its signature block; give it with --published)",
    ),
    "agency": Loc(
        "机关名称（可用 --agency 或配置文件 [metadata] 的 agency 指定）",
        "the agency name (give it with --agency, or agency under [metadata] in the configuration)",
    ),
}

OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["facts"],
    "additionalProperties": False,
    "properties": {
        "facts": {"type": "array", "items": {"enum": sorted(HOW_TO_GIVE)}, "minItems": 1},
        "from_year": {"type": "integer", "minimum": 1990, "maximum": 2100},
    },
}


def compile(options: dict[str, Any]):
    facts: list[str] = list(options["facts"])
    from_year = options.get("from_year")

    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        meta = ctx.report.meta
        if from_year is not None and meta.year is not None and meta.year < from_year:
            result.not_applicable.append(f"report year {meta.year} before {from_year}")
            return result
        missing = [name for name in facts if getattr(meta, name) is None]
        if not missing:
            result.passed += 1
            return result
        result.failures.append(
            Failure(
                f"/meta/{missing[0]}",
                {"missing": [HOW_TO_GIVE[name] for name in missing]},
                expected=missing,
                actual=None,
                pos=meta.positions.get("title"),
                discriminator=",".join(missing),
            )
        )
        return result

    return check
