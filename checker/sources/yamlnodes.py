"""Safe YAML loading that keeps the line and column of every node.

The document is read as a stream of parse events (libyaml's C parser when
PyYAML has it, its pure-Python parser otherwise) and built here, so that
nothing but plain data can come out and every limit applies *while* parsing:

- only the plain YAML types (mapping, sequence, string, integer, float,
  boolean, null, timestamp); any other tag — ``!!python/object``,
  ``!!binary``, a local ``!tag`` — is refused, so no code ever runs;
- anchors may be written but aliases are refused: reports and rule packs
  never need them, and refusing them defuses "billion laughs" expansion;
- merge keys (``<<``), duplicate keys and non-scalar keys are refused;
- nesting deeper than ``max_nesting`` is refused at the event that opens the
  level too many, before the rest of a deep document is even parsed (libyaml
  keeps its own parse state on the heap, so depth cannot exhaust the C stack);
- one document per file.

Floats keep the precision written (``24252.311082`` is a ``Decimal``);
timestamps become ISO strings. Every problem is an
:class:`~checker.errors.InputError` naming the line.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import yaml
from msgspec import Struct
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from checker.errors import InputError
from checker.model import Position
from checker.sources.limits import MAX_NESTING

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = f"{_TAG}str", f"{_TAG}map", f"{_TAG}seq"
_FLOAT, _MERGE = f"{_TAG}float", f"{_TAG}merge"
_SCALAR_TAGS = frozenset(
    f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_BLOCK_STYLES = ("|", ">")
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


class _Open(Struct):
    """A mapping or sequence being filled."""

    container: dict[str, Any] | list[Any]
    pointer: str
    is_list: bool
    key: str | None = None  # a mapping's key waiting for its value (escaped in `child`)
    child: str = ""  # the pointer of that key's value


# values one document may hold: a report has a few hundred (10^6 keys took 1.4 GB to hold)
MAX_VALUES = 50_000


class _Builder:
    def __init__(self, path: str, max_nesting: int) -> None:
        self.path = path
        self.max_nesting = max_nesting
        self.positions: dict[str, Position] = {}
        self.stack: list[_Open] = []
        self.root: Any = None
        self.documents = 0

    def fail(self, mark: Any, message: str) -> InputError:
        return InputError(self.path, f"line {mark.line + 1}: {message}")

    def build(self, next_event: Any) -> Any:
        """Consume events from `next_event()` up to the end of the stream.

        One loop with the common case (a scalar value in a mapping or a list)
        inlined: this is the per-node cost of every structured report.
        """
        path, positions, stack, max_nesting = (
            self.path,
            self.positions,
            self.stack,
            self.max_nesting,
        )
        while True:
            event = next_event()
            kind = type(event)
            if kind is ScalarEvent:
                if len(stack) > max_nesting:
                    raise self.fail(event.start_mark, f"nesting deeper than {max_nesting} levels")
                if len(positions) >= MAX_VALUES:
                    raise self.fail(
                        event.start_mark,
                        f"more than {MAX_VALUES} values: larger than any annual report",
                    )
                top = stack[-1] if stack else None
                if top is not None and not top.is_list and top.key is None:
                    self.mapping_key(top, event)
                    continue
                if event.tag is None:
                    if event.implicit[0]:
                        ok, value = _plain(event.value)
                        if not ok:
                            raise self.fail(event.start_mark, value)
                    else:  # quoted or block: a string
                        value = event.value
                else:
                    value = self.value(event)
                start, end = event.start_mark, event.end_mark
                if event.style in _BLOCK_STYLES:  # its text starts on the line after the indicator
                    line, column = start.line + 2, 1
                else:
                    line, column = start.line + 1, start.column + 1
                position = Position(path, line, column, end.line + 1, end.column + 1)
                if top is None:
                    positions[""] = position
                    self.root = value
                elif top.is_list:
                    container = top.container
                    positions[f"{top.pointer}/{len(container)}"] = position
                    container.append(value)  # type: ignore[union-attr]
                else:
                    positions[top.child] = position
                    top.container[top.key] = value  # type: ignore[index]
                    top.key = None
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                self.open(event, kind is MappingStartEvent)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                self.close(event)
            elif kind is AliasEvent:
                raise self.fail(event.start_mark, "YAML anchors and aliases are not allowed")
            elif kind is DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    raise self.fail(event.start_mark, "one YAML document per file, found another")
            elif event is None or kind is StreamEndEvent:
                return self.root

    def mapping_key(self, top: _Open, event: ScalarEvent) -> None:
        key = str(self.value(event))
        if key in top.container:
            raise self.fail(event.start_mark, f"duplicate key {key!r}")
        top.key = key
        top.child = f"{top.pointer}/{_escape(key) if '~' in key or '/' in key else key}"

    def slot(self, event: Any) -> str | None:
        """The pointer of the value this event starts; None when it is a mapping key."""
        if not self.stack:
            return ""
        top = self.stack[-1]
        if top.is_list:
            return f"{top.pointer}/{len(top.container)}"
        if top.key is None:
            return None
        return top.child

    def place(self, value: Any) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if top.is_list:
            top.container.append(value)  # type: ignore[union-attr]
        else:
            top.container[top.key] = value  # type: ignore[index]
            top.key = None

    def value(self, event: ScalarEvent) -> Any:
        tag = event.tag
        if tag is None:
            if not event.implicit[0]:  # quoted or block: a string
                return event.value
            ok, value = _plain(event.value)
        else:
            if tag == "!":
                tag = _RESOLVER.resolve(ScalarNode, event.value, event.implicit)
            ok, value = _construct(tag, event.value)
        if not ok:
            raise self.fail(event.start_mark, value)
        return value

    def open(self, event: Any, mapping: bool) -> None:
        if len(self.stack) > self.max_nesting:
            raise self.fail(event.start_mark, f"nesting deeper than {self.max_nesting} levels")
        pointer = self.slot(event)
        if pointer is None:
            raise self.fail(event.start_mark, "mapping keys must be plain scalars")
        tag = event.tag
        if tag not in (None, "!", _MAP if mapping else _SEQ):
            raise self.fail(event.start_mark, f"YAML tag {tag!r} is not allowed")
        container: dict[str, Any] | list[Any] = {} if mapping else []
        self.positions[pointer] = Position(  # completed when the collection closes
            self.path, event.start_mark.line + 1, event.start_mark.column + 1
        )
        self.place(container)
        self.stack.append(_Open(container, pointer, not mapping))

    def close(self, event: Any) -> None:
        done = self.stack.pop()
        start = self.positions[done.pointer]
        self.positions[done.pointer] = Position(
            self.path, start.line, start.column, event.end_mark.line + 1, event.end_mark.column + 1
        )


@lru_cache(maxsize=8192)
def _plain(text: str) -> tuple[bool, Any]:
    """A plain (unquoted) scalar's value; the same text always means the same value."""
    return _construct(_RESOLVER.resolve(ScalarNode, text, (True, False)), text)


