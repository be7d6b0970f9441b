"""Messages for people (issue 13): every line in Chinese under zh, in English under --lang en.

Usage errors are reworded from click's English in checker/usage.py; the other lines the
commands print are worded where they are printed (checker/cli.py).
"""

from __future__ import annotations

import re
import shutil
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import pytest
import typer

from .conftest import ROOT, run_nianbao

COMMANDS = {"check", "extract", "schema", "rules", "new", "render", "list", "show", "test"}
COMMANDS |= {"verify", "report", "ruleset", "findings", "config"}  # and the schema names
CJK = re.compile(r"[\u4e00-\u9fff]")

# (arguments, where `--lang en` goes in them, the Chinese line, words of the English line);
# each row is a click exception a user can provoke
USAGE_ERRORS = [
    # UsageError: a command that does not exist, at the top and in a group
    (["bogus"], 1, "没有“bogus”这个命令（可用的命令：check、extract、schema、", "No such command"),
    (["rules", "bogus"], 2, "没有“bogus”这个命令（可用的命令：list、show、test、verify）", "bogus"),
    # UsageError: an argument too many
    (["rules", "show", "T3-001", "extra"], 2, "多余的参数：extra", "unexpected extra argument"),
    # NoSuchOption: long, short, and with a near miss
    (["check", "--bogus", "x.txt"], 1, "没有 --bogus 这个选项", "No such option: --bogus"),
    (["check", "-x", "x.txt"], 1, "没有 -x 这个选项", "No such option: -x"),
    (["check", "--form", "json", "x.txt"], 1, "（是否想用 --format？）", "--format"),
    # BadOptionUsage: a value missing, a flag given one
    (["check", "x.txt", "-f"], 1, "选项 -f 后面需要一个值", "requires an argument"),
    (
        ["check", "x.txt", "--fail-on-unreadable=yes"],
        1,
        "选项 --fail-on-unreadable 是开关，不能带值",
        "does not take a value",
    ),
    (
        ["check", "x.txt", "--no-fail-on-unreadable=1"],
        1,
        "选项 --no-fail-on-unreadable 是开关，不能带值",
        "does not take a value",
    ),
    # BadParameter: int, float, choice (an option's, an argument's), range
    (["check", "--year", "abc", "x.txt"], 1, "--year 的值“abc”不是整数", "is not a valid int"),
    (["check", "--time-budget", "abc", "x.txt"], 1, "--time-budget 的值“abc”不是数字", "float"),
    (["rules", "verify", "--examples", "x"], 2, "--examples 的值“x”不是整数", "not a valid int"),
    (["check", "--lang", "fr", "x.txt"], 1, "--lang 的值“fr”无效，可选：zh、en", "not one of"),
    # an empty path (an unset shell variable) is refused, not read as "." (the working folder)
    (["check", ""], 1, "要检查的报告文件或目录的值为空字符串", "empty path"),
    (["check", "x.txt", ""], 1, "要检查的报告文件或目录的值为空字符串", "empty path"),
    (["schema", "nope"], 1, "模式名称的值“nope”无效，可选：report、ruleset、", "not one of"),
    (["rules", "verify", "--examples", "0"], 2, "--examples 的值 0 超出范围（值≥1）", "range"),
    # MissingParameter: an argument, an option
    (["check"], 1, "缺少要检查的报告文件或目录", "missing the report files or folders to check"),
    (["extract"], 1, "缺少源文件", "missing a source file"),
    (["rules", "show"], 2, "缺少规则编号（如 T3-001）", "missing a rule code"),
    (["new", "--year", "2025"], 1, "缺少选项 --agency", "missing option --agency"),
    (["render", "x.yaml"], 1, "缺少选项 --output", "missing option --output"),
]


