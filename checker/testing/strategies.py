"""Hypothesis strategies for valid annual reports, built by construction.

``reports()`` draws a complete, correct 政府信息公开工作年度报告 as plain data:
the structured YAML/JSON form of ``schemas/report.schema.json`` (what
``nianbao extract`` writes and ``.yaml`` reports hold). Every report it draws
passes the national rule pack with no error and no warning. Nothing is
generated and then thrown away (no ``.filter()``): every figure that a rule
relates to another is *computed* from the figures drawn before it.

- **Table 3.** The result leaves (（一）…（六）) are drawn per applicant
  column; （七）总计 is their sum. 结转下年度 is drawn, then 上年结转 is drawn
  no larger than 总计 + 结转下年度, and 本年新收 is derived so that
  一 + 二 = （七） + 四 holds with 本年新收 ≥ 0. The 总计 column is the sum of
  the six applicant columns in every row. Header rows ((三)(四)(五), 2021 also
  (六)) print a subtotal in some reports and none in others.
- **Table 4.** Four outcomes per block are drawn; 总计 is their sum.
- **Table 2.** Each row holds the columns of its template with the right
  domain: counts, the signed 本年增/减 of 2019 (never below the previous count),
  money with decimals (万元 in 2021; 元 or 万元 written in the 2019 cell),
  对外公开总数量 ≥ 本年新公开数量 and 现行有效件数 ≥ 本年制发件数.
- **Prose.** Section 1 states the proactive-disclosure total with a breakdown
  that adds up (or a partial list ending in 等 that does not exceed it), the
  application figures of table 3, the document figures of table 2 and the
  appraisal / evaluation / accountability sentence; section 4 states the
  review and litigation counts of table 4 (sometimes with their breakdown,
  sometimes "均获维持" when that is true). Phrasings vary within what the
  national TXT rules recognise.
- **Metadata.** A title "<agency><year>年政府信息公开工作年度报告" (or with the
  year first), an agency whose name shows its kind, the statistics period
  1 January – 31 December of the year (stated in the preamble as well), and a
  publication date between 31 December and the kind's deadline
  (31 January; 31 March for a people's government).

Use::

    from hypothesis import given
    from checker.testing import build_report, reports

    @given(reports(template="2021", agency_kind="department"))
    def test_my_rule_is_silent(data):
        report = build_report(data)
        ...

Each argument takes one value, a collection of allowed values, or ``None``
for any: ``template`` ("2019" | "2021"), ``year`` (2019–2020 for the 2019
format, 2021–2026 for the 2021 format), ``agency_kind`` (government,
department, township, subdistrict, other). ``max_count`` bounds each drawn
count (shrinking goes towards zeros, so counterexamples stay small).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from checker.model import AGENCY_KINDS, Report
from checker.sources.structured import structured_report
from checker.templates import TableDef, sections, template

#: report years the generator draws for each format version
YEARS: dict[str, tuple[int, ...]] = {"2019": (2019, 2020), "2021": tuple(range(2021, 2027))}
#: publication deadline (month, day) of the following year, by agency kind (条例 第四十九条)
DEADLINES: dict[str, tuple[int, int]] = {
    "government": (3, 31),
    "department": (1, 31),
    "township": (1, 31),
    "subdistrict": (1, 31),
    "other": (1, 31),
}

_CITIES = ("临江市", "青山市", "南湖市", "云岭市", "白河市")
_DISTRICTS = ("示范区", "东湖区", "西山区", "北港区", "松溪县", "石门县")
_DEPARTMENTS = (
    "工业和信息化局",
    "财政局",
    "教育局",
    "生态环境局",
    "卫生健康委员会",
    "人民政府办公室",
    "市场监督管理局",
)
_TOWNS = ("清水", "桃源", "龙泉", "石桥", "新安")
_OTHER_BODIES = ("档案馆", "公共资源交易中心", "住房公积金管理中心", "地方志编纂中心")
_DISCLOSURE_ITEMS = (
    "政策文件",
    "通知公告类信息",
    "人事信息",
    "财政信息",
    "规划计划信息",
    "行政权力运行类信息",
    "重点领域信息",
    "其他信息",
)
_PROBLEMS = (
    "一是主动公开的深度还不够，政策解读形式较为单一；二是依申请公开答复的规范性有待提高。",
    "政府信息公开工作还存在公开内容不够全面、更新不够及时等问题。",
    "存在的主要问题是基层政务公开标准化规范化水平仍需提升，公开专栏栏目设置有待优化。",
)
_IMPROVEMENTS = (
    "改进措施：一是加强政策解读，丰富解读形式；二是加强业务培训，规范答复文书。",
    "下一步将进一步完善公开目录，加强信息发布审核，提升公开质量。",
    "{next_year}年，我们将持续优化公开专栏，及时更新各类信息，主动回应社会关切。",
)
_OTHER_MATTERS = (
    "无。",
    "本年度未收取信息处理费。无其他需要报告的事项。",
    "本年度无其他需要报告的事项。",
)
_PERIOD_SENTENCES = (
    "本报告所列数据的统计期限自{y}年1月1日起至{y}年12月31日止",
    "本报告中所列数据的统计时限为{y}年1月1日至{y}年12月31日",
    "本报告所列数据统计期限为{y}年1月1日至{y}年12月31日",
)


def _choices(value: Any, allowed: Iterable[Any], what: str) -> tuple[Any, ...]:
    """Normalise one value / a collection / None into a tuple of allowed values."""
    pool = tuple(allowed)
    if value is None:
        return pool
    wanted = (
        tuple(value) if isinstance(value, Collection) and not isinstance(value, str) else (value,)
    )
    chosen = tuple(v for v in pool if v in wanted)
    unknown = [v for v in wanted if v not in pool]
    if unknown or not chosen:
        raise InvalidArgument(f"{what}: {unknown or wanted} not among {list(pool)}")
    return chosen


def _combinations(
    template_arg: Any, year_arg: Any, kind_arg: Any
) -> tuple[list[tuple[str, int]], tuple[str, ...]]:
    versions = _choices(template_arg, YEARS, "template")
    all_years = sorted({y for v in versions for y in YEARS[v]})
    years = _choices(year_arg, all_years, "year") if year_arg is not None else all_years
    pairs = [(v, y) for v in versions for y in YEARS[v] if y in years]
    if not pairs:
        raise InvalidArgument(f"no report year {years} uses the format {list(versions)}")
    return pairs, _choices(kind_arg, AGENCY_KINDS, "agency_kind")


def reports(
    template: str | Collection[str] | None = None,
    year: int | Collection[int] | None = None,
    agency_kind: str | Collection[str] | None = None,
    *,
    max_count: int = 40,
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid reports as structured data (see the module docstring)."""
    pairs, kinds = _combinations(template, year, agency_kind)
    if max_count < 1:
        raise InvalidArgument("max_count must be at least 1")
    return _report(pairs, kinds, max_count)


