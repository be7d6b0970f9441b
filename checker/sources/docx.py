"""Reader for Word documents (.docx, Office Open XML), with python-docx.

The body is read in document order, paragraphs and tables interleaved (the
children of ``w:body``, looking through content controls ``w:sdt``):

- a paragraph becomes a paragraph block, its text read as it stands with
  tracked changes accepted (insertions in, deletions out; text in hyperlinks,
  smart tags and fields in; text boxes out);
- every row of a data table becomes one row block with one cell per ``w:tc``.
  A cell merged across columns (``gridSpan``, or legacy ``hMerge``) appears
  once; a cell merged down rows (``vMerge``) appears only in its first row
  (python-docx's ``row.cells`` repeats merged cells, so the XML is read
  directly). The paragraphs of one cell are joined, without a space between
  CJK characters. Empty cells keep their place as ``""``, except empty cells
  before a row's first label (:func:`checker.sources.rows.shape_row`);
- a table that contains another table, whose rows all have one cell, or
  with a cell holding prose (over ``MAX_DATA_CELL_CHARS`` characters) is a
  layout frame: its content is read as body text.

Positions: Word has no stable line numbers, so ``line`` is the 1-based
ordinal of the block in document order, counting every body paragraph
(empty ones included) and every table row, the way a reader steps through
the document; ``column`` is 1 for a paragraph and the 1-based grid column of
the cell (merged columns counted) for a table cell.

Untrusted input: the file must be a zip archive holding
``word/document.xml``; archives with too many members, or whose members
would inflate beyond a limit (a zip bomb), are refused before python-docx
reads them. A legacy binary ``.doc`` renamed ``.docx``, a zip of something
else or a truncated file is a one-line :class:`~checker.errors.InputError`.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from msgspec import Struct

from checker.errors import InputError
from checker.regexes import lazy
from checker.sources.document import Document, Hint, TextCell
from checker.sources.limits import Limits, read_bytes
from checker.sources.rows import MAX_DATA_CELL_CHARS, join_lines, shape_row

EXTENSIONS = (".docx",)

MAX_DOCUMENT_XML_BYTES = 64 * 1024 * 1024
MAX_TOTAL_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_ZIP_MEMBERS = 5000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_T, _TAB, _BR, _CR = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"
_NO_BREAK_HYPHEN, _TEXT_BOX, _FALLBACK = f"{_W}noBreakHyphen", f"{_W}txbxContent", f"{_MC}Fallback"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_INFLATE_STEP = 1 << 20
_STRICT = b"http://purl.oclc.org/ooxml/"
# Strict OOXML (ISO 29500 strict) names its namespaces http://purl.oclc.org/ooxml/<part>/<name>;
# the transitional ones python-docx knows are http://schemas.openxmlformats.org/<part>/2006/<name>
_STRICT_NAMESPACE = lazy(rb"http://purl\.oclc\.org/ooxml/(\w+)/(\w+)")


def read_docx(path: Path, limits: Limits | None = None, display: str | None = None) -> Document:
    shown = display or str(path)
    data = read_bytes(path, limits)
    check_archive(data, shown)
    word = open_word(inflated_copy(data, shown), shown)
    doc = Document(shown)
    title = (word.core_properties.title or "").strip()
    if "报告" in title:
        doc.hints["title"] = Hint(title)
    _BodyReader(doc).read(word.element.body)
    if not doc.blocks:
        raise InputError(shown, "no text in the Word document")
    return doc


def check_archive(data: bytes, path: str) -> None:
    """Refuse what is not a Word archive, or would inflate beyond the limits, before parsing."""
    if not data:
        raise InputError(path, "empty file, not a Word .docx document")
    if data.startswith(_OLE_MAGIC):
        raise InputError(
            path, "a legacy Word .doc (or other OLE) file, not .docx; save it as .docx"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError):
        # NotImplementedError: a zip version or method zipfile does not read (docx-7995)
        raise InputError(path, "not a Word .docx document (not a readable zip archive)") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise InputError(
            path, f"zip archive with {len(members)} members, over the limit of {MAX_ZIP_MEMBERS}"
        )
    names = {m.filename: m for m in members}
    body = names.get("word/document.xml")
    if body is None:
        raise InputError(path, "a zip archive without word/document.xml, not a Word .docx document")
    if body.file_size > MAX_DOCUMENT_XML_BYTES:
        raise InputError(
            path,
            f"word/document.xml inflates to {body.file_size} bytes, over the {MAX_DOCUMENT_XML_BYTES}-byte limit",
        )
    total = sum(m.file_size for m in members)
    if total > MAX_TOTAL_UNCOMPRESSED_BYTES:
        raise InputError(
            path,
            f"archive inflates to {total} bytes, over the {MAX_TOTAL_UNCOMPRESSED_BYTES}-byte limit",
        )


_ENCRYPTED = 0x1  # general-purpose flag bit 0 of a zip member


def inflated_copy(data: bytes, path: str) -> bytes:
    """The archive again, every member inflated in bounded steps and stored uncompressed.

    python-docx reads a member in one call that inflates all of it, however much
    the headers understate; here each member is inflated 1 MB at a time, never
    past its declared size (zipfile stops there, and the CRC then fails) nor the
    archive's budget. Strict OOXML namespaces are read as their transitional
    equivalents, which python-docx understands.
    """
    out = io.BytesIO()
    left = MAX_TOTAL_UNCOMPRESSED_BYTES
    try:
        with (
            zipfile.ZipFile(io.BytesIO(data)) as archive,
            zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy,
        ):
            for info in archive.infolist():
                if info.flag_bits & _ENCRYPTED:  # zipfile would raise RuntimeError (docx-3001375)
                    raise InputError(
                        path, "encrypted Word .docx document: a password is needed to read it"
                    )
                parts = []
                with archive.open(info) as member:
                    while chunk := member.read(_INFLATE_STEP):
                        left -= len(chunk)
                        if left < 0:
                            raise InputError(
                                path,
                                f"archive inflates to more than the "
                                f"{MAX_TOTAL_UNCOMPRESSED_BYTES}-byte limit",
                            )
                        parts.append(chunk)
                body = b"".join(parts)
                if info.filename.endswith((".xml", ".rels")) and _STRICT in body:
                    body = _STRICT_NAMESPACE.sub(
                        rb"http://schemas.openxmlformats.org/\1/2006/\2", body
                    )
                copy.writestr(info.filename, body)
    except InputError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        EOFError,
        OSError,
        zlib.error,
    ) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(path, f"not a readable Word .docx document: {reason}") from None
    except NotImplementedError as exc:  # a compression method zipfile does not know
        raise InputError(path, f"not a readable Word .docx document: {exc}") from None
    return out.getvalue()


def open_word(data: bytes, path: str):  # -> docx.document.Document
    import docx  # imported lazily: only .docx files need it

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx, zipfile, zlib and lxml all raise on damaged input
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(path, f"not a readable Word .docx document: {reason}") from None


def _local(element) -> str:
    tag = element.tag
    return tag[len(_W) :] if isinstance(tag, str) and tag.startswith(_W) else ""


def _unwrap(element) -> Iterator:
    """Children, looking through content controls (w:sdt/w:sdtContent) and w:customXml."""
    for child in element:
        name = _local(child)
        if name == "sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _unwrap(content)
        elif name == "customXml":
            yield from _unwrap(child)
        else:
            yield child


def paragraph_text(p) -> str:
    """The text of a paragraph as it reads with tracked changes accepted.

    Runs inside insertions, hyperlinks, smart tags and fields count; deleted
    text (``w:delText``), field instructions, and the paragraphs of text boxes
    anchored in the paragraph (and their ``mc:Fallback`` copies) do not.
    """
    parts: list[str] = []
    for element in p.iter(_T, _TAB, _BR, _CR, _NO_BREAK_HYPHEN):
        if _nested_in_other_content(element, p):
            continue
        if element.tag == _T:
            parts.append(element.text or "")
        elif element.tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        else:
            parts.append(" ")
    return "".join(parts)


def _nested_in_other_content(element, p) -> bool:
    for ancestor in element.iterancestors():
        if ancestor is p:
            return False
        if ancestor.tag in (_TEXT_BOX, _FALLBACK):
            return True
    return False


def _span(tc) -> int:
    span = tc.find(f"{_W}tcPr/{_W}gridSpan")
    value = span.get(f"{_W}val") if span is not None else None
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


def _continues_merge(tc) -> bool:
    """A cell that continues a merge started above (vMerge) or to the left (legacy hMerge)."""
    for name in ("vMerge", "hMerge"):
        merge = tc.find(f"{_W}tcPr/{_W}{name}")
        if merge is not None and merge.get(f"{_W}val", "continue") == "continue":
            return True
    return False


def _rows(tbl) -> list:
    return [tr for tr in _unwrap(tbl) if _local(tr) == "tr"]


def _cells(tr) -> list:
    return [tc for tc in _unwrap(tr) if _local(tc) == "tc"]


def is_layout_table(tbl) -> bool:
    """A frame around the text, not a data grid: it nests tables, has one column, or prose cells."""
    if any(True for _ in tbl.iterdescendants(f"{_W}tbl")):
        return True
    for tr in _rows(tbl):
        for tc in _cells(tr):
            if sum(len(t.text or "") for t in tc.iter(_T)) > MAX_DATA_CELL_CHARS:
                return True
    return all(len(_cells(tr)) <= 1 for tr in _rows(tbl))


class _BodyReader(Struct):
    doc: Document
    ordinal: int = 0

    def read(self, container) -> None:
        for child in _unwrap(container):
            name = _local(child)
            if name == "p":
                self.ordinal += 1
                text = join_lines([paragraph_text(child)])
                if text:
                    self.doc.paragraph(text, self.ordinal)
            elif name == "tbl":
                self._table(child)

    def _table(self, tbl) -> None:
        if is_layout_table(tbl):
            for tr in _rows(tbl):
                for tc in _cells(tr):
                    if not _continues_merge(tc):
                        self.read(tc)
            return
        for tr in _rows(tbl):
            self.ordinal += 1
            cells: list[TextCell] = []
            column = 1
            for tc in _cells(tr):
                if not _continues_merge(tc):
                    text = join_lines(
                        [
                            paragraph_text(p)
                            for p in tc.iter(f"{_W}p")
                            if not _nested_in_other_content(p, tc)
                        ]
                    )
                    cells.append(TextCell(text, self.doc.pos(self.ordinal, column)))
                column += _span(tc)
            shaped = shape_row(cells)
            if shaped:
                self.doc.row(shaped)
