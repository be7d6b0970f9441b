"""The compiled-pattern store (checker/cache/patterns.py): same patterns, trusted files only."""

from __future__ import annotations

import importlib
import os
import pickle
import pkgutil
import re
import sys

import pytest
import regex

import checker
from checker.cache import patterns
from checker.regexes import _Lazy

SAMPLES = [
    "",
    "本机关2020年主动公开政府信息171条，其中规范性文件12件。",
    "一、总体情况\n（一）主动公开",
    "2021年1月1日至12月31日",
    "收到政府信息公开申请36件，办结率为97.2%",
    "第3页/共12页",
    "  ——  5  ——  ",
    "（三）不予公开 1.属于国家秘密 | 0 | 1 | 0",
]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A store of its own in an empty private cache folder."""
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(folder))
    monkeypatch.setattr(patterns, "_STORES", {})
    return folder


def _next_run(monkeypatch) -> None:
    """Forget what this process holds, as a new process would."""
    monkeypatch.setattr(patterns, "_STORES", {})


def _refuse_compiling(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("compiled, not taken from the store")

    monkeypatch.setattr(re._compiler, "compile", refuse)
    monkeypatch.setattr(regex._main, "_compile", refuse)


def _same_behaviour(first, second) -> None:
    assert (first.pattern, first.flags, first.groups) == (
        second.pattern,
        second.flags,
        second.groups,
    )
    assert dict(first.groupindex) == dict(second.groupindex)
    for text in SAMPLES:
        assert [m.span() for m in first.finditer(text)] == [m.span() for m in second.finditer(text)]
        assert first.sub("#", text) == second.sub("#", text)


def _checker_lazy_patterns() -> list[tuple[str, int]]:
    """Every pattern the checker declares with `lazy` (module globals)."""
    found = set()
    for module in pkgutil.walk_packages(checker.__path__, "checker."):
        if module.name == "checker.__main__" or module.name.startswith(
            ("checker.testing", "checker.authoring")
        ):
            continue
        loaded = importlib.import_module(module.name)
        for value in vars(loaded).values():
            if isinstance(value, _Lazy):
                found.add(value._source)
    return sorted(found, key=repr)


def test_every_checker_pattern_comes_back_from_the_store_as_re_compiles_it(fresh, monkeypatch):
    declared = [(p, f) for p, f in _checker_lazy_patterns() if isinstance(p, str)]
    assert len(declared) > 40
    for pattern, flags in declared:
        patterns.compile_re(pattern, flags)
    patterns.save()
    _next_run(monkeypatch)
    _refuse_compiling(monkeypatch)
    for pattern, flags in declared:
        _same_behaviour(patterns.compile_re(pattern, flags), re.compile(pattern, flags))


def test_every_pack_pattern_comes_back_from_the_store_as_regex_compiles_it(fresh, monkeypatch):
    from checker.engine.patterns import fact_values, substitute
    from checker.engine.ruleset import default_ruleset

    facts = fact_values(2021, "某区政府办公室")
    found = set()
    for rule in default_ruleset().rules:
        for value in _strings(rule):
            if "(?" in value or "\\s" in value or "\\d" in value:
                filled = substitute(value, facts)
                if filled is not None:
                    found.add(filled)
    assert len(found) > 30
    flags = int(regex.VERSION0 | regex.MULTILINE)
    for pattern in found:
        patterns.compile_regex(pattern, flags)
    patterns.save()
    _next_run(monkeypatch)
    originals = {p: regex.compile(p, flags) for p in found}
    _refuse_compiling(monkeypatch)
    for pattern in found:
        _same_behaviour(patterns.compile_regex(pattern, flags), originals[pattern])


def _strings(value) -> list[str]:
    """Every string inside a rule's parameters."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    fields = getattr(value, "__struct_fields__", None)
    return [s for name in fields for s in _strings(getattr(value, name))] if fields else []


def _store_file(engine: str):
    return patterns._store(engine).path()


def _filled() -> tuple[str, str]:
    """One pattern of each engine, compiled and saved in the store."""
    plain, timed = r"(?P<n>\d+)\s*[件条]", r"(?<!较|比上)(?P<n>\d+)件"
    patterns.compile_re(plain)
    patterns.compile_regex(timed)
    patterns.save()
    return plain, timed


@pytest.mark.parametrize("engine", ["re", "regex"])
def test_a_damaged_file_is_ignored_and_the_pattern_compiled_afresh(fresh, monkeypatch, engine):
    plain, timed = _filled()
    path = _store_file(engine)
    data = bytearray(path.read_bytes())
    data[-20] ^= 0x01  # one bit of the body: the digest no longer matches
    path.write_bytes(bytes(data))
    _next_run(monkeypatch)
    assert patterns._store(engine).program(plain if engine == "re" else timed, 0) is None
    compiled = patterns.compile_re(plain) if engine == "re" else patterns.compile_regex(timed)
    assert compiled.search("共12件")["n"] == "12"