def build_report(data: dict[str, Any], path: str = "generated.yaml") -> Report:
    """The Report model of structured report data, exactly as a .yaml file of it would load."""
    return structured_report(data, {}, path)


# -- metadata -------------------------------------------------------------------------


@st.composite
def agency_names(draw: st.DrawFn, kind: str) -> str:
    """An agency name whose ending shows its kind (人民政府, 局/委员会, 镇人民政府, 街道办事处)."""
    city, district = draw(st.sampled_from(_CITIES)), draw(st.sampled_from(_DISTRICTS))
    town = draw(st.sampled_from(_TOWNS))
    if kind == "government":
        return draw(st.sampled_from((f"{city}人民政府", f"{city}{district}人民政府")))
    if kind == "department":
        return f"{city}{district}{draw(st.sampled_from(_DEPARTMENTS))}"
    if kind == "township":
        return f"{district}{town}{draw(st.sampled_from(('镇', '乡')))}人民政府"
    if kind == "subdistrict":
        return f"{district}{town}街道办事处"
    return f"{city}{draw(st.sampled_from(_OTHER_BODIES))}"


def _published(draw: st.DrawFn, year: int, kind: str) -> date:
    month, day = DEADLINES[kind]
    first, last = date(year, 12, 31), date(year + 1, month, day)
    return first + timedelta(days=draw(st.integers(0, (last - first).days)))


