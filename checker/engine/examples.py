"""Rule examples: build each example report and check that its rule behaves.

An example patches one of the pack's valid base reports: a structured base
with ``set`` (JSON pointer -> value) and ``remove`` (pointers), or a source
text base with ``replace`` (exact substitutions). ``replace`` on a YAML base
edits its text instead, for what only the text carries (a suppression
comment: the example is then seen as a checked file is, with its ``SUP-``
diagnostics). For cross-year rules an example may carry ``previous``: last
year's report of the same agency, built the same way; for roll-up rules
``parts``: the member reports the example sums. A passing example must
leave its rule silent; a failing one must fire its rule and no other
error-severity rule, so each example shows one defect.
"""

from __future__ import annotations

import copy
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from msgspec import Struct, field

from checker.engine.evaluate import evaluate
from checker.engine.ruleset import Rule, RuleSet
from checker.errors import InputError
from checker.findings import Finding
from checker.gate import crossyear, suppressions
from checker.model import Report
from checker.sources import read_report
from checker.sources.encoding import decode_text
from checker.sources.limits import read_bytes
from checker.sources.structured import structured_report
from checker.sources.yamlnodes import load_yaml_with_positions


class ExampleResult(Struct):
    rule: str
    kind: str  # pass | fail
    index: int
    ok: bool
    problem: str = ""
    findings: list[Finding] = field(default_factory=list)


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def _walk(data: Any, pointer: str, create: bool) -> tuple[Any, str]:
    parts = [_unescape(p) for p in pointer.split("/")[1:]]
    node = data
    for part in parts[:-1]:
        if isinstance(node, list):
            node = node[int(part)]
        else:
            if part not in node:
                if not create:
                    raise KeyError(pointer)
                node[part] = {}
            node = node[part]
    return node, parts[-1]


def apply_patch(data: Any, example: dict[str, Any]) -> Any:
    patched = copy.deepcopy(data)
    for pointer in example.get("remove", []):
        parent, key = _walk(patched, pointer, create=False)
        if isinstance(parent, list):
            parent.pop(int(key))
        else:
            del parent[key]
    for pointer, value in example.get("set", {}).items():
        parent, key = _walk(patched, pointer, create=True)
        if isinstance(parent, list):
            parent[int(key)] = value
        else:
            parent[key] = value
    return patched


@cache
def _base_data(path: Path) -> Any:
    text = decode_text(read_bytes(path), str(path))
    return load_yaml_with_positions(text, str(path))[0]


def build_example(ruleset: RuleSet, rule: Rule, example: dict[str, Any]) -> Report:
    report = _build(ruleset, rule, example)
    if "previous" in example:
        crossyear.link(report, _build(ruleset, rule, example["previous"]), ruleset)
    if "parts" in example:
        from checker.gate.rollup import Part, Rollup

        built = [_build(ruleset, rule, part) for part in example["parts"]]
        report.rollup = Rollup(
            [Part(f"part-{i}.yaml", r.meta.template, r.tables) for i, r in enumerate(built, 1)]
        )
    return report


def _annotate_suppressions(report: Report, path: Path, shown: str, ruleset: RuleSet) -> None:
    """Record the SUP- diagnostics a check of this file would (see checker/gate/suppressions.py)."""
    found = suppressions.in_source(path, shown)
    if not found:
        return
    report.diagnostics.extend(suppressions.malformed(found))
    findings, outcomes = evaluate(report, ruleset)
    suppressions.apply(findings, found)
    evaluated = {o.rule for o in outcomes if o.outcome in ("pass", "fail")}
    report.diagnostics.extend(suppressions.unused(found, evaluated, [r.id for r in ruleset.rules]))


def _build(ruleset: RuleSet, rule: Rule, example: dict[str, Any]) -> Report:
    base_key = example.get("base") or (rule.applies.templates or ("2021",))[-1]
    base = ruleset.examples_base.get(base_key)
    if base is None:
        raise InputError(str(rule.source.path), f"rule {rule.id}: no example base {base_key!r}")
    shown = f"{rule.id}-example.{base.suffix.lstrip('.')}"
    structured = base.suffix in (".yaml", ".yml", ".json")
    if structured and "replace" not in example:
        data = apply_patch(_base_data(base), example)
        return structured_report(data, {}, shown)
    text = decode_text(read_bytes(base), str(base))
    for item in example.get("replace", []):
        if item["old"] not in text:
            raise InputError(
                str(rule.source.path),
                f"rule {rule.id}: example text not found: {item['old'][:30]!r}",
            )
        text = text.replace(item["old"], item["new"], 1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"example{base.suffix}"
        path.write_text(text, encoding="utf-8")
        report = read_report(path, display=shown)
        _annotate_suppressions(report, path, shown, ruleset)
        return report


def run_examples(ruleset: RuleSet, rule: Rule, lang: str = "zh") -> list[ExampleResult]:
    results = []
    for kind in ("pass", "fail"):
        for index, example in enumerate(rule.examples.get(kind, [])):
            try:
                report = build_example(ruleset, rule, example)
            except InputError as exc:
                results.append(ExampleResult(rule.id, kind, index, False, exc.message))
                continue
            findings, outcomes = evaluate(report, ruleset, lang)
            errors = [o for o in outcomes if o.outcome == "error"]
            own = [f for f in findings if f.rule == rule.id]
            if errors:
                problem = "; ".join(f"{o.rule}: {o.reason}" for o in errors)
            elif kind == "pass":
                problem = f"{rule.id} fired: {own[0].message}" if own else ""
            elif not own:
                problem = f"{rule.id} did not fire"
            else:
                expected = {rule.id, *example.get("fires_with", ())}
                others = sorted(
                    {f.rule for f in findings if f.severity == "error" and f.rule not in expected}
                )
                problem = f"other error rules fired too: {', '.join(others)}" if others else ""
            results.append(ExampleResult(rule.id, kind, index, not problem, problem, findings))
    return results
