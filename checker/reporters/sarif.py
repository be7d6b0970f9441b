"""sarif — SARIF 2.1.0 for GitHub code scanning and other static-analysis viewers.

``nianbao check reports/ --format sarif -o nianbao.sarif`` writes one run:

- ``tool.driver`` names nianbao-checker and registers **every rule of the rule
  set in use** (not only those that fired), each with ``id``, ``name``,
  ``shortDescription`` (the title), ``fullDescription`` (the rationale),
  ``help`` (the basis and the message template, text and Markdown),
  ``defaultConfiguration.level`` and ``properties`` (``tags``: code prefix,
  check kind and pack; ``severity``; ``problem.severity`` for GitHub).
- one ``result`` per finding: ``ruleId`` and ``ruleIndex``, ``level``
  (error → ``error``, warning → ``warning``, info → ``note``), ``message.text``
  (in the ``--lang`` language), a physical location whose
  ``artifactLocation.uri`` is relative to the working directory with forward
  slashes and ``uriBaseId: %SRCROOT%`` (a file outside it gets an absolute
  ``file://`` URI), a ``region`` when the line is known (``startColumn``,
  ``endLine``, ``endColumn`` when known; ``endColumn`` is exclusive), the JSON
  pointer of the value as a logical location, the other cells the finding is
  about as ``relatedLocations``, and ``partialFingerprints["nianbao/v1"]``:
  our fingerprint (rule + report + pointer, stable when lines move).
- unreadable files and rules that could not be evaluated are
  ``toolExecutionNotifications`` of the invocation (level error), whose
  ``executionSuccessful`` is false when there were any; what a rule could not
  check (a blank total, an unknown publication date: checker/skips.py) is a
  notification of level note, with the cell's pointer as a logical location.

Columns count Unicode code points (``columnKind: unicodeCodePoints``). The
output has no timestamps: the same input gives byte-identical output.
"""

from __future__ import annotations

from typing import Any

from checker import __version__, skips
from checker.engine.ruleset import Rule
from checker.findings import Finding
from checker.regexes import lazy
from checker.reporters import Run
from checker.reporters._common import artifact_uri, pick
from checker.writer import to_json

FORMAT = "sarif"

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "nianbao/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# GitHub code scanning reads properties."problem.severity": error | warning | recommendation
_GITHUB_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}
_WORD = lazy(r"[A-Za-z0-9]+")


def _rule_name(rule: Rule) -> str:
    """A CamelCase identifier from the English title (SARIF wants a name distinct from the id)."""
    words = _WORD.findall(rule.title.en)
    name = "".join(w[:1].upper() + w[1:] for w in words)
    return name or rule.id.replace("-", "")


def _descriptor(rule: Rule, lang: str) -> dict[str, Any]:
    basis_label = pick(lang, "依据", "Basis")
    message_label = pick(lang, "消息", "Message")
    basis = rule.basis.get(lang)
    template = rule.message.get(lang)
    return {
        "id": rule.id,
        "name": _rule_name(rule),
        "shortDescription": {"text": rule.title.get(lang)},
        "fullDescription": {"text": rule.rationale.get(lang)},
        "help": {
            "text": f"{basis_label}: {basis}\n{message_label}: {template}",
            "markdown": f"**{basis_label}**: {basis}\n\n**{message_label}**: `{template}`",
        },
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
        "properties": {
            "tags": [rule.id.split("-")[0], rule.kind, rule.pack],
            "severity": rule.severity,
            "problem.severity": _GITHUB_SEVERITY.get(rule.severity, "warning"),
        },
    }


def _orphan_descriptor(finding: Finding) -> dict[str, Any]:
    """A finding of a rule outside the rule set (e.g. a cross-report check): describe it minimally."""
    return {
        "id": finding.rule,
        "name": finding.rule.replace("-", ""),
        "shortDescription": {"text": finding.title or finding.rule},
        "defaultConfiguration": {"level": LEVELS.get(finding.severity, "warning")},
        "properties": {"severity": finding.severity},
    }


