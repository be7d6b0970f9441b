"""Regular expressions compiled where first used, not when their module is imported.

Python's ``re`` compiles in Python: 0.2 to 2 ms a pattern (a class of CJK
characters is the dearest: its 20,000 code points are set one by one), and a
module holds several. Compiled at import, every start paid for every pattern of
every module it loaded, whether the file at hand needed it or not. A pattern made
by :func:`lazy` is compiled by its first ``match``/``search``/…; after that its
methods are the compiled pattern's own, looked up as fast. A pattern put together
at run time goes through :func:`compiled`. Both take the compiled program from the
store of earlier runs when it holds it (:mod:`checker.cache.patterns`).
"""

from __future__ import annotations

import re
from functools import lru_cache
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
        from checker.cache.patterns import compile_re

        compiled = compile_re(*self._source)
        for attribute in _FORWARDED:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._source[0]!r})"


def lazy(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """`re.compile(pattern, flags)`, done on first use."""
    return cast("re.Pattern[AnyStr]", _Lazy(pattern, flags))


@lru_cache(maxsize=512)
def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)` for a pattern put together at run time."""
    from checker.cache.patterns import compile_re

    return compile_re(pattern, flags)
