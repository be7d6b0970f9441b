"""Reader for PDF (the text layer), with pdfplumber.

Only text that the PDF carries as text is read; a scanned PDF without a
text layer is refused (it needs OCR first). Page by page:

- **Tables** are found from their ruling lines (pdfplumber's ``find_tables``).
  Every table row becomes one row block with one cell per table cell. A cell
  merged across rows or columns appears once, at its top-left position; the
  lines of a cell are joined, so a label wrapped over several lines, or a
  header written one character per line in a narrow column (vertical text),
  is one label again. Empty cells keep their place as ``""``, except empty
  cells before a row's first label (:func:`checker.sources.rows.shape_row`).
- **Text outside tables** is rebuilt into lines from the words' positions
  (words whose tops lie within half a line height share a line). A line
  that runs to the right edge of the text block continues on the next line
  unless that line is indented or starts a numbered item (``一、``,
  ``（二）``, ``3.``), so wrapped paragraphs are joined again, across page
  breaks too. A line whose words stand apart in three or more groups, one
  of them a number, is a row of a table drawn without lines and becomes a
  row block of those groups.
- **Page furniture** is dropped: lines in the top or bottom margin band that
  are page numbers (``— 4 —``, ``- 4 -``, ``4``, ``第4页``, ``第4页 共9页``,
  ``4/9``) or that repeat on at least half of the pages (running headers
  and footers).

Characters printed twice at the same place (the faux bold of some Chinese
office suites) are read once.

Positions: ``page`` is the 1-based page number, ``line`` the 1-based line on
that page counting every text line from the top (table lines, headers and
footers included, as a person counts them on the printed page), ``column``
1 for a paragraph and the 1-based table column (merged columns counted) for
a table cell.

Untrusted input: the file must start like a PDF (``%PDF-``); an HTML page or
anything else renamed ``.pdf``, a truncated or damaged file, a PDF that needs
a password, one with more than ``MAX_PAGES`` pages (counted, whatever the page
tree claims), or one whose pages would make the parser interpret more content
than :class:`~checker.sources.limits.PdfContentBudget` allows (a content or
decompression bomb, checked page by page before the page is parsed) is a
one-line :class:`~checker.errors.InputError`.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from itertools import groupby, pairwise
from pathlib import Path
from typing import Any

from msgspec import Struct, field

from checker.errors import InputError
from checker.numbers import is_value_token
from checker.regexes import compiled, lazy
from checker.sources.document import Document, Hint, TextCell
from checker.sources.limits import (
    Limits,
    PdfContentBudget,
    count_pdf_pages,
    pdf_decoding,
    read_bytes,
)
from checker.sources.rows import join_lines, join_wrapped, shape_row

EXTENSIONS = (".pdf",)

MAX_PAGES = 500
MARGIN_BAND = 0.12  # running headers and page numbers stand in the top and bottom eighth of a page
EDGE_LINES = 2  # at most this many lines of furniture at each edge
APART_PITCHES = (
    1.6  # furniture is set apart from the text block by more than this many line pitches
)
ROW_GAP_LINE_HEIGHTS = 2.0  # words further apart than this start a new cell of an unruled table
_PAGE_NUMBER = lazy(
    r"^(?:[-—–－―~·•]*\d+[-—–－―~·•]*|第\d+页(?:[,/]?共\d+页)?|共\d+页[,/]?第\d+页|\d+/\d+|page\d+(?:of\d+)?)$",
    re.IGNORECASE,
)
_NEW_ITEM = lazy(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d))"
)
_HTML_START = lazy(rb"^\s*<(?:!doctype|html|head|body|\?xml|meta|div|p|table)\b", re.IGNORECASE)


def read_pdf(path: Path, limits: Limits | None = None, display: str | None = None) -> Document:
    shown = display or str(path)
    data = read_bytes(path, limits)
    check_signature(data, shown)
    with pdf_decoding(shown):
        pages, title = _read_pages(data, shown, limits)
    doc = Document(shown)
    if title and "报告" in title:
        doc.hints["title"] = Hint(title)
    assemble(doc, pages)
    return doc


def check_signature(data: bytes, path: str) -> None:
    """A PDF starts with %PDF- (the standard allows some junk before it, within 1 KiB)."""
    if not data.strip():
        raise InputError(path, "empty file, not a PDF")
    if b"%PDF-" in data[:1024]:
        return
    if _HTML_START.match(data[:1024]):
        raise InputError(path, "an HTML page named .pdf, not a PDF; rename it to .html")
    raise InputError(path, "not a PDF file (no %PDF- signature)")


class _Line(Struct):
    top: float
    bottom: float
    x0: float
    x1: float
    words: list[dict[str, Any]]

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def text(self) -> str:
        return join_lines([w["text"] for w in self.words])


class _Row(Struct):
    """A table row: (text, line, column, (x, y)) of each cell, None for the cells a merge covers."""

    top: float
    cells: list[tuple[str, int, int, tuple[float, float]] | None]


class _Page(Struct):
    number: int
    height: float
    line_tops: list[float] = field(default_factory=list)  # every text line, tables included
    body: list[_Line] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)

    def line_at(self, y: float) -> int:
        """The 1-based number of the first text line at or below y."""
        return 1 + sum(1 for top in self.line_tops if top < y - 0.5)

    def in_margin(self, line: _Line) -> bool:
        return line.bottom < self.height * MARGIN_BAND or line.top > self.height * (1 - MARGIN_BAND)


def _quiet_pdf_libraries() -> None:
    """Keep pdfminer's warnings about damaged files off stderr.

    With no handler anywhere, Python prints library warnings to stderr, which
    would break the one-line error of a bad file. A NullHandler keeps them
    out unless the application configures logging itself.
    """
    for name in ("pdfminer", "pdfplumber"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


def _refuse_reference_cycles() -> None:
    """Make pdfminer's object lookup refuse a chain of references that comes back on itself.

    An object whose body is only a reference to itself (``5 0 obj 5 0 R endobj``),
    or a ring of such objects, made ``resolve1`` loop for ever. The lookup
    follows such chains itself and raises a syntax error on a cycle; installed
    once per process, it changes nothing for any other object.
    """
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.pdftypes import PDFObjRef

    original = PDFDocument.getobj
    if getattr(original, "refuses_cycles", False):
        return

    def getobj(self: PDFDocument, objid: int) -> object:
        found = original(self, objid)
        seen = {objid}
        while isinstance(found, PDFObjRef):
            if found.objid in seen:
                raise PDFSyntaxError(f"object {objid} refers to itself through references")
            seen.add(found.objid)
            found = original(self, found.objid)
        return found

    getobj.refuses_cycles = True  # type: ignore[attr-defined]
    PDFDocument.getobj = getobj  # type: ignore[method-assign]


def _read_pages(
    data: bytes, path: str, limits: Limits | None = None
) -> tuple[list[_Page], str | None]:
    import pdfplumber  # imported lazily: only PDF files need it
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    _quiet_pdf_libraries()
    _refuse_reference_cycles()

    try:
        # counted before pdfplumber opens it: pdfplumber's close() builds every page object
        count = _page_count(data)
        if count > MAX_PAGES:
            raise InputError(path, f"{count} pages, over the limit of {MAX_PAGES}")
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = []
            budget = PdfContentBudget(path, limits)  # content bombs are refused unparsed
            for number, page in enumerate(pdf.pages, 1):
                budget.spend(page.page_obj, number)
                pages.append(_read_page(page, number))
                page.close()  # frees the page's parsed objects: a long PDF is read in bounded memory
            title = pdf.metadata.get("Title")
    except (InputError, MemoryError):
        raise
    except PDFPasswordIncorrect:
        raise InputError(path, "encrypted PDF: a password is needed to read it") from None
    except Exception as exc:  # pdfminer raises many kinds of error on damaged input
        cause = _input_error_in(exc)
        if cause is not None:  # a limit of ours, raised inside pdfminer and wrapped by pdfplumber
            raise cause from None
        if "password" in str(exc).lower() or "PDFPasswordIncorrect" in repr(exc):
            raise InputError(path, "encrypted PDF: a password is needed to read it") from None
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(path, f"not a readable PDF: {reason}") from None
    if not any(page.line_tops for page in pages):
        raise InputError(
            path, "the PDF has no text layer (a scanned document?); run OCR on it first"
        )
    return pages, title if isinstance(title, str) else None


def _input_error_in(exc: BaseException) -> InputError | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, InputError):
            return current
        inner = [a for a in getattr(current, "args", ()) if isinstance(a, InputError)]
        if inner:
            return inner[0]
        current = current.__cause__ or current.__context__
    return None


def _page_count(data: bytes) -> int:
    """The page tree's /Count, or the pages the tree holds when it says fewer (counted no
    further than MAX_PAGES + 1), so that a huge document is refused before its pages are built."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    document = PDFDocument(PDFParser(io.BytesIO(data)))
    try:
        declared = resolve1(resolve1(document.catalog["Pages"]).get("Count"))
    except Exception:  # a damaged page tree: count the pages pdfminer can find
        declared = None
    if isinstance(declared, int) and declared > MAX_PAGES:
        return declared
    return count_pdf_pages(document, MAX_PAGES + 1)