def _artifact(path: str) -> dict[str, Any]:
    uri, relative = artifact_uri(path)
    return {"uri": uri, "uriBaseId": "%SRCROOT%"} if relative else {"uri": uri}


def _region(finding: Finding) -> dict[str, Any] | None:
    loc = finding.location
    if not loc.line:
        return None
    region: dict[str, Any] = {"startLine": loc.line}
    if loc.column:
        region["startColumn"] = loc.column
    end_line = loc.end_line if loc.end_line and loc.end_line >= loc.line else None
    if end_line:
        region["endLine"] = end_line
        ends_after_start = end_line > loc.line or (loc.column or 1) <= (loc.end_column or 0)
        if loc.end_column and ends_after_start:
            region["endColumn"] = loc.end_column
    return region


def _logical(pointer: str) -> dict[str, Any]:
    return {"name": pointer.rsplit("/", 1)[-1], "fullyQualifiedName": pointer}


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    loc = finding.location
    physical: dict[str, Any] = {"artifactLocation": _artifact(loc.path)}
    region = _region(finding)
    if region:
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    if loc.pointer:
        location["logicalLocations"] = [_logical(loc.pointer)]
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    related = [p for p in finding.related if p != loc.pointer]
    if related:
        result["relatedLocations"] = [
            {
                "id": number,
                "physicalLocation": {"artifactLocation": _artifact(loc.path)},
                "logicalLocations": [_logical(pointer)],
            }
            for number, pointer in enumerate(related, start=1)
        ]
    properties = {
        key: str(value)
        for key, value in (("expected", finding.expected), ("actual", finding.actual))
        if value is not None
    }
    if loc.page is not None:
        properties["page"] = str(loc.page)
    if properties:
        result["properties"] = properties
    return result


def _notifications(run: Run) -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = []
    for result in run.results:
        where = {"physicalLocation": {"artifactLocation": _artifact(result.path)}}
        if result.error:
            notes.append(
                {"level": "error", "message": {"text": result.error}, "locations": [where]}
            )
        for outcome in result.outcomes:
            if outcome.outcome == "error":
                text = pick(
                    run.lang,
                    f"规则 {outcome.rule} 无法评估：{outcome.reason}",
                    f"rule {outcome.rule} could not be evaluated: {outcome.reason}",
                )
                notes.append(
                    {
                        "level": "error",
                        "message": {"text": text},
                        "locations": [where],
                        "associatedRule": {"id": outcome.rule},
                    }
                )
        for rule, skip in skips.outcome_skips(result.outcomes):
            location: dict[str, Any] = dict(where)
            if skip.pointer:
                location["logicalLocations"] = [_logical(skip.pointer)]
            text = pick(
                run.lang,
                f"规则 {rule} 未能核对：{skips.reason_text(skip.reason, 'zh')}",
                f"rule {rule} could not check: {skips.reason_text(skip.reason, 'en')}",
            )
            notes.append(
                {
                    "level": "note",
                    "message": {"text": text},
                    "locations": [location],
                    "associatedRule": {"id": rule},
                    "properties": {"reason": skip.reason},
                }
            )
    return notes


def document(run: Run) -> dict[str, Any]:
    rules = [_descriptor(rule, run.lang) for rule in run.ruleset.rules]
    index = {rule["id"]: number for number, rule in enumerate(rules)}
    for finding in run.findings:
        if finding.rule not in index:
            index[finding.rule] = len(rules)
            rules.append(_orphan_descriptor(finding))
    notifications = _notifications(run)
    failed = any(note["level"] == "error" for note in notifications)
    invocation: dict[str, Any] = {"executionSuccessful": not failed}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "nianbao-checker",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "language": "zh-CN" if run.lang != "en" else "en-US",
                        "rules": rules,
                    }
                },
                "invocations": [invocation],
                "language": "zh-CN" if run.lang != "en" else "en-US",
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index) for f in run.findings],
            }
        ],
    }


def render(run: Run) -> str:
    return to_json(document(run))
