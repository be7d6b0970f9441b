"""diagnostic — problems that readers met while reading or extracting the report.

Readers do not judge reports, but they do find things a reviewer must see:
a structured report that breaks the schema, a table row whose numbers could
not be read, a label that matches no template row, digits that split more
than one way. Each is recorded on the report with a code; a rule of this kind
turns the diagnostics carrying its own id into findings, so they have a
title, severity, basis and message like every other rule and can be
selected, ignored and baselined.

Options: none. Placeholders: whatever the reader recorded (see each EXT rule).
"""

from __future__ import annotations

from typing import Any

from checker.engine.context import CheckResult, Context, Failure

KIND = "diagnostic"

OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"code": {"type": "string", "description": "set by the loader: the rule id"}},
}


# what a reader adds to help a person (the readings of EXT-005 and what the prose says of
# them), not what the problem is: left out of the fingerprint, so baselines keep matching
_PRESENTATION = frozenset({"listed", "candidates", "judgement"})


def _identity(params: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(k, v) for k, v in params.items() if k not in _PRESENTATION]


def compile(options: dict[str, Any]):
    code = options["code"]

    def check(ctx: Context) -> CheckResult:
        result = CheckResult()
        for diag in (d for d in ctx.report.diagnostics if d.code == code):
            result.failures.append(
                Failure(
                    diag.pointer or "/",
                    dict(diag.params),
                    expected=diag.params.get("expected"),
                    actual=diag.params.get("actual"),
                    pos=diag.pos or ctx.report.position_of(diag.pointer),
                    discriminator=f"{sorted(_identity(diag.params))!s:.200}",
                )
            )
        if not result.failures:
            result.passed += 1
        return result

    return check
