"""`pip install .` (not editable) must ship rules/ and schemas/ inside the package."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("src") / "nianbao"
    # build from a copy so the build never writes into the working tree
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".ci-venv",
            ".venv",
            "*.egg-info",
            "__pycache__",
            ".corpus",
            ".hypothesis",
            ".pytest_cache",
            ".ruff_cache",
        ),
    )
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (path,) = out.glob("nianbao_checker-*.whl")
    return path


def test_wheel_ships_rules_and_schemas(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "checker/_data/rules/national/pack.yaml",
        "checker/_data/rules/national/examples/base-2021.yaml",
        "checker/_data/rules/templates/2021.yaml",
        "checker/_data/schemas/report.schema.json",
        "checker/_data/schemas/ruleset.schema.json",
        "checker/_data/schemas/findings.schema.json",
        "checker/cli.py",
    ):
        assert needed in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert (
        "nianbao = checker.commandline.launch:main"
        in zipfile.ZipFile(wheel).read(entry_points).decode()
    )


def test_installed_wheel_checks_the_sample(wheel, tmp_path):
    """Unpacked alone (no source tree beside it), the package finds its data and runs."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "checker",
            "check",
            str(ROOT / "reports_samples" / "haicang-gongxinju-2020.txt"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (
        "_data"
        in subprocess.run(
            [
                sys.executable,
                "-c",
                "from checker.resources import data_dir; print(data_dir('rules'))",
            ],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={"PYTHONPATH": str(site)},
        ).stdout
    )
