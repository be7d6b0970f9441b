"""Run a compiled rule set over one report and turn check results into findings."""

from __future__ import annotations

from checker.engine import patterns
from checker.engine.context import Context, Failure
from checker.engine.messages import render
from checker.engine.ruleset import Rule, RuleSet, is_bundled
from checker.errors import RuleEvaluationError
from checker.findings import Finding, Location, RuleOutcome, Skip, fingerprint
from checker.model import Position, Report


def _applies(rule: Rule, report: Report) -> tuple[str | None, Skip | None]:
    """(None, None) when the rule applies to the report, else why not; the Skip is set when
    the only reason is a fact the report left unknown (a template, year or agency kind the
    rule is limited to): then the rule could not be checked, and that is reported."""
    meta, applies = report.meta, rule.applies
    reasons: list[str] = []
    unknown: list[Skip] = []
    if applies.templates is not None and meta.template not in applies.templates:
        reasons.append(f"template {meta.template or 'unknown'} not in {list(applies.templates)}")
        if meta.template is None:
            unknown.append(Skip("unknown_template", "/meta/template"))
    if applies.agency_kinds is not None and meta.agency_kind not in applies.agency_kinds:
        reasons.append(
            f"agency kind {meta.agency_kind or 'unknown'} not in {list(applies.agency_kinds)}"
        )
        if meta.agency_kind is None:
            unknown.append(Skip("unknown_agency_kind", "/meta/agency_kind"))
    if applies.year_min is not None or applies.year_max is not None:
        if meta.year is None:
            reasons.append("report year unknown")
            unknown.append(Skip("unknown_year", "/meta/year"))
        elif applies.year_min is not None and meta.year < applies.year_min:
            reasons.append(f"year {meta.year} before {applies.year_min}")
        elif applies.year_max is not None and meta.year > applies.year_max:
            reasons.append(f"year {meta.year} after {applies.year_max}")
    if not reasons:
        return None, None
    return reasons[0], unknown[0] if len(unknown) == len(reasons) else None


def _location(report: Report, failure: Failure) -> Location:
    pos: Position | None = failure.pos or report.position_of(failure.pointer)
    if pos is None:
        return Location(report.path, failure.pointer)
    return Location(
        path=report.path,
        pointer=failure.pointer,
        line=pos.line,
        column=pos.column,
        end_line=pos.end_line,
        end_column=pos.end_column,
        page=pos.page,
        x=pos.x,
        y=pos.y,
    )


def _finding(rule: Rule, report: Report, failure: Failure, lang: str, report_id: str) -> Finding:
    return Finding(
        rule=rule.id,
        severity=rule.severity if rule.severity_fixed else failure.severity or rule.severity,
        title=rule.title.get(lang),
        message=render(rule.message.get(lang), failure.params, lang)
        + (failure.note.get(lang) if failure.note else ""),
        location=_location(report, failure),
        expected=failure.expected,
        actual=failure.actual,
        basis=rule.basis.get(lang),
        fingerprint=fingerprint(rule.id, report_id, failure.pointer, failure.discriminator),
        related=failure.related,
    )


def evaluate(
    report: Report, ruleset: RuleSet, lang: str = "zh", report_id: str | None = None
) -> tuple[list[Finding], list[RuleOutcome]]:
    """All findings and the outcome of every rule for one report."""
    ctx = Context(report)
    report_id = report_id or report.path
    findings: list[Finding] = []
    outcomes: list[RuleOutcome] = []
    patterns.new_report()  # the regex time of all rules on this report is bounded
    for rule in ruleset.rules:
        reason, unknown = _applies(rule, report)
        if reason is not None:
            skips = (unknown,) if unknown else ()
            outcomes.append(RuleOutcome(rule.id, "not_applicable", reason, skips))
            continue
        patterns.new_rule(bundled=is_bundled(rule))
        try:
            result = rule.check(ctx)
        except RuleEvaluationError as exc:
            outcomes.append(RuleOutcome(rule.id, "error", str(exc)))
            continue
        except Exception as exc:  # a broken rule must never pass silently nor crash the run
            outcomes.append(RuleOutcome(rule.id, "error", f"{type(exc).__name__}: {exc}"))
            continue
        skips = tuple(result.skips)
        if result.failures:
            findings.extend(_finding(rule, report, f, lang, report_id) for f in result.failures)
            outcomes.append(RuleOutcome(rule.id, "fail", skips=skips))
        elif result.passed:
            outcomes.append(RuleOutcome(rule.id, "pass", skips=skips))
        else:
            outcomes.append(
                RuleOutcome(rule.id, "not_applicable", "; ".join(result.not_applicable[:3]), skips)
            )
    patterns.end_report()
    findings.sort(key=Finding.sort_key)
    return findings, outcomes
