"""Limits on untrusted input; every reader reads through these.

- **Size.** A file over ``Limits.max_bytes`` (50 MB by default) is refused
  before a byte of it is read; a file that grows past the limit while being
  read is refused too.
- **Regular files only.** A pipe, socket or device named like a report
  (``report.txt`` made with ``mkfifo``, a link to ``/dev/zero``) is refused
  instead of waiting for a writer forever or reading an endless stream; the
  file is opened non-blocking and checked on the open descriptor, so it cannot
  be swapped between the check and the read.
- **Nesting.** Structured documents may nest at most ``Limits.max_nesting``
  levels (:mod:`checker.sources.yamlnodes`).
- **PDF content.** :class:`PdfContentBudget` bounds the decoded page content a
  PDF may make the parser interpret (``Limits.max_pdf_content_bytes``, 8 MB:
  a few hundred real pages), counting a form XObject each time a page draws
  it. Flate streams are inflated in bounded steps, so a decompression bomb is
  refused without being inflated.
- **PDF decoding.** Every Flate stream pdfminer decodes (any filter chain,
  object and cross-reference streams, fonts and ToUnicode CMaps) is inflated
  in bounded steps against one budget per file
  (``DEFAULT_MAX_PDF_DECODED_BYTES``, 128 MB, :func:`pdf_decoding`), whatever
  the stream's dictionary claims. A text-drawing page costs pdfminer about
  5 µs per content byte, so the budget also bounds the time a PDF can take.
"""

from __future__ import annotations

import os
import stat
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import islice
from pathlib import Path
from typing import Any

from msgspec import Struct

from checker.errors import InputError
from checker.regexes import lazy

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_NESTING = 64
DEFAULT_MAX_PDF_CONTENT_BYTES = 8 * 1024 * 1024
DEFAULT_MAX_PDF_DECODED_BYTES = 128 * 1024 * 1024
MAX_PDF_FORM_DEPTH = 16
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_INFLATE_STEP = 1 << 20
# "/Name Do" draws an XObject; names may escape bytes as #xx
_DRAWN = lazy(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![A-Za-z0-9_])")
_NAME_ESCAPE = lazy(rb"#([0-9A-Fa-f]{2})")


class Limits(Struct, frozen=True):
    max_bytes: int = DEFAULT_MAX_BYTES
    max_nesting: int = MAX_NESTING
    max_pdf_content_bytes: int = DEFAULT_MAX_PDF_CONTENT_BYTES


def _problem(exc: OSError) -> str:
    return f"cannot read: {exc.strerror or exc}"


def read_bytes(path: Path, limits: Limits | None = None) -> bytes:
    """Read a regular file whole, refusing anything else and files over the size limit."""
    limits = limits or Limits()
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except IsADirectoryError:
        raise InputError(str(path), "is a directory, not a report file") from None
    except OSError as exc:
        raise InputError(str(path), _problem(exc)) from None
    except ValueError:  # a NUL character in the name
        raise InputError(str(path), "cannot read: the name contains a NUL character") from None
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):  # os.fdopen refuses a folder with IsADirectoryError
        os.close(fd)
        raise InputError(str(path), "is a directory, not a report file")
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(info.st_mode):
            raise InputError(str(path), "not a regular file (a pipe, device or socket)")
        if info.st_size > limits.max_bytes:
            raise InputError(
                str(path), f"file is {info.st_size} bytes, over the {limits.max_bytes}-byte limit"
            )
        try:
            data = handle.read(limits.max_bytes + 1)
        except OSError as exc:
            raise InputError(str(path), _problem(exc)) from None
    if len(data) > limits.max_bytes:
        raise InputError(str(path), f"file grew over the {limits.max_bytes}-byte limit while read")
    return data


def count_pdf_pages(document: Any, stop: int) -> int:
    """Pages of a pdfminer document, counted lazily and at most up to `stop`."""
    from pdfminer.pdfpage import PDFPage

    return sum(1 for _ in islice(PDFPage.create_pages(document), stop))


