"""Nothing lost (issue 6): inputs are never written, outputs are whole or absent, output is stable.

- A run that writes every output format, a baseline and an extraction leaves
  every input byte-identical, with its modification time, and adds no file
  next to the inputs.
- An output (``-o``, ``--write-baseline``, ``extract -o``) is written to a
  temporary file and renamed: a write that fails half-way (a full disk, an
  interrupt) leaves the previous file as it was and no temporary file behind.
- The same inputs give byte-identical JSON, SARIF, JUnit, GitLab, Markdown,
  HTML and console output, run after run and whatever ``--jobs``.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.writer import write_atomic

from .conftest import ROOT, SAMPLE
from .hostile_support import REAL_DOCX, REAL_HTML, REAL_PDF, run_cli

FORMATS = {
    "console": "txt",
    "json": "json",
    "sarif": "sarif",
    "junit": "xml",
    "gitlab": "gl.json",
    "markdown": "md",
    "html": "html",
}


def build_inputs(folder: Path) -> Path:
    """A small repository: the sample report repository (cross-year pairs, a config with a
    suppression), the defective samples, and one report of every source format."""
    shutil.copytree(ROOT / "reports_samples" / "repo", folder / "repo")
    defects = folder / "defects"
    defects.mkdir()
    for path in sorted((ROOT / "reports_samples" / "defects").iterdir()):
        if not path.name.endswith(".expected.yaml"):
            shutil.copy2(path, defects / path.name)
    formats = folder / "formats"
    formats.mkdir()
    for path in (SAMPLE, REAL_HTML, REAL_DOCX, REAL_PDF):
        shutil.copy2(path, formats / path.name)
    return folder


def snapshot(folder: Path) -> dict[str, tuple[str, int, int, int]]:
    """Every file under `folder`: content hash, modification time, size, mode."""
    state = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            info = path.stat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            state[path.relative_to(folder).as_posix()] = (
                digest,
                info.st_mtime_ns,
                info.st_size,
                info.st_mode,
            )
    return state


def nianbao(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )


def format_args(out: Path, stem: str) -> list[str]:
    args = []
    for fmt, suffix in FORMATS.items():
        args += ["-f", fmt, "-o", str(out / f"{stem}.{suffix}")]
    return args


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The inputs, their state before, and the outputs of three runs (jobs 1, 2, 2 again, the
    last one also writing a baseline), a run against that baseline and an extraction."""
    root = tmp_path_factory.mktemp("lost")
    inputs = build_inputs(root / "inputs")
    out = root / "out"
    out.mkdir()
    before = snapshot(inputs)
    results = {}
    for stem, jobs in (("one", "1"), ("two", "2"), ("again", "2")):
        results[stem] = nianbao(
            "check",
            "inputs",
            "--jobs",
            jobs,
            "--fail-on",
            "never",
            *format_args(out, stem),
            *(["--write-baseline", str(out / "baseline.json")] if stem == "again" else []),
            cwd=root,
        )
    results["with-baseline"] = nianbao(
        "check",
        "inputs",
        "--baseline",
        str(out / "baseline.json"),
        "-f",
        "json",
        "-o",
        str(out / "b.json"),
        cwd=root,
    )
    results["extract"] = nianbao(
        "extract",
        str(Path("inputs") / "formats" / SAMPLE.name),
        "-o",
        str(out / "x.yaml"),
        cwd=root,
    )
    return root, before, results


def test_inputs_are_never_written(runs):
    root, before, results = runs
    for name, result in results.items():
        assert "Traceback" not in result.stderr, (name, result.stderr)
    after = snapshot(root / "inputs")
    assert after == before  # same files, same bytes, same modification times, nothing added


