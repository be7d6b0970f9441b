"""Every rule's examples (sqlfluff-style YAML fixtures in the pack) behave as documented."""

from __future__ import annotations

import re

import pytest

from checker.engine.evaluate import evaluate
from checker.engine.examples import build_example, run_examples
from checker.engine.ruleset import default_ruleset

RULES = default_ruleset().rules

# The codes other tools key on (issue 2, domain §6): they must exist with their meaning.
CONTRACT = [
    "STR-001",
    "STR-002",
    "STR-004",
    "STR-005",
    "STR-006",
    "STR-007",
    "STR-008",
    "META-001",
    "META-002",
    "META-003",
    "META-004",
    "META-005",
    "META-006",
    "TPL-001",
    "TPL-002",
    "TPL-005",
    "T2-001",
    "T2-005",
    "T2-006",
    "T3-001",
    "T3-002",
    "T3-003",
    "T3-004",
    "T3-005",
    "T3-006",
    "T4-001",
    "T4-002",
    "TXT-001",
    "TXT-002",
    "TXT-003",
    "TXT-005",
    "TXT-009",
    "SEC1-002",
    "SEC5-001",
    "SEC6-001",
]


def test_contract_codes_exist(national):
    assert set(CONTRACT) <= {r.id for r in national.rules}


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_examples(rule, national):
    assert rule.examples["pass"] and rule.examples["fail"]
    problems = [
        f"{r.kind}[{r.index}]: {r.problem}" for r in run_examples(national, rule) if not r.ok
    ]
    assert problems == []


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_messages_fill_every_placeholder(rule, national):
    """A failing example's message, in both languages, names values, not {placeholders}."""
    example = rule.examples["fail"][0]
    report = build_example(national, rule, example)
    for lang in ("zh", "en"):
        findings, _ = evaluate(report, national, lang)
        own = [f for f in findings if f.rule == rule.id]
        assert own
        for finding in own:
            assert not re.search(r"\{[a-z_]+\}", finding.message), finding.message
            assert finding.fingerprint and finding.location.path


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_documentation_is_complete(rule):
    for text in (rule.title, rule.basis, rule.rationale, rule.message):
        assert text.zh.strip() and text.en.strip()
    assert rule.severity in ("error", "warning", "info")
