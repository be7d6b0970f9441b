"""Batch runs: parallel and serial give the same bytes; one bad file never stops the others."""

from __future__ import annotations

import io
import os
import shutil

import pytest

from checker.gate.config import CliChoices, resolve
from checker.run import batch
from checker.run.batch import Task, check_one, run_checks, show_progress
from checker.run.discovery import discover, glob_matches

from .batch_support import REPO, nianbao, write
from .conftest import ROOT

DEFECTS = ROOT / "reports_samples" / "defects"


@pytest.mark.parametrize("target", ["reports_samples/repo", "reports_samples/defects"])
def test_jobs_2_and_jobs_1_give_byte_identical_json(target):
    one = nianbao("check", target, "-f", "json", "--fail-on", "never", "--jobs", "1")
    two = nianbao("check", target, "-f", "json", "--fail-on", "never", "--jobs", "2")
    assert one.code == two.code == 0
    assert one.out == two.out and len(one.json()["files"]) >= 6


def test_jobs_2_sarif_is_identical_too():
    args = ("check", "reports_samples/repo", "-f", "sarif", "--fail-on", "never")
    assert nianbao(*args, "-j", "2").out == nianbao(*args, "-j", "1").out


@pytest.fixture
def mixed(tmp_path):
    """Three readable defect reports around two unreadable files."""
    for name in ("t3-unbalanced.yaml", "t4-block-total.yaml", "narrative-breakdown.txt"):
        shutil.copy(DEFECTS / name, tmp_path / name)
    write(tmp_path / "broken.yaml", "meta:\n  year: [2020\n")
    (tmp_path / "zz-binary.pdf").write_bytes(b"\x00\x01 not a pdf")
    return tmp_path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_unreadable_file_is_an_error_entry_and_the_others_are_checked(mixed, jobs):
    ran = nianbao("check", ".", "-f", "json", "--jobs", jobs, cwd=mixed)
    assert ran.code == 2
    document = ran.json()
    assert [f["path"] for f in document["files"]] == [
        "broken.yaml",
        "narrative-breakdown.txt",
        "t3-unbalanced.yaml",
        "t4-block-total.yaml",
        "zz-binary.pdf",
    ]
    assert [e["path"] for e in document["errors"]] == ["broken.yaml", "zz-binary.pdf"]
    assert "YAML syntax error" in document["errors"][0]["message"]
    assert {f["location"]["path"] for f in document["findings"]} == {
        "narrative-breakdown.txt",
        "t3-unbalanced.yaml",
        "t4-block-total.yaml",
    }
    stderr = ran.err.splitlines()
    assert stderr[0].startswith("nianbao: broken.yaml: 第3行") and len(stderr) == 2


def _crash_on_purpose(task: Task):
    """Stands in for check_one in a worker: the process dies on one file."""
    if task.path.endswith("t4-block-total.yaml"):
        os._exit(3)
    return check_one(task)


def test_a_worker_that_dies_becomes_error_results_not_a_crash(mixed, monkeypatch):
    monkeypatch.setattr(batch, "check_one", _crash_on_purpose)
    settings = resolve(CliChoices(jobs=2), None)
    files = discover([mixed])
    results = run_checks(files, settings)
    assert [r.path for r in results] == [p.as_posix() for p in files]
    dead = next(r for r in results if r.path.endswith("t4-block-total.yaml"))
    assert dead.error and "worker process stopped" in dead.error


