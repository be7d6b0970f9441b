"""Tables 2, 3 and 4 from a Document, anchored on the template's row labels.

The table region is read as a stream of label and value tokens (`tokens`).
A label that names a row of the template starts that row; the values after
it are its cells, in the template's column order. What could not be placed
is reported, never guessed:

- EXT-002: a row whose values cannot make its column count (too many, or too
  few and not a run of digits that could be cut); the row's cells are blank;
- EXT-003: a row of the template that is not in the table; its cells are
  blank, so no sum is computed over a shifted or missing row;
- EXT-004: a numbered label that matches no row of the template;
- EXT-005: digits run together that can be cut into cells in more than one
  way the table's own sums allow (`digits`, `arithmetic`); the cells are blank;
- EXT-006: numbers in the table that belong to no row;
- EXT-007: a row that appears a second time; the first one is read.

A label repeated just above its row (a Markdown heading over a one-row
table) is the same row, and a header row injected mid-table is skipped.
"""

from __future__ import annotations

from decimal import Decimal

from msgspec import Struct, field
from msgspec.structs import replace

from checker.extract.arithmetic import Group, resolve, table_relations
from checker.extract.cells import trim_empty
from checker.extract.digits import MAX_READINGS, Reading, ValueText, pieces, readings
from checker.extract.labels import closest_row, is_numbered
from checker.extract.placement import proposals, unique_and_consistent, values_before_labels
from checker.extract.sections import Layout
from checker.extract.tokens import Token, is_prose, tokenize
from checker.extract.vanished import fill_vanished_column
from checker.memo import line_cache
from checker.model import Cell, Diagnostic, Position, cell_pointer
from checker.numbers import parse_number
from checker.sources.document import Document
from checker.templates import (
    RowDef,
    TableDef,
    normalize_label,
    split_numbering,
    template_for_year,
    templates,
)

SECTION_OF_TABLE = {"t2": 2, "t3": 3, "t4": 4}
_KNOWN_NON_ROW = (
    "第二十条",
    "信息内容",
    "申请人情况",
    "法人或其他组织",
    "行政诉讼",
    "本列数据的勾稽关系",
    "勾稽关系",
    "单位",
    "项目",
    "合计",
)
_SHOWN_VALUES = 12  # values quoted in a finding
_QUOTED_CHARS = 80  # a run of source text quoted as written, when no longer than this
_TOO_MANY = {"zh": "极多", "en": "too many"}
# column-header words among table 4's figures from which their order is not the cells' (one
# late 总计 of the last column is a text layer's habit; a dozen is a scrambled table)
MIXED_HEADERS = 3
TABLE_READINGS = 50000  # candidate readings weighed per table before the rest count as too many
LISTED_READINGS = 5  # readings an EXT-005 finding lists
MAX_JUDGED = 50  # readings of one row judged against the prose (checker/readings.py)


def _column_cores(tables: list[TableDef]) -> set[str]:
    return {
        split_numbering(normalize_label(label))[1]
        for tdef in tables
        for column in tdef.columns
        for label in column.labels
    }


def match_row(text: str, tdef: TableDef, column_cores: set[str]) -> RowDef | None:
    """The template row a label names, or None. Numbering disambiguates short labels."""
    prefix, core = split_numbering(normalize_label(text))
    if not core:
        return None
    best: tuple[int, int, RowDef] | None = None
    for order, row in enumerate(tdef.rows):
        for row_core in row.cores:
            if core == row_core:
                score = 3
            elif core.startswith(row_core) and len(row_core) >= 2:
                score = 2
            elif row_core.startswith(core) and len(core) >= max(4, int(len(row_core) * 0.6)):
                score = 1
            elif prefix and prefix == row.numbering and row_core.startswith(core):
                score = 0  # a label cut short but numbered like the row: "（六）其他", "（四）无"
            else:
                continue
            if row_core in column_cores and prefix != row.numbering:
                continue  # "其他"/"总计" are column headers unless numbered like the row
            if prefix and prefix == row.numbering:
                score += 1
            candidate = (score, -order, row)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    return best[2] if best else None


