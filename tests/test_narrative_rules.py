"""Issue 12's defects and false alarms, made in generated reports (not only in the corpus).

Each test damages a valid generated report the way a real one was found damaged (or words
it the way a correct real one was wrongly flagged) and checks the code that follows.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.engine.evaluate import evaluate
from checker.sources import read_report
from checker.testing import build_report, render_web_text, reports

from .conftest import bounded

BOUNDED = bounded(8)


def _section(data: dict, number: int) -> dict:
    return next(s for s in data["sections"] if s["number"] == number)


def _say(data: dict, number: int, sentence: str) -> dict:
    section = _section(data, number)
    section["text"] = (section["text"] + "\n" if section["text"] else "") + sentence
    return data


def _findings(data: dict, national) -> list:
    return evaluate(build_report(data), national)[0]


def _codes(data: dict, national, severity: str | None = None) -> set[str]:
    return {f.rule for f in _findings(data, national) if severity is None or f.severity == severity}


def _read(text: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.txt"
        path.write_text(text, encoding="utf-8")
        return read_report(path, display="report.txt")


def _t3(data: dict, row: str) -> int:
    node = data["tables"]["t3"]
    for part in row.split("."):
        node = node[part]
    if "total" in node:
        return node["total"]
    return sum(child["total"] for child in node.values())


@given(data=reports(), offset=st.sampled_from([-1, 1]))
@BOUNDED
def test_a_sum_of_two_result_categories_is_compared_with_both_cells(national, data, offset):
    both = _t3(data, "granted") + _t3(data, "partial")
    if both + offset < 0:
        offset = 1
    right = _say(copy.deepcopy(data), 1, f"依申请公开办理结果中，予以公开及部分公开{both}件。")
    assert "TXT-001" not in _codes(right, national)
    wrong = _say(data, 1, f"依申请公开办理结果中，予以公开及部分公开{both + offset}件。")
    assert "TXT-001" in _codes(wrong, national)


@given(data=reports())
@BOUNDED
def test_unable_to_provide_stated_wrong_warns(national, data):
    unable = _t3(data, "unable")
    _say(data, 1, f"对收到的申请，因本机关不掌握等原因无法提供{unable + 3}件。")
    assert "TXT-001" in _codes(data, national)


@given(data=reports(), claim=st.sampled_from(["均获维持", "全部维持"]))
@BOUNDED
def test_all_upheld_with_a_pending_review_contradicts_table_4(national, data, claim):
    review = data["tables"]["t4"]["review"]
    review["pending"] += 1
    review["total"] += 1
    text = f"本年度发生政府信息公开行政复议{review['total']}件，{claim}。"
    _section(data, 4)["text"] = text

    def claims_in_section_4() -> list:
        return [
            f
            for f in _findings(data, national)
            if f.rule == "TXT-010" and f.location.pointer == "/sections/3/text"
        ]

    assert claims_in_section_4()
    # 无败诉 claims only that nothing was corrected: a pending case is not lost
    review["corrected"] = 0
    _section(data, 4)["text"] = f"本年度发生政府信息公开行政复议{review['total']}件，无败诉。"
    assert not claims_in_section_4()


@given(data=reports())
@BOUNDED
def test_all_handled_while_applications_are_carried_forward(national, data):
    t3 = data["tables"]["t3"]
    claim = "，所有申请均在法定期限内办结。"
    if t3["carried_forward"]["total"] == 0:
        _say(data, 1, "本年度收到的政府信息公开申请" + claim[1:])
        assert "TXT-010" not in _codes(data, national)
    else:
        _say(data, 1, "本年度收到的政府信息公开申请" + claim[1:])
        assert "TXT-010" in _codes(data, national)


@given(data=reports(), missing=st.integers(1, 90))
@BOUNDED
def test_a_bracketed_breakdown_that_falls_short_is_said_despite_a_later_deng(
    national, data, missing
):
    text = f"全年共公布政府信息{1000 + 1533 + missing}条，(其中政策文件1000条、通知公告1533条)，涉及教育、医疗等领域。"
    _say(data, 1, text)
    found = [f for f in _findings(data, national) if f.rule == "TXT-009"]
    assert found and "政策文件1000条" in found[0].message and "=" in str(found[0].expected)
    assert found[0].severity == "info"  # short of the total, no 其他 item: maybe a selection


@given(
    data=reports(),
    parts=st.lists(st.integers(1, 60), min_size=2, max_size=4),
    short=st.integers(1, 40),
    shape=st.sampled_from([".yaml", ".txt"]),
)
@BOUNDED
def test_a_selection_from_a_larger_whole_is_a_hint_a_wrong_complete_list_a_warning(
    national, data, parts, short, shape
):
    """清理30件，其中废止3件、修改5件: items short of the total with no catch-all item are
    ordinary wording (a selection), said at info; the same list ending in 其他 that does
    not add up, or items over the total, keep the warning. In YAML and as crawled text."""
    verbs = ["废止", "修改", "宣布失效", "保留"]
    listed = "、".join(f"{verbs[i]}{n}件" for i, n in enumerate(parts))
    total = sum(parts)
    cases = {
        "selection": (f"清理规范性文件{total + short}件，其中{listed}。", "info"),
        "catch-all": (f"清理规范性文件{total + short}件，其中{listed}、其他0件。", "warning"),
        "over": (f"清理规范性文件{total - 1}件，其中{listed}。", "warning"),
        "exact": (f"清理规范性文件{total}件，其中{listed}。", None),
    }
    for name, (sentence, severity) in cases.items():
        case = _say(copy.deepcopy(data), 1, sentence)
        if shape == ".txt":
            findings = evaluate(_read(render_web_text(case)), national)[0]
        else:
            findings = _findings(case, national)
        said = {f.severity for f in findings if f.rule == "TXT-009" and "废止" in f.message}
        assert said == ({severity} if severity else set()), (name, sentence, said)


@given(data=reports())
@BOUNDED
def test_sub_breakdowns_and_two_lists_in_a_sentence_are_read_as_written(national, data):
    _say(
        data,
        1,
        "全年主动公开政府信息400条，其中预决算公开197条（政府预决算32条、部门预决算165条），"
        "通知公告、工作动态等203条，发布政策解读10条，其中图文解读6条、视频解读4条。",
    )
    assert "TXT-009" not in _codes(data, national)


@given(data=reports())
@BOUNDED
def test_years_plan_for_the_report_year_warns_comparisons_do_not(national, data):
    year = data["meta"]["year"]
    fine = _say(
        dict(data),
        5,
        f"针对{year - 1}年度报告中指出的问题，我们已逐项整改。{year + 1}年，我们将进一步完善公开目录。",
    )
    _say(fine, 1, f"全年主动公开政府信息数量较{year - 1}年增长10%。")
    assert "TXT-005" not in _codes(fine, national)
    _say(data, 5, f"{year}年我们将进一步完善公开目录。")
    assert "TXT-005" in _codes(data, national)


@given(data=reports(template="2019"))
@BOUNDED
def test_one_wording_variant_of_the_other_format_is_no_mixed_template(national, data):
    text = render_web_text(data).replace("规范性文件", "行政规范性文件")
    findings = evaluate(_read(text), national)[0]
    mixed = [f for f in findings if f.rule == "TPL-005"]
    assert [f.severity for f in mixed] == ["info"]


@given(data=reports(template="2021"))
@BOUNDED
def test_structures_of_both_formats_are_a_mixed_template(national, data):
    text = render_web_text(data).replace("本年制发件数", "本年新制作数量")
    mixed = [f for f in evaluate(_read(text), national)[0] if f.rule == "TPL-005"]
    assert [f.severity for f in mixed] == ["error"]


@given(data=reports())
@BOUNDED
def test_a_period_stated_as_the_report_year_is_accepted(national, data):
    year = data["meta"]["year"]
    period = data["meta"]["period"]["text"]
    text = render_web_text(data).replace(period, f"本报告统计期限为{year}年度")
    assert "META-003" not in {f.rule for f in evaluate(_read(text), national)[0]}
    text = render_web_text(data).replace(period, f"本报告所列数据统计期限为{year - 1}年度")
    assert "META-003" in {f.rule for f in evaluate(_read(text), national)[0]}


# -- cross-year pairing tolerates agency name variants ------------------------------------------

THIS_YEAR = {
    "year: 2021": "year: 2022",
    "2021年": "2022年",
    "2021-": "2022-",
    "published: '2022-02-08'": "published: '2023-02-08'",
}


def _copy_base(folder: Path, name: str, agency: str, **replace: str) -> None:
    from .test_crossyear import BASE_2021

    text = BASE_2021.read_text("utf-8").replace("agency: 示范区人民政府", f"agency: {agency}")
    for old, new in replace.items():
        text = text.replace(old, new)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("last", "this", "paired"),
    [
        ("平潭综合实验区", "平潭综合实验区管委会", True),  # a 管委会 suffix
        ("淮安市洪泽区人民政府", "洪泽区人民政府", True),  # the short name
        ("福建省平潭综合实验区管理委员会", "平潭综合实验区", True),
        ("南京市鼓楼区人民政府", "福州市鼓楼区人民政府", False),  # one district name, two cities
        ("淮安市财政局", "宿迁市财政局", False),
        ("淮安市人民政府办公室", "淮安市人民政府", False),  # the office is a department
    ],
)
def test_cross_year_pairs_name_variants_of_one_agency_and_says_so(tmp_path, last, this, paired):
    from .batch_support import nianbao

    _copy_base(tmp_path, "a-2021.yaml", last)
    _copy_base(tmp_path, "b-2022.yaml", this, **THIS_YEAR)
    ran = nianbao("check", ".", "-f", "json", "--select", "XY-001", cwd=tmp_path)
    findings = ran.json()["findings"]
    assert bool(findings) is paired
    if paired:
        assert f"“{last}”与“{this}”" in findings[0]["message"]