def test_a_store_of_another_python_or_regex_version_is_not_read(fresh, monkeypatch):
    _, timed = _filled()
    _next_run(monkeypatch)
    other = patterns.Store("regex", "0.0.0")
    assert other.program(timed, 0) is None
    assert other.path() != _store_file("regex")


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="owners and modes are POSIX's")
@pytest.mark.parametrize("loosened", ["file", "folder"])
def test_a_store_others_may_write_is_never_read(fresh, monkeypatch, loosened):
    plain, _ = _filled()
    path = _store_file("re")
    (path if loosened == "file" else path.parent).chmod(0o666 if loosened == "file" else 0o777)
    _next_run(monkeypatch)
    assert patterns._store("re").program(plain, 0) is None
    patterns.compile_re(plain)
    if loosened == "folder":  # nor written: the next run finds nothing new
        before = path.read_bytes()
        patterns.compile_re(r"\d{7}")
        patterns.save()
        assert path.read_bytes() == before


class _Planted:
    def __reduce__(self):
        return (os.system, ("echo planted",))


def test_a_planted_store_with_a_valid_digest_cannot_call_anything(fresh, monkeypatch):
    plain, timed = _filled()
    for engine, pattern in (("re", plain), ("regex", timed)):
        store = patterns._store(engine)
        body = pickle.dumps({(pattern, 0): pickle.dumps(_Planted())})
        store.path().write_bytes(store.key + b"\n" + patterns._digest(body) + body)
    _next_run(monkeypatch)
    called = []
    monkeypatch.setattr(os, "system", lambda *a: called.append(a))
    assert patterns.compile_re(plain).search("12条")["n"] == "12"
    assert patterns.compile_regex(timed).search("共12件")["n"] == "12"
    assert called == []


def test_a_full_store_keeps_what_the_last_run_used_and_made(fresh, monkeypatch):
    monkeypatch.setattr(patterns, "MAX_ENTRIES", 3)
    for digits in range(1, 6):
        patterns.compile_re(rf"\d{{{digits}}}")
    patterns.save()
    _next_run(monkeypatch)
    kept = [d for d in range(1, 6) if patterns._store("re").program(rf"\d{{{d}}}", 0)]
    assert len(kept) == 3
    _next_run(monkeypatch)  # a run that uses one kept pattern and makes two new ones
    patterns.compile_re(rf"\d{{{kept[-1]}}}")
    patterns.compile_re(r"\d{8}")
    patterns.compile_re(r"\d{9}")
    patterns.save()
    _next_run(monkeypatch)
    store = patterns._store("re")
    assert all(store.program(p, 0) for p in (rf"\d{{{kept[-1]}}}", r"\d{8}", r"\d{9}"))


def test_with_caching_off_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_CACHE_DIR", "")
    monkeypatch.setattr(patterns, "_STORES", {})
    assert patterns.compile_re(r"\d+年").search("2021年")
    patterns.save()
    assert patterns._store("re").path() is None
    assert list(tmp_path.iterdir()) == []


def test_a_second_check_compiles_none_of_the_checkers_patterns(tmp_path):
    """The one-file check a pre-commit hook runs: its programs come from the store."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    sample = root / "reports_samples" / "haicang-gongxinju-2020.txt"
    probe = (
        "import re._compiler, regex._main, sys\n"
        "made = []\n"
        "def spy(real):\n"
        "    def compile(pattern, *args, **kwargs):\n"
        "        frame = sys._getframe(1)\n"
        "        while frame.f_globals.get('__name__', '').startswith(\n"
        "            ('re', 'regex', 'functools', 'checker.regexes', 'checker.cache')\n"
        "        ):\n"
        "            frame = frame.f_back\n"
        "        if frame.f_globals.get('__name__', '').startswith('checker'):\n"
        "            made.append(pattern)\n"
        "        return real(pattern, *args, **kwargs)\n"
        "    return compile\n"
        "re._compiler.compile = spy(re._compiler.compile)\n"
        "regex._main._compile = spy(regex._main._compile)\n"
        f"sys.argv = ['nianbao', 'check', {str(sample)!r}, '--fail-on', 'never']\n"
        "import io, contextlib\n"
        "from checker.commandline.launch import main\n"
        "try:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(len(made))\n"
    )
    env = {**os.environ, "NIANBAO_CACHE_DIR": str(tmp_path)}

    def run() -> int:
        ran = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120
        )
        assert ran.returncode == 0, ran.stderr
        return int(ran.stdout.splitlines()[-1])

    assert run() > 20  # the first check compiles them and keeps them
    assert run() == 0
