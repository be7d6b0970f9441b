"""Where a finding stands in a text source, as words a person can search for.

A position like ``10:4342`` on a crawled page (the whole page one line of
5,000 characters) cannot be found by eye. For text sources (``.txt``,
``.md``) the console and Markdown reporters show, next to the position, the
``CONTEXT`` characters on either side of it with the figure marked:
``…件数规章 000行政规范性文件【693665】第二十条第（五）项…``.

The source is read again only for files that have findings, one file at a
time (a small memo keeps the last few), decoded as the reader decoded it;
a file that cannot be read again simply has no snippet.
"""

from __future__ import annotations

import re
from functools import lru_cache

from checker.findings import Finding

CONTEXT = 15  # characters shown on either side of the figure
NEIGHBOUR_LINES = 8  # a short line's context runs on into this many lines either side
TEXT_SOURCES = (".txt", ".md", ".markdown", ".text")
MAX_SOURCE_BYTES = 64 * 1024 * 1024
_FIGURE = re.compile(r"[0-9０-９][0-9０-９.,，%％]*")
_SPACE = re.compile(r"\s+")
OPEN, CLOSE = "【", "】"


@lru_cache(maxsize=8)
def _lines(path: str) -> tuple[str, ...] | None:
    from checker.errors import InputError
    from checker.sources.encoding import decode_text

    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
        if len(data) > MAX_SOURCE_BYTES:
            return None
        return tuple(decode_text(data, path).split("\n"))
    except (OSError, InputError, UnicodeDecodeError):
        return None


def cut(
    line: str,
    column: int,
    end_column: int | None = None,
    before_lines: tuple[str, ...] = (),
    after_lines: tuple[str, ...] = (),
) -> str:
    """The text around 1-based `column` of `line`, the figure there marked, whitespace folded.

    When the line is short (a report with one cell per line), the context runs on into
    the lines before and after it.
    """
    start = max(0, min(column - 1, len(line)))
    if end_column is not None and end_column - 1 > start:
        end = min(end_column - 1, len(line))
    else:
        figure = _FIGURE.match(line, start)
        end = figure.end() if figure else start
    before = _SPACE.sub(" ", " ".join((*before_lines, line[:start])))
    after = _SPACE.sub(" ", " ".join((line[end:], *after_lines)))
    marked = f"{OPEN}{line[start:end]}{CLOSE}" if end > start else OPEN + CLOSE
    shown_before = before[-CONTEXT:].lstrip() if before.strip() else ""
    shown_after = after[:CONTEXT].rstrip() if after.strip() else ""
    return (
        ("…" if len(before.strip()) > CONTEXT else "")
        + shown_before
        + marked
        + shown_after
        + ("…" if len(after.strip()) > CONTEXT else "")
    )


def snippet(finding: Finding) -> str | None:
    """The marked text around the finding in its text source, or None (not text, no column)."""
    loc = finding.location
    if not (loc.line and loc.column) or not loc.path.lower().endswith(TEXT_SOURCES):
        return None
    lines = _lines(loc.path)
    if lines is None or loc.line > len(lines):
        return None
    index = loc.line - 1
    line = lines[index].rstrip("\r")
    same_line = loc.end_line in (None, loc.line)
    around = NEIGHBOUR_LINES
    return cut(
        line,
        loc.column,
        loc.end_column if same_line else None,
        lines[max(0, index - around) : index],
        lines[index + 1 : index + 1 + around],
    )
