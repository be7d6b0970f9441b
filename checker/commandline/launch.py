"""The `nianbao` entry point: a well-formed check runs without loading typer.

Pre-commit runs ``nianbao check FILE`` per commit, so its start-up is what a
clerk waits for; typer builds every command's options at each start, which
alone costs more than reading and checking a report. Everything else (other
commands, ``--help``, a command line with a problem) goes to the typer app.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["check"]:
        from checker.commandline.argv import check_arguments

        arguments = check_arguments(sys.argv[2:])
        if arguments is not None:
            sys.exit(_run(arguments))
    from checker.cli import main as typer_main

    typer_main()


def _run(arguments: dict) -> int:
    from checker.commandline.check import run_check
    from checker.commandline.common import echo, worded
    from checker.errors import InputError

    try:
        run_check(**arguments)
    except InputError as exc:  # a late input problem that escaped the command
        echo(f"nianbao: {exc.path}: {worded(exc.message)}", err=True)
        return 2
    except KeyboardInterrupt:
        echo(f"nianbao: {'interrupted' if arguments.get('lang') == 'en' else '已中断'}", err=True)
        return 130
    except Exception as exc:  # a bug: one line, never a traceback (NIANBAO_DEBUG=1 shows it)
        if os.environ.get("NIANBAO_DEBUG"):
            raise
        echo(f"nianbao: {worded(f'internal error: {type(exc).__name__}: {exc}')}", err=True)
        return 2
    return 0
