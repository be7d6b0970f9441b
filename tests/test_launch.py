"""The fast start of `nianbao check` (issue 13): the same options as typer's, without typer."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from enum import Enum
from pathlib import Path

import pytest
import typer

from checker.cli import check
from checker.commandline.argv import OPTIONS, check_arguments

from .conftest import ROOT


def _click_command():
    solo = typer.Typer(add_completion=False)
    solo.command()(check)
    return typer.main.get_command(solo)


def _typer_params(args: list[str], monkeypatch) -> dict:
    """What the typer command hands run_check for ``args``."""
    captured: dict = {}
    monkeypatch.setattr("checker.cli.run_check", lambda **kwargs: captured.update(kwargs))
    solo = typer.Typer(add_completion=False)
    solo.command()(check)
    solo(args=list(args), prog_name="nianbao check", standalone_mode=False)
    return captured


def test_the_table_has_every_flag_of_the_typer_command_and_no_other():
    flags = {
        flag
        for param in _click_command().params
        if param.param_type_name == "option"
        for flag in (*param.opts, *param.secondary_opts)
    } - {"--help"}
    assert flags == set(OPTIONS)


@pytest.mark.parametrize(
    "args",
    [
        ["a.txt"],
        ["a.txt", "b.yaml", "reports/"],
        ["a.txt", "--format", "json", "-f", "sarif", "-o", "out.json", "--output=out.sarif"],
        ["-fjson", "-o-", "a.txt"],
        ["a.txt", "-o", "-"],
        [
            "--fail-on",
            "warning",
            "--select",
            "T3,META",
            "--extend-select=TXT",
            "--ignore",
            "T4",
            "a",
        ],
        ["a.txt", "--config", "x/nianbao.toml", "--baseline", "b.json"],
        ["a.txt", "--write-baseline", "b.json", "--jobs", "2", "-j", "3"],
        ["a.txt", "--include", "*.txt", "--exclude", "old/**", "--lang", "en"],
        ["a.txt", "--rules", "p.yaml", "--rules=q.yaml", "--year", "2023", "--agency", "某局"],
        ["a.txt", "--agency-kind", "department", "--published", "2024-01-20"],
        ["a.txt", "--statistics", "--no-statistics", "--fail-on-unreadable", "--show-skipped"],
        ["a.txt", "--no-fail-on-unreadable"],
        ["a.txt", "--fail-on-unreadable", "--no-fail-on-unreadable"],
        ["a.txt", "--no-fail-on-unreadable", "--fail-on-unreadable"],
        ["a.txt", "--time-budget", "2.5", "--memory-budget", "300", "--year", "1_000"],
        ["--", "-odd-name.txt", "a.txt"],
        ["a.txt", "--time-budget", "nan"],
    ],
)
def test_a_well_formed_command_line_reads_as_typer_reads_it(args, monkeypatch):
    fast = check_arguments(args)
    assert fast is not None
    given = _typer_params(args, monkeypatch)
    assert set(fast) <= set(given)
    for name, value in fast.items():
        if isinstance(value, float) and value != value:  # nan reads as nan
            assert given[name] != given[name]
        else:
            assert value == given[name], name
    for name in set(given) - set(fast):  # not on the command line: run_check's default
        assert given[name] == _run_check_defaults()[name], name


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--help"],
        ["a.txt", "--help"],
        ["a.txt", "--bogus"],
        ["a.txt", "--year", "abc"],
        ["a.txt", "--lang", "fr"],
        ["a.txt", "-f"],
        ["a.txt", "--format", "--lang"],
        ["a.txt", "--show-skipped=yes"],
        ["a.txt", "--no-fail-on-unreadable=yes"],
        ["a.txt", "--jobs", "-1"],
        ["a.txt", "-"],
        ["", "a.txt"],
        ["--year", "2023"],
    ],
)
def test_anything_doubtful_goes_to_typer(args):
    """typer words the problem (or the help); the fast reader never guesses."""
    assert check_arguments(args) is None


def _run_check_defaults() -> dict:
    from checker.commandline.check import run_check

    return {p.name: p.default for p in inspect.signature(run_check).parameters.values()}


def test_the_defaults_of_run_check_are_those_typer_declares():
    declared = {p.name: p.default for p in inspect.signature(check).parameters.values()}
    own = _run_check_defaults()
    assert declared.keys() == own.keys()
    for name, default in declared.items():
        default = default.value if isinstance(default, Enum) else default
        if name != "paths":
            assert own[name] == default, name


def test_a_check_starts_without_typer():
    sample = ROOT / "reports_samples" / "haicang-gongxinju-2020.txt"
    probe = (
        "import sys\n"
        f"sys.argv = ['nianbao', 'check', {str(sample)!r}, '--fail-on', 'never']\n"
        "from checker.commandline.launch import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click')))\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=Path(ROOT), timeout=120
    )
    assert ran.stdout.splitlines()[-1] == "0 []", ran.stdout + ran.stderr


def _probe(code: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    ran = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(cwd),
        timeout=120,
        env=env,
    )
    assert ran.returncode == 0, ran.stderr
    return ran.stdout.splitlines()[-1]


def test_a_text_check_loads_neither_pyyaml_nor_json(tmp_path):
    """The pack, templates and title scores come from snapshots; the console needs no JSON;
    msgspec is imported without typing_extensions (checker/__init__.py)."""
    import os

    sample = ROOT / "reports_samples" / "haicang-gongxinju-2020.txt"
    probe = (
        "import sys\n"
        f"sys.argv = ['nianbao', 'check', {str(sample)!r}, '--fail-on', 'never']\n"
        "from checker.commandline.launch import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m in "
        "('yaml', 'json', 'jsonschema', 'rich', 'typing_extensions', 'inspect')))\n"
    )
    env = {**os.environ, "NIANBAO_CACHE_DIR": str(tmp_path)}
    assert "yaml" in _probe(probe, env=env)  # the first check parses the bundled YAML and keeps it
    assert _probe(probe, env=env) == "[]"


def test_a_yaml_check_in_a_configured_folder_reads_its_snapshots_not_toml_or_json(tmp_path):
    """Once the snapshots exist, the configuration, the schema and the pack are not parsed."""
    import os

    probe = (
        "import sys\n"
        "sys.argv = ['nianbao', 'check', 'zhengfu/2021.yaml', '--fail-on', 'never']\n"
        "from checker.commandline.launch import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m in ('json', 'tomllib', 'jsonschema', 'rich')))\n"
    )
    env = {**os.environ, "NIANBAO_CACHE_DIR": str(tmp_path)}
    folder = ROOT / "reports_samples" / "repo"
    assert "tomllib" in _probe(probe, folder, env)  # the first check parses and keeps
    assert _probe(probe, folder, env) == "[]"


def test_no_module_of_the_check_path_compiles_a_pattern_when_imported():
    """Patterns are compiled where first used (checker.regexes.lazy), not at import."""
    modules = [
        "checker.commandline.launch",
        "checker.commandline.check",
        "checker.gate.config",
        "checker.run.batch",
        "checker.run.discovery",
        "checker.reporters",
        "checker.reporters.console",
        "checker.extract.meta",
        "checker.extract.tables",
        "checker.sources.text",
        "checker.sources.structured",
        "checker.engine.kinds",
    ]
    compiled = _probe(
        "import re, sys\n"
        "import regex\n"
        "made = []\n"
        "def spy(real):\n"
        "    def compile(pattern, *args, **kwargs):\n"
        "        frame = sys._getframe(1)\n"
        "        if frame.f_code.co_name == '<module>' and "
        "frame.f_globals.get('__name__', '').startswith('checker'):\n"
        "            made.append(f\"{frame.f_globals['__name__']}:{frame.f_lineno}\")\n"
        "        return real(pattern, *args, **kwargs)\n"
        "    return compile\n"
        "re.compile = spy(re.compile)\n"
        "regex.compile = spy(regex.compile)\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "print(made)\n"
    )
    assert compiled == "[]"


def test_a_lazy_pattern_is_the_compiled_pattern_once_used():
    from checker.regexes import lazy

    pattern = lazy(r"(?P<n>\d+)\s*件")
    assert "match" not in vars(pattern)  # nothing compiled yet
    assert pattern.search("新收申请12件")["n"] == "12"
    # the same program as re.compile's, whether compiled now or taken from the pattern store
    assert vars(pattern)["search"].__self__ == re.compile(r"(?P<n>\d+)\s*件")
    assert pattern.sub("N", "3件和4件") == "N和N" and pattern.groupindex == {"n": 1}
    assert lazy(rb"\d+").findall(b"a1b22") == [b"1", b"22"]
