"""Every problem a person reads under the default language has a Chinese wording (issue 13).

Readers, loaders and commands raise ``InputError(path, english)``; under ``--lang zh`` the
one line on stderr goes through :func:`checker.wording.problem_zh`, which rewords each
*known shape* and leaves an unknown one in English. This test holds the two together as a
class, by reading the source rather than provoking each error: it walks the AST of every
module under ``checker/``, finds each message handed to

- ``InputError`` and its subclasses (``PdfDecodingOver``), by position or ``message=``;
- the one-line failure helpers ``fail(path, message)`` (the command line) and
  ``self.fail(mark, message)`` (the YAML builder, which puts ``line N: `` in front);
- ``worded(message)`` (a problem line printed without a path);
- ``RuleEvaluationError(reason)``, printed as ``rule X could not be evaluated: reason``;
- a file's result, ``FileResult(error=…)`` (directly or through ``_failed``), and the
  ``{"path": …, "message": …}`` records of the problems a run prints,

renders it (an ``f``-string with sample values for its placeholders; a name or a call
followed to what it is assigned or what the function returns; both branches of a
conditional) and asks ``problem_zh`` for a wording that differs and is Chinese, keeping the
particulars (the sample values) it was given.

Nothing is left out by folder: ``checker/authoring/`` words the problems of ``nianbao new``
and ``nianbao render``, which clerks run, and ``checker/testing/`` (the pytest plugin for
rule authors) hands no message to these calls.
"""

from __future__ import annotations

import ast
import itertools
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from checker.wording import problem_zh

from .conftest import ROOT

CHECKER = ROOT / "checker"
CJK = re.compile(r"[\u4e00-\u9fff]")

# the calls that take a message a person reads, and the position of the message
MESSAGE_CALLS = {"InputError": 1, "fail": 1, "worded": 0, "_failed": 1, "RuleEvaluationError": 0}
# ... or its keyword: a file's result records why it could not be checked
MESSAGE_KEYWORDS = {"FileResult": "error"}
# a message that is already one of ours (an InputError's .message, a result's .error passed
# on): checked where it was made
PASSED_ON = re.compile(r"(\.message|\.error|\[['\"]message['\"]\])$")
# stands for a message handed to a wrapper (`fail(mark, message)`): a known shape, which the
# wrapper's wording must keep reworded
INNER = "not UTF-8 text"

# Messages whose text is a library's alone, passed on whole: nothing of ours to word.
# (source file, the message's source text) -> why; keep it short and say why.
EXEMPT: dict[tuple[str, str], str] = {}


class Unresolved(Exception):
    """A message expression this test cannot follow to its text."""


@dataclass(frozen=True)
class Slot:
    """A placeholder: sample values to try, any one of which should read well."""

    samples: tuple[str, ...]


Template = tuple[str | Slot, ...]


@cache
def _modules() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text("utf-8")) for path in sorted(CHECKER.rglob("*.py"))}


@cache
def _functions() -> dict[str, list[tuple[Path, ast.FunctionDef]]]:
    """Every function and method under checker/, by name, with its module."""
    found: dict[str, list[tuple[Path, ast.FunctionDef]]] = {}
    for path, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                found.setdefault(node.name, []).append((path, node))
    return found


@cache
def _module_of() -> dict[int, Path]:
    return {id(f): path for defs in _functions().values() for path, f in defs}


def _defs(call: ast.Call, scope: ast.FunctionDef) -> list[ast.FunctionDef]:
    """The functions a call may reach: by a plain name, those of the caller's module first."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    candidates = _functions().get(name or "", [])
    if isinstance(func, ast.Name):
        here = _module_of().get(id(scope))
        local = [f for path, f in candidates if path == here]
        if local:
            return local
    return [f for _, f in candidates]


@cache
def _error_classes() -> frozenset[str]:
    """InputError and the classes derived from it."""
    names = {"InputError"}
    for tree in _modules().values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and b.id in names for b in node.bases
            ):
                names.add(node.name)
    return frozenset(names)


def _scopes(tree: ast.Module):
    """(call or dict, the innermost function around it) for each in the module's functions."""

    def visit(node: ast.AST, scope: ast.FunctionDef | None):
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef) else scope
            if isinstance(child, ast.Call | ast.Dict) and scope is not None:
                yield child, scope
            yield from visit(child, inner)

    yield from visit(tree, None)


