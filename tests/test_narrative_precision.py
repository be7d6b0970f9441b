"""Precision and recall of the narrative rules over a labelled set of real-style prose.

tests/fixtures/narrative/labelled.yaml holds sentences copied from real reports and written
in their styles, each with the narrative codes it must raise (or none). A false alarm on
ordinary wording costs a clerk more than a missed nit, so precision must be perfect; recall
has a floor. Run with ``-s`` to see the figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.engine.evaluate import evaluate
from checker.engine.examples import _base_data, apply_patch
from checker.resources import data_dir
from checker.sources.structured import structured_report

LABELLED = Path(__file__).parent / "fixtures" / "narrative" / "labelled.yaml"
BASES = data_dir("rules") / "national" / "examples"
NARRATIVE = frozenset(
    {"TXT-001", "TXT-002", "TXT-003", "TXT-004", "TXT-005", "TXT-009", "TXT-010", "META-003"}
)
# the base's own prose is emptied, so that only the case's sentences speak
QUIET = {"/sections/0/text": "", "/sections/3/text": ""}
MIN_PRECISION = 1.0
MIN_RECALL = 0.95


def _cases() -> list[dict[str, Any]]:
    return yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["cases"]


def _codes(case: dict[str, Any], national) -> set[str]:
    base = _base_data(BASES / f"base-{case['base']}.yaml")
    quiet = apply_patch(base, {"set": QUIET})
    data = apply_patch(quiet, {"set": case.get("set", {}), "remove": case.get("remove", [])})
    report = structured_report(data, {}, f"{case['id']}.yaml")
    findings, _ = evaluate(report, national)
    return {f.rule for f in findings} & NARRATIVE


@pytest.fixture(scope="module")
def measured(national) -> list[tuple[dict[str, Any], set[str]]]:
    return [(case, _codes(case, national)) for case in _cases()]


def test_the_labelled_set_is_well_formed():
    cases = _cases()
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids))
    assert all(set(c["expect"]) <= NARRATIVE for c in cases)
    sources = {c["source"].split(":")[0] for c in cases}
    assert {"corpus", "issue", "written"} <= sources
    assert sum(1 for c in cases if c["expect"]) >= 20  # defects to find
    assert sum(1 for c in cases if not c["expect"]) >= 30  # correct wording to leave alone


def test_precision_and_recall_of_the_narrative_rules(measured):
    true_pos = false_pos = false_neg = 0
    wrong: list[str] = []
    for case, found in measured:
        expected = set(case["expect"])
        true_pos += len(found & expected)
        false_pos += len(found - expected)
        false_neg += len(expected - found)
        if found != expected:
            wrong.append(f"{case['id']}: expected {sorted(expected)}, found {sorted(found)}")
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 1.0
    print(
        f"\nnarrative rules over {len(measured)} labelled cases: "
        f"precision {precision:.3f} ({true_pos} true, {false_pos} false alarms), "
        f"recall {recall:.3f} ({false_neg} missed)"
    )
    detail = "\n".join(wrong)
    assert precision >= MIN_PRECISION, detail
    assert recall >= MIN_RECALL, detail
