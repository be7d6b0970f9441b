"""nianbao rules verify: wrong rules are caught with a shrunk counterexample, right ones pass."""

from __future__ import annotations

from pathlib import Path

import yaml

from checker.engine.context import CheckResult, Failure
from checker.engine.evaluate import evaluate
from checker.engine.messages import Loc
from checker.engine.ruleset import Applies, Rule, RuleSet, load_pack
from checker.model import Position
from checker.testing import build_report, verdict_lines, verify_rules
from checker.testing.verify import recording_copy
from tests.conftest import run_nianbao

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "verify"


def documents(output: str) -> list[dict]:
    """The YAML documents (one per failure) between the --- lines of the output."""
    chunks = output.split("\n---\n")[1:]
    chunks[-1] = chunks[-1].rsplit("\n", 2)[0]  # the summary line
    return [yaml.safe_load(chunk) for chunk in chunks]


def test_a_wrong_pack_fails_with_shrunk_counterexamples():
    result = run_nianbao(
        "rules", "verify", str(FIXTURES / "wrong.yaml"), "--examples", "30", "--lang", "en"
    )
    assert result.returncode == 1, result.stderr
    assert "FAIL VFY-001: soundness" in result.stdout
    assert "FAIL VFY-002: soundness" in result.stdout
    assert result.stdout.rstrip().endswith("0 verified, 2 failed, 0 not exercised")
    found = {doc["rule"]: doc for doc in documents(result.stdout)}
    assert set(found) == {"VFY-001", "VFY-002"}
    forgotten = found["VFY-001"]["counterexample"]["tables"]["t3"]["withheld"]
    assert forgotten["enforcement"] == {"natural_person": 1, "total": 1}  # the operand left out
    assert sum(1 for v in forgotten.values() if v == 1) == 2  # shrunk: one application
    reversed_op = found["VFY-002"]["counterexample"]["tables"]["t2"]
    assert reversed_op == {"normative_documents": {"published": 0, "total_published": 1}}
    assert found["VFY-002"]["property"] == "soundness"
    assert "对外公开总数量1，本年新公开数量0" in found["VFY-002"]["problem"]


def test_the_correct_pack_passes_and_a_seed_repeats_the_run():
    args = ("rules", "verify", str(FIXTURES / "correct.yaml"), "--examples", "10", "--seed", "3")
    first, second = run_nianbao(*args), run_nianbao(*args)
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout == second.stdout
    assert "通过 VFY-001：10 份报告" in first.stdout  # Chinese unless --lang en
    assert first.stdout.endswith("验证通过 2 条，未通过 0 条，未能验证 0 条\n")
    english = run_nianbao(*args, "--lang", "en")
    assert "ok   VFY-001: 10 reports" in english.stdout
    assert english.stdout.endswith("2 verified, 0 failed, 0 not exercised\n")


def test_a_missing_pack_is_an_input_error():
    result = run_nianbao("rules", "verify", "no-such-pack.yaml")
    assert result.returncode == 2
    assert result.stderr.startswith("nianbao: no-such-pack.yaml:")


def test_the_national_pack_verifies(national):
    verdicts = verify_rules(national.rules, examples=20)
    assert [v.rule for v in verdicts if v.problems] == [], verdict_lines(verdicts)
    by_rule = {v.rule: v for v in verdicts}
    assert by_rule["T3-001"].cells_read == 28  # 4 rows x 7 columns
    assert by_rule["TPL-006"].skipped  # reports before 2019: the generator makes none
    assert by_rule["T3-002"].reports == 20


def _pack(tmp_path: Path, check: str) -> Path:
    path = tmp_path / "pack.yaml"
    path.write_text(
        f"""pack: {{name: probe, version: "1"}}
rules:
  - id: PRB-001
    title: {{zh: 测试, en: probe}}
    severity: warning
    basis: {{zh: 测试, en: probe}}
    rationale: {{zh: 测试, en: probe}}
    applies: {{templates: ["2021"]}}
    check: {check}
    message: {{zh: "{{member}}", en: "{{member}}"}}
    examples: {{pass: [{{base: "2021"}}], fail: [{{base: "2021"}}]}}
""",
        encoding="utf-8",
    )
    return path


