"""Tables from source text: rows anchored on labels, nothing shifted, nothing guessed.

Covers the sample with a row deleted (EXT-003 naming it, no sum over the gap),
crawler pages whose digits ran together (split only where the table's sums
leave one reading, EXT-005 otherwise), broken Markdown tables, PDF text
layers, unknown labels (EXT-004) and stray numbers (EXT-006).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.numbers import parse_number
from checker.run.pipeline import check_file
from checker.sources import read_report
from checker.templates import template

from .conftest import SAMPLE

ARITHMETIC = ("T2-", "T3-", "T4-")


def check_text(tmp_path: Path, national, text: str, name: str = "report.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = check_file(path, national)
    # the sample states no publication date (META-010, tested in test_nothing_silent):
    # these tests look at what extraction reports
    result.findings = [f for f in result.findings if f.rule != "META-010"]
    return result, read_report(path)


def without_row(text: str, label: str) -> tuple[str, int]:
    """The flattened sample text with one table row (its label line and its values) deleted."""
    lines = text.split("\n")
    start = lines.index(label)
    end = start + 1
    while end < len(lines) and parse_number(lines[end].strip().strip("|").strip()).is_number:
        end += 1
    return "\n".join(lines[:start] + lines[end:]), start + 1


@pytest.mark.parametrize(
    ("label", "pointer", "named"),
    [
        ("一、本年新收政府信息公开申请数量", "/tables/t3/new", "一、本年新收政府信息公开申请数量"),
        ("(一)予以公开", "/tables/t3/granted", "（一）予以公开"),
        ("8.属于行政查询事项", "/tables/t3/withheld/query", "8.属于行政查询事项"),
        ("(六)其他处理", "/tables/t3/other", "（六）其他处理"),
        ("四、结转下年度继续办理", "/tables/t3/carried_forward", "四、结转下年度继续办理"),
        ("行政许可", "/tables/t2/licensing", "行政许可"),
    ],
)
def test_deleted_row_is_named_and_nothing_is_computed_over_it(
    tmp_path: Path, national, label: str, pointer: str, named: str
):
    text, deleted_line = without_row(SAMPLE.read_text("utf-8"), label)
    result, report = check_text(tmp_path, national, text)
    assert [(f.rule, f.location.pointer) for f in result.findings] == [("EXT-003", pointer)]
    finding = result.findings[0]
    assert finding.severity == "warning" and f"“{named}”" in finding.message  # a reading problem
    # where the row should be, or at the row before the gap
    assert 0 <= deleted_line - finding.location.line < 40
    table, _, row = pointer[len("/tables/") :].partition("/")
    row_key = row.replace("/", ".")
    blanks = [cell for key, cell in report.tables[table].items() if key.startswith(row_key + ".")]
    assert blanks and all(cell.value is None for cell in blanks)


def test_sample_cells_point_at_their_lines():
    lines = SAMPLE.read_text("utf-8").split("\n")
    report = read_report(SAMPLE)
    cells = [cell for table in report.tables.values() for cell in table.values()]
    assert len(cells) > 150
    for cell in cells:
        assert lines[cell.pos.line - 1].strip().strip("|").strip() == cell.raw
    assert (
        report.node_positions["/tables/t3"].line
        == report.tables["t3"]["new.natural_person"].pos.line
    )


# -- crawler pages: the whole page on one line, cells run together ---------------------------


def crawler_page(rows: dict[str, list[int]], t4: list[int], year: int = 2021) -> str:
    """A crawled 2021-format page in the 平潭 shape: table text with no borders between cells."""
    tdef = template("2021").tables["t3"]
    table = []
    for row in tdef.rows:
        table.append(row.labels[0])
        if row.kind == "leaf":
            table.append("".join(str(v) for v in rows.get(row.key, [0] * 7)))
    header = (
        f"标题: 示例区财政局{year}年度政府信息公开工作年度报告\n发布时间: {year + 1}-01-20 10:00\n"
        "==================== 正文 ====================\n"
    )
    page = [
        "当前位置： 首页政务公开 示例区年度报告 微信 微博 QQ空间 相关链接： -->",
        f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、总体情况",
        "我区认真落实政务公开各项要求，主动公开、依申请公开、政府信息管理、平台建设和监督保障工作有序推进。",
        "二、主动公开政府信息情况",
        "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件000"
        "第二十条第（五）项信息内容本年处理决定数量行政许可0第二十条第（六）项信息内容本年处理决定数量行政处罚0行政强制0"
        "第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费0",
        "三、收到和处理政府信息公开申请情况",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计"
        "商业企业科研机构社会公益组织法律服务机构其他" + "".join(table),
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
        "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"
        + "".join(str(v) for v in t4),
        "五、存在的主要问题及改进情况",
        "存在的主要问题是政策解读形式不够丰富。下一步将丰富解读形式，提升公开质量。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。 附件下载",
    ]
    return header + " ".join(page) + "\n"


def t3_row(report, row: str) -> list:
    return [
        report.tables["t3"][f"{row}.{c.key}"].value for c in template("2021").tables["t3"].columns
    ]


def test_run_together_digits_split_by_row_sums(tmp_path: Path, national):
    rows = {
        "new": [64, 0, 0, 2, 0, 4, 70],
        "granted": [64, 0, 0, 2, 0, 4, 70],
        "total": [64, 0, 0, 2, 0, 4, 70],
    }
    result, report = check_text(tmp_path, national, crawler_page(rows, [1, 0, 2, 0, 3] + [0] * 10))
    assert result.findings == []
    assert t3_row(report, "new") == [64, 0, 0, 2, 0, 4, 70]
    assert [
        report.tables["t4"][f"review.{c}"].value
        for c in ("upheld", "corrected", "other", "pending", "total")
    ] == [
        1,
        0,
        2,
        0,
        3,
    ]
    line = (tmp_path / "report.txt").read_text("utf-8").split("\n")[3]
    cell = report.tables["t3"]["new.total"]
    assert line[cell.pos.column - 1 :].startswith("70二、上年结转")


def test_column_sums_decide_what_a_row_sum_cannot(tmp_path: Path, national):
    # 110000011 is 11 0 0 0 0 0 11 or 1 10 0 0 0 0 11; the （七）总计 row's columns decide
    rows = {
        "new": [13, 0, 0, 0, 0, 0, 13],
        "granted": [11, 0, 0, 0, 0, 0, 11],
        "partial": [2, 0, 0, 0, 0, 0, 2],
        "total": [13, 0, 0, 0, 0, 0, 13],
    }
    result, report = check_text(tmp_path, national, crawler_page(rows, [0] * 15))
    assert result.findings == []
    assert t3_row(report, "granted") == [11, 0, 0, 0, 0, 0, 11]


def test_digits_the_sums_cannot_split_are_reported_not_guessed(tmp_path: Path, national):
    # granted and partial both read 110000011; the two readings swap between the rows and every sum still holds
    rows = {
        "new": [12, 10, 0, 0, 0, 0, 22],
        "granted": [11, 0, 0, 0, 0, 0, 11],
        "partial": [1, 10, 0, 0, 0, 0, 11],
        "total": [12, 10, 0, 0, 0, 0, 22],
    }
    result, report = check_text(tmp_path, national, crawler_page(rows, [0] * 15))
    assert [(f.rule, f.location.pointer) for f in result.findings] == [
        ("EXT-005", "/tables/t3/granted"),
        ("EXT-005", "/tables/t3/partial"),
    ]
    assert "2种符合表内勾稽关系" in result.findings[0].message
    assert t3_row(report, "granted") == [None] * 7 and t3_row(report, "partial") == [None] * 7
    assert t3_row(report, "new") == [12, 10, 0, 0, 0, 0, 22]


def test_table_four_digits_with_two_readings_are_reported(tmp_path: Path, national):
    # 03126030033311118: 3 3 1 11 18 or 3 3 11 1 18 in the last block
    digits = [0, 3, 1, 2, 6, 0, 3, 0, 0, 3, 3, 3, 1, 11, 18]
    result, report = check_text(tmp_path, national, crawler_page({}, digits))
    assert [(f.rule, f.location.pointer) for f in result.findings] == [("EXT-005", "/tables/t4")]
    assert all(cell.value is None for cell in report.tables["t4"].values())


def test_row_with_a_value_too_many_is_not_shifted(tmp_path: Path, national):
    text = SAMPLE.read_text("utf-8").replace(
        "(一)予以公开\n|\n0\n|\n", "(一)予以公开\n|\n0\n|\n0\n|\n", 1
    )
    result, report = check_text(tmp_path, national, text)
    assert [(f.rule, f.location.pointer) for f in result.findings] == [
        ("EXT-002", "/tables/t3/granted")
    ]
    assert t3_row(report, "partial") == [0] * 7


# -- broken Markdown (OCR / PDF conversions) --------------------------------------------------

BROKEN_MD = """# 示例县人民政府2025年政府信息公开工作年度报告

