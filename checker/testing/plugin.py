"""pytest plugin for rule authors (entry point ``pytest11``: ``nianbao``).

Installed with nianbao-checker, it gives a province's rule pack tests in a
few lines. Name the pack(s) under test in the pytest configuration::

    [pytest]                      # or [tool.pytest.ini_options] in pyproject.toml
    nianbao_packs = rules/pack.yaml

or on the command line (``--nianbao-pack rules/pack.yaml``), or by overriding
the ``nianbao_pack_paths`` fixture in a ``conftest.py``. Paths are relative to
the directory of the configuration file. Without a pack, the national pack is
the one under test.

Fixtures (all session-scoped, so they combine with hypothesis's ``@given``):

``nianbao_ruleset``
    The national pack merged with the packs under test.
``nianbao_rules``
    The rules of the packs under test.
``nianbao_check``
    ``check(report, select=None, lang="zh") -> list[Finding]``: evaluate a
    report (structured data as drawn by :func:`checker.testing.reports`, a
    :class:`~checker.model.Report`, or a file path) with ``nianbao_ruleset``;
    ``select`` keeps the findings of those codes or prefixes.
``nianbao_examples``
    ``run(rule_id)``: run the rule's passing and failing examples (as
    ``nianbao rules test`` does); fails the test naming each that misbehaves.
``nianbao_verify``
    ``verify(codes=None, examples=30, seed=None)``: soundness and
    sensitivity of the rules under test (as ``nianbao rules verify`` does);
    fails the test with the shrunk counterexamples.

A test function that takes a ``nianbao_rule`` argument runs once per rule
under test, with the rule's id. The strategies, renderers and mutations are
in :mod:`checker.testing`. A complete example is ``examples/provincial_rules``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

INI_PACKS = "nianbao_packs"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("nianbao", "nianbao rule packs")
    group.addoption(
        "--nianbao-pack",
        action="append",
        default=[],
        dest="nianbao_packs",
        metavar="PATH",
        help="a rule pack to test (repeatable); adds to the ini option nianbao_packs",
    )
    parser.addini(INI_PACKS, "rule packs to test, relative to the ini file", type="linelist")


def configured_packs(config: pytest.Config) -> list[Path]:
    """The pack paths named by the ini option and the command line."""
    base = config.inipath.parent if config.inipath else config.rootpath
    from_ini = [base / line for line in config.getini(INI_PACKS)]
    from_cli = [Path(p).resolve() for p in config.getoption("nianbao_packs") or []]
    return from_ini + from_cli


def _load(paths: list[Path]):
    from checker.engine.ruleset import default_ruleset, load_pack, merge

    packs = [load_pack(p) for p in paths]
    ruleset = merge([default_ruleset(), *packs]) if packs else default_ruleset()
    tested = [r for pack in packs for r in pack.rules] if packs else list(ruleset.rules)
    return ruleset, tested


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "nianbao_rule" in metafunc.fixturenames:
        _, rules = _load(configured_packs(metafunc.config))
        metafunc.parametrize("nianbao_rule", [r.id for r in rules], ids=[r.id for r in rules])


@pytest.fixture(scope="session")
def nianbao_pack_paths(pytestconfig: pytest.Config) -> list[Path]:
    """The packs under test (override in a conftest.py to name them in code)."""
    return configured_packs(pytestconfig)


@pytest.fixture(scope="session")
def _nianbao_loaded(nianbao_pack_paths: list[Path]):
    return _load(list(nianbao_pack_paths))


@pytest.fixture(scope="session")
def nianbao_ruleset(_nianbao_loaded):
    return _nianbao_loaded[0]


@pytest.fixture(scope="session")
def nianbao_rules(_nianbao_loaded):
    return _nianbao_loaded[1]


@pytest.fixture(scope="session")
def nianbao_check(nianbao_ruleset) -> Callable[..., list[Any]]:
    from checker.engine.evaluate import evaluate
    from checker.model import Report
    from checker.sources import read_report
    from checker.testing.strategies import build_report

    def check(report: Any, select: list[str] | None = None, lang: str = "zh") -> list[Any]:
        if isinstance(report, dict):
            report = build_report(report)
        elif not isinstance(report, Report):
            report = read_report(Path(report))
        findings = evaluate(report, nianbao_ruleset, lang)[0]
        if select:
            findings = [f for f in findings if any(f.rule.startswith(c) for c in select)]
        return findings

    return check


@pytest.fixture(scope="session")
def nianbao_examples(nianbao_ruleset) -> Callable[[str], None]:
    from checker.engine.examples import run_examples

    def run(rule_id: str) -> None:
        rule = nianbao_ruleset.by_id(rule_id)
        if rule is None:
            pytest.fail(f"no rule {rule_id}")
        bad = [r for r in run_examples(nianbao_ruleset, rule) if not r.ok]
        if bad:
            pytest.fail(
                "\n".join(f"{rule_id} {r.kind}[{r.index}]: {r.problem}" for r in bad), False
            )

    return run


@pytest.fixture(scope="session")
def nianbao_verify(nianbao_rules) -> Callable[..., None]:
    from checker.testing.verify import verdict_lines, verify_rules

    def run(codes: list[str] | None = None, examples: int = 30, seed: int | None = None) -> None:
        rules = [r for r in nianbao_rules if not codes or r.id in codes]
        verdicts = verify_rules(rules, examples=examples, seed_value=seed)
        if any(v.problems for v in verdicts):
            pytest.fail(verdict_lines(verdicts), False)

    return run
