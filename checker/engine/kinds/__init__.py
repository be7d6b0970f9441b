"""The closed set of check kinds. One module per kind; the module docstring is its documentation.

Each module defines ``KIND`` (its name in a rule's ``check.kind``),
``OPTIONS_SCHEMA`` (JSON Schema of the options next to ``kind``) and
``compile(options) -> Check`` where a Check maps a Context to a CheckResult.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from checker.engine.context import CheckResult, Context
from checker.engine.kinds import (
    blank_cells,
    compare,
    cross_year,
    deadline,
    diagnostic,
    equation,
    facts_known,
    fields_agree,
    minimal_repair,
    narrative_breakdown,
    narrative_figure,
    narrative_rate,
    required_sections,
    rollup,
    statistics_period,
    sum,
    table_shape,
    template,
    text_pattern,
    value_domain,
)

Check = Callable[[Context], CheckResult]

KINDS: dict[str, ModuleType] = {
    module.KIND: module
    for module in (
        required_sections,
        table_shape,
        sum,
        equation,
        compare,
        value_domain,
        statistics_period,
        deadline,
        fields_agree,
        text_pattern,
        narrative_breakdown,
        narrative_figure,
        narrative_rate,
        template,
        diagnostic,
        cross_year,
        minimal_repair,
        rollup,
        blank_cells,
        facts_known,
    )
}