def _english_left(line: str, args: list[str]) -> list[str]:
    """ASCII words of four letters or more that are not an option, a command, a rule code
    or a value the user typed: click's English left in a Chinese line."""
    typed = {word for arg in args for word in re.findall(r"[A-Za-z]+", arg)}
    text = re.sub(r"(?<!\w)--?[\w-]+", " ", line.removeprefix("nianbao: "))  # option names
    text = re.sub(r"\b[A-Z]+\d*-\d{3}\b", " ", text)  # rule codes
    return [w for w in re.findall(r"[A-Za-z]{4,}", text) if w not in typed | COMMANDS]


def _one_usage_line(ran) -> str:
    assert ran.returncode == 2, ran.stdout + ran.stderr
    assert ran.stdout == ""
    lines = ran.stderr.splitlines()
    assert len(lines) == 1, ran.stderr
    assert lines[0].startswith("nianbao: ")
    assert "╭" not in ran.stderr and "Usage:" not in ran.stderr
    return lines[0]


@pytest.mark.parametrize(("args", "at", "zh", "en"), USAGE_ERRORS)
def test_every_usage_error_is_one_chinese_line_and_english_with_lang_en(args, at, zh, en):
    line = _one_usage_line(run_nianbao(*args))
    assert zh in line
    assert CJK.search(line)
    assert not _english_left(line, args), line
    english = [*args[:at], "--lang", "en", *args[at:]]
    line = _one_usage_line(run_nianbao(*english))
    assert en in line
    assert not CJK.search(line), line


def _raised(args: list[str]):
    """The usage error a small typer command raises for ``args``."""
    from checker.usage import ClickException

    app = typer.Typer(add_completion=False, no_args_is_help=False)

    @app.command()
    def one(
        when: Annotated[datetime | None, typer.Option()] = None,
        folder: Annotated[Path | None, typer.Option(exists=True, file_okay=False)] = None,
        file: Annotated[Path | None, typer.Option(exists=True, dir_okay=False)] = None,
        pair: Annotated[tuple[int, int] | None, typer.Option()] = None,
        ratio: Annotated[float, typer.Option(min=0, max=1)] = 0.5,
    ) -> None:
        pass

    @app.command()
    def two() -> None:
        pass

    with pytest.raises(ClickException) as caught:
        app(args=args, standalone_mode=False)
    return caught.value


@pytest.mark.parametrize(
    ("args", "zh"),
    [
        (["one", "--when", "nope"], "--when 的值“nope”不是日期（格式：%Y-%m-%d、"),
        (["one", "--folder", "no-such-folder"], "--folder 的目录“no-such-folder”不存在"),
        (["one", "--folder", "README.md"], "--folder 的值“README.md”是文件，不是目录"),
        (["one", "--file", "checker"], "--file 的值“checker”是目录，不是文件"),
        (["one", "--pair", "1"], "选项 --pair 后面需要 2 个值"),
        (["one", "--pair", "1", "x"], "--pair 的值“x”不是整数"),
        (["one", "--ratio", "2"], "--ratio 的值 2.0 超出范围（0≤值≤1）"),
        (["one", "--ratio", "x"], "--ratio 的值“x”不是数字"),
        ([], "缺少命令（可用的命令：one、two）"),
    ],
)
def test_usage_errors_the_commands_cannot_provoke_yet_are_worded_too(args, zh, monkeypatch):
    """Shapes no option of nianbao's has today (a path that must exist, a date, a pair)."""
    from checker.usage import usage_line

    monkeypatch.chdir(ROOT)
    exc = _raised(args)
    line = usage_line(exc, "zh")
    assert line.startswith(zh), line
    assert not _english_left(line, args), line
    assert not CJK.search(usage_line(exc, "en"))


def test_a_usage_error_of_no_known_shape_keeps_a_chinese_lead():
    from checker.usage import UsageError, usage_line

    line = usage_line(UsageError("Something new went wrong."), "zh")
    assert line == "命令行有误（Something new went wrong）"


# -- the lines the commands print -----------------------------------------------------------

CORRECT_PACK = ROOT / "tests" / "fixtures" / "verify" / "correct.yaml"


