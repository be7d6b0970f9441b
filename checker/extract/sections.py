"""Find the six numbered section headings, the title line and the preamble.

A heading is recognised by its number *and* its title, by meaning rather than
exact wording: titles are compared after folding the conjunctions (与/和/及/、)
and tolerate edit distance; a title split over two lines (or a number on a
line of its own) is joined; a heading in a one-cell table row (a framed page)
counts. Deviations from the official outline are reported as STR-003
(warning), never as a missing section:

- a section found under another number (``七、其他需要报告的事项`` after an
  extra chapter): it is that section, renumbered;
- an extra top-level chapter that shifts the numbering;
- one heading naming two sections (``五、存在的主要问题及改进情况和其他需要报告的事项``).

Wording deviations are for STR-002; order for STR-001.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from msgspec import Struct, field

from checker.model import Diagnostic, Position, Section
from checker.regexes import lazy
from checker.sources.document import Block, Document
from checker.templates import normalize_label, sections, split_numbering, templates

_NUMERALS = "一二三四五六七八九十"
_HEADING = lazy(
    rf"^\s*(?P<num>[{_NUMERALS}]{{1,2}})\s*(?:[、.．,，]\s*|\s+)(?P<title>\S.{{1,40}})$"
)
_BARE_NUMBER = lazy(rf"^\s*(?P<num>[{_NUMERALS}]{{1,2}})\s*[、.．,，]?\s*$")
_TITLE_LINE = lazy(
    r"(?:19|20)\d{2}\s*年.{0,12}政府信息公开.{0,8}(?:年度)?报告|政府信息公开.{0,6}年度报告"
)
_CONJUNCTIONS = lazy(r"以及|与|和|及|[.、，,]")
_NUMBERS = "一二三四五六"
MIN_SIMILARITY = 0.6  # a title this close to its own number's section is that section
RENUMBERED_SIMILARITY = 0.75  # a title this close to another section is that one, renumbered
MARGIN = 0.15  # ... and closer to it than to any other section by this much
UNNUMBERED_SIMILARITY = 0.9  # a heading without a number must be the title or a variant, nearly
CONTINUATION_CHARS = 20  # the second line of a split title is short


class Layout(Struct):
    """Where the sections are: block index ranges, plus the title and preamble."""

    sections: list[Section] = field(default_factory=list)
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # number -> [start, end) blocks
    title: str | None = None
    title_pos: Position | None = None
    preamble: str = ""
    preamble_pos: Position | None = None
    # block indexes consumed by tables (excluded from section text)
    table_blocks: set[int] = field(default_factory=set)
    # number -> (heading block index, title as written) where the heading differs from one block
    heads: dict[int, tuple[int, str]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # STR-003 outline deviations


class _Head(Struct, frozen=True):
    index: int  # the heading's first block
    body: int  # the first block after the heading
    written: int  # the number as printed
    numbers: tuple[int, ...]  # the sections it is (two when merged); () for an extra chapter
    title: str
    pos: Position


def _numeral(text: str) -> int:
    """一..十, 十一..十九 as an integer."""
    if len(text) == 1:
        return _NUMERALS.index(text) + 1
    return 10 + (_NUMERALS.index(text[1]) + 1 if text[0] == "十" else 0)


def _single_text(block: Block) -> str | None:
    """The text of a paragraph, or of a table row with one non-empty cell (a framed page)."""
    texts = [c.text for c in block.cells if c.text.strip()]
    if len(texts) != 1 or (not block.is_row and len(block.cells) != 1):
        return None
    return texts[0]


def _fold(text: str) -> str:
    return _CONJUNCTIONS.sub("", split_numbering(normalize_label(text))[1])


@lru_cache(maxsize=1)
def _folded_titles() -> tuple[tuple[str, ...], ...]:
    """Each section's title and variants, folded (computed once per process)."""
    return tuple(tuple(_fold(t) for t in (sdef.title, *sdef.variants)) for sdef in sections())


