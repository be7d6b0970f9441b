"""Usage errors as one line, ``nianbao: <problem>``, in the message language.

The command-line parser (click, inside typer) reports a bad option as a boxed,
four-line English block. ``usage_line`` words the same problem as one line:
Chinese unless ``--lang en`` is among the arguments (the language option has
not been parsed yet when the arguments are wrong). Every problem a user can
provoke has a Chinese shape below; a problem of a shape click adds later gets
a Chinese lead with click's own text in brackets, never English alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from checker.regexes import lazy

try:  # typer >= 0.28 carries its own copy of click
    from typer._click import exceptions as click_exceptions
    from typer._click import types as click_types
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click_exceptions  # type: ignore[no-redef]
    from click import types as click_types  # type: ignore[no-redef]

BadParameter = click_exceptions.BadParameter
ClickException = click_exceptions.ClickException
ParamType = click_types.ParamType
UsageError = click_exceptions.UsageError
NoArgsIsHelpError = click_exceptions.NoArgsIsHelpError

# what an argument is, in words (options are named by their flag)
ARGUMENT_WORDS = {
    "paths": ("要检查的报告文件或目录", "the report files or folders to check"),
    "code": ("规则编号（如 T3-001）", "a rule code (e.g. T3-001)"),
    "name": ("模式名称", "a schema name"),
    "file": ("源文件", "a source file"),
    "report": ("结构化报告文件", "a structured report file"),
    "packs": ("规则包", "rule packs"),
}

# click's texts of a value that does not convert (click/types.py, typer/models.py)
_NOT_A = lazy(r"^(?P<value>'.*'|\S+) is not a valid (?P<type>[\w ]+)\.?$", re.DOTALL)
_NOT_ONE_OF = lazy(r"^(?P<value>'.*') is not one of .+$", re.DOTALL)
_OUT_OF_RANGE = lazy(r"^(?P<value>\S+) is not in the range (?P<bounds>.+?)\.?$")
_PATH = lazy(
    r"^(?P<kind>File|Directory|Path) (?P<value>'.*') "
    r"(?P<what>does not exist|is a file|is a directory|is not readable|is not writable)\.$",
    re.DOTALL,
)
_OPEN = lazy(r"^(?P<value>'.*'): (?P<why>.+)$", re.DOTALL)
_DATE = lazy(r"^(?P<value>'.*') does not match the formats (?P<formats>.+?)\.?$")
_TAKES = lazy(r"^Takes (\d+) values but (\d+) given\.?$")
_EXTRA = lazy(r"^Got unexpected extra argument(?:\(s\)|s)?\s*[(:]\s*(?P<extra>.*?)\)?$", re.DOTALL)
_NO_COMMAND = lazy(r"^No such command (?P<name>'.*')\.?$", re.DOTALL)
_REQUIRES = lazy(r"^Option .+ requires (?:an argument|(?P<count>\d+) arguments)\.?$")
_NO_VALUE = lazy(r"^Option .+ does not take a value\.?$")
_ARGUMENT_TAKES = lazy(r"^Argument '(?P<name>.*)' takes (?P<count>\d+) values\.?$")

_TYPES_ZH = {
    "integer": "整数",
    "int": "整数",
    "float": "数字",
    "boolean": "是/否（true/false）",
    "UUID": "UUID",
}
_PATH_ZH = {
    "does not exist": "不存在",
    "is a file": "是文件，不是目录",
    "is a directory": "是目录，不是文件",
    "is not readable": "没有读取权限",
    "is not writable": "没有写入权限",
}
_PATH_KINDS_ZH = {"File": "文件", "Directory": "目录", "Path": "路径"}


def wanted_lang(argv: Sequence[str]) -> str:
    """'en' when the arguments ask for English (``--lang en`` or ``--lang=en``), else 'zh'."""
    for index, arg in enumerate(argv):
        if arg == "--lang=en" or (arg == "--lang" and argv[index + 1 : index + 2] == ["en"]):
            return "en"
    return "zh"


def _is_argument(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "argument"


def _hint(exc: Any, lang: str) -> str:
    """The parameter in words: an argument by what it is, an option by its (longest) flag."""
    param = getattr(exc, "param", None)
    if param is None:
        return ""
    if _is_argument(param):
        zh, en = ARGUMENT_WORDS.get(param.name, (param.name, param.name))
        return zh if lang == "zh" else en
    names = sorted(param.opts, key=len, reverse=True)
    return names[0] if names else str(param.name)


def _owner(exc: Any) -> str:
    """'--year 的' or '模式名称的': a space only between a flag and Chinese."""
    hint = _hint(exc, "zh")
    if not hint:
        return ""
    return f"{hint}的" if _is_argument(exc.param) else f"{hint} 的"


def _choices(param: Any) -> list[str]:
    choices = getattr(getattr(param, "type", None), "choices", None) or []
    return [str(getattr(c, "value", c)) for c in choices]


def _quoted(value: str) -> str:
    """A value as click quoted it ('abc', or a bare number), in Chinese quotes."""
    if len(value) >= 2 and value[0] == value[-1] == "'":
        value = value[1:-1]
    return f"“{value}”"


def _commands(exc: Any) -> list[str]:
    ctx = getattr(exc, "ctx", None)
    command = getattr(ctx, "command", None)
    lister = getattr(command, "list_commands", None)
    return list(lister(ctx)) if lister is not None else []


def _bad_value_zh(exc: Any) -> str:
    """A value that does not convert, or is not allowed (BadParameter)."""
    subject, message = f"{_owner(exc)}值", exc.message
    choices = _choices(exc.param)
    found = _NOT_ONE_OF.match(message)
    if choices or found:
        value = _quoted(found.group("value")) if found else ""
        allowed = f"，可选：{'、'.join(choices)}" if choices else ""
        return f"{subject}{value}无效{allowed}"
    found = _NOT_A.match(message)
    if found:
        name = found.group("type").removesuffix(" range")  # IntRange: "int range"
        kind = _TYPES_ZH.get(name, name)
        return f"{subject}{_quoted(found.group('value'))}不是{kind}"
    found = _OUT_OF_RANGE.match(message)
    if found:
        bounds = found.group("bounds").replace(">=", "≥").replace("<=", "≤").replace("x", "值")
        return f"{subject} {found.group('value')} 超出范围（{bounds}）"
    found = _PATH.match(message)
    if found:
        what = found.group("what")
        kind = "值" if what.startswith("is a ") else _PATH_KINDS_ZH[found.group("kind")]
        return f"{_owner(exc)}{kind}{_quoted(found.group('value'))}{_PATH_ZH[what]}"
    found = _DATE.match(message)
    if found:
        formats = "、".join(f.strip(" '") for f in found.group("formats").split(","))
        return f"{subject}{_quoted(found.group('value'))}不是日期（格式：{formats}）"
    found = _TAKES.match(message)
    if found:
        return f"{subject}需要 {found.group(1)} 个，却给了 {found.group(2)} 个"
    if message.startswith("empty path"):
        return f'{subject}为空字符串（""），请给出文件或目录'
    found = _OPEN.match(message)
    if found:  # a file option that could not be opened: the system's reason, worded
        from checker.wording import problem_zh

        why = problem_zh(f"cannot read: {found.group('why')}")
        return f"{subject}{_quoted(found.group('value'))}{why}"
    return f"{subject}无效（{message.rstrip('.')}）"


def _zh(exc: Any) -> str:
    message = getattr(exc, "message", "") or ""
    if isinstance(exc, click_exceptions.NoSuchOption):
        near = f"（是否想用 {'、'.join(sorted(exc.possibilities))}？）" if exc.possibilities else ""
        return f"没有 {exc.option_name} 这个选项{near}"
    if isinstance(exc, click_exceptions.MissingParameter):
        if _is_argument(exc.param):
            return f"缺少{_hint(exc, 'zh')}"
        return f"缺少选项 {_hint(exc, 'zh')}"
    if isinstance(exc, click_exceptions.BadOptionUsage):
        found = _REQUIRES.match(message)
        if found:
            count = found.group("count")
            return f"选项 {exc.option_name} 后面需要{f' {count} 个值' if count else '一个值'}"
        if _NO_VALUE.match(message):
            return f"选项 {exc.option_name} 是开关，不能带值（去掉“=”及其后的内容）"
        return f"选项 {exc.option_name} 用法有误（{message.rstrip('.')}）"
    if isinstance(exc, click_exceptions.BadArgumentUsage):
        found = _ARGUMENT_TAKES.match(message)
        if found:
            words = ARGUMENT_WORDS.get(found.group("name"), (found.group("name"),))[0]
            return f"{words}需要 {found.group('count')} 个值"
    if isinstance(exc, click_exceptions.BadParameter):
        return _bad_value_zh(exc)
    if isinstance(exc, click_exceptions.UsageError):
        found = _EXTRA.match(message)
        if found:
            return f"多余的参数：{found.group('extra')}"
        found = _NO_COMMAND.match(message)
        if found:
            listed = "、".join(_commands(exc))
            known = f"（可用的命令：{listed}）" if listed else ""
            return f"没有{_quoted(found.group('name'))}这个命令{known}"
        if message.rstrip(".") == "Missing command":
            listed = "、".join(_commands(exc))
            return f"缺少命令{f'（可用的命令：{listed}）' if listed else ''}"
    return f"命令行有误（{exc.format_message().rstrip('.')}）"


def _en(exc: Any) -> str:
    if isinstance(exc, click_exceptions.MissingParameter):
        if _is_argument(exc.param):
            return f"missing {_hint(exc, 'en')}"
        return f"missing option {_hint(exc, 'en')}"
    return exc.format_message()


def usage_line(exc: Any, lang: str) -> str:
    """The one line for a usage error (without the leading ``nianbao: ``)."""
    text = _zh(exc) if lang == "zh" else _en(exc)
    return " ".join(text.split())
