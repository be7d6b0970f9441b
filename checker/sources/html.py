"""Reader for HTML: report pages saved from government websites and Word's "save as web page".

What it does, in order:

1. **Decode.** A byte-order mark wins; then valid UTF-8 (a re-saved page
   often keeps a stale ``gb2312`` declaration, and UTF-8 text is almost never
   valid by accident); then a charset declared in the first 4 KiB
   (``<meta charset>`` or ``http-equiv`` content type; GB2312/GBK are read as
   their superset GB18030); otherwise GB18030 or a detected encoding
   (:func:`checker.sources.encoding.decode_text`). Binary data is refused.
2. **Parse** with lxml's HTML parser (never regular expressions over markup).
   Page chrome that holds no report text is dropped: ``script``, ``style``,
   ``nav``, form controls and other interactive or embedded elements, a
   ``form`` (but not one wrapping the whole page, as ASP.NET pages do: a form
   holding the section headings stays), comments (including Word's
   conditional comments), and anything styled ``display:none``.
3. **Find the article.** The report is the smallest element that contains
   every numbered section heading (一、… to 六、) found on the page; if several
   such elements exist (a page carrying a mobile and a desktop copy) the one
   with the most CJK text wins. A page without two distinct headings is read
   whole. Navigation, share buttons and attachment lists around the article
   are thereby left out.
4. **Blocks.** Text outside tables becomes paragraphs, split at block
   elements (``p``, ``div``, ``h1``…, ``li``…) and ``<br>``. Every ``<tr>``
   of a data table becomes one row block with one cell per ``<td>``/``<th>``
   in source order. A cell spanning rows (``rowspan``) appears once, in its
   first row; a cell spanning columns (``colspan``) appears once. Cells left
   empty (``&nbsp;``) are kept as ``""`` so that a blank value keeps its
   column, except empty cells before a row's first label
   (:func:`checker.sources.rows.shape_row`). The text of one cell split
   over several ``<p>``/``<br>`` (``法律`` / ``服务`` / ``机构``) is joined;
   whitespace between two CJK characters is dropped (a line break or
   ``&nbsp;`` padding inside a Chinese label is layout, not content). A table
   that contains another table, whose rows all have a single cell, or with a
   cell holding prose (over ``MAX_DATA_CELL_CHARS`` characters) lays out the
   page: its cells are read as ordinary text.
5. **Hints.** ``<meta name="ArticleTitle">`` or the ``<title>`` (its first
   part, before the site name) becomes the ``title`` hint;
   ``<meta name="PubDate">`` and its common spellings the ``published`` hint.

Positions are 1-based line numbers in the source HTML (lxml's
``sourceline`` of the element that starts the paragraph or cell); the column
is 1 because the parser does not report columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import lxml.etree
import lxml.html
from msgspec import Struct, field

from checker.errors import InputError
from checker.regexes import lazy
from checker.sources.document import Document, Hint, TextCell
from checker.sources.encoding import decode_text, looks_binary
from checker.sources.limits import Limits, read_bytes
from checker.sources.rows import MAX_DATA_CELL_CHARS, clean_text, shape_row

EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml")

_DROPPED_TAGS = frozenset({
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
    "svg", "canvas", "nav", "button", "select", "option", "textarea", "input",
    "head", "title", "meta", "link", "map", "audio", "video", "xml",
})  # fmt: skip
_BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "section", "article", "main", "header", "footer", "aside", "blockquote", "center", "pre",
    "address", "figure", "figcaption", "hr", "caption", "body", "html", "td", "th", "tr",
})  # fmt: skip
_TITLE_METAS = ("articletitle", "dc.title", "title")
_PUBLISHED_METAS = (
    "pubdate", "publishdate", "publish_date", "firstpublishedtime", "dc.date", "dcterms.issued",
    "dc.date.issued", "publishedtime",
)  # fmt: skip
_SITE_SEPARATORS = ("_", "|", "｜", " - ", " — ", "--")
_CHARSET = lazy(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}
_NOT_IN_XML = lazy("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HEADING = lazy(r"^[一二三四五六]\s*[、.．]\s*\S")
MAX_HEADING_CHARS = 40
MAX_HEADING_SCAN = 4096  # raw characters (padding included) read to decide on a heading
MAX_TEXT_PIECES = 256  # text nodes read to decide on a heading (Word wraps runs, not letters)
MIN_DISTINCT_HEADINGS = 2


# elements of a page: a report page saved from Word holds tens of thousands, a table of
# 400,000 rows more than a million (each is looked at for headings and layout)
MAX_ELEMENTS = 200_000


def read_html(path: Path, limits: Limits | None = None, display: str | None = None) -> Document:
    shown = display or str(path)
    text = decode_html(read_bytes(path, limits), shown)
    return parse_html(text, shown)


def decode_html(data: bytes, path: str) -> str:
    """Bytes to text: a BOM, valid UTF-8, a declared charset, then detection."""
    if not data.strip():
        raise InputError(path, "empty file, no HTML content")
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data, path)
    if looks_binary(data):
        raise InputError(path, "binary data, not a text report")
    try:
        return data.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096])
    if declared:
        codec = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(_CHARSET_ALIASES.get(codec, codec)).replace("\r\n", "\n")
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: fall back to detection
    return decode_text(data, path)


def parse_html(text: str, path: str) -> Document:
    text = _NOT_IN_XML.sub("", text)  # lxml refuses these in the text it gives back to a tree
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(path, f"not readable as HTML: {exc}") from None
    limit = next((e for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"), None)
    if limit is not None:  # libxml2 dropped the rest of the page: refuse rather than read part
        raise InputError(
            path,
            f"cannot be read whole: elements nested over 255 deep or a text run over 10 MB "
            f"({' '.join(limit.message.split())})",
        )
    elements = sum(1 for _ in root.iter())  # counted in C: a fraction of the parse
    if elements > MAX_ELEMENTS:
        raise InputError(
            path, f"{elements} HTML elements, over {MAX_ELEMENTS}: larger than any annual report"
        )
    doc = Document(path)
    _read_hints(root, doc)
    body = root.find("body")
    if body is None:
        body = root
    _drop_chrome(body)
    _FlowReader(doc).read(article_element(body))
    if not doc.blocks:
        raise InputError(path, "no text in the HTML page")
    return doc


def _read_hints(root: lxml.html.HtmlElement, doc: Document) -> None:
    metas: dict[str, tuple[str, int | None]] = {}
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = clean_text(meta.get("content") or "")
        if name and content and name not in metas:
            metas[name] = (content, meta.sourceline)
    title = next((metas[n] for n in _TITLE_METAS if n in metas), None)
    if title is None:
        element = root.find(".//title")
        if element is not None and clean_text(element.text_content()):
            title = (clean_text(element.text_content()), element.sourceline)
    if title is not None:
        doc.hints["title"] = Hint(_strip_site_name(title[0]), doc.pos(title[1] or 1))
    published = next((metas[n] for n in _PUBLISHED_METAS if n in metas), None)
    if published is not None:
        doc.hints["published"] = Hint(published[0], doc.pos(published[1] or 1))


def _strip_site_name(title: str) -> str:
    """'报告标题_栏目_网站名' -> '报告标题'."""
    for separator in _SITE_SEPARATORS:
        head = title.split(separator)[0].strip()
        if head and head != title:
            return head
    return title


def _is_hidden(element: lxml.html.HtmlElement) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or element.get("hidden") is not None


def _drop_chrome(body: lxml.html.HtmlElement) -> None:
    seen: dict[lxml.html.HtmlElement, str | None] = {}  # each element's numeral, worked out once
    doomed = [
        e
        for e in body.iter()
        if not isinstance(e.tag, str)
        or e.tag.lower() in _DROPPED_TAGS
        or (e.tag.lower() == "form" and len(_heading_numerals(e, seen)) < MIN_DISTINCT_HEADINGS)
        or _is_hidden(e)
    ]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()  # keeps the tail text, which belongs to the parent


def _heading_numerals(
    element: lxml.html.HtmlElement, seen: dict[lxml.html.HtmlElement, str | None]
) -> set[str]:
    """The heading numerals inside `element`; `seen` remembers each element's (forms nested
    in forms looked at the same elements again and again)."""
    found = set()
    for inner in element.iter():
        if isinstance(inner.tag, str):
            if inner not in seen:
                seen[inner] = _heading_numeral(inner)
            if seen[inner]:
                found.add(seen[inner])
    return found


def _cjk_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def _heading_numeral(element: lxml.html.HtmlElement) -> str | None:
    text = clean_text(_short_text(element, MAX_HEADING_SCAN))
    if len(text) <= MAX_HEADING_CHARS and _HEADING.match(text):
        return text[0]
    return None


def _short_text(element: lxml.html.HtmlElement, limit: int) -> str:
    """The element's text, or "" when it runs over `limit` characters or MAX_TEXT_PIECES
    pieces (read no further: every wrapper of a deeply nested page would otherwise copy
    the whole page's text, and a wrapper of many empty elements walk all of them)."""
    pieces, size = [], 0
    for piece in element.itertext():
        size += len(piece)
        if size > limit or len(pieces) >= MAX_TEXT_PIECES:
            return ""
        pieces.append(piece)
    return "".join(pieces)


def article_element(body: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The smallest element holding every section heading of the page (see module doc).

    Row labels of table 3 (一、本年新收…, 二、上年结转…) look like section headings;
    text inside a data table is therefore never taken for a heading.
    """
    numerals: dict[lxml.html.HtmlElement, set[str]] = {}
    layout: dict[lxml.html.HtmlElement, bool] = {}  # a table's verdict, worked out once
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        numeral = _heading_numeral(element)
        if numeral is None or _in_data_table(element, layout):
            continue
        for ancestor in element.iterancestors():
            numerals.setdefault(ancestor, set()).add(numeral)
            if ancestor is body:
                break
    best = max((len(found) for found in numerals.values()), default=0)
    if best < MIN_DISTINCT_HEADINGS:
        return body
    holders = [e for e, found in numerals.items() if len(found) == best]
    holding = set(holders)
    outer = {a for e in holders for a in e.iterancestors() if a in holding}
    deepest = [e for e in holders if e not in outer]
    return max(deepest, key=lambda e: _cjk_count(e.text_content()))


def _in_data_table(
    element: lxml.html.HtmlElement, layout: dict[lxml.html.HtmlElement, bool]
) -> bool:
    """Inside a data table; `layout` remembers each table's verdict (a table of many
    heading-like row labels was scanned whole once per label: quadratic)."""
    table = next(element.iterancestors("table"), None)
    if table is None:
        return False
    if table not in layout:
        layout[table] = is_layout_table(table)
    return not layout[table]


class _FlowReader(Struct):
    """Walks the article in document order, turning text into paragraphs and tables into rows."""

    doc: Document
    parts: list[str] = field(default_factory=list)
    line: int | None = None

    def read(self, element: lxml.html.HtmlElement) -> None:
        self._walk(element)
        self._flush()

    def _add(self, text: str | None, line: int | None) -> None:
        if text and text.strip():
            if self.line is None:
                self.line = line
            self.parts.append(text)
        elif text:
            self.parts.append(" ")

    def _flush(self) -> None:
        text = clean_text("".join(self.parts))
        if text:
            self.doc.paragraph(text, self.line or 1)
        self.parts, self.line = [], None

    def _walk(self, element: lxml.html.HtmlElement) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag == "br":
            self._flush()
            return
        if tag == "table" and not is_layout_table(element):
            self._flush()
            for cells in table_rows(element, self.doc):
                self.doc.row(cells)
            return
        block = tag in _BLOCK_TAGS or tag == "table"
        if block:
            self._flush()
        self._add(element.text, element.sourceline)
        for child in element:
            self._walk(child)
            self._add(child.tail, child.sourceline)
        if block:
            self._flush()


def _rows(table: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """The table's own rows (not those of nested tables), through thead/tbody/tfoot."""
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            yield from (
                row for row in child if isinstance(row.tag, str) and row.tag.lower() == "tr"
            )


def _cells(row: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return [c for c in row if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]


def is_layout_table(table: lxml.html.HtmlElement) -> bool:
    """A table laying out the page, not a data grid: it nests tables, has one column, or prose cells."""
    if any(True for _ in table.iterdescendants("table")):
        return True
    cells = [cell for row in _rows(table) for cell in _cells(row)]
    if any(len(clean_text(cell.text_content())) > MAX_DATA_CELL_CHARS for cell in cells):
        return True
    return all(len(_cells(row)) <= 1 for row in _rows(table))


def cell_text(cell: lxml.html.HtmlElement) -> str:
    """The text of a cell, pieces from several <p>/<br> joined (see clean_text for CJK)."""
    pieces: list[str] = []

    def walk(element: lxml.html.HtmlElement) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag == "br" or tag in _BLOCK_TAGS:
            pieces.append(" ")
        pieces.append(element.text or "")
        for child in element:
            walk(child)
            pieces.append(child.tail or "")
        if tag in _BLOCK_TAGS:
            pieces.append(" ")

    walk(cell)
    return clean_text("".join(pieces))


def table_rows(table: lxml.html.HtmlElement, doc: Document) -> list[list[TextCell]]:
    """One list of cells per non-empty <tr>, shaped by :func:`checker.sources.rows.shape_row`."""
    rows: list[list[TextCell]] = []
    for row in _rows(table):
        cells = [
            TextCell(cell_text(c), doc.pos(c.sourceline or row.sourceline or 1))
            for c in _cells(row)
        ]
        rows.append(cells)
    return [shaped for cells in rows if (shaped := shape_row(cells))]
