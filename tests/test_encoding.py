"""Bytes to text: the encodings reports are published in give the same report."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import InputError
from checker.run.pipeline import check_file
from checker.sources import read_report
from checker.sources.encoding import decode_text, looks_binary

from .conftest import SAMPLE

TEXT = "一、总体情况\n本年度共收到申请3件。\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("gb18030"),
        TEXT.encode("gbk"),
        TEXT.encode("utf-16"),  # with its BOM
        TEXT.encode("utf-16-be").join([b"\xfe\xff", b""]),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
        TEXT.replace("\n", "\r").encode("gb18030"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "gb18030",
        "gbk",
        "utf16-le-bom",
        "utf16-be-bom",
        "crlf",
        "cr-gb18030",
    ],
)
def test_every_encoding_gives_the_same_text(data: bytes):
    assert decode_text(data, "r.txt") == TEXT


def test_gb18030_beyond_gbk():
    # CJK extension A, extension B (four bytes in GB18030), a compatibility ideograph
    text = "㐀䶵 𠀀 丽\n"
    assert decode_text(text.encode("gb18030"), "r.txt") == text


def test_broken_utf8_after_a_bom_is_refused_with_its_byte():
    with pytest.raises(InputError) as caught:
        decode_text(b"\xef\xbb\xbf" + "报告".encode() + b"\xff\xfe\xfa", "r.txt")
    assert caught.value.path == "r.txt"
    assert "byte 9" in caught.value.message


@pytest.mark.parametrize("data", [b"\x00\x01\x02\x03" * 50, bytes(range(32)) * 10])
def test_binary_data_is_refused(data: bytes):
    assert looks_binary(data)
    with pytest.raises(InputError, match="binary data"):
        decode_text(data, "r.txt")


def test_undecodable_legacy_bytes_fall_back_to_detection():
    text = "Rapport annuel, année 2020 — données complètes à vérifier.\n" * 5
    data = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb18030")
    assert decode_text(data, "r.txt").startswith("Rapport annuel")


def _cells(report) -> dict:
    return {
        (name, key): (cell.value, cell.raw, cell.pos.line, cell.pos.column)
        for name, cells in report.tables.items()
        for key, cell in cells.items()
    }


@pytest.mark.parametrize(
    ("encoding", "newline", "bom"),
    [("gb18030", "\n", b""), ("gbk", "\r\n", b""), ("utf-8", "\r\n", b"\xef\xbb\xbf")],
)
def test_sample_in_another_encoding_gives_identical_cells_and_codes(
    tmp_path: Path, national, encoding: str, newline: str, bom: bytes
):
    text = SAMPLE.read_text("utf-8")
    copy = tmp_path / SAMPLE.name
    copy.write_bytes(bom + text.replace("\n", newline).encode(encoding))
    original, converted = read_report(SAMPLE), read_report(copy)
    assert _cells(converted) == _cells(original)
    assert len(_cells(original)) > 150
    assert converted.meta.year == original.meta.year and converted.meta.title == original.meta.title
    codes = sorted(f.rule for f in check_file(SAMPLE, national).findings)
    # the sample states no publication date or agency: META-010 says so
    assert sorted(f.rule for f in check_file(copy, national).findings) == codes == ["META-010"]


def test_crawler_page_in_gbk_reads_the_same(tmp_path: Path):
    source = Path(__file__).parent / "fixtures" / "corpus" / "pingtan_2025.txt"
    copy = tmp_path / "pingtan_2025.txt"
    copy.write_bytes(source.read_text("utf-8").encode("gbk"))
    assert _cells(read_report(copy)) == _cells(read_report(source))


def test_utf8_cut_inside_its_last_character_loses_only_that_character():
    text = "一、总体情况\n本年度共收到申请3件。\n"
    assert decode_text(text.encode() + "二".encode()[:2], "r.txt") == text


def test_a_bad_byte_inside_utf8_chinese_is_refused_not_read_as_gb18030():
    data = "一、总体情况\n本年度共收到申请3件。\n".encode()
    with pytest.raises(InputError, match=rf"invalid UTF-8 at byte {len(data)}\b"):
        decode_text(data + b"\xc0" + "二、主动公开".encode(), "r.txt")
