"""Metadata from a document: title, year, statistics period, agency, kind, publication date.

Sources in order of trust: reader hints (YAML front matter, crawler header,
CLI options are applied later), the title line, the statistics-period
sentence. A value nobody states stays unknown; rules that need it are then
not applicable rather than guessing.
"""

from __future__ import annotations

import re
from datetime import date

from checker.extract.sections import Layout
from checker.model import Meta, Period, Position
from checker.sources.document import Document

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_PERIOD = re.compile(
    r"统计(?:期限|时限|时间|区间|周期|期间|范围)[^0-9。]{0,8}?"
    r"(?P<y1>(?:19|20)\d{2})\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日\s*(?:起)?\s*"
    r"(?:至|到|—|–|-|~|～)\s*(?:(?P<y2>(?:19|20)\d{2})\s*年)?\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"
)
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_DATE_LINE = re.compile(
    r"^[(（]?\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[)）]?$"
)
_TITLE_TAIL = re.compile(r"(?:(?:19|20)\d{2}\s*年度?)?\s*(?:政府)?(?:信息公开|政务公开).*$")
_TITLE_HEAD_YEAR = re.compile(r"^\s*(?:19|20)\d{2}\s*年度?")

# (suffix, kind): checked in order, first match wins
_KIND_BY_NAME = (
    ("街道办事处", "subdistrict"),
    ("街道", "subdistrict"),
    ("镇人民政府", "township"),
    ("乡人民政府", "township"),
    ("人民政府办公厅", "department"),
    ("人民政府办公室", "department"),
    ("人民政府", "government"),
    ("局", "department"),
    ("委员会", "department"),
    ("厅", "department"),
    ("办公室", "department"),
)


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
    meta.legacy = meta.year is not None and meta.year <= 2018
    return meta