def test_a_checker_bug_on_one_file_is_an_error_not_a_crash(mixed, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(batch, "evaluate", broken)
    result = check_one(Task(str(mixed / "t3-unbalanced.yaml"), resolve(CliChoices(), None)))
    assert result.result.error == "internal error: ZeroDivisionError: bug"


def test_many_files_through_a_small_window_keep_their_order(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "WINDOW_PER_JOB", 1)
    names = [f"{i:02d}.yaml" for i in range(9)]
    for name in names:
        shutil.copy(DEFECTS / "t4-block-total.yaml", tmp_path / name)
    results = run_checks(discover([tmp_path]), resolve(CliChoices(jobs=2), None))
    assert [r.path.rsplit("/", 1)[1] for r in results] == names
    assert all(r.findings and r.error is None for r in results)


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_progress_bar_only_on_a_terminal_with_more_than_a_few_files():
    assert show_progress(6, _Stream(True))
    assert not show_progress(5, _Stream(True))
    assert not show_progress(100, _Stream(False))


def test_progress_bar_does_not_change_results():
    files = discover([REPO])
    settings = resolve(CliChoices(), None)
    plain = run_checks(files, settings, progress=False)
    shown = run_checks(files, settings, progress=True)
    assert [(r.path, [f.fingerprint for f in r.findings]) for r in plain] == [
        (r.path, [f.fingerprint for f in r.findings]) for r in shown
    ]


@pytest.mark.parametrize(
    ("path", "pattern", "matches"),
    [
        ("2021/a.yaml", "**/*.yaml", True),
        ("a.yaml", "**/*.yaml", True),
        ("2021/a.yaml", "*.yaml", True),  # no '/': any component
        ("2021/sub/a.yaml", "2021/*.yaml", False),  # '*' stays in one component
        ("2021/sub/a.yaml", "2021/**", True),
        ("x/drafts/a.md", "drafts", True),
        ("x/drafts-old/a.md", "drafts", False),
        ("a.yaml", "./a.yaml", True),
    ],
)
def test_glob_matching(path, pattern, matches):
    assert glob_matches(path, pattern) is matches


def test_include_and_exclude_filter_the_directory_walk(tmp_path):
    for rel in ("2021/a.yaml", "2021/drafts/b.yaml", "2022/c.txt", "2022/d.md"):
        write(tmp_path / "reports" / rel, "")

    def found(**kw) -> list[str]:
        return [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path / "reports"], **kw)]

    assert found() == [
        "reports/2021/a.yaml",
        "reports/2021/drafts/b.yaml",
        "reports/2022/c.txt",
        "reports/2022/d.md",
    ]
    assert found(exclude=["drafts", "*.md"]) == ["reports/2021/a.yaml", "reports/2022/c.txt"]
    assert found(include=["2022/*"]) == ["reports/2022/c.txt", "reports/2022/d.md"]
    assert found(include=["reports/2021/**"], root=tmp_path) == [
        "reports/2021/a.yaml",
        "reports/2021/drafts/b.yaml",
    ]
    # a file named on the command line is always checked
    assert discover([tmp_path / "reports" / "2022" / "d.md"], exclude=["*.md"])


def test_include_exclude_on_the_command_line(tmp_path):
    for name in ("t3-unbalanced.yaml", "narrative-breakdown.txt"):
        shutil.copy(DEFECTS / name, tmp_path / name)
    ran = nianbao(
        "check", ".", "-f", "json", "--include", "*.txt", "--fail-on", "never", cwd=tmp_path
    )
    assert [f["path"] for f in ran.json()["files"]] == ["narrative-breakdown.txt"]
    ran = nianbao("check", ".", "--exclude", "*.txt", "--exclude", "*.yaml", cwd=tmp_path)
    assert ran.code == 2 and "没有找到报告文件" in ran.err


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_lazy_walk_gives_the_results_a_list_does(jobs):
    from checker.run.discovery import walk

    settings = resolve(CliChoices(jobs=jobs), None)
    listed = run_checks(discover([REPO]), settings)
    walked = run_checks(walk([REPO]), settings)
    assert not isinstance(walk([REPO]), list)
    assert [(r.path, [f.fingerprint for f in r.findings]) for r in walked] == [
        (r.path, [f.fingerprint for f in r.findings]) for r in listed
    ]


def test_a_missing_path_is_refused_before_anything_is_checked(tmp_path):
    from checker.errors import InputError
    from checker.run.discovery import walk

    with pytest.raises(InputError, match="no such file"):
        walk([REPO, tmp_path / "missing.yaml"])
