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

from functools import lru_cache

from checker.findings import Finding
from checker.regexes import compiled

CONTEXT = 15  # characters shown on either side of the figure
NEIGHBOUR_LINES = 8  # a short line's context runs on into this many lines either side
TEXT_SOURCES = (".txt", ".md", ".markdown", ".text")
MAX_SOURCE_BYTES = 64 * 1024 * 1024
_FIGURE = r"[0-9０-９][0-9０-９.,，%％]*"
_SPACE = r"\s+"
OPEN, CLOSE = "【", "】"
HERE = "▶"  # the place, when no figure stands there


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
        figure = compiled(_FIGURE).match(line, start)
        end = figure.end() if figure else start
    before = compiled(_SPACE).sub(" ", " ".join((*before_lines, line[:start])))
    after = compiled(_SPACE).sub(" ", " ".join((line[end:], *after_lines)))
    marked = f"{OPEN}{line[start:end]}{CLOSE}" if end > start else HERE
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


# -- the sentence of a prose finding (the HTML report) --------------------------------------

SENTENCE_END = "。！？；!?;\n"
MAX_SENTENCE = 160  # characters either side of the figure at most
NEAR_FIGURE = 40  # a prose finding's figure is looked for this far after its position
_TAGS = r"<[^>]*>"
TABLE_NAMES = {"t2": ("表二", "Table 2"), "t3": ("表三", "Table 3"), "t4": ("表四", "Table 4")}


def sentence(finding: Finding) -> tuple[str, str, str] | None:
    """(before, figure, after): the sentence around a prose finding's position in its source,
    the figure apart so it can be highlighted; None when the source or position is unknown."""
    loc = finding.location
    if not (loc.line and loc.column) or loc.pointer.startswith("/tables/"):
        return None
    lines = _lines(loc.path)
    if lines is None or loc.line > len(lines):
        return None
    line = lines[loc.line - 1].rstrip("\r")
    start = max(0, min(loc.column - 1, len(line)))
    figure = compiled(_FIGURE).match(line, start) or compiled(_FIGURE).search(
        line, start, start + NEAR_FIGURE
    )
    if figure is not None:  # a claim's position may stand a few characters before its figure
        start = figure.start()
    end = figure.end() if figure else start
    left = max(line.rfind(c, max(0, start - MAX_SENTENCE), start) for c in SENTENCE_END)
    right_ends = [i for c in SENTENCE_END if (i := line.find(c, end, end + MAX_SENTENCE)) >= 0]
    right = min(right_ends) + 1 if right_ends else min(len(line), end + MAX_SENTENCE)
    before, after = line[left + 1 : start], line[end:right]
    if loc.path.lower().endswith((".html", ".htm")):
        before, after = compiled(_TAGS).sub("", before), compiled(_TAGS).sub("", after)
    before, after = (
        compiled(_SPACE).sub(" ", before).lstrip(" -|>"),
        compiled(_SPACE).sub(" ", after).rstrip(),
    )
    return (before, line[start:end], after) if (before or after) else None


def cell_name(template: str | None, pointer: str, lang: str) -> str:
    """A cell named by its table, row and column labels: 表三“（三）不予公开 1.属于国家秘密”／自然人
    for /tables/t3/withheld/state_secret/natural_person; the pointer when it cannot be named."""
    table, _, key = pointer.removeprefix("/tables/").partition("/")
    if template is None or table not in TABLE_NAMES or not key:
        return pointer.removeprefix("/tables/")
    from checker.engine.context import _label

    try:
        label = _label(template, table, key.replace("/", ".")).get(lang)
    except (KeyError, AttributeError):
        return pointer.removeprefix("/tables/")
    zh = lang != "en"
    name = TABLE_NAMES[table][0 if zh else 1]
    row, sep, column = label.partition("／" if zh else " / ")
    quoted = f"“{row}”" if zh else f" “{row}”"
    return f"{name}{quoted}{sep}{column}" if sep else f"{name}{quoted}"


# -- HTML sources: the place in the page's visible text -------------------------------------

HTML_SOURCES = (".html", ".htm")
_HTML_TOKEN = r"(?si)<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>|&#?\w+;|\s+|[^<&\s]+|."
_BREAKING_TAG = r"(?i)</?(?:p|div|br|tr|td|th|li|h[1-6]|table|section|article)\b"


@lru_cache(maxsize=4)
def _visible(path: str) -> tuple[str, tuple[int, ...], tuple[int, ...], tuple[int, ...]] | None:
    """The page's visible text (whitespace folded, entities decoded), each token's raw and
    visible start, and where each raw line starts."""
    from html import unescape

    lines = _lines(path)
    if lines is None:
        return None
    raw = "\n".join(lines)
    text: list[str] = []
    raw_starts: list[int] = []
    visible_starts: list[int] = []
    size = 0
    after_space = True  # no space at the start, never two in a row
    for match in compiled(_HTML_TOKEN).finditer(raw):
        token = match.group()
        if token.startswith("<"):
            piece = " " if compiled(_BREAKING_TAG).match(token) else ""
        elif token.startswith("&"):
            piece = unescape(token)
        else:
            piece = token
        if piece.isspace():
            piece = "" if after_space else " "
        if piece:
            after_space = piece.endswith(" ")
        raw_starts.append(match.start())
        visible_starts.append(size)
        text.append(piece)
        size += len(piece)
    line_starts = [0]
    for line in lines[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)
    return "".join(text), tuple(raw_starts), tuple(visible_starts), tuple(line_starts)


def html_place(finding: Finding) -> tuple[int, str] | None:
    """For a finding in an HTML page: (1-based place in the page's visible text, the marked
    text around it); None for other sources or an unknown position."""
    from bisect import bisect_right

    loc = finding.location
    if not loc.line or not loc.path.lower().endswith(HTML_SOURCES):
        return None
    found = _visible(loc.path)
    if found is None:
        return None
    visible, raw_starts, visible_starts, line_starts = found
    if loc.line > len(line_starts) or not raw_starts:
        return None
    offset = line_starts[loc.line - 1] + (loc.column or 1) - 1
    token = max(0, bisect_right(raw_starts, offset) - 1)
    inside = offset - raw_starts[token]
    place = visible_starts[token] + min(
        inside, max(0, _token_width(visible_starts, token, visible))
    )
    while place < len(visible) and visible[place] == " ":
        place += 1  # from a tag to the text that follows it
    return place + 1, cut(visible, place + 1)


def _token_width(starts: tuple[int, ...], token: int, visible: str) -> int:
    end = starts[token + 1] if token + 1 < len(starts) else len(visible)
    return end - starts[token]
