"""Safe YAML loading that keeps the line and column of every node.

Only PyYAML's SafeLoader is used (no Python tags, no code). Anchors/aliases
are refused in the documents we load: reports and rule packs never need them,
and refusing them defuses "billion laughs" expansion. Nesting is bounded.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from checker.errors import InputError
from checker.model import Position
from checker.sources.limits import MAX_NESTING

_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


class _Converter:
    def __init__(self, loader: yaml.SafeLoader, path: str, max_nesting: int) -> None:
        self.loader = loader
        self.path = path
        self.max_nesting = max_nesting
        self.positions: dict[str, Position] = {}
        self._seen: set[int] = set()

    def position(self, node: yaml.Node) -> Position:
        start, end = node.start_mark, node.end_mark
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            # a block scalar's text starts on the line after its indicator
            return Position(self.path, start.line + 2, 1, end.line + 1, end.column + 1)
        return Position(self.path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    def fail(self, node: yaml.Node, message: str) -> InputError:
        return InputError(self.path, f"line {node.start_mark.line + 1}: {message}")

    def convert(self, node: yaml.Node, pointer: str, depth: int) -> Any:
        if depth > self.max_nesting:
            raise self.fail(node, f"nesting deeper than {self.max_nesting} levels")
        if id(node) in self._seen:
            raise self.fail(node, "YAML anchors and aliases are not allowed")
        self._seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(node, f"YAML tag {node.tag!r} is not allowed")
        self.positions[pointer] = self.position(node)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail(key_node, "mapping keys must be plain scalars")
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail(key_node, "YAML merge keys (<<) are not allowed")
                key = str(self.scalar(key_node))
                if key in result:
                    raise self.fail(key_node, f"duplicate key {key!r}")
                result[key] = self.convert(value_node, f"{pointer}/{_escape(key)}", depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [
                self.convert(item, f"{pointer}/{index}", depth + 1)
                for index, item in enumerate(node.value)
            ]
        return self.scalar(node)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == "tag:yaml.org,2002:float":
            try:  # keep the written precision: 24252.311082 stays exact
                return Decimal(node.value.replace("_", ""))
            except InvalidOperation:
                pass  # .inf / .nan: let the constructor decide
        try:
            value = self.loader.construct_object(node)
        except yaml.YAMLError as exc:
            raise self.fail(node, f"invalid value: {exc}") from None
        if hasattr(value, "isoformat"):
            return value.isoformat()[:10] if not hasattr(value, "hour") else value.isoformat()
        if isinstance(value, float):
            return Decimal(repr(value))
        return value


def load_yaml_with_positions(
    text: str, path: str, max_nesting: int = MAX_NESTING
) -> tuple[Any, dict[str, Position]]:
    """Parse one YAML (or JSON) document; return the data and a pointer -> Position map."""
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            raise InputError(path, f"{where}YAML syntax error: {exc.problem or exc}") from None
        except yaml.YAMLError as exc:
            raise InputError(path, f"YAML error: {exc}") from None
        except RecursionError:
            raise InputError(path, "nesting too deep to parse") from None
        if node is None:
            return None, {}
        converter = _Converter(loader, path, max_nesting)
        try:
            data = converter.convert(node, "", 0)
        except RecursionError:
            raise InputError(path, "nesting too deep to parse") from None
        return data, converter.positions
    finally:
        loader.dispose()
