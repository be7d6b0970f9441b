"""`nianbao new`: a complete report skeleton, as commented YAML, to fill in and check.

The skeleton holds everything the national format asks for, so that a clerk
only ever fills in and never adds structure:

- ``meta``: title (``{机关}{年}年政府信息公开工作年度报告``), agency, agency kind,
  year, template, the statistics period (1 January – 31 December) and
  ``published: null`` with the publication deadline of the agency's kind
  (条例 第四十九条) in a comment;
- ``preamble``: the basis and the statistics-period sentence;
- the six ``sections`` with their official titles, empty texts and a short
  Chinese comment on what each section is to report;
- ``tables``: every cell of tables 2–4 of the format, each ``null`` (blank:
  not yet filled in — blank is not 0) with the format's row and column labels
  as comments. Group rows ((三) 不予公开 …) have no cells of their own, as in
  the format.

With a previous report (``--from``, any format the checker reads) the
values the format links across years are carried over, each with a comment
saying so: 表三 二、上年结转 = last year's 四、结转下年度继续办理 (per column),
and in the 2021 format 现行有效件数 = last year's stock, to be adjusted by this
year's 制发 and 废止 (the comment gives the formula).

The YAML is written line by line (a YAML library does not keep comments);
every scalar is written as a JSON string or number, which YAML reads back
exactly.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from msgspec import Struct

from checker.model import Report
from checker.templates import RowDef, TableDef, sections, template, template_for_year

DEADLINE = {"government": (3, 31)}  # every other kind: 31 January (条例 第四十九条)
KIND_NAMES = {
    "government": "县级以上人民政府",
    "department": "政府部门",
    "township": "乡镇人民政府",
    "subdistrict": "街道办事处",
    "other": "其他机关",
}
# table 3's columns under the merged header 法人或其他组织
ORGANISATIONS = ("commercial", "research", "nonprofit", "legal_service", "other_org")

SECTION_GUIDANCE = {
    1: (
        "概述本年度贯彻落实《条例》的情况，主要包括主动公开、依申请公开、政府信息管理、",
        "政府信息公开平台建设、监督保障五个方面；各级人民政府还应报告工作考核、社会评议和",
        "责任追究结果情况。文中引用的数字须与表格一致。",
    ),
    2: ("主动公开情况以表二为准（见下方 tables.t2），此处可作简要说明，也可留空。",),
    3: (
        "依申请公开情况以表三为准（见下方 tables.t3），此处可作简要说明，也可留空。",
        "表三勾稽关系：一、本年新收 + 二、上年结转 = 三、（七）总计 + 四、结转下年度继续办理。",
    ),
    4: ("行政复议、行政诉讼情况以表四为准（见下方 tables.t4），可简述案件情况。",),
    5: (
        "写明政府信息公开工作存在的具体问题和改进措施，以及上年度报告所列问题的整改情况，",
        "不宜空泛。",
    ),
    6: (
        "写明依据《政府信息公开信息处理费管理办法》收取信息处理费的情况，以及落实上级年度",
        "政务公开工作要点、人大代表建议和政协提案办理结果公开、年度政务公开工作创新等情况；",
        "没有其他事项的写“无”。",
    ),
}


class Carried(Struct, frozen=True):
    """A value carried over from last year's report, and the comment that says where from."""

    value: Any
    comment: str


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return format(value, "f") if value != value.to_integral_value() else str(int(value))
    return json.dumps(value, ensure_ascii=False)


def _line(indent: int, key: str, value: Any, comment: str = "") -> str:
    text = f"{'  ' * indent}{key}: {_scalar(value)}"
    return f"{text}  # {comment}" if comment else text


def _comment(indent: int, text: str) -> str:
    return f"{'  ' * indent}# {text}"


def deadline(year: int, agency_kind: str) -> date:
    month, day = DEADLINE.get(agency_kind, (1, 31))
    return date(year + 1, month, day)


def period_sentence(year: int) -> str:
    return f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止"


def choose_template(year: int, requested: str | None) -> str:
    if requested is not None:
        return requested
    found = template_for_year(year)
    return found.version if found is not None else "2021"


# -- carried values --------------------------------------------------------------------------


def carried_values(previous: Report, version: str) -> dict[str, dict[str, Carried]]:
    """What the format links across years, taken from last year's report: {table: {cell: value}}."""
    year = previous.meta.year
    where = f"{year}年报告" if year else "上年报告"
    carried: dict[str, dict[str, Carried]] = {"t2": {}, "t3": {}}
    for key, cell in previous.tables.get("t3", {}).items():
        row, _, column = key.rpartition(".")
        if row == "carried_forward" and cell.value is not None:
            carried["t3"][f"carried_over.{column}"] = Carried(
                cell.value, f"结转自{where}“四、结转下年度继续办理”"
            )
    if version == "2021":
        for row in ("regulations", "normative_documents"):
            cell = previous.tables.get("t2", {}).get(f"{row}.in_force")
            if cell is not None and cell.value is not None:
                stock = _scalar(cell.value)
                carried["t2"][f"{row}.in_force"] = Carried(
                    cell.value,
                    f"{where}现行有效件数{stock}件；本年应为 {stock} + 本年制发 − 本年废止，请核改",
                )
    return carried


