"""The pytest plugin: the provincial example runs, and the fixtures fail a wrong pack's tests.

Each run is a subprocess: an in-process run would import the checker modules afresh and
leave two copies of them behind for the tests that follow."""

from __future__ import annotations

from pathlib import Path

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "provincial_rules"
WRONG = ROOT / "tests" / "fixtures" / "verify" / "wrong.yaml"


def test_the_provincial_example_passes(pytester):
    result = pytester.runpytest_subprocess(str(EXAMPLE), "-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=4)


def test_the_fixtures_on_a_wrong_pack(pytester):
    pytester.makeini(f"[pytest]\nnianbao_packs = {WRONG}\n")
    pytester.makepyfile(
        """
        import yaml

        def test_rules(nianbao_rule, nianbao_rules):
            assert nianbao_rule in {r.id for r in nianbao_rules}

        def test_examples(nianbao_rule, nianbao_examples):
            nianbao_examples(nianbao_rule)  # the examples agree with the mistakes: they pass

        def test_check(nianbao_check):
            data = yaml.safe_load(open("%s", encoding="utf-8"))
            assert nianbao_check(data, select=["VFY"]) == []  # no subtotal printed: n/a
            data["tables"]["t3"]["withheld"]["natural_person"] = 8  # the right subtotal
            assert [f.rule for f in nianbao_check(data, select=["VFY"])] == ["VFY-001"]
        """
        % (ROOT / "rules/national/examples/base-2021.yaml")
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=5)


DEAF_PACK = """pack: {name: deaf, version: "1"}
rules:
  - id: PRB-001
    title: {zh: 测试, en: probe}
    severity: warning
    basis: {zh: 测试, en: probe}
    rationale: {zh: 予以公开在两边相消, en: granted cancels out}
    applies: {templates: ["2021"]}
    check: {kind: compare, table: t3, lhs: {rows: [new, granted]}, op: ">=", rhs: {rows: [granted]}, over: {columns: "@columns"}}
    message: {zh: "{member}", en: "{member}"}
    examples: {pass: [{base: "2021"}], fail: [{base: "2021"}]}
"""


def test_nianbao_verify_fails_a_test_with_the_counterexample(pytester):
    pack = pytester.makefile(".yaml", deaf=DEAF_PACK)
    pytester.makepyfile(
        """
        def test_rule(nianbao_rule):
            assert nianbao_rule == "PRB-001"

        def test_verified(nianbao_verify):
            nianbao_verify(examples=5)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--nianbao-pack={pack}")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*FAIL PRB-001: sensitivity*", "*reads t3.granted.*"])
