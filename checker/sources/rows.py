"""Text and row shaping shared by the HTML, DOCX and PDF readers.

Extraction reads a table row as ``[label, value, value, …]`` (or values only,
for table 4). A reader keeps one cell per source cell, empty ones as ``""`` so
that a blank value keeps its column. Empty cells *before* a row's first label
are the exception: in a row-oriented table they belong to no value column
(they draw a merged or phantom header cell, or the continuation of a label
that spans rows), and keeping them would give the label of the row above an
extra blank value.

A label laid out over several lines (``法律`` / ``服务`` / ``机构``, or one
character per line in a narrow column) is one label: whitespace between two
CJK characters is layout, not content, and is dropped.
"""

from __future__ import annotations

from checker.numbers import is_value_token
from checker.regexes import lazy
from checker.sources.document import TextCell

# A cell of a report table holds a figure or a label (the longest label of the
# format has about 40 characters); a "cell" holding more is a page laid out
# with a table, and its content is read as text.
MAX_DATA_CELL_CHARS = 200

_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACES = lazy(r"[\s\u00a0\u3000\u200b\ufeff]+")
_CJK_GAP = lazy(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_LATIN = lazy(r"[A-Za-z]")
_HAS_CJK = lazy(rf"[{_CJK}]")


def clean_text(text: str) -> str:
    """Collapse whitespace (NBSP and ideographic spaces too); drop it between two CJK characters."""
    return _CJK_GAP.sub("", _SPACES.sub(" ", text)).strip()


def join_lines(lines: list[str]) -> str:
    """The pieces of one cell or paragraph, joined (without a space between CJK characters)."""
    return clean_text(" ".join(lines))


def join_wrapped(lines: list[str]) -> str:
    """Lines that one text was wrapped into (PDF), joined.

    In Chinese text a line break falls anywhere, inside a number (``2`` /
    ``020年``) or after a half-width comma, and never stands for a space; in
    Latin-script text it stands for the space between two words. So a space
    is put back only between two Latin letters, or between a letter and a
    digit when neither line holds CJK text; never between two digits (a
    number wrapped in a narrow table cell, ``1361`` / ``2``).
    """
    joined, previous = "", ""
    for line in (clean_text(line) for line in lines):
        if not line:
            continue
        if joined and _needs_space(previous, line):
            joined += " "
        joined += line
        previous = line
    return joined


def _needs_space(before: str, after: str) -> bool:
    left, right = before[-1], after[0]
    if left.isdigit() and right.isdigit():
        return False  # a number wrapped in a narrow cell
    if _LATIN.match(left) and _LATIN.match(right):
        return True
    latin_text = not _HAS_CJK.search(before) and not _HAS_CJK.search(after)
    return latin_text and left.isascii() and right.isascii() and left.isalnum() and right.isalnum()


def shape_row(cells: list[TextCell]) -> list[TextCell]:
    """Drop empty cells in front of a row's first label; a lone empty cell becomes [].

    A row of several empty cells is kept as it is: it is a row of blank values (a table's
    value row left unfilled, as Markdown keeps it), which the rules report as blank cells
    (STR-009); dropped, it read as a row of no values at all (EXT-002)."""
    first_text = next((i for i, c in enumerate(cells) if c.text), None)
    if first_text is None:
        return cells if len(cells) > 1 else []
    if is_value_token(cells[first_text].text):
        return cells  # the row starts with values: its empty cells are blank values
    return cells[first_text:]
