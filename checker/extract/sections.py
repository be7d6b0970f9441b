"""Find the six numbered section headings, the title line and the preamble."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from checker.model import Position, Section
from checker.sources.document import Block, Document
from checker.templates import normalize_label, sections, split_numbering

_HEADING = re.compile(r"^\s*(?P<num>[一二三四五六])\s*[、.．,，]\s*(?P<title>\S.{1,40})$")
_TITLE_LINE = re.compile(
    r"(?:19|20)\d{2}\s*年.{0,12}政府信息公开.{0,8}(?:年度)?报告|政府信息公开.{0,6}年度报告"
)
_NUMBERS = "一二三四五六"
MIN_SIMILARITY = 0.6


@dataclass(slots=True)
class Layout:
    """Where the sections are: block index ranges, plus the title and preamble."""

    sections: list[Section] = field(default_factory=list)
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # number -> [start, end) blocks
    title: str | None = None
    title_pos: Position | None = None
    preamble: str = ""
    preamble_pos: Position | None = None
    # block indexes consumed by tables (excluded from section text)
    table_blocks: set[int] = field(default_factory=set)


def heading_number(block: Block) -> tuple[int, str] | None:
    """(section number, title as written) when the block is a section heading."""
    if block.is_row or len(block.cells) != 1:
        return None
    match = _HEADING.match(block.cells[0].text)
    if not match:
        return None
    number = _NUMBERS.index(match["num"]) + 1
    written = block.cells[0].text.strip()
    return (number, written) if _is_section_title(number, written) else None


@lru_cache(maxsize=4096)
def _is_section_title(number: int, written: str) -> bool:
    """Does a heading numbered `number` read like that section's title (or a variant)?"""
    core = split_numbering(normalize_label(written))[1]
    sdef = sections()[number - 1]
    candidates = [sdef.core, *(normalize_label(v) for v in sdef.variants)]
    best = max(SequenceMatcher(None, core, c).ratio() for c in candidates)
    return best >= MIN_SIMILARITY or any(core.startswith(c) for c in candidates)


def split_sections(doc: Document) -> Layout:
    layout = Layout()
    heads: list[tuple[int, int, str]] = []  # (block index, number, title)
    for index, block in enumerate(doc.blocks):
        found = heading_number(block)
        if found:
            heads.append((index, *found))
    first = heads[0][0] if heads else len(doc.blocks)
    preamble_blocks = []
    for index in range(first):
        block = doc.blocks[index]
        text = block.text.strip()
        if layout.title is None and index < 5 and _TITLE_LINE.search(text) and len(text) <= 60:
            layout.title, layout.title_pos = text, block.pos
            continue
        preamble_blocks.append(block)
    layout.preamble = "\n".join(b.text for b in preamble_blocks)
    layout.preamble_pos = preamble_blocks[0].pos if preamble_blocks else None
    for position, (index, number, _title) in enumerate(heads):
        end = heads[position + 1][0] if position + 1 < len(heads) else len(doc.blocks)
        layout.spans.setdefault(number, (index + 1, end))
    return layout


def finish_sections(doc: Document, layout: Layout, heads_order: list[int] | None = None) -> None:
    """Fill Section objects (text excludes blocks consumed by tables)."""
    ordered = sorted(layout.spans.items(), key=lambda item: item[1][0])
    for number, (start, end) in ordered:
        heading = doc.blocks[start - 1]
        body = [doc.blocks[i] for i in range(start, end) if i not in layout.table_blocks]
        offsets, cursor = [], 0
        for block in body:
            offsets.append((cursor, block.pos))
            cursor += len(block.text) + 1
        layout.sections.append(
            Section(
                number=number,
                title=heading.cells[0].text.strip(),
                canonical_title=sections()[number - 1].title,
                text="\n".join(b.text for b in body),
                pos=heading.pos,
                text_pos=body[0].pos if body else None,
                offsets=tuple(offsets),
            )
        )
