"""Where metadata comes from: a title line, a crawler header, YAML front matter, the period sentence."""

from __future__ import annotations

from datetime import date

import pytest

from checker.sources import read_report

BODY = "一、总体情况\n本报告所列数据统计期限自{y}年1月1日起至{y}年12月31日止。\n六、其他需要报告的事项\n无。\n"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            "某市财政局2021年政府信息公开工作年度报告\n",
            {"year": 2021, "agency": "某市财政局", "agency_kind": "department", "published": None},
        ),
        (
            "标题: 2021年某县人民政府政府信息公开工作年度报告\n发布时间: 2022-03-01 10:00\n=====\n",
            {
                "year": 2021,
                "agency": "某县人民政府",
                "agency_kind": "government",
                "published": date(2022, 3, 1),
            },
        ),
        (
            "---\nagency: 某街道办事处\nagency_kind: subdistrict\npublished: 2022-01-10\n---\n",
            {
                "year": 2021,
                "agency": "某街道办事处",
                "agency_kind": "subdistrict",
                "published": date(2022, 1, 10),
            },
        ),
        (
            "",
            {"year": 2021, "agency": None, "agency_kind": None, "published": None},
        ),  # year from the period
    ],
)
def test_metadata_sources(tmp_path, head, expected):
    path = tmp_path / "r.md"
    path.write_text(head + BODY.format(y=2021), encoding="utf-8")
    meta = read_report(path).meta
    got = {
        "year": meta.year,
        "agency": meta.agency,
        "agency_kind": meta.agency_kind,
        "published": meta.published,
    }
    assert got == expected
    assert (meta.period.start, meta.period.end) == (date(2021, 1, 1), date(2021, 12, 31))
