"""Reader for plain text and Markdown.

Shapes understood:

- web pages saved as text, one cell per line with ``|`` separator lines;
- crawler output: a ``key: value`` header block ending in a ``=====`` line
  (标题, 发布时间, 发布机构 …), then the page — often the whole page on one
  line. Such a page line is cut into blocks at the six section headings and
  at sentence ends; site chrome around the article (当前位置, 微信 微博,
  文件下载, 附件下载 …) is dropped. Table text stays as it is: extraction
  cuts it into cells (`checker.extract.tokens`);
- PDF text layers: page-number lines (``- 4 -``, ``— 4 —``, ``第4页``) are
  dropped, and vertical header text, one character per line, is joined;
- Markdown: pipe tables (each row a table row), headings, YAML front matter.

Every block keeps the line and column it was read from.
"""

from __future__ import annotations

from functools import cache
from itertools import pairwise
from pathlib import Path

from checker.errors import InputError
from checker.memo import line_cache
from checker.numbers import PLACEHOLDERS
from checker.regexes import compiled, lazy
from checker.sources.document import Document, Hint, TextCell
from checker.sources.encoding import decode_text
from checker.sources.limits import Limits, read_bytes
from checker.templates import sections

EXTENSIONS = (".txt", ".md", ".markdown", ".text")