def _message_of(call: ast.Call | ast.Dict) -> ast.expr | None:
    if isinstance(call, ast.Dict):  # a {"path": …, "message": …} problem record
        keys = [k.value if isinstance(k, ast.Constant) else None for k in call.keys]
        return call.values[keys.index("message")] if {"path", "message"} <= set(keys) else None
    func = call.func
    keyword = MESSAGE_KEYWORDS.get(getattr(func, "id", ""))
    if keyword is not None:
        return next((k.value for k in call.keywords if k.arg == keyword), None)
    if isinstance(func, ast.Name):
        name = func.id
        index = 1 if name in _error_classes() else MESSAGE_CALLS.get(name)
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        # self.fail(mark, message): the YAML builder's; pytest.fail and the like are not ours
        index = 1 if func.value.id == "self" and func.attr == "fail" else None
    else:
        return None
    if index is None:
        return None
    if len(call.args) > index:
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == "message"), None)


def _parameters(scope: ast.FunctionDef) -> list[str]:
    args = scope.args
    return [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]


def _is_wrapper(scope: ast.FunctionDef) -> bool:
    """A function that hands its `message` parameter on (fail, worded): its callers' count."""
    return scope.name in MESSAGE_CALLS


def _assigned(name: str, scope: ast.FunctionDef) -> list[ast.expr]:
    """What `name` is assigned in `scope`; for ``ok, name = f()`` the call alone (the name
    holds a problem only as the second of an ``(ok, problem)`` pair)."""
    plain, pairs = [], []
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    plain.append(node.value)
                elif isinstance(target, ast.Tuple) and any(
                    isinstance(e, ast.Name) and e.id == name for e in target.elts
                ):
                    pairs.append(node.value)
        elif (
            isinstance(node, ast.AnnAssign)
            and node.value is not None
            and isinstance(node.target, ast.Name)
            and node.target.id == name
        ):
            plain.append(node.value)
    return pairs or plain


def _returned(call: ast.Call, scope: ast.FunctionDef, depth: int) -> list[Template]:
    """The texts the called function returns: a plain return, or the problem of an
    ``(False, problem)`` pair (the readers' convention); None and other tuples are no text."""
    out: list[Template] = []
    for function in _defs(call, scope):
        for node in ast.walk(function):
            if not isinstance(node, ast.Return) or node.value is None:
                continue
            value = node.value
            if isinstance(value, ast.Tuple):
                first = value.elts[0] if value.elts else None
                if isinstance(first, ast.Constant) and first.value is False:
                    out += variants(value.elts[1], function, depth + 1)
                continue
            if isinstance(value, ast.Constant) and value.value is None:
                continue
            out += variants(value, function, depth + 1)
    return out


def _passed(name: str, scope: ast.FunctionDef, depth: int) -> list[Template]:
    """What the callers in the module pass for parameter `name` of `scope`."""
    params = _parameters(scope)
    index = params.index(name)
    path = _module_of().get(id(scope))
    out: list[Template] = []
    for call, caller in _scopes(_modules()[path]):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if called != scope.name:
            continue
        offset = 1 if params[:1] == ["self"] and isinstance(func, ast.Attribute) else 0
        given = next((k.value for k in call.keywords if k.arg == name), None)
        if given is None and 0 <= index - offset < len(call.args):
            given = call.args[index - offset]
        if given is None:
            raise Unresolved(f"{scope.name}({name}=…)")
        out += variants(given, caller, depth + 1)
    if not out:
        raise Unresolved(f"{scope.name}({name}=…)")
    return out


# a placeholder that holds a number, by what it is called (or a format spec: `{x:g}`)
NUMERIC = re.compile(
    r"(?i)len\(|count|number|index|size|total|line|column|limit|max|year|jobs|start|bytes|"
    r"elements|depth|nesting|seconds|megabytes|pages"
)


def _samples(node: ast.FormattedValue) -> tuple[str, ...]:
    """Plausible values of a placeholder nobody can follow: a number for what is called like
    one, else a word or a file name (any one of them may read well)."""
    numeric = node.format_spec is not None or NUMERIC.search(ast.unparse(node.value))
    plain = ("7",) if numeric else ("x1", "x1.yaml")
    if node.conversion == ord("r"):
        return tuple(repr(s) for s in plain)
    return plain