def _pack_with_bad_examples(tmp_path: Path) -> Path:
    """correct.yaml with VFY-001's examples turned wrong: a pass example that fires, a fail
    example that does not, and one on a base the pack does not have."""
    text = CORRECT_PACK.read_text("utf-8").replace("../../../rules", str(ROOT / "rules"))
    examples = (
        '      pass: [{base: "2021", set: {/tables/t3/withheld/natural_person: 9}}]\n'
        '      fail: [{base: "2021", set: {/tables/t3/withheld/natural_person: 8}}, '
        '{base: "1999"}]\n'
    )
    text = re.sub(r"      pass: .*\n      fail: .*\n", examples, text, count=1)
    pack = tmp_path / "pack.yaml"
    pack.write_text(text, "utf-8")
    return pack


def test_rules_test_says_which_example_misbehaved_in_the_message_language(tmp_path):
    pack = _pack_with_bad_examples(tmp_path)
    zh = run_nianbao("rules", "test", str(pack))
    assert zh.returncode == 1, zh.stderr
    assert zh.stdout.splitlines() == [
        "未通过 VFY-001 合格示例（pass）第1个：本不应报告 VFY-001，却报告了："
        "表三“自然人”列：（三）不予公开小计9，其下各项之和8",
        "未通过 VFY-001 违规示例（fail）第1个：本应报告 VFY-001，却没有报告",
        "未通过 VFY-001 违规示例（fail）第2个：规则 VFY-001：没有示例底本“1999”",
        "示例 2 个通过，3 个未通过",
    ]
    en = run_nianbao("rules", "test", str(pack), "--lang", "en")
    assert en.returncode == 1
    assert en.stdout.splitlines() == [
        "FAIL VFY-001 pass[0]: VFY-001 fired: "
        "Table 3 column natural persons: (3) subtotal 9, items sum to 8",
        "FAIL VFY-001 fail[0]: VFY-001 did not fire",
        "FAIL VFY-001 fail[1]: rule VFY-001: no example base '1999'",
        "2 passed, 3 failed",
    ]


def test_new_and_render_speak_english_with_lang_en(tmp_path):
    target = tmp_path / "2025.yaml"
    made = run_nianbao(
        "new", "--year", "2025", "--agency", "某某县财政局", "--agency-kind", "department",
        "-o", str(target), "--lang", "en",
    )  # fmt: skip
    assert made.stderr == (
        f"nianbao: {target}: skeleton written; fill it in, then nianbao check {target}\n"
    )
    out = tmp_path / "2025.md"
    refused = run_nianbao("render", str(target), "-o", str(out), "--lang", "en")
    assert refused.returncode == 1
    assert refused.stderr.endswith(
        f"nianbao: {target}: not rendered: 2 error(s); fix them, or render anyway with --force\n"
    )


def test_extract_words_what_it_could_not_read_in_the_message_language(tmp_path):
    source = "tests/fixtures/corpus/pingtan_2021.txt"
    zh = run_nianbao("extract", source, "-o", str(tmp_path / "p.yaml"))
    en = run_nianbao("extract", source, "-o", str(tmp_path / "p.yaml"), "--lang", "en")
    assert zh.returncode == en.returncode == 0
    assert "EXT-005 “行政规范性文件”行的连写数字“693665”" in zh.stderr
    assert 'EXT-005 Row "行政规范性文件": the run-together digits "693665"' in en.stderr


@pytest.mark.parametrize(
    ("lang", "said"), [("zh", "nianbao: 已中断"), ("en", "nianbao: interrupted")]
)
def test_an_interrupted_run_says_so_in_the_message_language(lang, said, monkeypatch, capsys):
    from checker import cli
    from checker.commandline import launch

    def interrupted(**_):
        raise KeyboardInterrupt

    monkeypatch.setattr("checker.commandline.check.run_check", interrupted)
    monkeypatch.setattr(sys, "argv", ["nianbao", "check", "x.txt", "--lang", lang])
    with pytest.raises(SystemExit) as stopped:
        launch.main()  # the fast path: no typer
    assert stopped.value.code == 130
    assert capsys.readouterr().err == said + "\n"

    monkeypatch.setattr(sys, "argv", ["nianbao", "rules", "list", "--lang", lang])
    monkeypatch.setattr(cli, "_run_app", lambda: interrupted())
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 130
    assert capsys.readouterr().err == said + "\n"


