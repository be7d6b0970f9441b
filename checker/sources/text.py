"""Reader for plain text and Markdown: web pages saved as text, the flattened
one-cell-per-line shape (``|`` separator lines), crawler output with a header
block, and Markdown with pipe tables and YAML front matter.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from checker.sources.document import Document, Hint, TextCell
from checker.sources.encoding import decode_text
from checker.sources.limits import Limits, read_bytes

EXTENSIONS = (".txt", ".md", ".markdown", ".text")

_CRAWLER_KEYS = {
    "标题": "title",
    "发布时间": "published",
    "发布日期": "published",
    "成文日期": "published",
    "发布机构": "agency",
    "来源": "agency",
}
_CRAWLER_LINE = re.compile(r"^\s*(?P<key>[\u4e00-\u9fff]{2,4})\s*[:：]\s*(?P<value>.*)$")
_SEPARATOR_ONLY = re.compile(r"^[\s|｜]*$")
_MD_DIVIDER = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


def read_text(path: Path, limits: Limits | None = None, display: str | None = None) -> Document:
    shown = display or str(path)
    text = decode_text(read_bytes(path, limits), shown)
    return parse_text(text, shown)


def _front_matter(lines: list[str], doc: Document) -> int:
    """YAML front matter between --- lines: title/agency/agency_kind/year/published hints."""
    if not lines or lines[0].strip() != "---":
        return 0
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() in ("---", "..."):
            try:
                data = yaml.safe_load("\n".join(lines[1:end]))
            except yaml.YAMLError:
                return 0
            if isinstance(data, dict):
                for key in ("title", "agency", "agency_kind", "year", "published", "region"):
                    if data.get(key) is not None:
                        doc.hints[key] = Hint(str(data[key]), doc.pos(2 + list(data).index(key)))
            return end + 1
    return 0


def _crawler_header(lines: list[str], start: int, doc: Document) -> int:
    """A crawler header: 'key: value' lines ending at a ===== line."""
    for index in range(start, min(len(lines), start + 30)):
        if lines[index].startswith("====="):
            for header_index in range(start, index):
                match = _CRAWLER_LINE.match(lines[header_index])
                if match and match["key"] in _CRAWLER_KEYS and match["value"].strip():
                    hint = _CRAWLER_KEYS[match["key"]]
                    if hint not in doc.hints:
                        doc.hints[hint] = Hint(
                            match["value"].strip(), doc.pos(header_index + 1, match.start("value") + 1)
                        )
            return index + 1
    return start


def _pipe_cells(line: str, line_no: int, doc: Document) -> list[TextCell] | None:
    """Split a Markdown pipe-table row into cells; None when the line is not one."""
    stripped = line.strip()
    if stripped.count("|") < 2 or not stripped.startswith("|"):
        return None
    cells: list[TextCell] = []
    offset = line.index("|") + 1
    for part in stripped[1:].split("|")[:-1] if stripped.endswith("|") else stripped[1:].split("|"):
        column = offset + (len(part) - len(part.lstrip())) + 1
        cells.append(TextCell(part.strip(), doc.pos(line_no, column)))
        offset += len(part) + 1
    return cells


def parse_text(text: str, path: str) -> Document:
    doc = Document(path)
    lines = text.split("\n")
    start = _front_matter(lines, doc)
    start = _crawler_header(lines, start, doc)
    for index in range(start, len(lines)):
        line = lines[index]
        line_no = index + 1
        if _SEPARATOR_ONLY.match(line) or _MD_DIVIDER.match(line):
            continue
        cells = _pipe_cells(line, line_no, doc)
        if cells is not None:
            doc.row(cells)
            continue
        content = _MD_HEADING.sub("", line).strip().strip("|｜").strip()
        if content:
            column = line.index(content[0]) + 1 if content[0] in line else 1
            doc.paragraph(content, line_no, column)
    return doc