def _best_ratio(core: str, candidates: tuple[str, ...]) -> float:
    """The highest similarity of ``core`` to a candidate; a candidate whose cheap upper bound
    cannot beat the best so far is not compared in full (the result is the same)."""
    best = 0.0
    for candidate in candidates:
        matcher = SequenceMatcher(None, core, candidate)
        if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
            best = max(best, matcher.ratio())
    return best


@lru_cache(maxsize=4096)
def title_scores(written: str) -> tuple[float, ...]:
    """How close a heading's title is to each of the six sections (1.0: the title or a variant)."""
    core = _fold(written)
    known = _known_scores().get(core)
    return known if known is not None else _scores(core)


def _scores(core: str) -> tuple[float, ...]:
    scores = []
    for candidates in _folded_titles():
        best = _best_ratio(core, candidates)
        if any(core.startswith(c) for c in candidates if len(c) >= 4):
            best = max(best, 0.95)
        elif any(_shared_start(core, c) >= max(4, len(c) // 2) for c in candidates):
            # "存在的主要问题及明年工作计划": the same opening words
            best = max(best, MIN_SIMILARITY)
        scores.append(best)
    return tuple(scores)


@lru_cache(maxsize=1)
def _known_scores() -> dict[str, tuple[float, ...]]:
    """The scores of every section title, variant and table label of the format templates,
    worked out once into the snapshot cache: most numbered lines a report prints are among
    them, and comparing one with the six sections' titles takes ~0.4 ms. Keyed by the code
    that scores (this module, and the label folding of checker.templates) and the template
    files, so a change to any of them works the scores out again."""
    from pathlib import Path

    from checker import templates as templates_module
    from checker.cache.snapshot import cached
    from checker.resources import data_dir

    folder = data_dir("rules") / "templates"
    code = [Path(module).read_bytes() for module in (__file__, templates_module.__file__)]
    source = b"\0".join([*code, *(p.read_bytes() for p in sorted(folder.glob("*.yaml")))])

    def build() -> dict[str, tuple[float, ...]]:
        labels = {t for sdef in sections() for t in (sdef.title, *sdef.variants)}
        for tpl in templates().values():
            for table in tpl.tables.values():
                labels.update(label for row in table.rows for label in row.labels)
                labels.update(label for column in table.columns for label in column.labels)
        return {core: _scores(core) for core in {_fold(label) for label in labels}}

    return cached("title-scores", source, build)


def _shared_start(left: str, right: str) -> int:
    count = 0
    for a, b in zip(left, right, strict=False):
        if a != b:
            break
        count += 1
    return count


def _merged_with(written: str, number: int) -> int | None:
    """The other section a heading also names ("…改进情况和其他需要报告的事项"), if any."""
    core = _fold(written)
    for sdef, candidates in zip(sections(), _folded_titles(), strict=True):
        if sdef.number == number:
            continue
        for candidate in candidates:
            if len(candidate) >= 6 and candidate in core and len(core) - len(candidate) >= 4:
                return sdef.number
    return None


def classify(written_number: int, title: str) -> tuple[int, ...] | None:
    """The sections a heading is: its own number's when the title fits it, another's when the
    title clearly names that one (renumbered); None when the title names none of them."""
    scores = title_scores(title)
    own = scores[written_number - 1] if written_number <= len(scores) else 0.0
    best = max(range(len(scores)), key=lambda i: scores[i])
    runner_up = max((s for i, s in enumerate(scores) if i != best), default=0.0)
    clear_best = scores[best] >= RENUMBERED_SIMILARITY and scores[best] - runner_up >= MARGIN
    if own >= MIN_SIMILARITY and not (
        clear_best and best + 1 != written_number and scores[best] - own >= 0.25
    ):
        number = written_number
    elif clear_best:
        number = best + 1
    else:
        return None
    other = _merged_with(title, number)
    return (number, other) if other else (number,)


def heading_number(block: Block) -> tuple[int, str] | None:
    """(section number, title as written) when the block is a heading under its own number."""
    text = _single_text(block)
    match = _HEADING.match(text) if text else None
    if not match or match["num"] not in _NUMBERS:
        return None
    number = _NUMBERS.index(match["num"]) + 1
    written = text.strip()  # type: ignore[union-attr]
    found = classify(number, written)
    return (number, written) if found and found[0] == number else None


def _candidate(doc: Document, index: int) -> _Head | None:
    block = doc.blocks[index]
    text = _single_text(block)
    if text is None:
        return None
    following = doc.blocks[index + 1] if index + 1 < len(doc.blocks) else None
    next_text = _single_text(following) if following is not None else None
    bare = _BARE_NUMBER.match(text)
    if bare and next_text and len(next_text.strip()) <= 40 and not _HEADING.match(next_text):
        written = _numeral(bare["num"])
        title = f"{text.strip()}{next_text.strip()}"
        found = classify(written, title)
        if found:
            return _Head(index, index + 2, written, found, title, block.pos)
        return None
    match = _HEADING.match(text)
    if not match or "。" in text:
        return None
    written, title = _numeral(match["num"]), text.strip()
    found = classify(written, title)
    if found is None:
        return _Head(index, index + 1, written, (), title, block.pos)
    body = index + 1
    if (
        next_text
        and len(next_text.strip()) <= CONTINUATION_CHARS
        and not _HEADING.match(next_text)
        and not any(ch.isdigit() for ch in next_text)
        and "。" not in next_text
    ):
        joined = f"{title}{next_text.strip()}"
        if title_scores(joined)[found[0] - 1] > title_scores(title)[found[0] - 1] + 0.05:
            title, body = joined, index + 2
    return _Head(index, body, written, found, title, block.pos)


def _section_heads(heads: list[_Head]) -> list[_Head]:
    """The headings that are sections: not a second heading for a section already found (a
    sub-heading ``一、存在的主要问题`` inside 五, a caption repeating the title), and not a
    renumbered one whose printed number goes back (a sub-list restarting at 一)."""
    found: list[_Head] = []
    claimed: set[int] = set()
    last_written = 0
    for head in heads:
        if not head.numbers or claimed & set(head.numbers):
            continue
        if head.written != head.numbers[0] and head.written <= last_written:
            continue
        found.append(head)
        claimed |= set(head.numbers)
        last_written = head.written
    return found


def _outline(heads: list[_Head]) -> list[_Head]:
    """The headings that make the outline: sections, and extra chapters only where the printed
    numbering has room for them (between the numbers of the sections around it, or past the
    last one), so that a table's own numbered rows (``四、结转下年度继续办理``) never count."""
    sections_found = _section_heads(heads)
    kept = []
    for head in heads:
        if head.numbers:
            if head in sections_found:
                kept.append(head)
            continue
        if _is_row_label(head.title):
            continue  # 四、结转下年度继续办理 where section 四's own heading lost its number
        before = [h.written for h in sections_found if h.index < head.index]
        after = [h.written for h in sections_found if h.index > head.index]
        fits = bool(before) and before[-1] < head.written
        if fits and (head.written < after[0] if after else head.written > 6):
            kept.append(head)
    return kept


@lru_cache(maxsize=1)
def _row_label_cores() -> frozenset[str]:
    """The folded labels (without their numbering) of every row of every format's tables."""
    return frozenset(
        core
        for tpl in templates().values()
        for tdef in tpl.tables.values()
        for row in tdef.rows
        for core in row.cores
        if len(core) >= 4
    )


def _is_row_label(title: str) -> bool:
    """A numbered line that is a table's row label (``四、结转下年度继续办理``), not a chapter."""
    core = split_numbering(normalize_label(title))[1]
    return any(core.startswith(label) for label in _row_label_cores())


def _deviations(outline: list[_Head]) -> list[Diagnostic]:
    found = []
    for head in outline:
        printed = head.title[:40]
        if not head.numbers:
            problem = {
                "zh": f"增加了一级标题“{printed}”",
                "en": f'an extra top-level section "{printed}"',
            }
        elif len(head.numbers) > 1:
            names = "、".join(sections()[n - 1].title for n in head.numbers)
            problem = {
                "zh": f"标题“{printed}”合并了{names}",
                "en": f'the heading "{printed}" merges sections {head.numbers}',
            }
        elif head.written == 0:
            official = sections()[head.numbers[0] - 1].title
            problem = {
                "zh": f"标题“{printed}”没有编号（统一格式为“{official}”）",
                "en": f'the heading "{printed}" has no number (the format\'s "{official}")',
            }
        elif head.written != head.numbers[0]:
            official = sections()[head.numbers[0] - 1].title
            problem = {
                "zh": f"“{printed}”按统一格式应为“{official}”（编号不同）",
                "en": f'"{printed}" is the format\'s "{official}" under another number',
            }
        else:
            continue
        found.append(
            Diagnostic("STR-003", {"problem": problem, "title": printed}, "/sections", head.pos)
        )
    return found


def _unnumbered(doc: Document, outline: list[_Head]) -> list[_Head]:
    """Headings printed without a number (``总体情况``, ``## 其他需要报告的事项``) for the
    sections no numbered heading names: a short line that is that section's title or a variant,
    between the sections before and after it."""
    found_numbers = {n for head in outline for n in head.numbers}
    added: list[_Head] = []
    for number in range(1, 7):
        if number in found_numbers:
            continue
        before = [h.index for h in outline if h.numbers and h.numbers[0] < number]
        after = [h.index for h in outline if h.numbers and h.numbers[0] > number]
        start, end = max(before, default=-1) + 1, min(after, default=len(doc.blocks))
        for index in range(start, end):
            text = _single_text(doc.blocks[index])
            title = (text or "").strip().lstrip("#").strip()
            if not title or len(title) > 30 or "。" in title or _HEADING.match(title):
                continue
            if any(ch.isdigit() for ch in title):
                continue
            scores = title_scores(title)
            others = max(s for i, s in enumerate(scores) if i != number - 1)
            if (
                scores[number - 1] >= UNNUMBERED_SIMILARITY
                and scores[number - 1] - others >= MARGIN
            ):
                added.append(_Head(index, index + 1, 0, (number,), title, doc.blocks[index].pos))
                break
    return added


def split_sections(doc: Document) -> Layout:
    layout = Layout()
    heads: list[_Head] = []
    index = 0
    while index < len(doc.blocks):
        head = _candidate(doc, index)
        if head is not None:
            heads.append(head)
            index = head.body
        else:
            index += 1
    outline = _outline(heads)
    outline = sorted([*outline, *_unnumbered(doc, outline)], key=lambda head: head.index)
    first = outline[0].index if outline else len(doc.blocks)
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
    for position, head in enumerate(outline):
        end = outline[position + 1].index if position + 1 < len(outline) else len(doc.blocks)
        for number in head.numbers:
            if number not in layout.spans:
                layout.spans[number] = (head.body, end)
                layout.heads[number] = (head.index, head.title)
    layout.diagnostics = _deviations(outline)
    return layout


def finish_sections(doc: Document, layout: Layout, heads_order: list[int] | None = None) -> None:
    """Fill Section objects (text excludes blocks consumed by tables)."""
    ordered = sorted(layout.spans.items(), key=lambda item: item[1][0])
    for number, (start, end) in ordered:
        head_index, title = layout.heads.get(number, (start - 1, ""))
        heading = doc.blocks[head_index]
        body = [doc.blocks[i] for i in range(start, end) if i not in layout.table_blocks]
        offsets, cursor = [], 0
        for block in body:
            offsets.append((cursor, block.pos))
            cursor += len(block.text) + 1
        layout.sections.append(
            Section(
                number=number,
                title=title or heading.cells[0].text.strip(),
                canonical_title=sections()[number - 1].title,
                text="\n".join(b.text for b in body),
                pos=heading.pos,
                text_pos=body[0].pos if body else None,
                offsets=tuple(offsets),
            )
        )
