"""A well-formed `nianbao check …` command line, read without typer (start-up time).

The table below restates the flags of :func:`checker.cli.check` (whose typer
declaration carries the help and the error wording); ``tests/test_launch.py``
holds the two to the same options, names and types. Anything this reader is
not sure of (``--help``, an unknown or misspelt flag, a value that does not
convert, a value that looks like a flag, no path) returns ``None``, and the
command line goes to typer, which explains the problem.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from msgspec import Struct


class Option(Struct, frozen=True):
    name: str  # the parameter of run_check
    convert: Callable[[str], Any] | None  # None: a flag without a value
    many: bool = False  # may be repeated; the values form a list
    flag_value: bool = True


def _lang(value: str) -> str:
    if value not in ("zh", "en"):
        raise ValueError(value)
    return value


def _path(value: str) -> Path:
    if not value:
        raise ValueError(value)
    return Path(value)


OPTIONS: dict[str, Option] = {
    "--format": Option("formats", str, many=True),
    "-f": Option("formats", str, many=True),
    "--output": Option("outputs", _path, many=True),
    "-o": Option("outputs", _path, many=True),
    "--fail-on": Option("fail_on", str),
    "--select": Option("select", str, many=True),
    "--extend-select": Option("extend_select", str, many=True),
    "--ignore": Option("ignore", str, many=True),
    "--config": Option("config", _path),
    "--baseline": Option("baseline", _path),
    "--write-baseline": Option("write_baseline", _path),
    "--jobs": Option("jobs", int),
    "-j": Option("jobs", int),
    "--include": Option("include", str, many=True),
    "--exclude": Option("exclude", str, many=True),
    "--lang": Option("lang", _lang),
    "--rules": Option("rules", _path, many=True),
    "--year": Option("year", int),
    "--agency": Option("agency", str),
    "--agency-kind": Option("agency_kind", str),
    "--published": Option("published", str),
    "--statistics": Option("statistics", None),
    "--no-statistics": Option("statistics", None, flag_value=False),
    "--fail-on-unreadable": Option("fail_on_unreadable", None),
    "--no-fail-on-unreadable": Option("fail_on_unreadable", None, flag_value=False),
    "--show-skipped": Option("show_skipped", None),
    "--time-budget": Option("time_budget", float),
    "--memory-budget": Option("memory_budget", int),
}


def check_arguments(args: Sequence[str]) -> dict[str, Any] | None:
    """The keyword arguments of ``run_check`` for ``args`` (what follows ``check``), or None."""
    given: dict[str, Any] = {}
    paths: list[Path] = []
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--":  # the rest are paths, even those that start with "-"
            if not all(rest):
                return None
            paths.extend(map(Path, rest))
            break
        if not arg.startswith("-"):
            if not arg:
                return None
            paths.append(Path(arg))
            continue
        flag, eq, attached = arg.partition("=") if arg.startswith("--") else (arg[:2], "", arg[2:])
        option = OPTIONS.get(flag)
        if option is None:
            return None
        if option.convert is None:
            if eq or attached:
                return None
            given[option.name] = option.flag_value
            continue
        if eq or attached:
            value = attached
        elif rest and (rest[0] == "-" or not rest[0].startswith("-")):  # "-o -": stdout
            value = rest.pop(0)
        else:
            return None  # a missing value, or one like a flag: typer says which
        try:
            converted = option.convert(value)
        except ValueError:
            return None
        if option.many:
            given.setdefault(option.name, []).append(converted)
        else:
            given[option.name] = converted
    if not paths:
        return None
    return {"paths": paths, **given}
