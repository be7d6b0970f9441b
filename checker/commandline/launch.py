"""The `nianbao` entry point: a well-formed check runs without loading typer.

Pre-commit runs ``nianbao check FILE`` per commit, so its start-up is what a
clerk waits for; typer builds every command's options at each start, which
alone costs more than reading and checking a report. Everything else (other
commands, ``--help``, a command line with a problem) goes to the typer app.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:2] == ["check"]:
        from checker.commandline.argv import check_arguments

        arguments = check_arguments(sys.argv[2:])
        if arguments is not None:
            from checker.commandline.check import run_check
            from checker.commandline.common import guarded

            sys.exit(guarded(lambda: run_check(**arguments)))
    from checker.cli import main as typer_main

    typer_main()