def _cluster(words: list[dict[str, Any]]) -> list[_Line]:
    """Group words into lines: a word whose top lies within half a line height of the line's."""
    lines: list[_Line] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        line = lines[-1] if lines else None
        if line is not None and abs(word["top"] - line.top) <= line.height / 2:
            line.words.append(word)
            line.bottom = max(line.bottom, word["bottom"])
            line.x0, line.x1 = min(line.x0, word["x0"]), max(line.x1, word["x1"])
        else:
            lines.append(_Line(word["top"], word["bottom"], word["x0"], word["x1"], [word]))
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
    return lines


def _inside(word: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _deduped(page: Any) -> Any:
    """``page.dedupe_chars()`` in n log n: text printed twice over itself (faux bold) reads once.

    pdfplumber keeps the first of each group of characters with the same text, font
    and size within one point, then puts them back in order with ``chars.index``
    per character: quadratic in the characters of a page (2 s for a page of 6,000).
    The same groups, put back in order through a dictionary.
    """
    from operator import itemgetter

    from pdfplumber.page import FilteredPage
    from pdfplumber.utils.clustering import cluster_objects

    chars = page.chars
    order = {id(char): index for index, char in enumerate(chars)}
    same = itemgetter("upright", "text", "fontname", "size")
    place = itemgetter("doctop", "x0")
    kept = []
    for _, group in groupby(sorted(chars, key=same), key=same):
        for line in cluster_objects(list(group), itemgetter("doctop"), 1):
            for spot in cluster_objects(line, itemgetter("x0"), 1):
                kept.append(min(spot, key=place))  # the first of the lowest, as sorted()[0]
    kept.sort(key=lambda char: order[id(char)])
    deduped = FilteredPage(page, lambda _: True)
    deduped._objects = dict(page.objects)
    deduped._objects["char"] = kept
    return deduped


def _read_page(page: Any, number: int) -> _Page:
    page = _deduped(page)
    words = page.extract_words()
    result = _Page(number, float(page.height))
    result.line_tops = [line.top for line in _cluster(words)]
    tables = [t for t in page.find_tables() if any(len(row.cells) > 1 for row in t.rows)]
    for table in tables:
        for row, texts in zip(table.rows, table.extract(), strict=True):
            cells: list[tuple[str, int, int, tuple[float, float]] | None] = []
            for column, (bbox, text) in enumerate(zip(row.cells, texts, strict=True), 1):
                if bbox is None:
                    cells.append(None)
                else:
                    line = result.line_at(_text_top(words, bbox))
                    corner = (round(float(bbox[0]), 1), round(float(bbox[1]), 1))
                    cells.append((join_wrapped((text or "").split("\n")), line, column, corner))
            result.rows.append(_Row(row.bbox[1], cells))
    boxes = [t.bbox for t in tables]
    result.body = _cluster([w for w in words if not any(_inside(w, b) for b in boxes)])
    return result


def _text_top(words: list[dict[str, Any]], bbox: tuple[float, float, float, float]) -> float:
    """Where the text of a cell begins (a glyph's ascent may rise above the cell's top rule)."""
    return min((w["top"] for w in words if _inside(w, bbox)), default=bbox[1] + 1)


def is_page_number(text: str) -> bool:
    """``— 4 —``, ``- 4 -``, ``4``, ``第4页``, ``第 4 页 共 9 页``, ``4/9``, ``Page 4 of 9``."""
    return bool(_PAGE_NUMBER.match(unicodedata.normalize("NFKC", text).replace(" ", "")))


def _edge_groups(page: _Page) -> list[int]:
    """Indexes of body lines set apart at the top or bottom edge of the page.

    Furniture is at most ``EDGE_LINES`` lines inside the margin band, separated
    from the text block by a wider gap than the page's usual line pitch.
    """
    tops = sorted(page.line_tops)
    steps = sorted(b - a for a, b in pairwise(tops) if b - a > 0.5)
    pitch = steps[len(steps) // 2] if steps else 0.0
    found: list[int] = []
    for edge in (tops[: EDGE_LINES + 1], tops[::-1][: EDGE_LINES + 1]):
        for count in range(1, len(edge)):
            if abs(edge[count] - edge[count - 1]) > APART_PITCHES * pitch:
                found += [
                    i for i, line in enumerate(page.body)
                    if page.in_margin(line) and any(abs(line.top - t) < 0.5 for t in edge[:count])
                ]  # fmt: skip
                break
    return found


def _furniture(pages: list[_Page]) -> set[tuple[int, int]]:
    """(page, index) of body lines that are page numbers or running headers/footers."""

    def key(line: _Line) -> str:
        return compiled(r"\d+").sub("#", unicodedata.normalize("NFKC", line.text).replace(" ", ""))

    candidates = {page.number: _edge_groups(page) for page in pages}
    repeats = Counter(
        k for page in pages for k in {key(page.body[i]) for i in candidates[page.number]}
    )
    enough = max(2, (len(pages) + 1) // 2)
    dropped = set()
    for page in pages:
        for index in candidates[page.number]:
            line = page.body[index]
            if is_page_number(line.text) or (len(pages) > 1 and repeats[key(line)] >= enough):
                dropped.add((page.number, index))
    return dropped


def _segments(line: _Line) -> list[list[dict[str, Any]]]:
    """The line's words in groups separated by wide gaps (the cells of an unruled table)."""
    groups = [[line.words[0]]]
    for previous, word in pairwise(line.words):
        if word["x0"] - previous["x1"] > ROW_GAP_LINE_HEIGHTS * line.height:
            groups.append([word])
        else:
            groups[-1].append(word)
    return groups


class _Paragraph(Struct):
    parts: list[str]
    page: int
    line: int
    last: _Line


def assemble(doc: Document, pages: list[_Page]) -> None:
    """Blocks in reading order: per page, paragraphs and table rows by their top."""
    dropped = _furniture(pages)
    body = [
        (p, i, line) for p in pages for i, line in enumerate(p.body) if (p.number, i) not in dropped
    ]
    if not body and not any(p.rows for p in pages):
        return
    left = min((line.x0 for _, _, line in body), default=0.0)
    right = max((line.x1 for _, _, line in body), default=0.0)
    current: _Paragraph | None = None

    def flush() -> None:
        nonlocal current
        if current is not None:
            doc.paragraph(join_wrapped(current.parts), current.line, page=current.page)
        current = None

    for page in pages:
        items: list[tuple[float, _Line | _Row]] = [
            (line.top, line) for i, line in enumerate(page.body) if (page.number, i) not in dropped
        ]
        items += [(row.top, row) for row in page.rows]
        for _top, item in sorted(items, key=lambda entry: entry[0]):
            if isinstance(item, _Row):
                flush()
                _emit_row(doc, page, item)
                continue
            groups = _segments(item)
            if len(groups) >= 3 and any(
                is_value_token(join_lines([w["text"] for w in g])) for g in groups
            ):
                flush()
                _emit_unruled_row(doc, page, item, groups)
                continue
            line_no = page.line_at(item.top)
            if current is not None and _continues(current.last, item, left, right):
                current.parts.append(item.text)
                current.last = item
                continue
            flush()
            current = _Paragraph([item.text], page.number, line_no, item)
    flush()


def _continues(previous: _Line, line: _Line, left: float, right: float) -> bool:
    """The line carries on the paragraph of `previous` (a wrapped line, not a new one)."""
    ran_to_edge = previous.x1 >= right - 1.5 * previous.height
    indented = line.x0 > left + 0.6 * line.height
    return ran_to_edge and not indented and not _NEW_ITEM.match(line.text)


def _emit_row(doc: Document, page: _Page, row: _Row) -> None:
    cells = [
        TextCell(text, doc.pos(line, column, page.number, xy))
        for text, line, column, xy in _present(row)
    ]
    shaped = shape_row(cells)
    if shaped:
        doc.row(shaped)


def _present(row: _Row) -> Iterator[tuple[str, int, int, tuple[float, float]]]:
    return (cell for cell in row.cells if cell is not None)


def _emit_unruled_row(
    doc: Document, page: _Page, line: _Line, groups: list[list[dict[str, Any]]]
) -> None:
    line_no = page.line_at(line.top)
    cells = [
        TextCell(
            join_lines([w["text"] for w in group]),
            doc.pos(
                line_no, column, page.number, (round(group[0]["x0"], 1), round(group[0]["top"], 1))
            ),
        )
        for column, group in enumerate(groups, 1)
    ]
    shaped = shape_row(cells)
    if shaped:
        doc.row(shaped)
