"""Shared fixtures: the national rule set, paths, and a CLI runner that keeps stderr apart."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "reports_samples" / "haicang-gongxinju-2020.txt"


@pytest.fixture(scope="session")
def national():
    from checker.engine.ruleset import default_ruleset

    return default_ruleset()


def run_nianbao(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess (exit codes, stdout, stderr as a user sees them)."""
    return subprocess.run(
        [sys.executable, "-m", "checker", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=120,
    )


@pytest.fixture
def nianbao():
    return run_nianbao


def bounded(max_examples: int) -> settings:
    """Hypothesis settings for the suite: a fixed number of examples, the same every run."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


@pytest.fixture
def cli(monkeypatch, capsys):
    """`nianbao ARGS` in this process (tests/hostile_support.py: run_cli)."""
    from tests.hostile_support import run_cli

    def run(*args: str):
        return run_cli(monkeypatch, capsys, *args)

    return run


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Run from tmp_path so that the file names in messages are short and predictable."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
