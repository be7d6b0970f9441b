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


def test_the_fixtures_catch_a_wrong_pack(pytester):
    pytester.makeini(f"[pytest]\nnianbao_packs = {WRONG}\n")
    pytester.makepyfile(
        """
        def test_rules(nianbao_rule, nianbao_rules):
            assert nianbao_rule in {r.id for r in nianbao_rules}

        def test_examples(nianbao_rule, nianbao_examples):
            nianbao_examples(nianbao_rule)

        import yaml

        def test_check(nianbao_check):
            data = yaml.safe_load(open("%s", encoding="utf-8"))
            assert nianbao_check(data, select=["VFY"]) == []  # no subtotal printed: n/a
            data["tables"]["t3"]["withheld"]["natural_person"] = 8  # the right subtotal
            assert [f.rule for f in nianbao_check(data, select=["VFY"])] == ["VFY-001"]

        def test_verified(nianbao_verify):
            nianbao_verify(codes=["VFY-002"], examples=10)
        """
        % (ROOT / "rules/national/examples/base-2021.yaml")
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(["*FAIL VFY-002: soundness*", "*total_published: 1*"])


def test_a_pack_named_on_the_command_line(pytester):
    pytester.makepyfile("def test_rule(nianbao_rule):\n    assert nianbao_rule.startswith('VFY')\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--nianbao-pack={WRONG}")
    result.assert_outcomes(passed=2)