def _construct(tag: str, text: str) -> tuple[bool, Any]:
    """(True, value) or (False, the problem) for a scalar of a resolved tag."""
    if tag == _STR:
        return True, text
    if tag == _MERGE:
        return False, "YAML merge keys (<<) are not allowed"
    if tag not in _SCALAR_TAGS:
        return False, f"YAML tag {tag!r} is not allowed"
    if tag == _FLOAT:
        try:  # keep the written precision: 24252.311082 stays exact
            return True, Decimal(text.replace("_", ""))
        except InvalidOperation:
            pass  # .inf / .nan: let the constructor decide
    try:
        value = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, ScalarNode(tag, text))
    # PyYAML's timestamp constructor fails with AttributeError on `!!timestamp not-a-date`
    except (yaml.YAMLError, ValueError, OverflowError, KeyError, AttributeError, TypeError) as exc:
        problem = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, AttributeError | TypeError):
            problem = f"not a valid {tag.rsplit(':', 1)[-1]}"
        return False, f"invalid value {text[:40]!r}: {problem}"
    if hasattr(value, "isoformat"):
        return True, value.isoformat() if hasattr(value, "hour") else value.isoformat()[:10]
    if isinstance(value, float):  # .nan and .inf stay floats: a Decimal NaN raises when compared
        return True, Decimal(repr(value)) if math.isfinite(value) else value
    return True, value


def load_yaml_with_positions(
    text: str, path: str, max_nesting: int = MAX_NESTING
) -> tuple[Any, dict[str, Position]]:
    """Parse one YAML (or JSON) document; return the data and a pointer -> Position map."""
    builder = _Builder(path, max_nesting)
    loader = _Loader(text)
    try:
        data = builder.build(loader.get_event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = " ".join(str(exc.problem or exc).split())
        raise InputError(path, f"{where}YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:  # the reader's errors: characters YAML does not allow
        raise InputError(path, f"YAML error: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise InputError(path, "nesting too deep to parse") from None
    finally:
        loader.dispose()
    if data is None and not builder.positions:
        return None, {}
    return data, builder.positions
