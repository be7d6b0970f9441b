"""Acceptance tests of the command line, run as a user runs it (a subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from .conftest import ROOT, SAMPLE, run_nianbao

SAMPLE_ARG = str(SAMPLE.relative_to(ROOT))


def one_line_error(result, *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_sample_checks_clean():
    result = run_nianbao("check", SAMPLE_ARG)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "错误 0" in result.stdout


def test_json_output_validates_against_findings_schema(tmp_path):
    schema = json.loads(run_nianbao("schema", "findings").stdout)
    for target in (SAMPLE_ARG, "reports_samples/defects"):
        result = run_nianbao("check", target, "--format", "json", "--fail-on", "never")
        assert result.returncode == 0
        document = json.loads(result.stdout)
        assert list(Draft202012Validator(schema).iter_errors(document)) == []
    defects = json.loads(result.stdout)
    assert defects["summary"]["files"] >= 12
    finding = next(f for f in defects["findings"] if f["rule"] == "T3-001")
    assert finding["location"]["pointer"] == "/tables/t3/new/natural_person"
    assert finding["location"]["line"] == 42
    assert finding["expected"] == "64" and finding["actual"] == "65"


def test_json_to_file_is_written(tmp_path):
    out = tmp_path / "out.json"
    result = run_nianbao(
        "check", "reports_samples/defects/t4-block-total.yaml", "-f", "json", "-o", str(out)
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert json.loads(out.read_text("utf-8"))["summary"]["error"] == 1


def test_extract_then_check_gives_the_same_codes(tmp_path):
    for source in (
        SAMPLE_ARG,
        "reports_samples/defects/narrative-breakdown.txt",
        "reports_samples/defects/text-t3-cell.txt",
    ):
        structured = tmp_path / (Path(source).stem + ".yaml")
        assert run_nianbao("extract", source, "-o", str(structured)).returncode == 0
        direct = json.loads(run_nianbao("check", source, "-f", "json", "--fail-on", "never").stdout)
        again = json.loads(
            run_nianbao("check", str(structured), "-f", "json", "--fail-on", "never").stdout
        )
        assert sorted(f["rule"] for f in direct["findings"]) == sorted(
            f["rule"] for f in again["findings"]
        )
        text = structured.read_text("utf-8")
        assert ("source_map:" in text and "haicang" not in text) or "source_map:" in text


def test_exit_code_follows_fail_on():
    defect = "reports_samples/defects/prose-vs-table.yaml"  # one warning
    assert run_nianbao("check", defect).returncode == 0
    assert run_nianbao("check", defect, "--fail-on", "warning").returncode == 1
    assert run_nianbao("check", defect, "--fail-on", "never").returncode == 0


def test_select_and_ignore_by_prefix():
    defect = "reports_samples/defects/t3-unbalanced.yaml"  # T3-001 x2 and TXT-001
    codes = lambda *opts: sorted(  # noqa: E731
        f["rule"]
        for f in json.loads(
            run_nianbao("check", defect, "-f", "json", "--fail-on", "never", *opts).stdout
        )["findings"]
    )
    assert codes() == ["DIAG-001", "T3-001", "T3-001", "TXT-001"]
    assert codes("--select", "T3") == ["T3-001", "T3-001"]
    assert codes("--ignore", "T3-001,DIAG") == ["TXT-001"]
    assert codes("--select", "TXT,T3", "--ignore", "TXT-001") == ["T3-001", "T3-001"]


def test_english_messages():
    result = run_nianbao("check", "reports_samples/defects/t4-block-total.yaml", "--lang", "en")
    assert "administrative review" in result.stdout and "difference 1" in result.stdout
    assert "1 file(s) checked: 1 error(s), 1 warning(s)" in result.stdout


def test_malformed_yaml_report(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta:\n  year: [2020\n", encoding="utf-8")
    one_line_error(run_nianbao("check", str(bad)), str(bad), "第3行")


def test_rule_pack_with_a_typo(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "pack: {name: typo, version: '1'}\nrules:\n  - id: X-001\n    sevrity: error\n",
        encoding="utf-8",
    )
    one_line_error(
        run_nianbao("check", SAMPLE_ARG, "--rules", str(pack)), str(pack), "第3行", "sevrity"
    )


def test_unknown_select_code():
    one_line_error(run_nianbao("check", SAMPLE_ARG, "--select", "NOPE"), "NOPE")


def test_binary_file(tmp_path):
    binary = tmp_path / "report.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    one_line_error(run_nianbao("check", str(binary)), str(binary), "binary")


def test_missing_path(tmp_path):
    one_line_error(run_nianbao("check", str(tmp_path / "nope.txt")), "nope.txt", "文件或目录不存在")


def test_unsupported_extension(tmp_path):
    odd = tmp_path / "report.xyz"
    odd.write_text("x", encoding="utf-8")
    one_line_error(run_nianbao("check", str(odd)), "report.xyz", "unsupported")


def test_rules_list_and_show():
    listing = run_nianbao("rules", "list").stdout
    assert "T3-001" in listing and "TXT-009" in listing
    shown = run_nianbao("rules", "show", "t3-001", "--lang", "en")
    assert shown.returncode == 0
    for needle in ("T3-001", "Basis", "Rationale", "equation", "pass", "fail"):
        assert needle in shown.stdout
    one_line_error(run_nianbao("rules", "show", "ZZZ-999"), "ZZZ-999")


def test_rules_test_runs_every_example():
    result = run_nianbao("rules", "test")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("个通过，0 个未通过")
    english = run_nianbao("rules", "test", "--lang", "en")
    assert english.returncode == 0 and english.stdout.strip().endswith("passed, 0 failed")


@pytest.mark.parametrize("name", ["report", "ruleset", "findings"])
def test_schema_command(name):
    result = run_nianbao("schema", name)
    assert result.returncode == 0
    Draft202012Validator.check_schema(json.loads(result.stdout))


def test_metadata_options_enable_deadline_rules(tmp_path):
    result = run_nianbao(
        "check",
        SAMPLE_ARG,
        "--agency-kind",
        "department",
        "--published",
        "2021-02-15",
        "-f",
        "json",
    )
    assert result.returncode == 1
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["META-004"]
    one_line_error(run_nianbao("check", SAMPLE_ARG, "--published", "yesterday"), "--published")


def test_version():
    result = run_nianbao("--version")
    assert result.returncode == 0 and result.stdout.startswith("nianbao-checker ")


def test_extraction_problems_survive_extract_then_check(tmp_path):
    """A cell extraction could not read stays a finding in the structured copy, not a silent blank."""
    source = "tests/fixtures/corpus/pingtan_2021.txt"
    structured = tmp_path / "p.yaml"
    extracted = run_nianbao("extract", source, "-o", str(structured))
    assert extracted.returncode == 0
    assert "EXT-005" in extracted.stderr and "{" not in extracted.stderr  # worded, not a raw dict
    direct = json.loads(run_nianbao("check", source, "-f", "json").stdout)
    again = json.loads(run_nianbao("check", str(structured), "-f", "json").stdout)
    assert sorted(f["rule"] for f in direct["findings"]) == sorted(
        f["rule"] for f in again["findings"]
    )
    assert "EXT-005" in {f["rule"] for f in again["findings"]}
