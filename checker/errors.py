"""Errors that end a file's check with a one-line message and exit code 2."""

from __future__ import annotations


class InputError(Exception):
    """Unreadable or invalid input: a report, a rule pack, a config file, a CLI option."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class RuleEvaluationError(Exception):
    """A rule could not be evaluated: the rule is broken, not the report."""
