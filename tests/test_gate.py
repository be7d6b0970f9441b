"""Acceptance of the CI gate on reports_samples/repo (issue 4): findings, baseline, new defect,
and the ready-made integration (the CI examples and pre-commit hooks run as written)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from checker.sources import supported_extensions

from .batch_support import copy_repo, nianbao
from .conftest import ROOT

EXPECTED = [
    ("shifanzhen/2022.txt", "XY-003", "/sections/0/text"),
    ("zhengfu/2022.yaml", "XY-001", "/tables/t3/carried_over/natural_person"),
    ("zhengfu/2022.yaml", "XY-001", "/tables/t3/carried_over/total"),
]


def found(ran) -> list[tuple[str, str, str]]:
    return sorted(
        (f["location"]["path"].removeprefix("repo/"), f["rule"], f["location"]["pointer"])
        for f in ran.json()["findings"]
    )


def test_the_gate_fails_on_the_repository_with_the_expected_codes(tmp_path):
    copy_repo(tmp_path)
    ran = nianbao("check", "repo", "--format", "json", cwd=tmp_path)
    assert ran.code == 1, ran.err
    assert found(ran) == EXPECTED
    summary = ran.json()["summary"]
    assert (summary["files"], summary["error"], summary["warning"]) == (6, 2, 1)
    assert summary["suppressed"] == 2  # XY-002 by a YAML comment, META-004 by nianbao.toml
    assert {f["path"] for f in ran.json()["files"]} == {
        f"repo/{p}"
        for p in (
            "gongxinju/2020.md",
            "gongxinju/2021.json",
            "shifanzhen/2021.txt",
            "shifanzhen/2022.txt",
            "zhengfu/2021.yaml",
            "zhengfu/2022.yaml",
        )
    }  # README.md is excluded by the repository's nianbao.toml


def test_baseline_then_one_new_defect_fails_naming_only_it(tmp_path):
    repo = copy_repo(tmp_path)
    written = nianbao("check", "repo", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert written.code == 0, written.err
    assert "已写入基线，共 3 条发现" in written.err

    gated = nianbao("check", "repo", "--baseline", "baseline.json", "-f", "json", cwd=tmp_path)
    assert gated.code == 0, gated.err
    assert gated.json()["findings"] == [] and gated.json()["summary"]["baselined"] == 3

    report = repo / "zhengfu" / "2021.yaml"
    text = report.read_text("utf-8")
    assert "punishment: {decisions: 758}" in text
    report.write_text(text.replace("punishment: {decisions: 758}", "punishment: {decisions: -758}"))
    again = nianbao("check", "repo", "--baseline", "baseline.json", "-f", "json", cwd=tmp_path)
    assert again.code == 1, again.err
    assert found(again) == [("zhengfu/2021.yaml", "T2-001", "/tables/t2/punishment/decisions")]
    assert "基线中已有 3 条（不再显示），新发现 1 条，不再出现 0 条" in again.err


def test_fixing_a_baselined_defect_lists_the_entry_to_tighten(tmp_path):
    repo = copy_repo(tmp_path)
    assert nianbao("check", "repo", "--write-baseline", "b.json", cwd=tmp_path).code == 0
    report = repo / "zhengfu" / "2021.yaml"
    report.write_text(
        report.read_text("utf-8")
        .replace(
            "carried_forward: {natural_person: 1, commercial: 0, research: 0, nonprofit: 0, "
            "legal_service: 0, other_org: 0, total: 1}",
            "carried_forward: {natural_person: 3, commercial: 0, research: 0, nonprofit: 0, "
            "legal_service: 0, other_org: 0, total: 3}",
        )
        .replace(
            "natural_person: 64, commercial: 0, research: 0, nonprofit: 2, legal_service: 0, other_org: 4, total: 70}",
            "natural_person: 66, commercial: 0, research: 0, nonprofit: 2, legal_service: 0, other_org: 4, total: 72}",
        )
        .replace(
            "全年新收政府信息公开申请70件，上年结转0件，办结69件，结转下年度继续办理1件",
            "全年新收政府信息公开申请72件，上年结转0件，办结69件，结转下年度继续办理3件",
        ),
        encoding="utf-8",
    )
    ran = nianbao("check", "repo", "--baseline", "b.json", cwd=tmp_path)
    assert ran.code == 0, ran.out + ran.err
    stale = [line for line in ran.err.splitlines() if "不再出现：" in line]
    assert stale == [
        "  不再出现：repo/zhengfu/2022.yaml XY-001 /tables/t3/carried_over/natural_person",
        "  不再出现：repo/zhengfu/2022.yaml XY-001 /tables/t3/carried_over/total",
    ]
    assert "--write-baseline b.json" in ran.err


def _commands(text: str) -> list[list[str]]:
    """The `nianbao check …` commands of a CI file (folded YAML scalars joined)."""
    data = yaml.safe_load(text)
    lines: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and node.strip().startswith("nianbao check"):
            lines.append(" ".join(node.split()))

    walk(data)
    return [shlex.split(line) for line in lines]


def _ci_repository(tmp_path: Path) -> Path:
    copy_repo(tmp_path, "reports")
    (tmp_path / "reports" / "nianbao.toml").rename(tmp_path / "nianbao.toml")
    config = (tmp_path / "nianbao.toml").read_text("utf-8")
    (tmp_path / "nianbao.toml").write_text(
        config.replace('file = "shifanzhen/', 'file = "reports/shifanzhen/'), "utf-8"
    )
    assert (
        nianbao("check", "reports/", "--write-baseline", "nianbao-baseline.json", cwd=tmp_path).code
        == 0
    )
    return tmp_path


def test_the_github_workflow_command_runs_as_written_and_writes_sarif(tmp_path):
    import json

    text = (ROOT / "examples" / "ci" / "github-workflow.yml").read_text("utf-8")
    workflow = yaml.safe_load(text)
    steps = workflow["jobs"]["nianbao"]["steps"]
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["if"] == "always()" and workflow["permissions"]["security-events"] == "write"
    (command,) = _commands(text)
    root = _ci_repository(tmp_path)
    ran = nianbao(*command[1:], cwd=root)
    assert ran.code == 0, ran.err
    sarif = json.loads((root / upload["with"]["sarif_file"]).read_text("utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []


def test_the_gitlab_job_command_runs_as_written_and_writes_its_reports(tmp_path):
    text = (ROOT / "examples" / "ci" / "gitlab-ci.yml").read_text("utf-8")
    job = yaml.safe_load(text)["nianbao"]
    (command,) = _commands(text)
    root = _ci_repository(tmp_path)
    ran = nianbao(*command[1:], cwd=root)
    assert ran.code == 0, ran.err
    for report in job["artifacts"]["reports"].values():
        assert (root / report).stat().st_size > 0
    assert job["artifacts"]["when"] == "always"


def test_readme_documents_the_ci_commands():
    readme = (ROOT / "README.md").read_text("utf-8")
    for command in _commands((ROOT / "examples" / "ci" / "github-workflow.yml").read_text("utf-8")):
        assert " ".join(command) in " ".join(readme.split())
    for needle in (".pre-commit-hooks.yaml", "--write-baseline", "examples/ci/gitlab-ci.yml"):
        assert needle in readme


def test_pre_commit_hooks_cover_every_report_format_and_run(tmp_path):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert [h["id"] for h in hooks] == ["nianbao", "nianbao-repository"]
    for hook in hooks:
        assert hook["entry"] == "nianbao check" and hook["language"] == "python"
        pattern = re.compile(hook["files"])
        assert all(pattern.search(f"reports/a{ext}") for ext in supported_extensions())
        assert not pattern.search("nianbao.toml") and not pattern.search("a.py")
    assert hooks[1]["pass_filenames"] is False
    copy_repo(tmp_path)
    # pre-commit appends the changed files to the entry: one file alone checks clean
    ran = nianbao(*hooks[0]["entry"].split()[1:], "repo/zhengfu/2022.yaml", cwd=tmp_path)
    assert ran.code == 0, ran.out + ran.err