@line_cache(maxsize=20_000)  # reports repeat the same labels; column_cores is a frozenset
def match_label(
    text: str, tdef: TableDef, column_cores: frozenset[str]
) -> tuple[RowDef, int] | None:
    """The row a label names and where in the text its label starts.

    Flattened pages run header text into the first label
    (``…现行有效件数规章``): an unnumbered row whose label ends the text counts."""
    row = match_row(text, tdef, column_cores)
    if row is not None:
        return row, 0
    plain_rows = [(r, set(r.cores) - column_cores) for r in tdef.rows if not r.numbering]
    longest = max((len(core) for _, cores in plain_rows for core in cores), default=0)
    folded = normalize_label(text)
    if not any(folded.endswith(core) for _, cores in plain_rows for core in cores):
        return None  # folding is character by character: no folded ending, no label at the end
    # a label is short: look only at the text's last characters (spaces and quotes fold away)
    for offset in range(max(1, len(text) - 3 * longest - 8), len(text) - 1):
        core = normalize_label(text[offset:])
        for candidate, cores in plain_rows:
            if core in cores:
                return candidate, offset
    return None


def _looks_like_row_label(text: str) -> bool:
    prefix, core = split_numbering(normalize_label(text))
    return bool(prefix) and 2 <= len(core) <= 40 and not any(k in core for k in _KNOWN_NON_ROW)


def _diag(code: str, pointer: str, pos: Position | None, **params: object) -> Diagnostic:
    return Diagnostic(code, dict(params), pointer, pos)


def _shown(values: list[Token]) -> str:
    """The values as the source wrote them: the exact text when they were cut from one run of
    text ("2648-18538", not "2648 18538"), else each value, a blank as （空）, cut with …（共N个）;
    no value at all as "—"."""
    if not values:
        return "—"
    first, last = values[0], values[-1]
    if first.source and all(v.source is first.source for v in values):
        quoted = first.source[first.offset : last.offset + len(last.text)]
        if first.offset <= last.offset and len(quoted) <= _QUOTED_CHARS:
            return quoted
    shown = " ".join(v.text or "（空）" for v in values[:_SHOWN_VALUES])
    return shown + (f" …（共{len(values)}个）" if len(values) > _SHOWN_VALUES else "")


class RowRead(Struct):
    """A row label found in the document and the value tokens that followed it."""

    row: RowDef
    label: Token
    values: list[Token] = field(default_factory=list)


class _TableRead(Struct):
    cells: dict[str, Cell] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    blocks: set[int] = field(default_factory=set)
    rows: list[RowRead] = field(default_factory=list)


