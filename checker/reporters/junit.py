"""junit — JUnit XML for Jenkins, GitLab test reports and CI dashboards.

One ``<testsuite>`` per report file (``name`` = the path), one ``<testcase>``
per report × rule (``classname`` = the path, ``name`` = rule code and title),
so a dashboard shows which rules passed as well as which failed:

- **failure**: the rule has findings in this report. ``message`` is the first
  finding's message (with the count when there are several), ``type`` the
  highest severity; the body lists every finding with its line, JSON pointer,
  expected and actual values.
- **skipped**: the rule does not apply to this report (another template
  version, agency kind or year, or a required value is blank); the reason is
  the ``message``.
- **error**: the rule could not be evaluated (the rule is broken, not the report).
- otherwise the testcase passed (its findings may have been filtered out by a
  baseline or suppression: only findings still reported count).

A file that could not be read is a suite with one testcase ``read`` holding an
``<error>``. Counts (``tests``, ``failures``, ``errors``, ``skipped``) are set on
every suite and on the ``<testsuites>`` root. No timestamps or durations are
written, so the output is byte-identical for the same input. Characters XML 1.0
cannot carry (control characters in an untrusted report) become U+FFFD.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from checker.findings import SEVERITY_RANK, FileResult, Finding
from checker.regexes import lazy
from checker.reporters import Run
from checker.reporters._common import pick

FORMAT = "junit"

_NOT_XML = lazy("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _finding_detail(finding: Finding, lang: str) -> str:
    loc = finding.location
    where = (
        loc.path + (f":{loc.line}" if loc.line else "") + (f":{loc.column}" if loc.column else "")
    )
    lines = [f"{where} {finding.severity} {finding.rule} {finding.message}"]
    if loc.pointer:
        lines.append(f"  {pick(lang, '位置', 'pointer')}: {loc.pointer}")
    if finding.expected is not None or finding.actual is not None:
        lines.append(
            f"  {pick(lang, '应为', 'expected')}: {finding.expected}"
            f"  {pick(lang, '实为', 'actual')}: {finding.actual}"
        )
    if finding.basis:
        lines.append(f"  {pick(lang, '依据', 'basis')}: {finding.basis}")
    return "\n".join(lines)


def _testcase(suite: ET.Element, path: str, rule: str, title: str) -> ET.Element:
    name = f"{rule} {title}".strip()
    return ET.SubElement(suite, "testcase", {"classname": _clean(path), "name": _clean(name)})


def _fail(case: ET.Element, findings: list[Finding], lang: str) -> None:
    worst = max(findings, key=lambda f: SEVERITY_RANK.get(f.severity, 0))
    message = findings[0].message
    if len(findings) > 1:
        message = pick(lang, f"{len(findings)} 处问题：", f"{len(findings)} findings: ") + message
    failure = ET.SubElement(case, "failure", {"message": _clean(message), "type": worst.severity})
    failure.text = _clean("\n".join(_finding_detail(f, lang) for f in findings))


def _titles(run: Run) -> dict[str, str]:
    titles = {rule.id: rule.title.get(run.lang) for rule in run.ruleset.rules}
    for finding in run.findings:
        titles.setdefault(finding.rule, finding.title)
    return titles


def _suite(result: FileResult, titles: dict[str, str], lang: str) -> ET.Element:
    suite = ET.Element("testsuite", {"name": _clean(result.path)})
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if result.error:
        case = _testcase(suite, result.path, "read", pick(lang, "读取文件", "read the file"))
        ET.SubElement(case, "error", {"message": _clean(result.error), "type": "InputError"})
        counts["tests"] = counts["errors"] = 1
    by_rule: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    seen: set[str] = set()
    for outcome in result.outcomes:
        seen.add(outcome.rule)
        case = _testcase(suite, result.path, outcome.rule, titles.get(outcome.rule, ""))
        counts["tests"] += 1
        if by_rule.get(outcome.rule):
            _fail(case, by_rule[outcome.rule], lang)
            counts["failures"] += 1
        elif outcome.outcome == "error":
            ET.SubElement(
                case, "error", {"message": _clean(outcome.reason), "type": "RuleEvaluationError"}
            )
            counts["errors"] += 1
        elif outcome.outcome == "not_applicable":
            ET.SubElement(case, "skipped", {"message": _clean(outcome.reason)})
            counts["skipped"] += 1
    # findings of rules that report no per-file outcome (e.g. cross-report checks)
    for rule in sorted(set(by_rule) - seen):
        case = _testcase(suite, result.path, rule, titles.get(rule, ""))
        _fail(case, by_rule[rule], lang)
        counts["tests"] += 1
        counts["failures"] += 1
    for key, value in counts.items():
        suite.set(key, str(value))
    return suite


def _total(suites: Iterable[ET.Element], key: str) -> str:
    return str(sum(int(s.get(key, "0")) for s in suites))


def render(run: Run) -> str:
    titles = _titles(run)
    suites = [_suite(result, titles, run.lang) for result in run.results]
    root = ET.Element("testsuites", {"name": "nianbao"})
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, _total(suites, key))
    root.extend(suites)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
