"""A Document's table region as a stream of label and value tokens, each with its position.

Cells of real table rows (HTML, DOCX, PDF, Markdown pipe tables) are tokens
as they are: a cell is a cell. Paragraph text is different: a flattened or
crawled page loses the cell borders, so a paragraph such as
``（三）不予公开1.属于国家秘密0000000`` is cut into labels and values here:

- a whitespace-separated chunk that reads as a number or placeholder is one value;
- digit runs glued to text are values, except the digit that numbers the next
  row label (``00000002.其他…`` is ``0000000`` then ``2.其他…``) and digits that
  belong to a word (``2021年``);
- the text between values is label text, broken before row numbering
  (``其他一、本年新收…`` gives ``其他`` and ``一、本年新收…``).

Prose (a paragraph with a full stop) stays one token: its figures are not
table cells. A table row holding only labels and no empty cell is a header
row (also one injected mid-table by a faulty conversion): its tokens are
marked so that they never start a data row.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import pairwise

from msgspec import Struct

from checker.errors import InputError
from checker.extract.cells import is_page_footer
from checker.extract.digits import is_digit_run
from checker.memo import line_cache
from checker.model import Position
from checker.numbers import parse_number
from checker.regexes import compiled, lazy
from checker.sources.document import Block, Document

_DIGIT = "0-9０-９"
_RUN = lazy(
    rf"(?:[{_DIGIT}]{{1,3}}(?:[,，][{_DIGIT}]{{3}})+(?![{_DIGIT}])|[{_DIGIT}]+)(?:[.．][{_DIGIT}]+)?(?:万元|元)?"
)
_NUMBERING_MARK = lazy(rf"[.．、](?![{_DIGIT}])")
_WORD_AFTER_DIGITS = "年月日号时期次届"
_CJK_NUMBERING = lazy(
    r"(?<![第])(?:[一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十]{1,3}[）)])"
)
_PROSE_END = lazy(r"[。！？]")


class Token(Struct):
    text: str
    pos: Position
    block: int
    is_value: bool
    splittable: bool = False  # digits from running text: possibly several cells run together
    header_row: bool = False  # from a table row of labels only
    source: str = ""  # the run of text this piece was cut from (quoted as written in findings)
    offset: int = -1  # where in `source` it starts


def is_header_row(block: Block) -> bool:
    """A table row of two or more labels, no values and no empty cells: a header, wherever it stands."""
    if not block.is_row or len(block.cells) < 2:
        return False
    texts = [c.text.strip() for c in block.cells]
    return all(texts) and not any(parse_number(t).is_number for t in texts)


def _shift(pos: Position, offset: int) -> Position:
    if offset == 0 or pos.column is None:
        return pos
    # built directly: a generic replace() cost a third of reading a long table
    return Position(
        pos.path,
        pos.line,
        pos.column + offset,
        pos.end_line,
        pos.end_column,
        pos.page,
        pos.x,
        pos.y,
    )


def split_text(text: str) -> list[tuple[str, int, bool]]:
    """Cut running table text into (text, offset, is_value) pieces, labels stripped of spaces at the ends."""
    return list(_split_text(text))


@line_cache()
def _split_text(text: str) -> tuple[tuple[str, int, bool], ...]:
    values: list[tuple[int, int]] = []
    breaks: set[int] = set()
    for chunk in compiled(r"\S+").finditer(text):
        if parse_number(chunk.group()).is_number:
            values.append(chunk.span())
            continue
        for run in _RUN.finditer(text, chunk.start(), chunk.end()):
            start, end = run.span()
            if start > 0 and text[start - 1] in "(（" and text[end : end + 1] in (")", "）"):
                continue  # a row numbered (1) or （2）, not a value
            if run.group().isdigit() and _NUMBERING_MARK.match(text, end) and end < chunk.end():
                breaks.add(end - 1)  # the last digit numbers the label that follows
                if end - 1 > start:
                    values.append((start, end - 1))
                continue
            if end < len(text) and text[end] in _WORD_AFTER_DIGITS:
                continue
            values.append((start, end))
    for mark in _CJK_NUMBERING.finditer(text):
        breaks.add(mark.start())
    pieces: list[tuple[str, int, bool]] = []
    cursor = 0
    ordered = sorted(breaks)
    for start, end in sorted(values):
        pieces += _labels(text, cursor, start, ordered)
        pieces.append((text[start:end], start, True))
        cursor = end
    pieces += _labels(text, cursor, len(text), ordered)
    return tuple(pieces)


def _labels(text: str, start: int, end: int, breaks: list[int]) -> list[tuple[str, int, bool]]:
    """The labels between two values; `breaks` sorted, only those inside are looked at
    (a table on one line has thousands: scanning them all per value was quadratic)."""
    inside = breaks[bisect_right(breaks, start) : bisect_left(breaks, end)]
    cuts = [start, *inside, end]
    out = []
    for left, right in pairwise(cuts):
        piece = text[left:right]
        stripped = piece.strip()
        if stripped:
            out.append((stripped, left + (len(piece) - len(piece.lstrip())), False))
    return out


def is_prose(text: str) -> bool:
    return bool(_PROSE_END.search(text))


# labels and values in one stretch of a document: ten times what the longest real report holds
# (a table of thousands of rows on one crawled line is one block, so blocks alone do not bound it)
MAX_TOKENS = 60_000


def _bounded(doc: Document, count: int) -> None:
    if count > MAX_TOKENS:
        raise InputError(
            doc.path,
            f"more than {MAX_TOKENS} table labels and values: longer than any annual report",
        )


def tokenize(doc: Document, start: int, end: int) -> list[Token]:
    tokens: list[Token] = []
    for index in range(start, end):
        block = doc.blocks[index]
        if block.is_row:
            _bounded(doc, len(tokens) + len(block.cells))
            header = is_header_row(block)
            for cell in block.cells:
                text = cell.text.strip()
                tokens.append(
                    Token(text, cell.pos, index, parse_number(text).is_number, header_row=header)
                )
            continue
        for cell in block.cells:
            text = cell.text.strip()
            if not text or is_page_footer(text):
                continue
            if is_prose(text):
                tokens.append(Token(text, cell.pos, index, False))
                continue
            lead = len(cell.text) - len(cell.text.lstrip())
            pieces = split_text(text)
            _bounded(doc, len(tokens) + len(pieces))
            for piece, offset, is_value in pieces:
                tokens.append(
                    Token(
                        piece,
                        _shift(cell.pos, lead + offset),
                        index,
                        is_value,
                        splittable=is_value and is_digit_run(piece),
                        source=text,
                        offset=offset,
                    )
                )
    return tokens