def _collect_rows(
    name: str, tdef: TableDef, tokens: list[Token], all_tables: list[TableDef]
) -> _TableRead:
    """Label tokens start rows, value tokens fill them; unknown labels and stray numbers are reported."""
    read = _TableRead()
    column_cores = frozenset(_column_cores(all_tables))
    known_cores = column_cores | {
        split_numbering(normalize_label(label))[1]
        for t in all_tables
        for r in t.rows
        for label in r.labels
    }
    current: RowRead | None = None
    unknown: list[tuple[int, RowRead]] = []  # labels of no row, with their values and place
    in_unknown_row = False  # values after an unknown label belong to that label, not to a row
    stray: list[Token] = []

    def report_stray() -> None:
        if stray:
            read.diagnostics.append(
                _diag(
                    "EXT-006",
                    f"/tables/{name}",
                    stray[0].pos,
                    values=_shown(stray),
                    count=len(stray),
                )
            )
            stray.clear()

    debris: list[int] = []
    for token in tokens:
        if token.header_row:
            read.blocks.add(token.block)
            continue
        if debris and (token.is_value or match_label(token.text, tdef, column_cores)):
            read.blocks.update(debris)
            debris.clear()
        if token.is_value:
            if current is not None:
                current.values.append(token)
                read.blocks.add(token.block)
            elif not in_unknown_row and parse_number(token.text).value is not None:
                stray.append(token)
                read.blocks.add(token.block)
            continue
        found = match_label(token.text, tdef, column_cores)
        if found is not None:
            report_stray()
            row, offset = found
            label = token if offset == 0 else _label_at(token, offset)
            if (
                current is not None
                and current.row.key == row.key
                and not current.values
                and not any(current is u for _, u in unknown)
            ):
                current.label = label  # the label repeated over its own row
            else:
                current = RowRead(row, label)
                read.rows.append(current)
            in_unknown_row = False
            read.blocks.add(token.block)
            continue
        core = split_numbering(normalize_label(token.text))[1]
        if core in known_cores or any(k in core for k in _KNOWN_NON_ROW):
            read.blocks.add(token.block)
            continue
        if (_looks_like_row_label(token.text) or is_numbered(token.text)) and (
            (current is not None or in_unknown_row)
            or closest_row(token.text, tdef) is not None  # a misspelt first row
        ):
            report_stray()
            current, in_unknown_row = RowRead(tdef.rows[0], token), False
            unknown.append((len(read.rows), current))
            continue
        if current is not None and not current.values and len(token.text) <= 40:
            read.blocks.add(token.block)  # the rest of a label broken over lines or a page
            continue
        if current is not None and len(token.text) <= 3 and not is_prose(token.text):
            debris.append(token.block)  # a character of a vertical header, if the table goes on
            continue
        if len(token.text) > 40:
            report_stray()
            current, in_unknown_row = None, False  # prose after the table ends the last row
    report_stray()
    _place_unknown(name, tdef, read, unknown)
    return read


def _place_unknown(
    name: str, tdef: TableDef, read: _TableRead, unknown: list[tuple[int, RowRead]]
) -> None:
    """Labels no row's exact label matched: the row a label is closest to when it is safe
    (``labels.closest_row``, its place between its neighbours, no exact label for that row),
    with an EXT-010 warning; otherwise EXT-004 and their values are not used."""
    order = {row.key: index for index, row in enumerate(tdef.rows)}
    exact = {r.row.key for r in read.rows}
    taken: set[str] = set()
    placed: list[tuple[int, RowRead]] = []
    for at, row_read in unknown:
        row = closest_row(row_read.label.text, tdef)
        # group labels stand where their merged cell's middle is: only value rows show the order
        before = [order[r.row.key] for r in read.rows[:at] if r.row.kind == "leaf"]
        after = [order[r.row.key] for r in read.rows[at:] if r.row.kind == "leaf"]
        fits = (
            row is not None
            and row.key not in exact
            and row.key not in taken
            and (not before or max(before) < order[row.key])
            and (not after or order[row.key] < min(after))
        )
        if not fits or row is None:
            read.diagnostics.append(
                _diag(
                    "EXT-004", f"/tables/{name}", row_read.label.pos, label=row_read.label.text[:40]
                )
            )
            continue
        taken.add(row.key)
        read.blocks.add(row_read.label.block)
        row_read.row = row
        placed.append((at, row_read))
        read.diagnostics.append(
            _diag(
                "EXT-010",
                cell_pointer(name, row.key),
                row_read.label.pos,
                printed=row_read.label.text[:40],
                official=row.zh,
            )
        )
    for at, row_read in reversed(placed):
        read.rows.insert(at, row_read)


def _label_at(token: Token, offset: int) -> Token:
    pos = token.pos
    if pos.column is not None:
        pos = replace(pos, column=pos.column + offset)
    return replace(token, text=token.text[offset:], pos=pos)


class _Pending(Struct):
    """A row (or table 4's fifteen cells) waiting for the table's sums to pick its reading."""

    pointer: str
    label: str
    anchor: Position | None
    keys: tuple[str, ...]
    values: list[Token]
    found: list[Reading] = field(default_factory=list)
    group: Group | None = None