def test_every_run_produced_its_outputs(runs):
    root, _, results = runs
    assert results["one"].returncode == 0, results["one"].stderr
    for stem in ("one", "two", "again"):
        for suffix in FORMATS.values():
            assert (root / "out" / f"{stem}.{suffix}").stat().st_size > 0
    assert (root / "out" / "baseline.json").stat().st_size > 0
    assert results["with-baseline"].returncode == 0, results["with-baseline"].stderr
    assert not [p.name for p in (root / "out").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("suffix", sorted(FORMATS.values()))
def test_output_is_byte_identical_whatever_the_jobs(runs, suffix):
    root, _, _ = runs
    one, two, again = (
        (root / "out" / f"{stem}.{suffix}").read_bytes() for stem in ("one", "two", "again")
    )
    assert one == two == again


# -- atomic writes --------------------------------------------------------------------------


class FullDisk:
    """os.fdopen for text writing whose file takes `room` characters, then fails like a full disk."""

    def __init__(self, room: int, error: BaseException | None = None) -> None:
        self.room = room
        self.error = error or OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.real = os.fdopen

    def __call__(self, fd, mode="r", *args, **kwargs):
        handle = self.real(fd, mode, *args, **kwargs)
        if "w" not in mode:
            return handle
        room, error = self.room, self.error
        real_write = handle.write

        def write(text: str) -> int:
            real_write(text[:room])
            handle.flush()
            raise error

        handle.write = write
        return handle


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize(
    "error",
    [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()],
    ids=["disk-full", "interrupt"],
)
def test_a_write_failing_half_way_leaves_the_old_file(tmp_path, monkeypatch, error):
    target = tmp_path / "findings.json"
    target.write_text("the previous complete output\n", "utf-8")
    monkeypatch.setattr(os, "fdopen", FullDisk(room=10, error=error))
    with pytest.raises(type(error)):
        write_atomic(target, "a new output, much longer than ten characters\n" * 100)
    assert target.read_text("utf-8") == "the previous complete output\n"
    assert leftovers(tmp_path) == []


def test_a_write_failing_half_way_leaves_no_new_file(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "fdopen", FullDisk(room=10))
    with pytest.raises(OSError):
        write_atomic(tmp_path / "new.json", "{}\n" * 100)
    assert list(tmp_path.iterdir()) == []


def test_a_rename_that_fails_leaves_no_temporary_file(tmp_path):
    (tmp_path / "taken").mkdir()  # a folder where the output should go: the rename fails
    with pytest.raises(OSError):
        write_atomic(tmp_path / "taken", "{}\n")
    assert leftovers(tmp_path) == [] and (tmp_path / "taken").is_dir()


def test_a_written_output_is_complete_and_readable_by_others(tmp_path):
    text = "一、总体情况\n" * 1000
    write_atomic(tmp_path / "out.txt", text)
    assert (tmp_path / "out.txt").read_text("utf-8") == text
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600


@pytest.mark.parametrize(
    "args",
    [
        ("-f", "json", "-o", "{target}"),
        ("--write-baseline", "{target}"),
    ],
    ids=["output", "baseline"],
)
def test_cli_on_a_full_disk_keeps_the_previous_file(tmp_path, monkeypatch, capsys, args):
    target = tmp_path / "previous.json"
    target.write_text('{"previous": true}\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "fdopen", FullDisk(room=5))
    outcome = run_cli(
        monkeypatch, capsys, "check", str(SAMPLE), *(a.format(target=target) for a in args)
    )
    assert outcome.code == 2
    assert "cannot write" in outcome.err and "Traceback" not in outcome.err
    assert target.read_text("utf-8") == '{"previous": true}\n'
    assert leftovers(tmp_path) == []


def test_extract_on_a_full_disk_keeps_the_previous_file(tmp_path, monkeypatch, capsys):
    target = tmp_path / "report.yaml"
    target.write_text("previous: true\n", "utf-8")
    monkeypatch.setattr(os, "fdopen", FullDisk(room=5))
    outcome = run_cli(monkeypatch, capsys, "extract", str(SAMPLE), "-o", str(target))
    assert outcome.code == 2 and "Traceback" not in outcome.err
    assert target.read_text("utf-8") == "previous: true\n"
    assert leftovers(tmp_path) == []