_CRAWLER_KEYS = {
    "标题": "title",
    "发布时间": "published",
    "发布日期": "published",
    "成文日期": "published",
    # who put the page online (often an office publishing for its government): a fallback for the agency
    "发布机构": "publisher",
    "来源": "publisher",
}
_CRAWLER_LINE = lazy(r"^\s*(?P<key>[\u4e00-\u9fff]{2,4})\s*[:：]\s*(?P<value>.*)$")
_SEPARATOR_ONLY = lazy(r"^[\s|｜]*$")
_MD_DIVIDER = lazy(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_HEADING = lazy(r"^\s{0,3}#{1,6}\s+")
_PAGE_NUMBER = lazy(
    r"^\s*(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)\s*$"
)
_CHROME = lazy(
    r"当前位置[:：]|来源[:：]|发布时间[:：]|时间[:：]|浏览次数[:：]?|点击(?:数|量)[:：]?|微信|微博|QQ空间"
    r"|全真版|文字版|文件下载|相关链接[:：]?|-->|<!--|附件下载|打印本页|关闭窗口|返回顶部|分享到[:：]?|扫一扫"
    r"|【?字体[:：]?\s*[【\[]?大[】\]]?\s*[【\[]?中[】\]]?\s*[【\[]?小[】\]]?】?"
)
_CHROME_WORD = lazy(r"^(?:" + _CHROME.pattern + r"|打印|关闭|收藏)$")
_FOOTER = lazy(
    r"主办单位|主办[:：]|承办单位|版权所有|Copyright|网站标识码|[京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青蒙桂藏宁新]ICP备|公网安备|网站地图|联系我们"
)
_CHROME_GAP = 100  # longest stretch of breadcrumb or title text between two chrome markers
_SENTENCE_END = lazy(r"[。！？][”’」』）)]*")
_PAGE_LINE_LENGTH = 2000  # a line this long is a whole page, even with fewer than two headings
_NUMERALS = "一二三四五六"


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
            from checker.sources.yamlnodes import load_yaml_with_positions

            try:  # the report loader's rules: no tags, anchors or aliases, bounded nesting
                data, _ = load_yaml_with_positions("\n".join(lines[1:end]), "front matter")
            except InputError:
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
                            match["value"].strip(),
                            doc.pos(header_index + 1, match.start("value") + 1),
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


_HEADING_START = lazy(r"[一二三四五六]\s*[、.．]\s*")


@cache
def _heading_titles() -> dict[str, tuple[str, ...]]:
    """Per numeral, the official title and its known variants, longest first."""
    return {
        _NUMERALS[sdef.number - 1]: tuple(
            sorted({sdef.title.split("、", 1)[-1], *sdef.variants}, key=len, reverse=True)
        )
        for sdef in sections()
    }


def _spaced_match(text: str, start: int, title: str) -> int:
    """Where `title` ends when it is written at `start` with any whitespace between its
    characters (as crawled text breaks it), or -1."""
    at = start
    for index, char in enumerate(title):
        if index:
            while at < len(text) and text[at].isspace():
                at += 1
        if at >= len(text) or text[at] != char:
            return -1
        at += 1
    return at


def _headings(line: str) -> list[tuple[int, int]]:
    """Section headings inside running text, (start, end) each: numeral, 、, then an official
    title or a known variant (a hand-written scan: the one regular expression spelling every
    title with whitespace between its characters took 10-20 ms to compile at every start)."""
    found = []
    at = 0
    titles = _heading_titles()
    while (start := _HEADING_START.search(line, at)) is not None:
        end = next(
            (
                e
                for t in titles[line[start.start()]]
                if (e := _spaced_match(line, start.end(), t)) > 0
            ),
            -1,
        )
        if end > 0:
            found.append((start.start(), end))
            at = end
        else:
            at = start.start() + 1
    return found


def _chrome_end(text: str) -> int:
    """Where the site chrome in front of the article ends (0 when the text starts with the article)."""
    end = 0
    for marker in _CHROME.finditer(text):
        gap = text[end : marker.start()]
        if len(gap) > _CHROME_GAP or "。" in gap or "，" in gap:
            break
        end = marker.end()
    return end


def _chrome_start(text: str, floor: int) -> int:
    """Where the site chrome after the article begins (len(text) when there is none): a footer
    (主办单位, 版权所有, ICP备 …) after the last sentence, or trailing chrome words."""
    last_sentence = max([floor, *(m.end() for m in _SENTENCE_END.finditer(text, floor))])
    footer = _FOOTER.search(text, last_sentence)
    start = footer.start() if footer else len(text)
    for word in reversed(list(compiled(r"\S+").finditer(text[floor:start]))):
        if not _CHROME_WORD.match(word.group()):
            break
        start = floor + word.start()
    return start


@line_cache()
def is_chrome_line(line: str) -> bool:
    words, start = line.split(), line.lstrip()
    return bool(words) and (
        start.startswith("当前位置")
        or bool(_FOOTER.match(start))
        or all(_CHROME_WORD.match(w) for w in words)
    )


@line_cache()
def page_pieces(line: str) -> tuple[tuple[str, int], ...] | None:
    """A whole page on one line, cut into (text, offset) blocks; None when `line` is an ordinary line."""
    headings = _headings(line)
    if len(headings) < 2 and len(line) < _PAGE_LINE_LENGTH:
        return None
    begin = _chrome_end(line)
    finish = _chrome_start(line, max((end for _, end in headings), default=begin))
    cuts = {begin, finish}
    for heading in headings:
        cuts |= set(heading)
    cuts |= {m.end() for m in _SENTENCE_END.finditer(line)}
    ordered = sorted(c for c in cuts if begin <= c <= finish)
    pieces = []
    for left, right in pairwise(ordered):
        chunk = line[left:right]
        if chunk.strip():
            pieces.append((chunk.strip(), left + len(chunk) - len(chunk.lstrip())))
    return tuple(pieces)


def _is_vertical_char(line: str) -> bool:
    text = line.strip()
    return len(text) == 1 and "\u4e00" <= text <= "\u9fff" and text not in PLACEHOLDERS


def _vertical_run(lines: list[str], index: int) -> int:
    """How many lines from `index` on are one character each (vertical text); 0 when fewer than two."""
    end = index
    while end < len(lines) and _is_vertical_char(lines[end]):
        end += 1
    return end - index if end - index >= 2 else 0


def parse_text(text: str, path: str) -> Document:
    doc = Document(path)
    lines = text.split("\n")
    start = _front_matter(lines, doc)
    start = _crawler_header(lines, start, doc)
    index = start
    while index < len(lines):
        line = lines[index]
        line_no = index + 1
        index += 1
        if _SEPARATOR_ONLY.match(line) or _MD_DIVIDER.match(line) or _PAGE_NUMBER.match(line):
            continue
        cells = _pipe_cells(line, line_no, doc)
        if cells is not None:
            doc.row(cells)
            continue
        pieces = page_pieces(line)
        if pieces is not None:
            for piece, offset in pieces:
                doc.paragraph(piece, line_no, offset + 1)
            continue
        if is_chrome_line(line):
            continue
        content = _MD_HEADING.sub("", line).strip().strip("|｜").strip()
        run = _vertical_run(lines, index)
        lead_in = len(content) <= 3 and content.endswith(("、", "）", ")"))
        if run and (lead_in or _is_vertical_char(line)):
            # a header written one character per line (a narrow PDF column): one label
            content += "".join(lines[i].strip() for i in range(index, index + run))
            index += run
        if content:
            column = line.index(content[0]) + 1 if content[0] in line else 1
            doc.paragraph(content, line_no, column)
    return doc