def _judged(consistent: int, has_sums: bool) -> dict[str, str]:
    """What the table's sums said about the readings of an ambiguous row."""
    if not has_sums:
        return {"zh": "表内没有能据以判断的勾稽关系", "en": "no sum of the table bears on them"}
    return {
        "zh": f"其中{consistent}种符合表内勾稽关系",
        "en": f"{consistent} of them agree with the table's sums",
    }


def _listed(item: _Pending) -> dict[str, object]:
    """The readings still possible, for the finding (``listed``) and for judging them against
    the prose (``candidates``: table, cell keys, and each reading's values; see
    ``checker/readings.py``). ``judgement`` is filled there when the prose picks one out."""
    group = item.group
    if group is None or not item.found:
        return {"listed": "", "candidates": None, "judgement": ""}
    alive = group.alive or list(range(len(group.candidates)))
    shown = alive[:LISTED_READINGS]
    texts = [" ".join(text for text, _, _ in item.found[i]) for i in shown]
    zh = "；可能的读法：" + "；".join(f"（{n}）{t}" for n, t in enumerate(texts, 1))
    en = "; possible readings: " + "; ".join(f"({n}) {t}" for n, t in enumerate(texts, 1))
    if len(alive) > len(shown):
        zh += f"；另有{len(alive) - len(shown)}种"
        en += f"; {len(alive) - len(shown)} more"
    table = item.pointer.split("/")[2] if item.pointer.startswith("/tables/") else ""
    candidates = [[str(v) if v is not None else None for v in group.candidates[i]] for i in alive]
    return {
        "listed": {"zh": zh, "en": en},
        # too many to weigh them all: none is judged (the one left out could be the true one)
        "candidates": {"table": table, "keys": list(item.keys), "values": candidates}
        if len(candidates) <= MAX_JUDGED
        else None,
        "judgement": "",
    }


def _blank(
    cells: dict[str, Cell], keys: tuple[str, ...], pos: Position | None, why: str = "unreadable"
) -> None:
    for key in keys:
        cells[key] = Cell(None, None, pos, unread=why)


def _settle(pending: list[_Pending], tdef: TableDef, cells: dict[str, Cell]) -> list[Diagnostic]:
    """Read every pending row: as written, by the one reading the sums allow, or not at all."""
    diagnostics: list[Diagnostic] = []
    groups: list[Group] = []
    budget = TABLE_READINGS  # readings weighed in one table, so that hostile text stays cheap
    for item in pending:
        item.values = trim_empty(item.values, len(item.keys))
        texts = [ValueText(v.text, v.pos, v.splittable) for v in item.values]
        options = readings(texts, len(item.keys), min(budget, MAX_READINGS))
        if options == []:
            diagnostics.append(
                _diag(
                    "EXT-002",
                    item.pointer,
                    item.anchor,
                    row=item.label,
                    expected=len(item.keys),
                    actual=len(item.values),
                    values=_shown(item.values),
                )
            )
            _blank(cells, item.keys, item.anchor)
            continue
        item.found = options or []
        budget -= len(item.found)
        item.group = Group(item.keys, [tuple(_value(text) for text, _, _ in r) for r in item.found])
        groups.append(item.group)
        if options is None:
            item.group.alive = []  # too many readings to weigh: ambiguous
    relations = table_relations(tdef)
    resolve(groups, relations)
    related = {key for relation in relations for key in relation.keys}
    for item in pending:
        if item.group is None:
            continue
        if item.group.chosen is None:
            diagnostics.append(
                _diag(
                    "EXT-005",
                    item.pointer,
                    item.values[0].pos if item.values else item.anchor,
                    row=item.label,
                    digits=_shown(item.values),
                    readings=len(item.found) if item.found else _TOO_MANY,
                    judged=_judged(
                        0 if item.group.defective else len(item.group.alive),
                        bool(related & set(item.keys)),
                    ),
                    **_listed(item),
                )
            )
            anchor = item.values[0].pos if item.values else item.anchor
            _blank(cells, item.keys, anchor, "ambiguous")
            continue
        texts = [ValueText(v.text, v.pos) for v in item.values]
        for key, piece in zip(item.keys, pieces(texts, item.found[item.group.chosen]), strict=True):
            parsed = parse_number(piece.text)
            cells[key] = Cell(parsed.value, piece.text, piece.pos, parsed.note)
    return diagnostics


