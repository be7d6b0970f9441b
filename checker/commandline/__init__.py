"""The command line's own machinery, free of typer so that `nianbao check` starts fast.

``launch`` is the entry point: a well-formed ``nianbao check …`` is parsed by
``argv`` (a table of the check command's options) and run by ``check``; every
other command, ``--help`` and every malformed command line go to the typer app
in :mod:`checker.cli`, which words help and usage errors.
"""
