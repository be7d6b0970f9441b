"""The daily surfaces (issue 13): usage errors, folder walks, messages a person can act on."""

from __future__ import annotations

import pytest

from .conftest import run_nianbao


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["check"], "缺少要检查的报告文件或目录"),
        (["check", "--year", "abc", "x.txt"], "--year 的值“abc”不是整数"),
        (["check", "--lang", "fr", "x.txt"], "--lang 的值“fr”无效，可选：zh、en"),
        (["check", "--bogus", "x.txt"], "没有 --bogus 这个选项"),
        (["check", "x.txt", "-f"], "选项 -f 后面需要一个值"),
        (["rules", "show"], "缺少规则编号"),
        (["schema", "nope"], "模式名称 的值“nope”无效"),
        (["check", "--lang", "en", "--jobs", "many", "x.txt"], "'many' is not a valid int"),
        (["check", "--lang", "en"], "missing the report files or folders to check"),
    ],
)
def test_every_usage_error_is_one_line_and_exit_2(args, words):
    ran = run_nianbao(*args)
    assert ran.returncode == 2
    assert ran.stdout == ""
    lines = ran.stderr.splitlines()
    assert len(lines) == 1, ran.stderr
    assert lines[0].startswith("nianbao: ") and words in lines[0]
    assert "╭" not in ran.stderr and "Usage:" not in ran.stderr


def test_help_and_version_still_exit_0():
    assert run_nianbao("--version").returncode == 0
    shown = run_nianbao("check", "--help")
    assert shown.returncode == 0 and "--fail-on" in shown.stdout
