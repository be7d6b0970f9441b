"""Bytes to text: UTF-8 (with or without BOM), GB18030/GBK, UTF-16 with BOM; CRLF folded.

UTF-8 is tried first; text that is not UTF-8 is read as GB18030 (a superset
of GBK and GB2312), and only then handed to charset-normalizer. A UTF-8 file
cut inside its last character loses that character; one with a bad byte in
the middle is refused rather than read as GB18030 mojibake.
"""

from __future__ import annotations

from checker.errors import InputError

_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or b > 13)
_UTF8_EVIDENCE = 8  # non-ASCII characters decoded as UTF-8 before a flaw: the file is UTF-8


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB mean this is not text."""
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # counted in C
    return bool(head) and controls / len(head) > 0.05


def decode_text(data: bytes, path: str) -> str:
    """Decode a text file; refuse binary data with a clear message."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"invalid UTF-8 after the BOM at byte {exc.start + 3}") from None
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(path, "invalid UTF-16 text") from None
    else:
        if looks_binary(data):
            raise InputError(path, "binary data, not a text report")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = _damaged_utf8(data, exc, path) or _decode_legacy(data, path)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _damaged_utf8(data: bytes, exc: UnicodeDecodeError, path: str) -> str | None:
    """A UTF-8 file with a flaw: cut inside its last character (a truncated download) reads
    without that character; a bad byte after plenty of valid UTF-8 Chinese is refused, since
    reading it as GB18030 would turn the whole report into mojibake. None: not UTF-8 at all."""
    prefix = data[: exc.start].decode("utf-8")
    if sum(1 for ch in prefix if ord(ch) > 0x7F) < _UTF8_EVIDENCE:
        return None
    if exc.reason == "unexpected end of data":
        return prefix
    raise InputError(path, f"invalid UTF-8 at byte {exc.start} (the text before it is UTF-8)")


def _decode_legacy(data: bytes, path: str) -> str:
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # imported lazily: only legacy files need it

    best = from_bytes(data).best()
    if best is None:
        raise InputError(path, "not valid text in UTF-8, GB18030 or any detectable encoding")
    return str(best)
