"""Which files a folder walk finds are reports (issue 13): the rest are skipped, and said so.

A folder of reports also holds READMEs, a baseline, the expected findings of
test cases, outputs of earlier runs. Checking those gives findings about
files that are not reports; so a folder walk checks a file only if it looks
like a report (a file named on the command line is always checked):

- a structured file (``.yaml``/``.yml``/``.json``) has the report's shape: a
  mapping whose top-level keys include ``meta``, ``tables`` or ``sections``;
- a text, Markdown or HTML file reads like an annual report: its title
  (…政府信息公开工作年度报告), the official section headings, table labels;
- the checker's own files never: ``*.expected.*`` test sidecars, baselines
  and result files written by ``nianbao`` (they name the tool at their top);
- PDF and Word files are always checked (reading them is the only way to know),
  and so are empty files (a report that went wrong: checking it says so).

Only the first ``SNIFF_BYTES`` of a file are read (16 times as much of an HTML page,
whose first screens are often menus). What is skipped is
counted in the summary and listed with ``--show-skipped``.
"""

from __future__ import annotations

from collections import namedtuple
from functools import cache
from pathlib import Path

from checker.regexes import compiled

SNIFF_BYTES = 64 * 1024
STRUCTURED = frozenset({".yaml", ".yml", ".json"})
TEXTUAL = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".text"})

_YAML_REPORT_KEY = r"(?m)^(?:meta|tables|sections)[ \t]*:"
_JSON_REPORT_KEY = r"\"(?:meta|tables|sections)\"\s*:"
_TITLE = r"政府信息公开(?:工作)?年(?:度)?报告|政务公开(?:工作)?年度报告"
_TAG = r"<[^>]*>"
_SPACE = r"[\s\u3000]+"
_OWN_MARKERS = ("nianbao-checker", "nianbao 检查结果", "nianbao results", "检查结果</title>")

# the evidence a textual file needs: the title and one heading or label, or this many of them
HEADINGS_AND_LABELS_WITHOUT_TITLE = 3

REASONS = {
    "own": ("nianbao 自己的文件（预期结果、基线或检查结果）", "one of nianbao's own files"),
    "shape": (
        "不是报告的结构（没有 meta、tables 或 sections）",
        "not shaped like a report (no meta, tables or sections)",
    ),
    "text": (
        "看不出是年度报告（没有报告标题、章节标题或表格项目）",
        "does not read like an annual report (no title, section headings or table labels)",
    ),
}


# collections.namedtuple, not typing.NamedTuple: the latter turns each annotation into a
# ForwardRef (a compile() each) at every start
class Skipped(namedtuple("Skipped", ("path", "reason"))):
    """A file a folder walk found and did not check (``path: str``), and why (``reason``, a
    key of ``REASONS``)."""

    __slots__ = ()

    def reason_text(self, lang: str) -> str:
        zh, en = REASONS[self.reason]
        return zh if lang == "zh" else en


@cache
def _markers() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Section headings (their core, without numbering) and table row labels, from the templates."""
    from checker.templates import normalize_label, sections, split_numbering, templates

    headings = {split_numbering(normalize_label(s.title))[1] for s in sections()}
    headings |= {normalize_label(v) for s in sections() for v in s.variants}
    labels = {
        split_numbering(normalize_label(label))[1]
        for template in templates().values()
        for table in template.tables.values()
        for row in table.rows
        for label in row.labels
    }
    return tuple(sorted(headings)), tuple(sorted(label for label in labels if len(label) >= 5))


def _reads_like_a_report(text: str) -> bool:
    from checker.templates import normalize_label

    folded = normalize_label(compiled(_SPACE).sub("", text))
    titled = compiled(_TITLE).search(folded) is not None
    needed = 1 if titled else HEADINGS_AND_LABELS_WITHOUT_TITLE
    headings, labels = _markers()
    found = 0
    for marker in (*headings, *labels):
        if marker in folded:
            found += 1
            if found >= needed:
                return True
    return False


def skip_reason(path: Path) -> str | None:
    """None when `path`, found in a folder walk, should be checked; else why not (a REASONS key)."""
    suffix = path.suffix.lower()
    if ".expected." in path.name.lower():
        return "own"
    if suffix not in STRUCTURED and suffix not in TEXTUAL:
        return None
    limit = SNIFF_BYTES * (16 if suffix in {".html", ".htm"} else 1)  # pages open with menus
    try:
        with open(path, "rb") as handle:
            head = handle.read(limit)
    except OSError:
        return None  # the reader says what is wrong with it
    if not head.strip():
        return None  # an empty file is a report that went wrong: checking it says so
    if len(head) == limit and b"\n" in head:  # never decode half a character
        head = head[: head.rindex(b"\n") + 1]
    from checker.errors import InputError
    from checker.sources.encoding import decode_text

    try:
        text = decode_text(head, str(path))
    except (InputError, UnicodeDecodeError):
        return None  # binary or undecodable: checking it says so
    own = any(marker in text[:4096] for marker in _OWN_MARKERS)
    if suffix in STRUCTURED:
        stripped = text.lstrip("\ufeff \t\r\n")
        pattern = _JSON_REPORT_KEY if stripped.startswith("{") else _YAML_REPORT_KEY
        if not stripped.startswith("[") and compiled(pattern).search(text):
            return None
        return "own" if own else "shape"
    if own:
        return "own"
    if suffix in {".html", ".htm"}:
        from html import unescape

        text = unescape(compiled(_TAG).sub("", text))
    return None if _reads_like_a_report(text) else "text"