def test_an_operand_that_cancels_out_is_reported_as_deaf(tmp_path):
    """new + granted >= granted holds, but no error in 予以公开 can ever make it fire."""
    check = '{kind: compare, table: t3, lhs: {rows: [new, granted]}, op: ">=", rhs: {rows: [granted]}, over: {columns: "@columns"}}'
    verdict = verify_rules(load_pack(_pack(tmp_path, check)).rules, examples=10)[0]
    assert [p.property for p in verdict.problems] == ["sensitivity"]
    problem = verdict.problems[0]
    assert problem.explanation.startswith("reads t3.granted.")
    assert "6 more" in problem.explanation
    assert "t3.new." not in problem.explanation  # new can make it fire (-1000)
    assert "granted" in problem.counterexample["tables"]["t3"]


def test_reads_are_recorded_per_cell(national):
    data = yaml.safe_load((ROOT / "rules/national/examples/base-2021.yaml").read_text("utf-8"))
    report = build_report(data)

    def reads(code: str) -> set:
        log: set = set()
        evaluate(recording_copy(report, log), RuleSet("one", [national.by_id(code)]))
        return log

    assert reads("T4-001") == {
        ("t4", f"{row}.{column}")
        for row in ("review", "litigation_direct", "litigation_after_review")
        for column in ("upheld", "corrected", "other", "pending", "total")
    }
    assert reads("STR-006") == set()  # table shape: presence only, no value read
    assert {key for _, key in reads("T2-001")} >= {"fees.amount", "licensing.decisions"}
    assert reads("TXT-001") >= {("t3", "new.total"), ("text", "")}
    assert reads("META-003") == set()


def test_a_rule_moved_by_a_cell_it_does_not_read_is_caught():
    """A check that looks at table 4 behind the recorder's back breaks insensitivity."""

    def sneaky(ctx) -> CheckResult:
        hidden = [getattr(c, "_cell", c) for c in ctx.report.tables.get("t4", {}).values()]
        if any(c.value is None for c in hidden):
            return CheckResult([Failure("/tables/t4", {"member": "t4"})])
        return CheckResult(passed=1)

    loc = Loc("测试", "probe")
    rule = Rule(
        id="SNK-001",
        title=loc,
        severity="warning",
        basis=loc,
        rationale=loc,
        message=Loc("{member}", "{member}"),
        kind="sum",
        options={},
        applies=Applies(templates=("2021",)),
        examples={},
        pack="probe",
        source=Position("probe.yaml"),
        check=sneaky,
    )
    verdict = verify_rules([rule], examples=30)[0]
    assert [p.property for p in verdict.problems] == ["insensitivity"]
    problem = verdict.problems[0]
    assert problem.explanation.startswith("does not read t4.")
    assert "约" in str(problem.counterexample["tables"]["t4"])


def test_verdicts_in_chinese_name_each_property_and_why_a_rule_was_not_exercised():
    from checker.testing.verify import PROPERTY_ZH, Problem, Verdict

    verdicts = [
        Verdict("A-001", reports=3, cells_read=7),
        Verdict("B-001", reports=5, problems=[Problem("B-001", "soundness", "x", {})]),
        Verdict("C-001", skipped="none in scope", skipped_zh="生成器不产生本规则适用范围内的报告"),
    ]
    text = verdict_lines(verdicts, "zh")
    assert "通过 A-001：3 份报告，读取 7 个单元格" in text
    assert f"未通过 B-001：{PROPERTY_ZH['soundness']}（soundness）（5 份报告）" in text
    assert "跳过 C-001：生成器不产生本规则适用范围内的报告" in text
    assert text.endswith("验证通过 1 条，未通过 1 条，未能验证 1 条\n")
    assert verdict_lines(verdicts).endswith("1 verified, 1 failed, 1 not exercised\n")
