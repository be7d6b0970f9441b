"""Drive the real `nianbao` command line in-process (typer's CliRunner) from a chosen folder."""

from __future__ import annotations

import json
import shutil
from contextlib import chdir
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from checker.cli import app

from .conftest import ROOT

REPO = ROOT / "reports_samples" / "repo"


@dataclass(frozen=True, slots=True)
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> dict[str, Any]:
        return json.loads(self.out)

    def codes(self) -> list[str]:
        return sorted(f["rule"] for f in self.json()["findings"])


def nianbao(*args: str, cwd: Path | None = None) -> Ran:
    """`nianbao ARGS` as a user runs it, from `cwd` (default: the repository root)."""
    with chdir(cwd or ROOT):
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return Ran(result.exit_code, result.stdout, result.stderr)


def copy_repo(tmp_path: Path, name: str = "repo") -> Path:
    """A private copy of reports_samples/repo (tests edit it; the checker never writes inputs)."""
    target = tmp_path / name
    shutil.copytree(REPO, target)
    return target


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
