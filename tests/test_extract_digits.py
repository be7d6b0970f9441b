"""Cutting running table text into labels and values, and run-together digits into cells."""

from __future__ import annotations

from decimal import Decimal

import pytest

from checker.extract.arithmetic import Group, Relation, resolve, table_relations
from checker.extract.digits import MAX_READINGS, ValueText, cuts, pieces, readings
from checker.extract.tokens import split_text
from checker.model import Position
from checker.templates import template

D = Decimal


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        (
            "规章 000行政规范性文件693665",
            [
                ("规章", 0, False),
                ("000", 3, True),
                ("行政规范性文件", 6, False),
                ("693665", 13, True),
            ],
        ),
        # the digit after a run numbers the next label
        (
            "（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开",
            [
                ("（三）不予公开", 0, False),
                ("1.属于国家秘密", 7, False),
                ("0000000", 15, True),
                ("2.其他法律行政法规禁止公开", 22, False),
            ],
        ),
        # header text runs into the first row label
        (
            "其他一、本年新收政府信息公开申请数量640020470",
            [
                ("其他", 0, False),
                ("一、本年新收政府信息公开申请数量", 2, False),
                ("640020470", 18, True),
            ],
        ),
        (
            "（七）总计630020469四、结转下年度继续办理",
            [
                ("（七）总计", 0, False),
                ("630020469", 5, True),
                ("四、结转下年度继续办理", 14, False),
            ],
        ),
        (
            "第二十条第（五）项信息内容行政许可2293",
            [("第二十条第（五）项信息内容行政许可", 0, False), ("2293", 17, True)],
        ),
        (
            "行政事业性收费24252.311082三、",
            [("行政事业性收费", 0, False), ("24252.311082", 7, True), ("三、", 19, False)],
        ),
        ("行政事业性收费251000元", [("行政事业性收费", 0, False), ("251000元", 7, True)]),
        (
            "行政许可1,234第二十条",
            [("行政许可", 0, False), ("1,234", 4, True), ("第二十条", 9, False)],
        ),
        ("修订 22（其中修订16件）", [("修订", 0, False), ("22（其中修订16件）", 3, True)]),
        ("行政许可 — 无", [("行政许可", 0, False), ("—", 5, True), ("无", 7, True)]),
        ("截至2021年12月31日", [("截至2021年12月31日", 0, False)]),
        (
            "三、本年度办 理结果 （一）予以公开",
            [("三、本年度办 理结果", 0, False), ("（一）予以公开", 11, False)],
        ),
        ("1. 属于国家秘密", [("1. 属于国家秘密", 0, False)]),
    ],
)
def test_running_text_into_labels_and_values(text: str, pieces: list):
    assert split_text(text) == pieces


def test_cuts_never_write_leading_zeros():
    assert list(cuts("0000000", 7)) == [(0, 1, 2, 3, 4, 5, 6)]
    assert list(cuts("1000001", 7)) == [(0, 1, 2, 3, 4, 5, 6)]
    assert list(cuts("105", 2)) == [(0, 2)]  # 10|5; 1|05 is not a number
    assert list(cuts("05", 1)) == []
    assert list(cuts("12", 3)) == []


def test_readings_as_written_or_cut():
    pos, later = Position("r.txt", 1, 10), Position("r.txt", 1, 17)
    written = [ValueText("12", pos), ValueText("3", later)]
    as_written = readings(written, 2)
    assert [[p.text for p in pieces(written, r)] for r in as_written] == [["12", "3"]]
    assert readings([ValueText("1", pos)] * 3, 2) == []  # one value too many: no reading
    assert readings([ValueText("123", pos)], 2) == []  # not splittable: a real table cell
    run = [ValueText("500000", pos, True), ValueText("5", later, True)]
    (cut,) = readings(run, 7)
    cells = pieces(run, cut)
    assert [p.text for p in cells] == ["5", "0", "0", "0", "0", "0", "5"]
    assert [p.pos.column for p in cells] == [10, 11, 12, 13, 14, 15, 17]


def test_too_many_readings_are_not_listed():
    assert readings([ValueText("9" * 40, None, True)], 15) is None
    assert readings([ValueText("1234567890123", None, True)], 7, budget=100) is None
    assert MAX_READINGS < 10**6


def test_table_relations_come_from_the_template():
    relations = table_relations(template("2021").tables["t3"])
    assert (
        Relation(
            ("new.total",),
            tuple(
                f"new.{c}"
                for c in (
                    "natural_person",
                    "commercial",
                    "research",
                    "nonprofit",
                    "legal_service",
                    "other_org",
                )
            ),
        )
        in relations
    )
    assert (
        Relation(("new.total", "carried_over.total"), ("total.total", "carried_forward.total"))
        in relations
    )
    t4 = table_relations(template("2021").tables["t4"])
    assert (
        Relation(
            ("review.total",),
            ("review.upheld", "review.corrected", "review.other", "review.pending"),
        )
        in t4
    )
    assert table_relations(template("2021").tables["t2"]) == []


def test_joint_choice_and_its_limits():
    relation = Relation(("a.x",), ("b.x", "c.x"))
    a = Group(("a.x",), [(D(5),)])
    b = Group(("b.x",), [(D(1),), (D(4),)])
    c = Group(("c.x",), [(D(4),), (D(9),)])
    resolve([a, b, c], [relation])
    # a + b = 5 has one solution: b=1, c=4
    assert b.candidates[b.chosen] == (D(1),) and c.candidates[c.chosen] == (D(4),)
    # two solutions: both groups stay open
    b2 = Group(("b.x",), [(D(1),), (D(4),)])
    c2 = Group(("c.x",), [(D(4),), (D(1),)])
    resolve([Group(("a.x",), [(D(5),)]), b2, c2], [relation])
    assert b2.chosen is None and c2.chosen is None and len(b2.alive) == 2
    # a blank cell cannot judge: nothing is chosen by it
    b3 = Group(("b.x",), [(D(1),), (D(4),)])
    resolve([Group(("a.x",), [(None,)]), b3, Group(("c.x",), [(D(4),)])], [relation])
    assert b3.chosen is None