def _value(text: str) -> Decimal | None:
    return parse_number(text).value


def _place_rows(name: str, tdef: TableDef, read: _TableRead) -> None:
    pending: list[_Pending] = []
    placed: dict[str, RowRead] = {}
    for row_read in read.rows:
        row = row_read.row
        if row.kind == "heading":
            continue
        if row.kind == "header" and all(_value(v.text) is None for v in row_read.values):
            continue  # a group header without a printed subtotal
        if row.key in placed:
            first = placed[row.key].label.pos
            read.diagnostics.append(
                _diag(
                    "EXT-007",
                    cell_pointer(name, row.key),
                    row_read.label.pos,
                    row=row.zh,
                    first=first.line if first and first.line else "?",
                    values=_shown(row_read.values),
                )
            )
            continue
        placed[row.key] = row_read
        columns = (
            tdef.row_columns(row) if row.kind == "leaf" else tuple(c.key for c in tdef.columns)
        )
        pending.append(
            _Pending(
                cell_pointer(name, row.key),
                row.zh,
                row_read.label.pos,
                tuple(f"{row.key}.{c}" for c in columns),
                row_read.values,
            )
        )
    # a blank column flattened away: found, or reported once for the table
    read.diagnostics += fill_vanished_column(pending, table_relations(tdef), tdef, read.cells)
    read.diagnostics += _settle(pending, tdef, read.cells)


def _place_by_order(name: str, tdef: TableDef, read: _TableRead) -> _TableRead:
    """Cells of the rows read; value rows whose labels were lost go into the missing rows in the
    template's order when every relation proves it (``placement``), with EXT-011 for each."""
    values_before_labels(tdef, read.rows)
    found = proposals(tdef, read.rows)
    if found:
        rows = list(read.rows)
        for proposal in reversed(found):
            host = RowRead(proposal.host.row, proposal.host.label, proposal.own)
            rows[proposal.at] = host
            extra = [
                RowRead(target, chunk[0], list(chunk))
                for target, chunk in zip(proposal.targets, proposal.chunks, strict=True)
            ]
            rows[proposal.at + 1 : proposal.at + 1] = extra
        trial = _TableRead(diagnostics=list(read.diagnostics), blocks=set(read.blocks), rows=rows)
        _place_rows(name, tdef, trial)
        if all(unique_and_consistent(tdef, trial.cells, p) for p in found):
            for proposal in found:
                for target, chunk in zip(proposal.targets, proposal.chunks, strict=True):
                    trial.diagnostics.append(
                        _diag(
                            "EXT-011",
                            cell_pointer(name, target.key),
                            chunk[0].pos,
                            row=target.zh,
                            after=proposal.host.row.zh,
                        )
                    )
            return trial
    _place_rows(name, tdef, read)
    return read


def _only_header_words(text: str, header_words: set[str]) -> bool:
    """A table-4 header cell: nothing but header words ("行政复议", "行政诉讼结果维持"...).

    Prose in section 四 that mentions 行政诉讼 ("未发生行政复议、行政诉讼") is not a header."""
    rest = text
    for word in sorted(header_words | {"行政诉讼"}, key=len, reverse=True):
        rest = rest.replace(word, "")
    return bool(text) and not rest


