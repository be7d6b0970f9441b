"""Configuration: where it is found, what it may say, and precedence CLI > config > defaults."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from checker.errors import InputError
from checker.gate.config import CliChoices, find_config, load_config, resolve, selected_ruleset
from checker.run.budget import DEFAULT_MEGABYTES, DEFAULT_SECONDS, FileBudget

from .batch_support import nianbao, write
from .conftest import ROOT, bounded

DEFECTS = ROOT / "reports_samples" / "defects"
BASE_2021 = ROOT / "rules" / "national" / "examples" / "base-2021.yaml"


@pytest.fixture
def project(tmp_path) -> Path:
    """A folder with t3-unbalanced.yaml (T3-001 x2, TXT-001) and prose-vs-table.yaml (TXT-001)."""
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("t3-unbalanced.yaml", "prose-vs-table.yaml"):
        shutil.copy(DEFECTS / name, reports / name)
    return tmp_path


def codes(project: Path, *args: str) -> list[str]:
    ran = nianbao("check", "reports", "-f", "json", "--fail-on", "never", *args, cwd=project)
    assert ran.code == 0, ran.err
    return ran.codes()


# -- finding the file ------------------------------------------------------------------------


def test_nearest_config_wins_walking_up_from_the_checked_folder(tmp_path):
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    write(tmp_path / "nianbao.toml", "")
    write(tmp_path / "a" / "pyproject.toml", "[project]\nname = 'x'\n")  # no [tool.nianbao]
    assert find_config([deep]) == tmp_path / "nianbao.toml"
    write(tmp_path / "a" / "b" / "pyproject.toml", "[tool.nianbao]\nignore = ['TXT']\n")
    assert find_config([deep / "report.yaml"]) == tmp_path / "a" / "b" / "pyproject.toml"
    write(tmp_path / "a" / "b" / "nianbao.toml", "")
    assert find_config([deep]) == tmp_path / "a" / "b" / "nianbao.toml"  # before pyproject.toml
    assert (
        find_config([deep, tmp_path / "a" / "x.yaml"]) == tmp_path / "nianbao.toml"
    )  # common folder


def test_pyproject_tool_table_is_read(project):
    write(project / "pyproject.toml", "[project]\nname = 'r'\n\n[tool.nianbao]\nignore = ['T3']\n")
    assert codes(project) == ["DIAG-001", "TXT-001", "TXT-001"]


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        ("selct = ['T3']\n", ["selct", "不认识的配置项"]),
        ("fail-on = 'sometimes'\n", ["fail-on"]),
        ("select = ['t3']\n", ["select.0"]),
        ("[severity]\n'T3-001' = 'fatal'\n", ["severity.T3-001"]),
        ("select = [\n", ["TOML 格式有误"]),
        ("select = ['NOPE']\n", ["没有以“NOPE”开头的规则编号"]),
        ("[per-file-ignores]\n'x/**' = ['ZZ']\n", ["per-file-ignores", "“ZZ”"]),
        ("[severity]\n'QQ' = 'info'\n", ["严重程度覆盖", "“QQ”"]),
        ("rules = ['missing.yaml']\n", ["missing.yaml"]),
        ("fail-on-unreadable = 'yes'\n", ["nianbao.toml: ", "fail-on-unreadable"]),
        ("time-budget = -1\n", ["nianbao.toml: ", "time-budget"]),
        ("time-budget = inf\n", ["nianbao.toml: ", "time-budget"]),
        ("time-budget = nan\n", ["nianbao.toml: time-budget: 应为 0 到 86400 秒"]),
        ("memory-budget = 1.5\n", ["nianbao.toml: ", "memory-budget"]),
        ("memory-budget = 2_000_000_000\n", ["nianbao.toml: ", "memory-budget"]),
    ],
)
def test_an_invalid_config_is_one_line_naming_the_file(project, text, needles):
    write(project / "nianbao.toml", text)
    ran = nianbao("check", "reports", cwd=project)
    assert ran.code == 2 and ran.out == ""
    (line,) = ran.err.strip().splitlines()
    assert line.startswith("nianbao: ") and "Traceback" not in ran.err
    for needle in needles:
        assert needle in line


def test_explicit_config_replaces_the_search(project, tmp_path):
    write(project / "nianbao.toml", "ignore = ['T3']\n")
    other = write(tmp_path / "elsewhere.toml", "ignore = ['TXT']\n")
    assert codes(project) == ["DIAG-001", "TXT-001", "TXT-001"]
    assert codes(project, "--config", str(other)) == ["DIAG-001", "T3-001", "T3-001"]
    ran = nianbao("check", "reports", "--config", "nope.toml", cwd=project)
    assert ran.code == 2 and "nope.toml: 配置文件不存在" in ran.err


def test_config_schema_is_published_and_describes_the_sample_config():
    ran = nianbao("schema", "config")
    schema = json.loads(ran.out)
    Draft202012Validator.check_schema(schema)
    import tomllib

    sample = tomllib.loads((ROOT / "reports_samples" / "repo" / "nianbao.toml").read_text("utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(sample)) == []
    assert list(Draft202012Validator(schema).iter_errors({"jobs": -1}))


# -- precedence: command line > nearest config > defaults -------------------------------------


def test_rule_selection_defaults_then_config_then_command_line(project):
    assert codes(project) == ["DIAG-001", "T3-001", "T3-001", "TXT-001", "TXT-001"]  # all rules
    write(project / "nianbao.toml", "ignore = ['TXT', 'DIAG']\n")
    assert codes(project) == ["T3-001", "T3-001"]  # config
    assert codes(project, "--select", "TXT") == ["TXT-001", "TXT-001"]  # --select starts afresh
    assert codes(project, "--ignore", "T3-001") == []  # --ignore adds to the config's
    write(project / "nianbao.toml", "select = ['T3']\nextend-select = ['TXT-001']\n")
    assert codes(project) == ["T3-001", "T3-001", "TXT-001", "TXT-001"]
    assert codes(project, "--extend-select", "META") == ["T3-001", "T3-001", "TXT-001", "TXT-001"]


def test_fail_on_defaults_then_config_then_command_line(project):
    one_warning = ["check", "reports/prose-vs-table.yaml"]
    assert nianbao(*one_warning, cwd=project).code == 0  # default: error
    write(project / "nianbao.toml", "fail-on = 'warning'\n")
    assert nianbao(*one_warning, cwd=project).code == 1  # config
    assert nianbao(*one_warning, "--fail-on", "error", cwd=project).code == 0  # command line


def test_severity_overrides_by_code_and_prefix_longest_wins(project):
    write(
        project / "nianbao.toml", "[severity]\nTXT = 'error'\n'TXT-001' = 'info'\nT3 = 'warning'\n"
    )
    ran = nianbao("check", "reports", "-f", "json", cwd=project)
    assert ran.code == 0, ran.err  # nothing is an error any more
    assert {(f["rule"], f["severity"]) for f in ran.json()["findings"]} == {
        ("DIAG-001", "info"),
        ("T3-001", "warning"),
        ("TXT-001", "info"),
    }
    write(project / "nianbao.toml", "[severity]\n'TXT-001' = 'error'\n")
    assert nianbao("check", "reports/prose-vs-table.yaml", cwd=project).code == 1


def test_per_file_ignores_match_globs_relative_to_the_config(project):
    write(
        project / "nianbao.toml",
        "[per-file-ignores]\n'reports/t3-*.yaml' = ['T3', 'TXT', 'DIAG']\n",
    )
    ran = nianbao("check", "reports", "-f", "json", "--fail-on", "never", cwd=project)
    assert [(f["location"]["path"], f["rule"]) for f in ran.json()["findings"]] == [
        ("reports/prose-vs-table.yaml", "TXT-001")
    ]


def test_metadata_fills_what_the_report_leaves_unstated_and_the_cli_overrides(tmp_path):
    text = BASE_2021.read_text("utf-8")  # a government report published 2022-02-08
    write(tmp_path / "r" / "stated.yaml", text)
    write(tmp_path / "r" / "unstated.yaml", text.replace("  agency_kind: government\n", ""))

    def late(*args: str) -> list[str]:
        ran = nianbao("check", "r", "-f", "json", "--select", "META-004", *args, cwd=tmp_path)
        return sorted(f["location"]["path"] for f in ran.json()["findings"])

    assert late() == []  # unknown kind: the department deadline is not applicable
    write(tmp_path / "nianbao.toml", "[metadata]\nagency-kind = 'department'\n")
    assert late() == ["r/unstated.yaml"]  # the config fills in; the stated kind wins
    assert late("--agency-kind", "department") == ["r/stated.yaml", "r/unstated.yaml"]


def test_jobs_rules_and_globs_from_config_are_replaced_by_the_command_line(project):
    pack = ROOT / "rules" / "provincial-example" / "pack.yaml"
    write(
        project / "nianbao.toml", f"jobs = 3\nrules = ['{pack.as_posix()}']\nexclude = ['t3-*']\n"
    )
    config = load_config(project / "nianbao.toml")
    settings = resolve(CliChoices(), config)
    assert settings.jobs == 3 and settings.exclude == ("t3-*",)
    assert selected_ruleset(settings).by_id("PROV-001") is not None
    assert selected_ruleset(settings).by_id("XY-002").severity == "info"  # the pack's override
    cli = resolve(CliChoices(jobs=1, rules=(), exclude=()), config)
    assert cli.jobs == 1 and cli.exclude == () and selected_ruleset(cli).by_id("PROV-001") is None
    assert codes(project) == ["TXT-001"]  # t3-unbalanced.yaml excluded by the config
    assert codes(project, "--exclude", "prose-*") == ["DIAG-001", "T3-001", "T3-001", "TXT-001"]


def test_resolve_rejects_bad_command_line_values():
    with pytest.raises(InputError, match="--fail-on"):
        resolve(CliChoices(fail_on="sometimes"), None)
    with pytest.raises(InputError, match="--jobs"):
        resolve(CliChoices(jobs=-2), None)
    with pytest.raises(InputError, match="no rule code starts with 'ZZ'"):
        resolve(CliChoices(select=("ZZ",)), None)


# -- fail-on-unreadable, time-budget, memory-budget: as the command line's options ------------

UNREADABLE = ROOT / "tests" / "fixtures" / "corpus" / "pingtan_2021.txt"  # EXT-005 alone


def test_fail_on_unreadable_defaults_then_config_then_command_line(tmp_path):
    shutil.copy(UNREADABLE, tmp_path / "r.txt")
    ran = nianbao("check", "r.txt", "-f", "json", cwd=tmp_path)
    assert ran.code == 0 and ran.codes() == ["EXT-005"]  # a reading problem alone: passes
    assert nianbao("check", "r.txt", "--fail-on-unreadable", cwd=tmp_path).code == 1
    write(tmp_path / "nianbao.toml", "fail-on-unreadable = true\n")
    assert nianbao("check", "r.txt", cwd=tmp_path).code == 1  # config
    write(tmp_path / "nianbao.toml", "fail-on-unreadable = false\n")
    assert nianbao("check", "r.txt", cwd=tmp_path).code == 0
    assert nianbao("check", "r.txt", "--fail-on-unreadable", cwd=tmp_path).code == 1  # CLI wins
    write(tmp_path / "pyproject.toml", "[tool.nianbao]\nfail-on-unreadable = true\n")
    (tmp_path / "nianbao.toml").unlink()
    assert nianbao("check", "r.txt", cwd=tmp_path).code == 1  # [tool.nianbao] too


def test_budgets_default_then_config_then_command_line(tmp_path):
    assert resolve(CliChoices(), None).budget == FileBudget(DEFAULT_SECONDS, DEFAULT_MEGABYTES)
    config = load_config(
        write(tmp_path / "nianbao.toml", "time-budget = 2.5\nmemory-budget = 300\n")
    )
    assert resolve(CliChoices(), config).budget == FileBudget(2.5, 300)
    assert resolve(CliChoices(time_budget=7.0), config).budget == FileBudget(7.0, 300)
    assert resolve(CliChoices(memory_budget=0), config).budget == FileBudget(2.5, 0)
    whole = load_config(write(tmp_path / "nianbao.toml", "time-budget = 0\nmemory-budget = 64\n"))
    assert resolve(CliChoices(), whole).budget == FileBudget(0.0, 64)  # 0: no time limit
    assert type(resolve(CliChoices(), whole).budget.megabytes) is int


def _endless(*_args, **_kwargs):
    while True:
        pass


def test_the_configured_time_budget_stops_a_file_and_the_command_line_replaces_it(
    tmp_path, monkeypatch
):
    monkeypatch.setattr("checker.sources.text.read_text", _endless)
    write(tmp_path / "a.txt", "x")
    write(tmp_path / "nianbao.toml", "time-budget = 0.3\n")
    ran = nianbao("check", "a.txt", cwd=tmp_path)
    assert ran.code == 2
    assert ran.err.strip() == "nianbao: a.txt: 超出单个文件的时间预算（CPU 0.3 秒，--time-budget）"
    ran = nianbao("check", "a.txt", "--time-budget", "0.4", cwd=tmp_path)
    assert ran.code == 2 and "CPU 0.4 秒" in ran.err


def test_a_budget_out_of_range_names_where_it_came_from(tmp_path):
    config = load_config(write(tmp_path / "nianbao.toml", "time-budget = nan\n"))
    with pytest.raises(InputError) as refused:
        resolve(CliChoices(), config)
    assert refused.value.path == f"{tmp_path / 'nianbao.toml'}: time-budget"
    with pytest.raises(InputError) as refused:  # the command line's own value: its flag
        resolve(CliChoices(time_budget=float("nan")), None)
    assert refused.value.path == "--time-budget"
    with pytest.raises(InputError) as refused:
        resolve(CliChoices(memory_budget=-1), None)
    assert refused.value.path == "--memory-budget"
    assert resolve(CliChoices(time_budget=1.0), config).budget.seconds == 1.0  # CLI replaces nan


def test_the_schema_bounds_are_the_budgets_limits():
    from checker.resources import load_schema
    from checker.run.budget import MAX_MEGABYTES, MAX_SECONDS

    properties = load_schema("config")["properties"]
    assert properties["time-budget"]["maximum"] == MAX_SECONDS
    assert properties["memory-budget"]["maximum"] == MAX_MEGABYTES
    assert properties["fail-on-unreadable"]["type"] == "boolean"


def test_the_quick_check_never_passes_a_run_setting_the_schema_refuses():
    from hypothesis import given
    from hypothesis import strategies as st

    from checker.gate.config import _quick_check
    from checker.resources import load_schema

    quick = _quick_check()
    assert quick is not None
    validator = Draft202012Validator(load_schema("config"))
    values = st.one_of(
        st.booleans(),
        st.none(),
        st.integers(-2, 2**31),
        st.floats(),  # nan and the infinities too
        st.sampled_from(["", "60", "true", 86400, 86400.5, 2**30, 2**30 + 1, 1.0, 2.5]),
        st.lists(st.integers(0, 3), max_size=2),
    )
    keys = st.sampled_from(["fail-on-unreadable", "time-budget", "memory-budget", "jobs", "x"])

    @given(st.dictionaries(keys, values, max_size=3))
    @bounded(300)
    def agrees(config):
        if quick(config):
            assert not list(validator.iter_errors(config)), config

    agrees()
    assert quick({"fail-on-unreadable": True, "time-budget": 2.5, "memory-budget": 300})
    assert quick({"time-budget": 0, "memory-budget": 0})


@pytest.mark.parametrize(
    ("line", "zh"),
    [
        ("bogus = 1", "配置文件有误：有不认识的配置项 'bogus'（拼写是否有误？）"),
        ('fail-on = "loud"', "配置项 fail-on 有误：'loud' 不是允许的取值（可选："),
        ("jobs = -1", "配置项 jobs 有误：-1 小于下限 0"),
        ('select = "T3"', "配置项 select 有误：'T3' 应为列表"),
        ("include = [1]", "配置项 include.0 有误：1 应为文字"),
        ('time-budget = "x"', "配置项 time-budget 有误：'x' 应为数"),
    ],
)
def test_an_invalid_configuration_is_one_chinese_line(tmp_path, line, zh):
    """jsonschema's English is worded too: no "is not of type", no "top level"."""
    from .conftest import SAMPLE, run_nianbao

    config = tmp_path / "nianbao.toml"
    config.write_text(line + "\n", encoding="utf-8")
    ran = run_nianbao("check", str(SAMPLE), "--config", str(config))
    assert ran.returncode == 2
    (said,) = ran.stderr.splitlines()
    assert zh in said, said
    problem = said.partition("nianbao.toml: ")[2]
    assert not re.search(r"\b(is|not|of|type|top|level|Additional|allowed)\b", problem), said