# -- --no-fail-on-unreadable ----------------------------------------------------------------


def test_no_fail_on_unreadable_switches_off_the_configurations_fail_on_unreadable(tmp_path):
    shutil.copy(ROOT / "tests/fixtures/corpus/pingtan_2021.txt", tmp_path / "pingtan.txt")
    (tmp_path / "nianbao.toml").write_text("fail-on-unreadable = true\n", "utf-8")
    failed = run_nianbao("check", "pingtan.txt", cwd=tmp_path)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "警告 EXT-005" in failed.stdout  # its only finding: a reading problem
    passed = run_nianbao("check", "pingtan.txt", "--no-fail-on-unreadable", cwd=tmp_path)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    again = run_nianbao(
        "check", "pingtan.txt", "--no-fail-on-unreadable", "--fail-on-unreadable", cwd=tmp_path
    )
    assert again.returncode == 1  # the last of the two wins, as with --statistics


# -- --help: Chinese by default, English with --lang en (checker/commandline/help_zh.py) ---------


def _help_texts(command, path: str = "nianbao"):
    """(where, text) of every help text in the command tree typer builds, --help's included."""
    from checker.commandline.help_zh import in_chinese  # noqa: F401 - the module under test

    context = command.context_class(command)
    helper = command.get_help_option(context)
    for attribute in ("help", "short_help"):
        if getattr(command, attribute, None):
            yield path, getattr(command, attribute)
    for param in [*command.params, *([helper] if helper else [])]:
        if getattr(param, "help", None):
            yield f"{path} {param.name}", param.help
    for name, child in getattr(command, "commands", {}).items():
        yield from _help_texts(child, f"{path} {name}")


def test_every_help_text_has_a_chinese_wording():
    from checker.cli import app
    from checker.commandline.help_zh import HELP_ZH

    texts = list(_help_texts(typer.main.get_command(app)))
    assert len(texts) > 60
    missing = [(where, text) for where, text in texts if " ".join(text.split()) not in HELP_ZH]
    assert missing == []
    assert all(CJK.search(zh) for zh in HELP_ZH.values())


HELP_PAGES = [["--help"], ["check", "--help"], ["rules"], ["rules", "verify", "--help"], []]


@pytest.mark.parametrize("args", HELP_PAGES, ids=" ".join)
def test_help_is_chinese_by_default_and_fits_80_columns(args):
    from checker.commandline.help_zh import HELP_ZH, width_of

    ran = run_nianbao(*args)
    assert ran.returncode == 0, ran.stderr
    assert "用法：nianbao" in ran.stdout and "选项：" in ran.stdout
    assert "Usage" not in ran.stdout and "[default:" not in ran.stdout
    english = [text for text in HELP_ZH if len(text) > 12 and text in ran.stdout]
    assert english == [], english
    assert max(width_of(line) for line in ran.stdout.splitlines()) <= 80


@pytest.mark.parametrize("args", HELP_PAGES[:4], ids=" ".join)
def test_help_is_english_with_lang_en(args):
    at = 1 if args[:1] == ["check"] or args[:2] == ["rules", "verify"] else 0
    at = 2 if args[:2] == ["rules", "verify"] else at
    english = [*args[:at], "--lang", "en", *args[at:]]
    ran = run_nianbao(*english)
    assert ran.returncode == 0, ran.stderr
    assert "Usage" in ran.stdout and not CJK.search(
        ran.stdout.replace("政府信息公开工作年度报告", "")
    )


def test_a_top_level_lang_en_is_every_commands_default(tmp_path):
    ran = run_nianbao("--lang", "en", "rules", "show", "T3-001")
    assert ran.returncode == 0, ran.stderr
    assert "Severity: error" in ran.stdout
    ran = run_nianbao("--lang", "en", "rules", "show", "T3-001", "--lang", "zh")
    assert "级别" in ran.stdout  # the command's own --lang wins