def _read_t4(tdef: TableDef, tokens: list[Token]) -> _TableRead:
    read = _TableRead()
    keys = tuple(f"{r.key}.{c.key}" for r in tdef.leaf_rows() for c in tdef.columns)
    started = False
    values: list[Token] = []
    header_words = {normalize_label(label) for r in tdef.rows for label in r.labels} | {
        normalize_label(label) for c in tdef.columns for label in c.labels
    }
    column_words = {normalize_label(label) for c in tdef.columns for label in c.labels}
    first: Token | None = None
    late_headers = 0  # column headers met after figures: many, and the order is not the cells'
    for token in tokens:
        if not token.is_value:
            folded = normalize_label(token.text)
            figures = any(v.text for v in values)
            if figures and 2 <= len(folded) <= 6 and any(folded in w for w in column_words):
                late_headers += 1
            if _only_header_words(folded, header_words):
                started = True
                first = first or token
                read.blocks.add(token.block)
            elif started and values and len(token.text) > 40:
                break
            continue
        if started:
            values.append(token)
            read.blocks.add(token.block)
    if not started or first is None:
        return read
    anchor = values[0].pos if values else first.pos
    pending = _Pending("/tables/t4", "行政复议、行政诉讼", anchor, keys, values)
    read.diagnostics += _settle([pending], tdef, read.cells)
    read.rows = [RowRead(r, first) for r in tdef.leaf_rows()]
    if late_headers >= MIXED_HEADERS and not _blocks_add_up(tdef, read.cells):
        # a text layer that mixed header words into the figures: in the order met they break
        # the blocks' sums, which says more about the order than about the table; not read
        _blank(read.cells, keys, anchor)
        read.diagnostics.append(
            _diag("EXT-006", "/tables/t4", anchor, values=_shown(values), count=len(values))
        )
    return read


def _blocks_add_up(tdef: TableDef, cells: dict[str, Cell]) -> bool:
    for relation in table_relations(tdef):
        sides = [[cells.get(k) for k in side] for side in (relation.lhs, relation.rhs)]
        if any(c is None or c.value is None for side in sides for c in side):
            continue
        if sum(c.value for c in sides[0]) != sum(c.value for c in sides[1]):  # type: ignore[misc]
            return False
    return True


def _row_span(first: RowDef, last: RowDef, count: int) -> dict[str, str]:
    """How a finding names one missing row, or a run of them."""
    if count == 1:
        return {"zh": f"“{first.zh}”行", "en": f'"{first.zh}" ({first.en})'}
    return {
        "zh": f"“{first.zh}”至“{last.zh}”共{count}行",
        "en": f'"{first.zh}" ({first.en}) through "{last.zh}" ({last.en}), {count} rows',
    }


def _missing_rows(name: str, tdef: TableDef, read: _TableRead) -> list[Diagnostic]:
    """EXT-003 for each run of template rows not in the table; their cells are left blank."""
    if not read.cells:
        return []
    seen = {r.row.key for r in read.rows}
    keys = set(read.cells)
    merged_parents = {
        r.key
        for r in tdef.rows
        if r.kind == "header"
        and any(k.startswith(r.key + ".") and k.count(".") == r.key.count(".") + 1 for k in keys)
    }
    label_pos = {r.row.key: r.label.pos for r in read.rows}
    runs: list[tuple[list[RowDef], Position | None]] = []
    anchor = read.rows[0].label.pos if read.rows else None
    in_run = False
    for row in tdef.rows:
        if row.key in label_pos:
            anchor, in_run = label_pos[row.key], False
        if row.kind != "leaf" or row.key in seen or (row.parent and row.parent in merged_parents):
            continue
        if in_run:
            runs[-1][0].append(row)
        else:
            runs.append(([row], anchor))
            in_run = True
        _blank(
            read.cells, tuple(f"{row.key}.{c}" for c in tdef.row_columns(row)), anchor, "missing"
        )
    return [
        _diag(
            "EXT-003",
            cell_pointer(name, rows[0].key),
            pos,
            rows=_row_span(rows[0], rows[-1], len(rows)),
            count=len(rows),
        )
        for rows, pos in runs
    ]