## 三、收到和处理政府信息公开申请情况

### 申请人情况 (法人或其他组织)
| 商业企业 | 科研机构 | 社会公益 | 法律服务机构 | 其他 |
|---|---|---|---|---|
| - | - | - | - | - |

### 一、本年新收政府信息公开申请数量
| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |
|---|---|---|---|---|---|---|---|
| 本年新收政府信息公开申请数量 | 705 | 3 | 0 | 0 | 5 | 0 | 713 |

### (一) 予以公开
| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |
|---|---|---|---|---|---|---|---|
| 予以公开 | 290 | 1 | 0 | 0 | 3 | 0 | 294 |

### (六) 其他
| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |
|---|---|---|---|---|---|---|---|
| 1. 申请人无正当理由逾期不补正, 行政机关不再处理其政府信息公开申请 | 9 | 0 | 0 | 0 | 0 | 0 | 9 |

| 项目 | 本年新收件数 | 上年结转件数 | 予以公开 | 部分公开 | 不予公开 | 结转下年度 | 总计 |
|---|---|---|---|---|---|---|---|
| 2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 7 | 0 | 0 | 0 | 0 | 0 | 7 |
| 3. 其他 | 142 | 1 | 0 | 0 | 0 | 0 | 143 |
"""


def test_broken_markdown_tables_read_row_by_row():
    from checker.extract.sections import split_sections
    from checker.extract.tables import extract_tables
    from checker.sources.text import parse_text

    doc = parse_text(BROKEN_MD, "r.md")
    tables, _, diagnostics = extract_tables(doc, split_sections(doc), 2025)
    t3 = {key: cell.value for key, cell in tables["t3"].items()}
    assert t3["new.total"] == 713 and t3["new.legal_service"] == 5
    assert t3["granted.natural_person"] == 290 and t3["granted.total"] == 294
    assert t3["other.no_correction.total"] == 9
    assert t3["other.unpaid_fee.natural_person"] == 7 and t3["other.other.total"] == 143
    # the heading repeating a row label, the placeholder and the injected header rows are not rows
    assert {d.code for d in diagnostics} == {"EXT-003"}
    assert tables["t3"]["granted.total"].pos.line == 18


# -- PDF text layer --------------------------------------------------------------------------

PDF_TEXT = """三、收到和处理政府信息公开申请情况
- 5 -
一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119
三、
本
年
度
办
理
结
果
（二）部分公开（区分处理的，只计这一情
形，不计其他情形） 447 7 0 0 0 0 454
（三）不
予公开
1.属于国家秘密 2 0 0 0 0 0 2
（四）无 1.本机关不掌握相关政府信息 746 12 0 0 10 1 769
"""


def test_pdf_text_layer_rows_with_wrapped_and_vertical_labels():
    from checker.extract.sections import split_sections
    from checker.extract.tables import extract_tables
    from checker.sources.text import parse_text

    doc = parse_text(PDF_TEXT, "r.txt")
    assert "三、本年度办理结果" in [b.text for b in doc.blocks]
    assert "- 5 -" not in [b.text for b in doc.blocks]
    tables, _, diagnostics = extract_tables(doc, split_sections(doc), 2024)
    t3 = {key: cell.value for key, cell in tables["t3"].items()}
    assert t3["new.total"] == 3119
    assert t3["partial.natural_person"] == 447 and t3["partial.total"] == 454
    assert t3["withheld.state_secret.total"] == 2
    assert t3["unable.not_held.legal_service"] == 10
    # 「（三）不」「（四）无」are labels cut short, not unknown rows
    assert "EXT-004" not in {d.code for d in diagnostics}


# -- labels and numbers that belong to no row ----------------------------------------------


def test_unknown_row_label_and_its_values_are_set_aside(tmp_path: Path, national):
    extra = "9.属于其他不予公开情形\n|\n1\n|\n0\n|\n0\n|\n0\n|\n0\n|\n0\n|\n1\n|\n||\n"
    text = SAMPLE.read_text("utf-8").replace("(四)无法提供\n", extra + "(四)无法提供\n", 1)
    result, _ = check_text(tmp_path, national, text)
    assert [f.rule for f in result.findings] == ["EXT-004"]
    assert "9.属于其他不予公开情形" in result.findings[0].message


def test_numbers_outside_any_row_are_reported(tmp_path: Path, national):
    text = SAMPLE.read_text("utf-8").replace(
        "其他\n|\n|||||\n一、本年新收", "其他\n|\n|||||\n5\n|\n7\n|\n一、本年新收", 1
    )
    result, _ = check_text(tmp_path, national, text)
    assert [(f.rule, f.severity) for f in result.findings] == [("EXT-006", "warning")]
    assert "2个数字（原文：5 7）" in result.findings[0].message


def test_an_arithmetic_finding_points_at_the_cell_in_the_source(tmp_path: Path, national):
    original = SAMPLE.read_text("utf-8")
    text = original.replace("(一)予以公开\n|\n0\n|\n", "(一)予以公开\n|\n3\n|\n", 1)
    changed_line = text.split("\n").index("3") + 1
    result, _ = check_text(tmp_path, national, text)
    row_total = next(f for f in result.findings if f.rule == "T3-002")
    assert row_total.location.pointer == "/tables/t3/granted/total"
    granted_lines = range(changed_line, changed_line + 14)
    assert row_total.location.line in granted_lines
    column = next(f for f in result.findings if f.rule == "T3-003")
    assert column.location.pointer.startswith("/tables/t3/total/")
    assert all(
        f.location.line is not None and f.location.column is not None for f in result.findings
    )


def test_a_repeated_row_is_read_once_and_reported(tmp_path: Path, national):
    repeat = "8.属于行政查询事项\n|\n5\n|\n0\n|\n0\n|\n0\n|\n0\n|\n0\n|\n5\n|\n||\n"
    text = SAMPLE.read_text("utf-8").replace("(四)无法提供\n", repeat + "(四)无法提供\n", 1)
    result, report = check_text(tmp_path, national, text)
    assert [(f.rule, f.location.pointer) for f in result.findings] == [
        ("EXT-007", "/tables/t3/withheld/query")
    ]
    assert t3_row(report, "withheld.query") == [0] * 7  # the first one counts


def test_thousands_of_repeated_run_together_rows_stay_bounded(tmp_path: Path, national):
    rows = "（一）予以公开1234567890123 1.属于国家秘密99999999999 " * 3000
    text = f"一、总体情况\n三、收到和处理政府信息公开申请情况\n{rows}\n"
    result, _ = check_text(tmp_path, national, text)
    assert result.error is None
    assert {f.rule for f in result.findings} >= {"EXT-005", "EXT-007"}


def test_every_extraction_code_the_code_can_record_has_a_rule(national):
    """A diagnostic without a rule would vanish: a report with extraction errors would pass as clean."""
    import re

    package = Path(__file__).resolve().parent.parent / "checker"
    recorded = {
        code
        for source in package.rglob("*.py")
        for code in re.findall(r"\"(EXT-\d{3})\"", source.read_text("utf-8"))
    }
    rules = {rule.id: rule for rule in national.rules}
    assert recorded >= {"EXT-002", "EXT-003", "EXT-004", "EXT-005", "EXT-006", "EXT-007"}
    assert recorded <= set(rules)
    # EXT-011 says a row was read (placed by the table's own sums, proven unique): an info
    assert all(rules[code].severity in ("error", "warning") for code in recorded - {"EXT-011"})
