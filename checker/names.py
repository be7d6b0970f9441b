"""File names as they are shown in every output: printable, one line, valid UTF-8.

A name that is not UTF-8 reaches Python with its undecodable bytes as lone
surrogates (``\\udcff``), which no output format can encode: one such file
made every format fail and lost the report for all files. A newline or ESC in
a name broke the console's and Markdown's lines (or coloured the terminal).
Such characters are shown escaped (``bad\\xff.txt``, ``a\\nb.txt``,
``\\x1b[31m``); every other name is shown unchanged. The file itself is still
read through its real name.
"""

from __future__ import annotations

import re

from checker.regexes import lazy

_UNPRINTABLE = lazy(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\udc80-\udcff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, kept by the surrogateescape handler
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def shown_name(name: str) -> str:
    """`name` with undecodable bytes and control characters escaped."""
    return _UNPRINTABLE.sub(_escape, name) if _UNPRINTABLE.search(name) else name