# -- the YAML --------------------------------------------------------------------------------


def _cell_lines(tdef: TableDef, row: RowDef, indent: int, carried: dict[str, Carried]) -> list[str]:
    lines = []
    for column in tdef.row_columns(row):
        label = tdef.column(column).zh  # type: ignore[union-attr]
        if tdef.name == "t3" and column in ORGANISATIONS:
            label = f"法人或其他组织·{label}"
        found = carried.get(f"{row.key}.{column}")
        if found is not None:
            lines.append(_line(indent, column, found.value, f"{label}；{found.comment}"))
        else:
            lines.append(_line(indent, column, None, label))
    return lines


def _t2_lines(tdef: TableDef, carried: dict[str, Carried]) -> list[str]:
    lines = [_comment(2, "表二 主动公开政府信息情况（第二十条）")]
    for row in tdef.leaf_rows():
        lines.append(f"    {row.key}:  # {row.zh}（{row.block}）")
        lines += _cell_lines(tdef, row, 3, carried)
    return lines


def _t3_lines(tdef: TableDef, carried: dict[str, Carried]) -> list[str]:
    lines = [
        _comment(2, "表三 收到和处理政府信息公开申请情况（列：申请人情况）"),
        _comment(2, "勾稽关系：一 + 二 = 三（七）总计 + 四（逐列）；总计列 = 各类申请人之和"),
    ]
    for row in tdef.rows:
        depth = 2 + row.key.count(".")
        name = row.key.rpartition(".")[2]
        if row.kind == "heading":
            lines.append(_comment(2, row.zh))
        elif row.kind == "header":
            lines.append(f"{'  ' * depth}{name}:  # {row.zh}")
        else:
            lines.append(f"{'  ' * depth}{name}:  # {row.zh}")
            lines += _cell_lines(tdef, row, depth + 1, carried)
    return lines


def _t4_lines(tdef: TableDef) -> list[str]:
    lines = [
        _comment(2, "表四 政府信息公开行政复议、行政诉讼情况（每组：维持+纠正+其他+尚未审结=总计）")
    ]
    for row in tdef.leaf_rows():
        block = row.zh if row.key == "review" else f"行政诉讼·{row.zh}"
        lines.append(f"    {row.key}:  # {block}")
        lines += _cell_lines(tdef, row, 3, {})
    return lines


def skeleton(
    year: int,
    agency: str,
    agency_kind: str,
    version: str | None = None,
    previous: Report | None = None,
) -> str:
    """The skeleton YAML (see the module docstring)."""
    version = choose_template(year, version)
    tpl = template(version)
    title = f"{agency}{year}年政府信息公开工作年度报告"
    due = deadline(year, agency_kind)
    carried = carried_values(previous, version) if previous is not None else {"t2": {}, "t3": {}}
    preamble = (
        f"根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
        f"（{tpl.basis}）的要求，编制本报告。{period_sentence(year)}。"
    )
    lines = [
        f"# {title}",
        f"# 由 nianbao new 生成的年度报告骨架（{tpl.name_zh}，{tpl.basis}）。",
        "# 填写：表格数字填在 null 处（null 表示尚未填写；空不等于 0，没有发生的事项填 0），",
        "# 文字填在各节 text 处（多段文字写成 text: |- 后逐行缩进书写，一段一行）。",
        f"# 检查：nianbao check 本文件；发布：nianbao render 本文件 -o {year}年报.docx（或 .pdf .html .md）",
        "meta:",
        _line(1, "title", title),
        _line(1, "agency", agency),
        _line(1, "agency_kind", agency_kind, KIND_NAMES.get(agency_kind, "")),
        _line(1, "year", year, "报告年度（数据所属年度）"),
        _line(1, "template", version),
        _line(
            1,
            "published",
            None,
            f"发布日期 YYYY-MM-DD；{KIND_NAMES.get(agency_kind, '')}应于"
            f"{due.year}年{due.month}月{due.day}日前发布（条例第四十九条）",
        ),
        "  period:",
        _line(2, "text", period_sentence(year)),
        _line(2, "start", f"{year}-01-01"),
        _line(2, "end", f"{year}-12-31"),
        _comment(0, "引言：依据与统计期限；可补充报告的查阅、下载方式和联系方式"),
        _line(0, "preamble", preamble),
        "sections:",
    ]
    for section in sections():
        lines.append(_line(1, "- number", section.number))
        lines.append(_line(2, "title", section.title))
        lines += [_comment(2, text) for text in SECTION_GUIDANCE[section.number]]
        lines.append(_line(2, "text", ""))
    lines.append("tables:")
    lines.append("  t2:")
    lines += _t2_lines(tpl.tables["t2"], carried["t2"])
    lines.append("  t3:")
    lines += _t3_lines(tpl.tables["t3"], carried["t3"])
    lines.append("  t4:")
    lines += _t4_lines(tpl.tables["t4"])
    return "\n".join(lines) + "\n"