class PdfContentBudget:
    """Decoded content the pages of one PDF may hold; `spend` each page before parsing it."""

    def __init__(self, path: str, limits: Limits | None = None) -> None:
        self.path = path
        self.limit = (limits or Limits()).max_pdf_content_bytes
        self.spent = 0
        self._work: dict[int, tuple[object, int | None]] = {}  # id -> (stream, work or None)

    def spend(self, page: Any, number: int) -> None:
        """Charge a pdfminer PDFPage; InputError when the document goes over the budget."""
        from pdfminer.pdftypes import resolve1

        resources = resolve1(page.resources)
        for stream in page.contents:
            self.spent += self._stream_work(resolve1(stream), resources, number, 0)
            if self.spent > self.limit:
                raise self._over(number)

    def _over(self, number: int) -> InputError:
        return InputError(
            self.path,
            f"page {number}: page content over the {self.limit}-byte limit for one PDF "
            "(a content or decompression bomb?)",
        )

    def _stream_work(self, stream: Any, resources: Any, number: int, depth: int) -> int:
        """Bytes the interpreter reads to draw `stream`, with the forms it draws (memoised)."""
        from pdfminer.pdftypes import PDFStream, resolve1
        from pdfminer.psparser import LIT

        if not isinstance(stream, PDFStream):
            return 0
        known = self._work.get(id(stream))
        if known is not None:
            if known[1] is None:
                raise InputError(self.path, f"page {number}: a PDF form that draws itself")
            return known[1]
        if depth > MAX_PDF_FORM_DEPTH:
            raise InputError(
                self.path, f"page {number}: forms nested deeper than {MAX_PDF_FORM_DEPTH} levels"
            )
        self._work[id(stream)] = (stream, None)
        data = _decoded(stream, self.limit - self.spent)
        if data is None:
            raise self._over(number)
        work = len(data)
        xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
        if isinstance(xobjects, dict) and b"Do" in data:
            for raw_name, times in Counter(_DRAWN.findall(data)).items():
                name = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw_name)
                form = resolve1(xobjects.get(name.decode("utf-8", "replace")))
                if isinstance(form, PDFStream) and resolve1(form.get("Subtype")) is LIT("Form"):
                    inner = resolve1(form.get("Resources")) or resources
                    work += times * self._stream_work(form, inner, number, depth + 1)
                    if self.spent + work > self.limit:
                        raise self._over(number)
        self._work[id(stream)] = (stream, work)
        return work


def _decoded(stream: Any, limit: int) -> bytes | None:
    """A stream's content, or None when it decodes to more than `limit` bytes.

    A stream that is only Flate-compressed is inflated in steps and abandoned
    as soon as it passes the limit; other filter chains are decoded by pdfminer.
    """
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE

    if stream.data is not None:
        data = stream.data
    else:
        filters = stream.get_filters()
        if len(filters) == 1 and filters[0][0] in LITERALS_FLATE_DECODE:
            raw = stream.rawdata or b""
            if stream.decipher:
                raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
            return _inflate(raw, limit)
        data = stream.get_data()
    return data if len(data) <= limit else None


def _inflate(raw: bytes, limit: int) -> bytes | None:
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    size = 0
    pending = raw
    try:
        while pending:
            part = inflater.decompress(pending, _INFLATE_STEP)
            size += len(part)
            if size > limit:
                return None
            parts.append(part)
            pending = inflater.unconsumed_tail
            if not part:
                break
        parts.append(inflater.flush())  # at most one window of output is left
    except zlib.error:
        pass  # a damaged stream: pdfminer recovers what it can of it; count what inflated
    data = b"".join(parts)
    return data if len(data) <= limit else None


class PdfDecodingOver(InputError):
    """The streams of one PDF inflate to more than the file's decoding budget."""


class _Decoding(Struct):
    path: str
    left: int
    limit: int


_DECODING: ContextVar[_Decoding | None] = ContextVar("pdf_decoding", default=None)


def _inflate_charged(data: bytes, strict: bool) -> bytes:
    """zlib.decompress for pdfminer, in bounded steps charged to the file's decoding budget.

    `strict` is zlib.decompress (an error raises zlib.error); otherwise it is
    pdfminer's recovery of a damaged stream (what inflated before the error).
    """
    budget = _DECODING.get()
    if budget is None:
        budget = _Decoding("PDF", DEFAULT_MAX_PDF_DECODED_BYTES, DEFAULT_MAX_PDF_DECODED_BYTES)
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    pending = data
    try:
        while pending:
            part = inflater.decompress(pending, _INFLATE_STEP)
            budget.left -= len(part)
            if budget.left < 0:
                raise PdfDecodingOver(
                    budget.path,
                    f"PDF streams inflate to more than the {budget.limit}-byte limit for one "
                    "file (a decompression bomb?)",
                )
            parts.append(part)
            pending = inflater.unconsumed_tail
            if not part:
                break
        tail = inflater.flush()
        budget.left -= len(tail)
        parts.append(tail)
    except zlib.error:
        if strict:
            raise
    return b"".join(parts)


class _BoundedZlib:
    """What pdfminer's stream decoder uses of zlib, with every inflation bounded."""

    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)

    @staticmethod
    def decompress(data: bytes) -> bytes:
        return _inflate_charged(data, strict=True)


def bound_pdf_decoding() -> None:
    """Route pdfminer's stream decoding through the bounded inflater (once per process)."""
    from pdfminer import pdftypes

    if pdftypes.zlib is not _BoundedZlib:
        pdftypes.zlib = _BoundedZlib  # type: ignore[assignment]
        pdftypes.decompress_corrupted = lambda data: _inflate_charged(data, strict=False)


@contextmanager
def pdf_decoding(path: str, limit: int = DEFAULT_MAX_PDF_DECODED_BYTES) -> Iterator[None]:
    """One decoding budget for the streams of the PDF read in the body."""
    bound_pdf_decoding()
    token = _DECODING.set(_Decoding(path, limit, limit))
    try:
        yield
    finally:
        _DECODING.reset(token)
