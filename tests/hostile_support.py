"""Builders of hostile input files (bombs, broken PDFs, deep nesting) and an in-process CLI runner.

Shared by the hostile-input, fuzz and nothing-lost tests. Every builder is
cheap: no file here takes more than a fraction of a second to make, and none
is large on disk (the 1 GB file is sparse).
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
REAL_PDF = FIXTURES / "pdf" / "haicang-gongxinju-2020.pdf"
REAL_DOCX = FIXTURES / "docx" / "haicang-gongxinju-2020.docx"
REAL_HTML = FIXTURES / "html" / "haicang-gongxinju-2020.html"


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, *args: str) -> Outcome:
    """`nianbao ARGS` in this process, through the same `main()` a user's shell calls."""
    from checker.cli import main

    capsys.readouterr()
    if args[:1] == ("check",) and "--lang" not in args:
        args = (*args, "--lang", "en")  # these tests read the problems in English
    monkeypatch.setattr(sys, "argv", ["nianbao", *args])
    monkeypatch.delenv("NIANBAO_DEBUG", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    with pytest.raises(SystemExit) as exited:
        main()
    captured = capsys.readouterr()
    code = exited.value.code
    return Outcome(
        code if isinstance(code, int) else (0 if code is None else 2), captured.out, captured.err
    )


def assert_one_line_error(outcome: Outcome, path: str, *needles: str) -> str:
    """Exit 2 and exactly one stderr line `nianbao: <path>: <problem>` naming the problem."""
    assert outcome.code == 2, (outcome.code, outcome.err, outcome.out[-2000:])
    assert "Traceback" not in outcome.err + outcome.out
    assert "internal error" not in outcome.err, outcome.err
    lines = outcome.err.strip().splitlines()
    assert len(lines) == 1, outcome.err
    assert lines[0].startswith(f"nianbao: {path}: "), lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


# -- YAML --------------------------------------------------------------------------------


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    """Each anchor lists the previous one `width` times: width**levels strings if expanded."""
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


# -- DOCX --------------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def zip_bomb(inflated_bytes: int, declared_bytes: int | None = None) -> bytes:
    """A .docx-shaped archive whose word/document.xml inflates to `inflated_bytes` zeros.

    With `declared_bytes`, the archive's headers lie about that size (a bomb that
    hides behind a small declared size).
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("word/document.xml", bytes(inflated_bytes))
    data = bytearray(out.getvalue())
    if declared_bytes is not None:
        info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
        size = declared_bytes.to_bytes(4, "little")
        data[info.header_offset + 22 : info.header_offset + 26] = size  # local file header
        central = len(data)
        while True:  # the central directory entry of word/document.xml
            central = data.rindex(b"PK\x01\x02", 0, central)
            if data[central + 46 :].startswith(b"word/document.xml"):
                break
        data[central + 24 : central + 28] = size  # central directory entry
    return bytes(data)


def docx_with_document_xml(xml: str | bytes) -> bytes:
    """The real sample .docx with word/document.xml replaced."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    source = zipfile.ZipFile(REAL_DOCX)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = data if info.filename == "word/document.xml" else source.read(info.filename)
            target.writestr(info.filename, body)
    return out.getvalue()


def many_members(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", "<w/>")
        for index in range(count):
            archive.writestr(f"x/{index}", b"")
    return out.getvalue()


# -- PDF ---------------------------------------------------------------------------------


def minimal_pdf(
    pages: int = 1,
    content: bytes = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET",
    declared_count: int | None = None,
    deflate: bool = False,
    forms: dict[str, bytes] | None = None,
) -> bytes:
    """A hand-built PDF: `pages` pages that share one content stream (and may draw `forms`)."""
    stream = zlib.compress(content, 1) if deflate else content
    stream_dict = b"<< /Length %d%s >>" % (
        len(stream),
        b" /Filter /FlateDecode" if deflate else b"",
    )
    forms = forms or {}
    first_page = 5 + len(forms)
    kids = " ".join(f"{first_page + i} 0 R" for i in range(pages)).encode()
    count = pages if declared_count is None else declared_count
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        stream_dict + b"\nstream\n" + stream + b"\nendstream",
    ]
    named = b""
    for number, (name, drawing) in enumerate(forms.items(), 5):
        objects.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Length %d >>\nstream\n%s\nendstream"
            % (len(drawing), drawing)
        )
        named += b"/%s %d 0 R " % (name.encode(), number)
    xobjects = b" /XObject << " + named + b">>" if forms else b""
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >>" + xobjects + b" >> /Contents 4 0 R >>"
    )
    objects += [page] * pages
    return pdf_of(objects)


def broken_xref(pdf: bytes) -> bytes:
    """Every xref offset shifted and startxref pointing into the middle of an object."""
    shifted = re.sub(
        rb"(?m)^(\d{10}) (\d{5}) n",
        lambda m: b"%010d %s n" % (int(m.group(1)) + 17, m.group(2)),
        pdf,
    )
    return re.sub(
        rb"startxref\s+(\d+)", lambda m: b"startxref\n%d" % (int(m.group(1)) // 2), shifted
    )


# -- HTML --------------------------------------------------------------------------------


def nested_html(depth: int, inner: str = "x", tag: str = "div") -> str:
    return f"<html><body>{f'<{tag}>' * depth}{inner}{f'</{tag}>' * depth}</body></html>"


def html_body(path: Path = REAL_HTML) -> str:
    """The inside of <body> of a real report page."""
    text = path.read_text("utf-8")
    start = text.index(">", text.lower().index("<body")) + 1
    return text[start : text.lower().rindex("</body>")]


def pdf_of(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF holding `objects` (numbered from 1) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def self_referencing_pdf() -> bytes:
    """A page whose /Resources is an object whose body is a reference to itself (~400 bytes):
    resolving it never ends inside pdfminer."""
    return pdf_of(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources 5 0 R "
            b"/Contents 4 0 R >>",
            b"<< /Length 36 >>\nstream\nBT /F1 12 Tf 72 720 Td (Hello) Tj ET\nendstream",
            b"5 0 R",
        ]
    )