# -- tables ---------------------------------------------------------------------------


def _nested(flat: dict[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        *parents, leaf = key.split(".")
        node = nested
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return nested


@cache
def _entry(keys: tuple[str, ...], max_count: int) -> st.SearchStrategy[tuple[str, int]]:
    return st.tuples(st.sampled_from(keys), st.integers(1, max_count))


def _sparse_cells(
    draw: st.DrawFn, keys: list[str], max_count: int, max_filled: int
) -> dict[str, int]:
    """Some cells filled, the rest 0: quick to shrink (fewer entries, smaller values).

    The number of entries is drawn first (up to `max_filled`, evenly), so that busy
    tables are as likely as quiet ones and a rule that overlooks one row meets it
    filled in a good share of reports. An entry drawn twice for a cell keeps the last."""
    entry = _entry(tuple(keys), max_count)
    filled = dict(draw(entry) for _ in range(draw(st.integers(0, max_filled))))
    return {key: filled.get(key, 0) for key in keys}


def _t3(draw: st.DrawFn, tdef: TableDef, max_count: int) -> dict[str, int]:
    applicants, leaves = tdef.sets["applicants"], tdef.sets["result_leaves"]
    leaf_keys = [f"{row}.{column}" for row in leaves for column in applicants]
    cells = _sparse_cells(draw, leaf_keys, max_count, max_filled=40)
    forward = _sparse_cells(draw, list(applicants), max_count, max_filled=len(applicants))
    for column in applicants:
        handled = sum(cells[f"{row}.{column}"] for row in leaves)
        over = draw(st.integers(0, handled + forward[column]))
        cells[f"total.{column}"] = handled
        cells[f"carried_forward.{column}"] = forward[column]
        cells[f"carried_over.{column}"] = over
        # 一 + 二 = （七） + 四 with 本年新收 never negative, since 上年结转 <= （七） + 四
        cells[f"new.{column}"] = handled + forward[column] - over
    for header in (r for r in tdef.rows if r.kind == "header"):
        if draw(st.booleans()):  # this report prints the header row's subtotal
            parts = [r.key for r in tdef.rows if r.parent == header.key]
            for column in applicants:
                cells[f"{header.key}.{column}"] = sum(cells[f"{p}.{column}"] for p in parts)
    ordered: dict[str, int] = {}
    for row in tdef.rows:
        if f"{row.key}.{applicants[0]}" in cells:
            for column in applicants:
                ordered[f"{row.key}.{column}"] = cells[f"{row.key}.{column}"]
            ordered[f"{row.key}.total"] = sum(cells[f"{row.key}.{c}"] for c in applicants)
    return ordered


def _t4(draw: st.DrawFn, tdef: TableDef, max_count: int) -> dict[str, int]:
    """Outcomes per block and their total. In a third of the reports nothing was corrected or
    is pending (so "无败诉" is true), in another third everything was upheld ("均获维持")."""
    upheld_only = ("corrected", "pending", "other")
    settled = draw(st.sampled_from((0, 2, 3)))  # how many of upheld_only stay empty
    parts = [c for c in tdef.sets["parts"] if c not in upheld_only[:settled]]
    keys = [f"{row}.{column}" for row in tdef.sets["rows"] for column in parts]
    drawn = _sparse_cells(draw, keys, max(1, max_count // 4), max_filled=len(keys))
    cells: dict[str, int] = {}
    for row in tdef.sets["rows"]:
        for column in tdef.sets["parts"]:
            cells[f"{row}.{column}"] = drawn.get(f"{row}.{column}", 0)
        cells[f"{row}.total"] = sum(cells[f"{row}.{c}"] for c in tdef.sets["parts"])
    return cells


def _money(draw: st.DrawFn, max_units: int) -> Decimal:
    """A non-negative amount with two decimals (drawn in hundredths)."""
    return Decimal(draw(st.integers(0, max_units * 100))).scaleb(-2)


def _t2(draw: st.DrawFn, tdef: TableDef, max_count: int) -> dict[str, Any]:
    count = st.integers(0, max_count)
    big = st.integers(0, max_count * 100)
    cells: dict[str, Any] = {}
    for row in tdef.leaf_rows():
        columns = tdef.row_columns(row)
        if "in_force" in columns:  # 2021 documents: what is in force includes this year's
            issued = draw(count)
            cells[f"{row.key}.issued"] = issued
            cells[f"{row.key}.repealed"] = draw(count)
            cells[f"{row.key}.in_force"] = issued + draw(count)
        elif "total_published" in columns:  # 2019 documents
            published = draw(count)
            cells[f"{row.key}.made"] = draw(count)
            cells[f"{row.key}.published"] = published
            cells[f"{row.key}.total_published"] = published + draw(count)
        elif "previous_items" in columns:  # 2019 items: the change never goes below zero
            previous = draw(count)
            cells[f"{row.key}.previous_items"] = previous
            cells[f"{row.key}.change"] = draw(st.integers(-previous, max_count))
            if "decisions" in columns:
                cells[f"{row.key}.decisions"] = draw(big)
        elif "items" in columns:  # 2019 procurement: a non-zero amount states its unit
            cells[f"{row.key}.items"] = draw(count)
            amount = _money(draw, max_count * 10)
            unit = draw(st.sampled_from(("万元", "元")))
            cells[f"{row.key}.amount"] = f"{amount}{unit}" if amount else 0
        elif columns == ("decisions",):
            cells[f"{row.key}.decisions"] = draw(big)
        elif columns == ("amount",):  # 2021 fees, in 万元
            cells[f"{row.key}.amount"] = _money(draw, max_count)
        else:  # pragma: no cover - a template row this generator does not know
            raise InvalidArgument(f"table 2 row {row.key} has unknown columns {columns}")
    return cells


# -- prose ----------------------------------------------------------------------------


def _breakdown(draw: st.DrawFn, max_count: int) -> str:
    """'全年主动公开政府信息N条，其中A a条，B b条…' that adds up (or a partial list with 等)."""
    labels = draw(st.lists(st.sampled_from(_DISCLOSURE_ITEMS), min_size=2, max_size=4, unique=True))
    values = [draw(st.integers(0, max_count * 5)) for _ in labels]
    partial = draw(st.booleans())
    total = sum(values) + (draw(st.integers(0, max_count)) if partial else 0)
    items = "，".join(f"{label}{value}条" for label, value in zip(labels, values, strict=True))
    channel = draw(st.sampled_from(("通过政府门户网站", "通过政务新媒体和门户网站", "")))
    return f"（一）主动公开。全年{channel}主动公开政府信息{total}条，其中{items}{'等' if partial else ''}。"


def _group_total(t3: dict[str, int], row: str) -> int:
    """A result category's total: its own row, or the sum of its sub-rows."""
    if f"{row}.total" in t3:
        return t3[f"{row}.total"]
    return sum(v for k, v in t3.items() if k.startswith(f"{row}.") and k.endswith(".total"))


def _share(part: int, whole: int) -> str:
    """part/whole as a percentage with one decimal, rounded half up (as reports print it)."""
    tenths = (part * 2000 + whole) // (2 * whole)
    return f"{tenths // 10}.{tenths % 10}"


def _results(draw: st.DrawFn, t3: dict[str, int]) -> str:
    """'其中予以公开a件，部分公开b件，…' as reports state the results (TXT-001 reads them)."""
    granted, partial = t3["granted.total"], t3["partial.total"]
    rest = [
        ("不予公开", _group_total(t3, "withheld")),
        ("无法提供", _group_total(t3, "unable")),
        ("不予处理", _group_total(t3, "rejected")),
        ("其他处理", _group_total(t3, "other")),
    ]
    if draw(st.booleans()):
        head = [f"予以公开及部分公开{granted + partial}件"]
    else:
        head = [f"予以公开{granted}件", f"部分公开{partial}件"]
    return "办理结果中，" + "，".join(head + [f"{name}{n}件" for name, n in rest]) + "。"


def _applications(draw: st.DrawFn, t3: dict[str, int]) -> str:
    new, person = t3["new.total"], t3["new.natural_person"]
    carried = t3["carried_over.total"]
    openings = [
        f"全年新收政府信息公开申请{new}件",
        f"全年共收到政府信息公开申请{new}件",
        f"本年度受理政府信息公开申请{new}件",
    ]
    if carried:
        openings.append(f"本年度受理政府信息公开申请{new + carried}件（含上年结转{carried}件）")
    opening = draw(st.sampled_from(openings))
    sentences, clauses = [], [opening]
    if draw(st.booleans()):  # the applicants, as a breakdown that adds up
        persons = (
            f"其中自然人申请{person}件，占{_share(person, new)}%"
            if new and draw(st.booleans())
            else f"其中自然人申请{person}件"
        )
        if "含上年结转" in opening:  # a breakdown of the new applications only
            sentences.append(
                f"{opening}。全年新收申请{new}件，{persons}，法人或其他组织申请{new - person}件。"
            )
        else:
            sentences.append(f"{opening}，{persons}，法人或其他组织申请{new - person}件。")
        clauses = []
    if draw(st.booleans()):
        clauses.append(f"上年结转{carried}件")
    handled = t3["total.total"]
    clauses.append(draw(st.sampled_from((f"办结{handled}件", f"答复申请{handled}件"))))
    if draw(st.booleans()):
        clauses.append(f"结转下年度继续办理{t3['carried_forward.total']}件")
    sentences.append("，".join(clauses) + "。")
    if draw(st.booleans()):
        sentences.append(_results(draw, t3))
    return "（二）依申请公开。" + "".join(sentences)


def _documents(draw: st.DrawFn, version: str, t2: dict[str, Any]) -> str:
    if version == "2021":
        text = (
            f"（三）政府信息管理。印发行政规范性文件{t2['normative_documents.issued']}件，"
            f"废止{t2['normative_documents.repealed']}件，"
            f"现行有效行政规范性文件{t2['normative_documents.in_force']}件"
        )
        if draw(st.booleans()):
            text += f"；制发规章{t2['regulations.issued']}件"
        return text + "。"
    verb = draw(st.sampled_from(("制定", "新制作")))
    return f"（三）政府信息管理。本年{verb}规范性文件{t2['normative_documents.made']}件。"


def _reviews(draw: st.DrawFn, t4: dict[str, int]) -> tuple[str, str]:
    """(the overview's sentence on reviews and lawsuits, section 4's prose on reviews).

    Section 4 does not mention 行政诉讼: the table-4 reader takes any line of
    section 4 that does for part of the table (see the report of issue 5)."""
    review = t4["review.total"]
    lawsuits = t4["litigation_direct.total"] + t4["litigation_after_review.total"]
    blocks = ("review", "litigation_direct", "litigation_after_review")
    lost = sum(t4[f"{b}.corrected"] + t4[f"{b}.pending"] for b in blocks)
    others = sum(t4[f"{b}.other"] for b in blocks)
    if review == 0 and lawsuits == 0 and draw(st.booleans()):
        overview = "（六）复议诉讼。全年未发生政府信息公开行政复议、行政诉讼案件。"
    else:
        claim = ""
        if lost == 0 and review + lawsuits > 0:  # a true claim, which TXT-002 checks
            claim = draw(
                st.sampled_from(
                    ("，均获维持", "，无败诉案件") if others == 0 else ("，无败诉案件",)
                )
            )
        overview = (
            f"（六）复议诉讼。全年发生政府信息公开行政复议{review}件，行政诉讼{lawsuits}件{claim}。"
        )
    lead = "本年度，因政府信息公开工作"
    if review == 0:
        detail = draw(st.sampled_from((f"{lead}未发生行政复议。", f"{lead}被申请行政复议0件。")))
    elif draw(st.booleans()):
        detail = (
            f"{lead}被申请行政复议{review}件，其中结果维持{t4['review.upheld']}件，"
            f"结果纠正{t4['review.corrected']}件，其他结果{t4['review.other']}件，"
            f"尚未审结{t4['review.pending']}件。"
        )
    else:
        detail = f"{lead}被申请行政复议{review}件。"
    return overview, detail


def _overview(
    draw: st.DrawFn, agency: str, year: int, version: str, tables: dict, reviews: str
) -> str:
    opening = (
        f"{year}年，{agency}坚持以公开为常态、不公开为例外，全面推进主动公开、依申请公开、"
        "政府信息管理、平台建设和监督保障等各项工作。"
    )
    paragraphs = [
        opening,
        _breakdown(draw, 40),
        _applications(draw, tables["t3"]),
        _documents(draw, version, tables["t2"]),
        "（四）平台建设。持续优化政府门户网站政府信息公开专栏，规范栏目设置。",
        "（五）监督保障。将政务公开工作纳入年度绩效考核，开展社会评议，全年未发生责任追究情况。",
        reviews,
    ]
    return "\n".join(paragraphs)


# -- the report -----------------------------------------------------------------------


@st.composite
def _report(
    draw: st.DrawFn, pairs: list[tuple[str, int]], kinds: tuple[str, ...], max_count: int
) -> dict[str, Any]:
    version, year = draw(st.sampled_from(pairs))
    kind = draw(st.sampled_from(kinds))
    agency = draw(agency_names(kind))
    tpl = template(version)
    flat = {
        "t2": _t2(draw, tpl.tables["t2"], max_count),
        "t3": _t3(draw, tpl.tables["t3"], max_count),
        "t4": _t4(draw, tpl.tables["t4"], max_count),
    }
    title = draw(
        st.sampled_from(
            (
                f"{agency}{year}年政府信息公开工作年度报告",
                f"{year}年{agency}政府信息公开工作年度报告",
            )
        )
    )
    period = draw(st.sampled_from(_PERIOD_SENTENCES)).format(y=year)
    preamble = (
        "根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
        f"（{tpl.basis}）的要求，编制本报告。{period}。本报告可在{agency}门户网站查阅或下载。"
    )
    reviews, review_detail = _reviews(draw, flat["t4"])
    texts = {
        1: _overview(draw, agency, year, version, flat, reviews),
        2: draw(st.sampled_from(("", "本年度主动公开政府信息情况如下。"))),
        3: draw(st.sampled_from(("", "本年度收到和处理政府信息公开申请情况如下。"))),
        4: review_detail,
        5: draw(st.sampled_from(_PROBLEMS))
        + "\n"
        + draw(st.sampled_from(_IMPROVEMENTS)).format(next_year=year + 1),
        6: draw(st.sampled_from(_OTHER_MATTERS)),
    }
    return {
        "meta": {
            "title": title,
            "agency": agency,
            "agency_kind": kind,
            "year": year,
            "template": version,
            "published": _published(draw, year, kind).isoformat(),
            "period": {
                "text": period,
                "start": date(year, 1, 1).isoformat(),
                "end": date(year, 12, 31).isoformat(),
            },
        },
        "preamble": preamble,
        "sections": [
            {"number": s.number, "title": s.title, "text": texts[s.number]} for s in sections()
        ],
        "tables": {name: _nested(cells) for name, cells in flat.items()},
    }
