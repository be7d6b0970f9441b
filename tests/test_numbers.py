"""How a table cell's text reads: number, blank, or not a number. Blank is never 0."""

from __future__ import annotations

from decimal import Decimal

import pytest

from checker.numbers import decimal_str, is_value_token, parse_number

D = Decimal

# text as written in a cell -> (value, unit, note, signed)
NUMBERS = [
    ("0", D(0), None, None, False),
    ("12", D(12), None, None, False),
    ("１２３", D(123), None, None, False),  # full-width digits
    ("1,234", D(1234), None, None, False),
    ("１，２３４", D(1234), None, None, False),  # full-width thousands separator
    ("12,345,678", D(12345678), None, None, False),
    (" 7 ", D(7), None, None, False),
    ("+1036", D(1036), None, None, True),  # 本年增/减
    ("＋1036", D(1036), None, None, True),
    ("-18", D(-18), None, None, True),
    ("－18", D(-18), None, None, True),
    ("−18", D(-18), None, None, True),  # U+2212 minus sign
    ("-0", D(0), None, None, True),
    ("24252.311082", D("24252.311082"), None, None, False),  # money keeps its precision
    ("１２.５", D("12.5"), None, None, False),
    ("251000元", D(251000), "元", None, False),
    ("4068.208万元", D("4068.208"), "万元", None, False),
    ("12件", D(12), "件", None, False),
    ("3 件", D(3), "件", None, False),
    ("22（其中修订16件）", D(22), None, "其中修订16件", False),
    ("22(其中修订16件)", D(22), None, "其中修订16件", False),
    ("22 （其中修订16件）", D(22), None, "其中修订16件", False),
]

PLACEHOLDERS = [
    "",
    "  ",
    "/",
    "／",
    "-",
    "--",
    "—",
    "——",
    "–",
    "－",
    "无",
    "暂无",
    "…",
    "\u3000",
    "N/A",
]

NOT_NUMBERS = ["约2件", "二十", "1 234", "1,23", "12%", "无数据", "规章", "（一）予以公开", "—0—"]


@pytest.mark.parametrize(("text", "value", "unit", "note", "signed"), NUMBERS)
def test_numbers_in_cells(
    text: str, value: Decimal, unit: str | None, note: str | None, signed: bool
):
    parsed = parse_number(text)
    assert (parsed.is_number, parsed.value, parsed.unit, parsed.note, parsed.signed) == (
        True,
        value,
        unit,
        note,
        signed,
    )


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_placeholders_are_blank_not_zero(text: str):
    parsed = parse_number(text)
    assert parsed.is_number and parsed.value is None
    assert is_value_token(text)


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_text_that_is_not_a_value(text: str):
    parsed = parse_number(text)
    assert not parsed.is_number and parsed.value is None
    assert not is_value_token(text)


def test_missing_cell_is_blank():
    assert parse_number(None).value is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (D(12), "12"),
        (D("12.0"), "12"),
        (D("3.50"), "3.5"),
        (D("1E+1"), "10"),
        (D(-1), "-1"),
        (None, "空"),
    ],
)
def test_decimal_str(value: Decimal | None, shown: str):
    assert decimal_str(value) == shown
