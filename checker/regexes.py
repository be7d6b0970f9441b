"""Regular expressions compiled where first used, not when their module is imported.

Python's ``re`` compiles in Python: 0.2 to 2 ms a pattern (a class of CJK
characters is the dearest: its 20,000 code points are set one by one), and a
module holds several. Compiled at import, every start paid for every pattern of
every module it loaded, whether the file at hand needed it or not. A pattern made
by :func:`lazy` is compiled by its first ``match``/``search``/…; after that its
methods are the compiled pattern's own, looked up as fast.
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, cast

_FORWARDED = (
    "match",
    "fullmatch",
    "search",
    "finditer",
    "findall",
    "sub",
    "subn",
    "split",
    "pattern",
    "flags",
    "groups",
    "groupindex",
)


class _Lazy:
    def __init__(self, pattern: str | bytes, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # only while not yet compiled
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = re.compile(*self._source)
        for attribute in _FORWARDED:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._source[0]!r})"


def lazy(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """`re.compile(pattern, flags)`, done on first use."""
    return cast("re.Pattern[AnyStr]", _Lazy(pattern, flags))
