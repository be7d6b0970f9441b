"""A fast yes/no check of data against a JSON Schema, for the clean common case.

Validating a report with ``jsonschema`` costs about as much as parsing it
(a validator object per node, references resolved per cell), and importing
``jsonschema`` a good part of the start-up. Almost every report is valid, so
:func:`compile_schema` turns a schema into nested closures once, and the
readers ask it first: ``True`` means valid; ``False`` means "not sure" and
``jsonschema`` is then run for the located, worded errors (EXT-001).

Only the keywords the project's schemas use are understood (``type``,
``properties``, ``additionalProperties``, ``required``, ``enum``,
``pattern``, ``items``, ``maxItems``, ``minimum``, ``maximum``, ``anyOf``,
local ``$ref``, and the annotations ``title``, ``description``, ``format``,
``$id``, ``$schema``, ``$defs``); a schema with any other keyword compiles to
``None`` and everything goes to ``jsonschema``. Where this check could be
laxer than ``jsonschema`` it is stricter instead (an ``enum`` of strings only
accepts strings), so it never lets through what ``jsonschema`` refuses: the
fuzz tests compare the two verdicts.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

from checker.regexes import compiled

Check = Callable[[Any], bool]

_ANNOTATIONS = frozenset({"title", "description", "format", "$id", "$schema", "$defs", "$comment"})
_TYPES = frozenset({"object", "array", "string", "null", "boolean", "number", "integer"})


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


class _Unsupported(Exception):
    pass


def _type_check(kinds: frozenset[str]) -> Check:
    """One predicate for a ``type`` keyword: a few isinstance tests, no loop over the kinds."""
    plain = tuple(
        python
        for kind, python in (("object", dict), ("array", list), ("string", str))
        if kind in kinds
    )
    allow_none, allow_bool = "null" in kinds, "boolean" in kinds
    number, integer = "number" in kinds, "integer" in kinds

    def check(v: Any) -> bool:
        if v is None:
            return allow_none
        if isinstance(v, bool):  # before the numbers: a bool is an int to Python, not to JSON
            return allow_bool
        if isinstance(v, plain):
            return True
        if number:
            return isinstance(v, numbers.Number)
        return integer and isinstance(v, int)

    return check


class _Defs:
    """The schema's ``$defs``, each compiled once however often it is referred to (a report
    schema refers to its cell definition some two hundred times)."""

    def __init__(self, schemas: dict[str, Any]) -> None:
        self.schemas = schemas
        self.done: dict[str, Check] = {}
        self.busy: set[str] = set()

    def ref(self, name: str, depth: int) -> Check:
        found = self.done.get(name)
        if found is not None:
            return found
        if name in self.busy:  # a definition that refers to itself: looked up when used
            return lambda v: self.done[name](v)
        if not isinstance(self.schemas, dict) or name not in self.schemas:
            raise _Unsupported
        self.busy.add(name)
        check = _compile(self.schemas[name], self, depth + 1)
        self.busy.discard(name)
        self.done[name] = check
        return check


def compile_schema(schema: dict[str, Any]) -> Check | None:
    """A function data -> bool (True: valid), or None when the schema is beyond this module."""
    try:
        return _compile(schema, _Defs(schema.get("$defs", {})), 0)
    except _Unsupported:
        return None


def _compile(schema: Any, defs: _Defs, depth: int) -> Check:
    if not isinstance(schema, dict) or depth > 32:
        raise _Unsupported
    checks = [_keyword(name, value, schema, defs, depth) for name, value in schema.items()]
    checks = [check for check in checks if check is not None]
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:  # the common shape (type + properties): no generator per node
        first, second = checks
        return lambda value: first(value) and second(value)
    return lambda value: all(check(value) for check in checks)


def _keyword(name: str, value: Any, schema: dict, defs: _Defs, depth: int) -> Check | None:
    if name in _ANNOTATIONS:
        return None
    if name == "additionalProperties":  # checked with properties, when there are any
        return None if "properties" in schema else _properties({}, value, defs, depth)
    if name == "$ref":
        if not isinstance(value, str) or not value.startswith("#/$defs/"):
            raise _Unsupported
        return defs.ref(value.removeprefix("#/$defs/"), depth)
    if name == "type":
        kinds = [value] if isinstance(value, str) else list(value)
        if not all(kind in _TYPES for kind in kinds):
            raise _Unsupported
        return _type_check(frozenset(kinds))
    if name == "properties":
        return _properties(value, schema.get("additionalProperties", True), defs, depth)
    if name == "required":
        needed = tuple(value)
        return lambda v: not isinstance(v, dict) or all(key in v for key in needed)
    if name == "enum":
        if not all(item is None or isinstance(item, str) for item in value):
            raise _Unsupported
        allowed = frozenset(value)
        return lambda v: (v is None or isinstance(v, str)) and v in allowed
    if name == "pattern":
        search = compiled(value).search
        return lambda v: not isinstance(v, str) or search(v) is not None
    if name == "items":
        item = _compile(value, defs, depth + 1)
        return lambda v: not isinstance(v, list) or all(item(x) for x in v)
    if name == "maxItems":
        return lambda v: not isinstance(v, list) or len(v) <= value
    if name == "minItems":  # the configuration's [[rollup]] parts
        return lambda v: not isinstance(v, list) or len(v) >= value
    if name in ("minimum", "maximum"):

        def within(v: Any) -> bool:
            try:
                return v >= value if name == "minimum" else v <= value
            except ArithmeticError:  # Decimal NaN: not sure
                return False

        return lambda v: not _is_number(v) or within(v)
    if name == "anyOf":
        options = [_compile(option, defs, depth + 1) for option in value]
        return lambda v: any(option(v) for option in options)
    if name == "minLength":  # the configuration schema (checked at every start)
        return lambda v: not isinstance(v, str) or len(v) >= value
    if name == "propertyNames":
        key = _compile(value, defs, depth + 1)
        return lambda v: not isinstance(v, dict) or all(key(k) for k in v)
    raise _Unsupported


def _properties(properties: dict, additional: Any, defs: _Defs, depth: int) -> Check:
    known = {key: _compile(sub, defs, depth + 1) for key, sub in properties.items()}
    if additional is True:
        extra: Check | None = None
    elif additional is False:
        extra = lambda v: False  # noqa: E731
    else:
        extra = _compile(additional, defs, depth + 1)

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for key, item in value.items():
            sub = known.get(key)
            if sub is not None:
                if not sub(item):
                    return False
            elif extra is not None and not extra(item):
                return False
        return True

    return check
