"""Metadata from a document: title, year, statistics period, agency, kind, publication date.

Sources in order of trust: reader hints (YAML front matter, crawler header,
HTML ``<meta>`` publish dates; CLI options are applied later), the title line
(with the agency's name when it is printed on the line above), the
statistics-period sentence, and for the publication date the signature block
(落款) at the end. A title naming only a place ("某某县2023年…") is that
place's government's own report. A value nobody states stays unknown; rules that need it are then
not applicable rather than guessing.
"""

from __future__ import annotations

from datetime import date

from checker.extract.sections import Layout
from checker.model import Meta, Period, Position
from checker.regexes import lazy
from checker.sources.document import Document

_YEAR = lazy(r"((?:19|20)\d{2})\s*年")
_PERIOD = lazy(
    r"统计(?:期限|时限|时间|区间|周期|期间|范围)[^0-9。]{0,8}?"
    r"(?P<y1>(?:19|20)\d{2})\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日\s*(?:起)?\s*"
    r"(?:至|到|—|–|-|~|～)\s*(?:(?P<y2>(?:19|20)\d{2})\s*年)?\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"
)
_DATE = lazy(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_DATE_LINE = lazy(r"^[(（]?\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[)）]?$")
_TITLE_TAIL = lazy(r"(?:(?:19|20)\d{2}\s*年度?)?\s*(?:政府)?(?:信息公开|政务公开).*$")
_TITLE_HEAD_YEAR = lazy(r"^\s*(?:19|20)\d{2}\s*年度?")

# (suffix, kind): checked in order, first match wins. A 派出机构 acting in its own name
# (a 开发区管委会, 条例 第十条第二款) is held to the departments' deadline (1月31日).
_KIND_BY_NAME = (
    ("街道办事处", "subdistrict"),
    ("街道办", "subdistrict"),
    ("街道", "subdistrict"),
    ("镇人民政府", "township"),
    ("乡人民政府", "township"),
    ("人民政府办公厅", "department"),
    ("人民政府办公室", "department"),
    ("管理委员会", "department"),
    ("管委会", "department"),
    ("人民政府", "government"),
    ("局", "department"),
    ("委员会", "department"),
    ("委", "department"),
    ("厅", "department"),
    ("办公室", "department"),
    ("署", "department"),
)
# a place name alone ("某某县", "某某市某某区", "某某镇"): a report titled so is that
# place's own government report (a 县级以上地方人民政府, or a 乡镇人民政府)
_PLACE = lazy(
    r"^[\u4e00-\u9fff]{1,24}?(?P<level>自治区|自治州|自治县|自治旗|省|市|县|区|旗|盟|州|镇|乡)$"
)
# a development or pilot zone named alone (平潭综合实验区, 某某经济开发区): run by a 管委会, not a
# 人民政府, so neither the government's nor the departments' rules are assumed ("other")
_ZONES = ("开发区", "高新区", "实验区", "试验区", "示范区", "园区", "合作区", "保税区")
_AGENCY_LINE = lazy(r"^[\u4e00-\u9fff（）()]{2,30}$")
# a date on its own line, or after the agency's name, in the signature block (落款)
_SIGNATURE_DATE = lazy(
    r"^(?:[\u4e00-\u9fff（）()]{2,30}\s*)?[(（]?\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月"
    r"\s*(\d{1,2})\s*日\s*[)）]?$"
)
_SIGNATURE_BLOCKS = 12  # the signature block is within the last lines of the report


def _safe_date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    match = _DATE.search(text)
    return _safe_date(*match.groups()) if match else None


def agency_from_title(title: str) -> str | None:
    head = _TITLE_HEAD_YEAR.sub("", title)
    agency = _TITLE_TAIL.sub("", head).strip(" 　《》")
    return agency or None


def agency_kind_of(agency: str | None) -> str | None:
    if not agency:
        return None
    for suffix, kind in _KIND_BY_NAME:
        if agency.endswith(suffix):
            return kind
    if agency.endswith(_ZONES):
        return "other"
    place = _PLACE.match(agency)
    if place:
        return "township" if place["level"] in ("镇", "乡") else "government"
    return None


def agency_line_before(doc: Document, title_pos: Position | None) -> tuple[str, Position] | None:
    """The agency's name printed on its own line just above a title that lacks it
    ("淮安市人民政府" over "2024年政府信息公开工作年度报告")."""
    if title_pos is None:
        return None
    for index, block in enumerate(doc.blocks[:6]):
        if block.pos == title_pos:
            if index == 0:
                return None
            above = doc.blocks[index - 1].text.strip().replace(" ", "")
            if _AGENCY_LINE.match(above) and agency_kind_of(above) is not None:
                return above, doc.blocks[index - 1].pos
            return None
    return None


def signature_date(doc: Document, year: int | None) -> tuple[date, Position] | None:
    """The date of the signature block (落款) at the end of the report: the last date-only
    line (or agency + date) among the last lines, within two years after the report year."""
    for block in reversed(doc.blocks[-_SIGNATURE_BLOCKS:]):
        if block.is_row:
            continue
        match = _SIGNATURE_DATE.match(block.text.strip())
        if not match:
            continue
        found = _safe_date(*match.groups())
        if found is None:
            continue
        if year is not None and not (year <= found.year <= year + 2):
            continue
        return found, block.pos
    return None


def find_period(doc: Document, limit_blocks: int = 80) -> Period | None:
    for block in doc.blocks[:limit_blocks]:
        for cell in block.cells:
            match = _PERIOD.search(cell.text)
            if match:
                start = _safe_date(match["y1"], match["m1"], match["d1"])
                end = _safe_date(match["y2"] or match["y1"], match["m2"], match["d2"])
                pos = Position(
                    cell.pos.path,
                    cell.pos.line,
                    (cell.pos.column or 1) + match.start(),
                    page=cell.pos.page,
                )
                return Period(match.group(0), start, end, pos)
    return None


def extract_meta(doc: Document, layout: Layout) -> Meta:
    meta = Meta(source=doc.path)
    hints = doc.hints
    title_hint = hints.get("title")
    if layout.title:
        meta.title, meta.positions["title"] = layout.title, layout.title_pos  # type: ignore[assignment]
    elif title_hint:
        meta.title = title_hint.value
        if title_hint.pos:
            meta.positions["title"] = title_hint.pos
    meta.period = find_period(doc)
    year_hint = hints.get("year")
    title_year = _YEAR.search(meta.title or "")
    if year_hint and year_hint.value.isdigit():
        meta.year = int(year_hint.value)
    elif title_year:
        meta.year = int(title_year.group(1))
    elif meta.period and meta.period.start:
        meta.year = meta.period.start.year
    # an agency stated outright wins; a crawler's 发布机构 is only who put the page online
    # (often the office publishing for its government), so the title names the agency first
    agency_hint, publisher = hints.get("agency"), hints.get("publisher")
    meta.agency = (agency_hint.value if agency_hint else agency_from_title(meta.title or "")) or (
        publisher.value if publisher else None
    )
    if meta.agency is None and meta.title and layout.title:
        above = agency_line_before(doc, layout.title_pos)
        if above is not None:  # the title is printed on two lines: agency, then year + name
            meta.agency = above[0]
            meta.title = above[0] + meta.title
            meta.positions["title"] = above[1]
    kind_hint = hints.get("agency_kind")
    meta.agency_kind = kind_hint.value if kind_hint else agency_kind_of(meta.agency)
    if hints.get("region"):
        meta.region = hints["region"].value
    published = hints.get("published")
    if published:
        meta.published = parse_date(published.value)
        if published.pos:
            meta.positions["published"] = published.pos
    else:
        for block in doc.blocks[:6]:
            match = _DATE_LINE.match(block.text.strip())
            if match:
                meta.published = _safe_date(*match.groups())
                meta.positions["published"] = block.pos
                break
        if meta.published is None:
            signed = signature_date(doc, meta.year)
            if signed is not None:
                meta.published, meta.positions["published"] = signed
    meta.legacy = meta.year is not None and meta.year <= 2018
    return meta
