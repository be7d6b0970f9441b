"""Localized text and safe message templates.

Rule packs are untrusted: a message template may only name placeholders
(``{total}``); there is no attribute access, indexing or format spec, so a
template cannot reach into Python objects the way ``str.format`` allows.
"""

from __future__ import annotations

import re
from collections import namedtuple
from decimal import Decimal
from typing import Any

from checker.numbers import decimal_str
from checker.regexes import lazy

_PLACEHOLDER = lazy(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


# collections.namedtuple, not typing.NamedTuple: the latter turns each annotation into a
# ForwardRef (a compile() each) at every start
class Loc(namedtuple("Loc", ("zh", "en"))):
    """A piece of text in both languages: ``zh`` and ``en`` (str)."""

    __slots__ = ()

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


def localize(value: Any, lang: str) -> str:
    if isinstance(value, Loc):
        return value.get(lang)
    if isinstance(value, dict) and {"zh", "en"} <= set(value):
        return str(value["en"] if lang == "en" else value["zh"])
    if isinstance(value, Decimal):
        return decimal_str(value)
    if value is None:
        return "空" if lang == "zh" else "blank"
    if isinstance(value, list | tuple):
        sep = "、" if lang == "zh" else ", "
        return sep.join(localize(item, lang) for item in value)
    return str(value)


def placeholders(template: str) -> set[str]:
    return set(_PLACEHOLDER.findall(template))


def render(template: str, params: dict[str, Any], lang: str) -> str:
    """Fill {name} placeholders; an unknown name is left visible rather than failing."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return localize(params[name], lang) if name in params else match.group(0)

    return _PLACEHOLDER.sub(fill, template)


def loc_text(value: Any) -> Loc:
    """A {zh, en} mapping or a plain string (same text in both languages) as Loc."""
    if isinstance(value, dict):
        return Loc(
            str(value.get("zh", value.get("en", ""))), str(value.get("en", value.get("zh", "")))
        )
    return Loc(str(value), str(value))