def variants(node: ast.expr, scope: ast.FunctionDef, depth: int = 0) -> list[Template]:
    """The shapes `node` can take, each a sequence of fixed text and placeholders; raises
    Unresolved for an expression it cannot follow."""
    if depth > 8:
        raise Unresolved(ast.unparse(node))
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(node.value,)]
    if isinstance(node, ast.JoinedStr):
        parts: list[list[Template]] = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append([(str(value.value),)])
            elif isinstance(value, ast.FormattedValue):
                parts.append(_placeholder(value, scope, depth))
        return [tuple(itertools.chain(*combo)) for combo in itertools.product(*parts)]
    if isinstance(node, ast.IfExp):
        return variants(node.body, scope, depth + 1) + variants(node.orelse, scope, depth + 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = variants(node.left, scope, depth + 1), variants(node.right, scope, depth + 1)
        return [a + b for a, b in itertools.product(left, right)]
    if isinstance(node, ast.Name):
        if node.id in _parameters(scope):
            return [(INNER,)] if _is_wrapper(scope) else _passed(node.id, scope, depth)
        values = _assigned(node.id, scope)
        if not values:
            raise Unresolved(ast.unparse(node))
        return [t for value in values for t in variants(value, scope, depth + 1)]
    if isinstance(node, ast.Call):
        found = _returned(node, scope, depth)
        if not found:
            raise Unresolved(ast.unparse(node))
        return found
    raise Unresolved(ast.unparse(node))


def _placeholder(value: ast.FormattedValue, scope, depth: int) -> list[Template]:
    """A placeholder followed where it leads to text of ours (a prefix like ``line 3: ``, the
    problem a helper returns); otherwise sample values."""
    plain = value.conversion == -1 and value.format_spec is None
    if plain and isinstance(value.value, ast.Name | ast.Call):
        try:
            return variants(value.value, scope, depth + 1)
        except Unresolved:
            pass
    return [(Slot(_samples(value)),)]


@dataclass(frozen=True)
class Site:
    where: str
    source: str
    template: Template


@cache
def message_sites() -> tuple[tuple[Site, ...], tuple[str, ...]]:
    """Every message a person may read, and the expressions this test could not follow."""
    sites: list[Site] = []
    unresolved: list[str] = []
    for path, tree in _modules().items():
        relative = path.relative_to(ROOT).as_posix()
        for call, scope in _scopes(tree):
            message = _message_of(call)
            if message is None:
                continue
            source = ast.unparse(message)
            if PASSED_ON.search(source) or (relative, source) in EXEMPT:
                continue
            if _is_wrapper(scope) and isinstance(message, ast.Name):
                continue  # the wrapper itself: its callers' messages are checked
            try:
                found = variants(message, scope)
            except Unresolved as exc:
                unresolved.append(f"{relative}:{call.lineno}: {source} ({exc})")
                continue
            where = f"{relative}:{call.lineno}"
            sites.extend(Site(where, source, t) for t in dict.fromkeys(found))
    return tuple(sites), tuple(unresolved)


def _fills(template: Template):
    """The template with each combination of sample values (at most a few dozen)."""
    slots = [part.samples for part in template if isinstance(part, Slot)]
    for combo in itertools.islice(itertools.product(*slots), 64):
        values = iter(combo)
        chosen = [next(values) if isinstance(p, Slot) else p for p in template]
        yield "".join(chosen), [c.strip("'") for c in combo]


# three English words in a row: a phrase of ours left untranslated (a command stays)
PHRASE = re.compile(r"(?<![\w`-])(?!nianbao )[a-z]+ [a-z]+ [a-z]+\b")


def _left_in_english(template: Template, chinese: str) -> list[str]:
    """Phrases of the message's own text that the wording kept in English."""
    fixed = [p for p in template if isinstance(p, str) and p != INNER]
    return [m.group() for part in fixed for m in PHRASE.finditer(part) if m.group() in chinese]


def _worded(template: Template) -> tuple[bool, str, str]:
    """(True, english, chinese) for the first sample fill that has a Chinese wording keeping
    its particulars and none of its own phrases in English; else (False, …) for the first."""
    first = None
    for english, particulars in _fills(template):
        chinese = problem_zh(english)
        good = (
            chinese != english
            and CJK.search(chinese) is not None
            and all(p in chinese for p in particulars)
            and not _left_in_english(template, chinese)
        )
        if good:
            return True, english, chinese
        first = first or (english, chinese)
    assert first is not None
    return False, *first


def test_the_scan_finds_the_messages_it_should():
    sites, _ = message_sites()
    sources = {s.where.split(":")[0] for s in sites}
    for module in (
        "checker/gate/baseline.py",
        "checker/gate/config.py",
        "checker/engine/ruleset.py",
        "checker/sources/yamlnodes.py",
        "checker/sources/limits.py",
        "checker/run/budget.py",
        "checker/commandline/check.py",
        "checker/authoring/commands.py",
    ):
        assert module in sources, module
    assert len(sites) > 100
    texts = {"".join(p if isinstance(p, str) else "·" for p in s.template) for s in sites}
    assert "over the per-file time budget of · s of CPU (--time-budget)" in texts  # a call
    assert "YAML merge keys (<<) are not allowed" in texts  # (False, problem)
    assert "broken or looping symbolic link" in texts  # a name assigned a conditional


def test_every_message_expression_can_be_followed():
    """A message built in a way this test cannot follow is a message nobody checks."""
    _, unresolved = message_sites()
    assert not unresolved, "\n".join(unresolved)


def test_every_message_has_a_chinese_wording():
    sites, _ = message_sites()
    missing = []
    for site in sites:
        ok, english, chinese = _worded(site.template)
        if not ok:
            missing.append(f"{site.where}: {english!r} -> {chinese!r}")
    assert not missing, f"{len(missing)} message(s) without a Chinese shape:\n" + "\n".join(missing)


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        (  # the more specific shape wins over the general one
            "no such baseline file (write one with --write-baseline)",
            "基线文件不存在（可用 --write-baseline 写出）",
        ),
        ("no such file", "文件不存在"),
        ("not a baseline: invalid JSON at line 3", "不是基线文件：第3行 JSON 格式有误"),
        ("baseline entry 2: count must be a positive integer", "基线条目 2：count 应为正整数"),
        (
            "severity override: no rule code starts with 'QQ'",
            "严重程度覆盖：没有以“QQ”开头的规则编号",
        ),
        ('no rule code starts with "it\'s"', "没有以“it's”开头的规则编号"),
        ("cannot read: the name contains a NUL character", "无法读取：文件名中含有 NUL 字符"),
        ("cannot list folder: Permission denied", "无法列出目录内容（没有权限）"),
        # a prefix, and the message after it worded in turn
        (
            "line 4: rule T3-001: no template defines the set '@x'",
            "第4行：规则 T3-001：没有模板定义集合“@x”",
        ),
        ("line 9: YAML merge keys (<<) are not allowed", "第9行：不允许使用 YAML 合并键（<<）"),
        ("page 2: a PDF form that draws itself", "第2页：PDF 表单对象引用了自身"),
        (
            "rule T3-001 could not be evaluated: pattern 'a+' exceeded the 1s time limit",
            "规则 T3-001 无法执行：正则表达式“a+”用时超过1秒的上限",
        ),
        (  # a library's text: kept in brackets
            "rule T3-001 could not be evaluated: KeyError: 'x'",
            "规则 T3-001 无法执行（KeyError: 'x'）",
        ),
        # unknown: left as it is, also after a known prefix (never half translated)
        ("unknown shape of message", "unknown shape of message"),
        ("line 3: unknown shape of message", "line 3: unknown shape of message"),
    ],
)
def test_examples_of_the_wording(english, chinese):
    assert problem_zh(english) == chinese


def test_the_check_refuses_what_a_clerk_could_not_read(monkeypatch):
    assert _worded(("cannot read: ", Slot(("x1",))))[0]
    assert not _worded(("an unknown message",))[0]
    # a known shape around a phrase of ours kept in English
    assert not _worded(("cannot read: the disk is full",))[0]
    # a wording that drops a particular (the number of levels)
    import checker.wording as wording

    dropped = ((re.compile(r"^nesting deeper than (\d+) levels$"), "嵌套过深"),)
    monkeypatch.setattr(wording, "_compiled", lambda: dropped)
    assert not _worded(("nesting deeper than ", Slot(("7",)), " levels"))[0]
