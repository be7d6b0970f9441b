"""What every command shares: one-line failures, option values turned into settings."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from checker.errors import InputError


def echo(message: str, err: bool = False) -> None:
    """One line on stdout (or stderr), flushed: the order of the two streams is kept."""
    stream = sys.stderr if err else sys.stdout
    stream.write(f"{message}\n")
    stream.flush()


def fail(path: str, message: str) -> SystemExit:
    """Print one line naming the file and the problem (in the message language); exit code 2."""
    from checker.names import shown_name

    echo(f"nianbao: {shown_name(str(path))}: {shown_name(worded(message))}", err=True)
    return SystemExit(2)


def worded(message: str) -> str:
    """A problem in the language the arguments ask for (checker/wording.py)."""
    from checker.usage import wanted_lang
    from checker.wording import problem_in

    return problem_in(message, wanted_lang(sys.argv[1:]))


def guarded(command: Callable[[], int | None]) -> int:
    """The exit code of ``command()``; what escapes it is one line on stderr, never a traceback:
    an input problem (2), an interrupt (130), or a bug (2; NIANBAO_DEBUG=1 shows it)."""
    from checker.errors import InputError

    try:
        code = command()
    except InputError as exc:  # a late input problem that escaped the command
        echo(f"nianbao: {exc.path}: {worded(exc.message)}", err=True)
        return 2
    except KeyboardInterrupt:
        from checker.usage import wanted_lang

        stopped = "已中断" if wanted_lang(sys.argv[1:]) == "zh" else "interrupted"
        echo(f"nianbao: {stopped}", err=True)
        return 130
    except Exception as exc:
        if os.environ.get("NIANBAO_DEBUG"):
            raise
        echo(f"nianbao: {worded(f'internal error: {type(exc).__name__}: {exc}')}", err=True)
        return 2
    return code or 0


def codes(values: list[str] | None) -> list[str]:
    return [c.strip().upper() for v in values or [] for c in v.split(",") if c.strip()]


def overrides(year, agency, agency_kind, published):
    from checker.model import AGENCY_KINDS
    from checker.report_data import YEARS
    from checker.run.pipeline import MetaOverrides

    if agency_kind is not None and agency_kind not in AGENCY_KINDS:
        raise InputError("--agency-kind", f"must be one of {', '.join(AGENCY_KINDS)}")
    when = None
    if published is not None:
        try:
            when = date.fromisoformat(published)
        except ValueError:
            raise InputError(
                "--published", f"{published!r} is not a date like 2024-01-31"
            ) from None
    if year is not None and not YEARS[0] <= year <= YEARS[1]:
        raise InputError("--year", f"{year} is not a report year ({YEARS[0]}-{YEARS[1]})")
    return MetaOverrides(year, agency, agency_kind, when)


def settings_for(paths: list[Path], config: Path | None, lang: str, **given):
    """Command line > nearest configuration > defaults (checker/gate/config.py); an option a
    command does not take, or one left out (None), is not given (`render` gives only jobs).
    The budgets and --fail-on-unreadable are checked and resolved there too."""
    from checker.gate.config import CliChoices, find_config, load_config, resolve

    def code_list(name: str) -> tuple[str, ...] | None:
        return tuple(codes(given[name])) if given.get(name) is not None else None

    def strings(name: str) -> tuple[str, ...] | None:
        return tuple(str(v) for v in given[name]) if given.get(name) is not None else None

    found = config if config is not None else find_config(paths)
    choices = CliChoices(
        select=code_list("select"),
        extend_select=code_list("extend_select") or (),
        ignore=code_list("ignore") or (),
        fail_on=given.get("fail_on"),
        rules=strings("rules"),
        include=strings("include"),
        exclude=strings("exclude"),
        jobs=given.get("jobs"),
        overrides=given["overrides"] if "overrides" in given else overrides(None, None, None, None),
        fail_on_unreadable=given.get("fail_on_unreadable"),
        time_budget=given.get("time_budget"),
        memory_budget=given.get("memory_budget"),
    )
    return resolve(choices, load_config(found) if found is not None else None, lang)