def template_evidence(labels: list[str]) -> dict[str, list[str]]:
    """Which versions' distinctive labels occur in `labels`, also inside run-together header text.

    Longer labels are matched first and mask what they cover, so 本年处理决定数量 (2021)
    is not also read as 处理决定数量 (2019)."""
    marks = sorted(
        (
            (normalize_label(label), label, version)
            for version, tpl in templates().items()
            for label in tpl.evidence
        ),
        key=lambda item: -len(item[0]),
    )
    evidence: dict[str, list[str]] = {}
    for text in labels:
        folded = normalize_label(text)
        for mark, label, version in marks:
            if mark and mark in folded:
                folded = folded.replace(mark, "\0")
                if label not in evidence.setdefault(version, []):
                    evidence[version].append(label)
    return {v: hits for v, hits in evidence.items() if hits}


def _spans(layout: Layout, count: int) -> dict[str, tuple[int, int]]:
    """Block ranges to read each table from; a table whose section heading is missing is looked for
    between the neighbouring sections that were found (table 4 first under its own heading)."""
    found = layout.spans
    spans: dict[str, tuple[int, int]] = {}
    for name, number in SECTION_OF_TABLE.items():
        if number in found:
            spans[name] = found[number]
        elif name == "t4":
            spans[name] = (0, 0)
        else:
            before = [found[n][0] for n in found if n < number]
            after = [found[n][0] - 1 for n in found if n > number]
            spans[name] = (max(before, default=0), min(after, default=count))
    return spans


def extract_tables(
    doc: Document, layout: Layout, year_hint: int | None = None
) -> tuple[dict[str, dict[str, Cell]], dict[str, list[str]], list[Diagnostic]]:
    """Cells of t2/t3/t4, the template evidence, and extraction diagnostics.

    Each table is read from its section first; a table not found there is looked for by its
    labels in the rest of the document (a caption or heading that was not recognised, a table
    printed in another section), so that STR-004 fires only when no table carries its labels."""
    spans = _spans(layout, len(doc.blocks))
    whole = tokenize(doc, 0, len(doc.blocks))  # once: the spans and the search elsewhere share it
    token_lists = {
        name: [t for t in whole if start <= t.block < end] for name, (start, end) in spans.items()
    }

    def elsewhere() -> list[Token]:
        return [t for t in whole if t.block not in layout.table_blocks]

    evidence = template_evidence(
        [t.text for name in ("t2", "t3") for t in token_lists[name] if not t.is_value]
    ) or template_evidence([t.text for t in elsewhere() if not t.is_value])
    if evidence:
        version = max(evidence, key=lambda v: (len(evidence[v]), v))
    else:
        fallback = template_for_year(year_hint) or templates()[max(templates())]
        version = fallback.version
    tpl = templates()[version]
    all_versions = list(templates().values())
    tables: dict[str, dict[str, Cell]] = {}
    diagnostics: list[Diagnostic] = []
    for name in ("t2", "t3"):
        tdef = tpl.tables[name]
        versions = [t.tables[name] for t in all_versions]
        read = _collect_rows(name, tdef, token_lists[name], versions)
        if not read.rows:
            found = _collect_rows(name, tdef, elsewhere(), versions)
            read = found if found.rows else read
        read = _place_by_order(name, tdef, read)
        diagnostics += read.diagnostics + _missing_rows(name, tdef, read)
        tables[name] = read.cells
        layout.table_blocks |= read.blocks
    read = _read_t4(tpl.tables["t4"], token_lists["t4"])
    if not read.cells:
        found = _read_t4(tpl.tables["t4"], elsewhere())
        read = found if found.cells else read
    tables["t4"] = read.cells
    diagnostics += read.diagnostics
    layout.table_blocks |= read.blocks
    return tables, evidence, diagnostics
