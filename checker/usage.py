"""Usage errors as one line, ``nianbao: <problem>``, in the message language.

The command-line parser (click, inside typer) reports a bad option as a boxed,
four-line English block. ``usage_line`` words the same problem as one line:
Chinese unless ``--lang en`` is among the arguments (the language option has
not been parsed yet when the arguments are wrong).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

try:  # typer >= 0.28 carries its own copy of click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

ClickException = click_exceptions.ClickException
UsageError = click_exceptions.UsageError
NoArgsIsHelpError = click_exceptions.NoArgsIsHelpError

# what an argument is, in words (options are named by their flag)
ARGUMENT_WORDS = {
    "paths": ("要检查的报告文件或目录", "the report files or folders to check"),
    "code": ("规则编号（如 T3-001）", "a rule code (e.g. T3-001)"),
    "name": ("模式名称", "a schema name"),
    "file": ("源文件", "a source file"),
    "packs": ("规则包", "rule packs"),
}
_QUOTED_VALUE = re.compile(r"'([^']*)' is not")
_OUT_OF_RANGE = re.compile(r"^(\S+) is not in the range (.+?)\.?$")


def wanted_lang(argv: Sequence[str]) -> str:
    """'en' when the arguments ask for English (``--lang en`` or ``--lang=en``), else 'zh'."""
    for index, arg in enumerate(argv):
        if arg == "--lang=en" or (arg == "--lang" and argv[index + 1 : index + 2] == ["en"]):
            return "en"
    return "zh"


def _hint(exc: Any, lang: str) -> str:
    param = getattr(exc, "param", None)
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "argument":
        zh, en = ARGUMENT_WORDS.get(param.name, (param.name, param.name))
        return zh if lang == "zh" else en
    names = sorted(param.opts, key=len, reverse=True)
    return names[0] if names else str(param.name)


def _choices(param: Any) -> list[str]:
    choices = getattr(getattr(param, "type", None), "choices", None) or []
    return [getattr(c, "value", c) for c in choices]


def _zh(exc: Any) -> str:
    if isinstance(exc, click_exceptions.NoSuchOption):
        near = f"（是否想用 {'、'.join(sorted(exc.possibilities))}？）" if exc.possibilities else ""
        return f"没有 {exc.option_name} 这个选项{near}"
    if isinstance(exc, click_exceptions.MissingParameter):
        return f"缺少{_hint(exc, 'zh')}"
    if isinstance(exc, click_exceptions.BadOptionUsage) and "requires an argument" in exc.message:
        return f"选项 {exc.option_name} 后面需要一个值"
    if isinstance(exc, click_exceptions.BadParameter):
        hint = _hint(exc, "zh")
        found = _QUOTED_VALUE.search(exc.message)
        value = f"“{found.group(1)}”" if found else ""
        choices = _choices(exc.param)
        if choices:
            return f"{hint} 的值{value}无效，可选：{'、'.join(map(str, choices))}"
        if found and "is not a valid int" in exc.message:
            return f"{hint} 的值{value}不是整数"
        out_of_range = _OUT_OF_RANGE.search(exc.message)
        if out_of_range:
            value, bounds = out_of_range.groups()
            return f"{hint} 的值 {value} 超出范围（{bounds.replace('x', '值')}）"
        return f"{hint} 的值{value}无效（{exc.message.rstrip('.')}）"
    if isinstance(exc, click_exceptions.UsageError) and exc.message.startswith("Got unexpected"):
        extra = exc.message.split(":", 1)[-1].strip()
        return f"多余的参数：{extra}"
    return exc.format_message()


def _en(exc: Any) -> str:
    if isinstance(exc, click_exceptions.MissingParameter):
        return f"missing {_hint(exc, 'en')}"
    return exc.format_message()


def usage_line(exc: Any, lang: str) -> str:
    """The one line for a usage error (without the leading ``nianbao: ``)."""
    text = _zh(exc) if lang == "zh" else _en(exc)
    return " ".join(text.split())
