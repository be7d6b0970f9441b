"""Tables 2, 3 and 4 from a Document, anchored on the template's row labels.

The document is read as a stream of cell tokens. A token that names a row
of the template starts that row; the value tokens after it (numbers, blanks,
placeholders) are its cells, in the template's column order. A row whose
count of values differs from its column count is *not* filled: it becomes an
EXT-002 diagnostic, so no later rule ever sees numbers shifted into the wrong
cells. Expected rows that never appear are reported as EXT-003, labels that
look like row labels but match none as EXT-004.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.extract.sections import Layout
from checker.model import Cell, Diagnostic, Position, cell_pointer
from checker.numbers import parse_number
from checker.sources.document import Document
from checker.templates import (
    RowDef,
    TableDef,
    detect_template,
    normalize_label,
    split_numbering,
    template_for_year,
    templates,
)

SECTION_OF_TABLE = {"t2": 2, "t3": 3, "t4": 4}
_KNOWN_NON_ROW = ("第二十条", "信息内容", "申请人情况", "法人或其他组织", "行政诉讼", "本列数据的勾稽关系",
                  "勾稽关系", "单位", "项目", "合计")


@dataclass(slots=True)
class Token:
    text: str
    pos: Position
    block: int
    is_value: bool


def _tokens(doc: Document, start: int, end: int) -> list[Token]:
    tokens = []
    for index in range(start, end):
        block = doc.blocks[index]
        for cell in block.cells:
            text = cell.text.strip()
            if not text and not block.is_row:
                continue
            tokens.append(Token(text, cell.pos, index, parse_number(text).is_number))
    return tokens


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


def _looks_like_row_label(text: str) -> bool:
    prefix, core = split_numbering(normalize_label(text))
    return bool(prefix) and 2 <= len(core) <= 40 and not any(k in core for k in _KNOWN_NON_ROW)


@dataclass(slots=True)
class _TableRead:
    cells: dict[str, Cell]
    diagnostics: list[Diagnostic]
    blocks: set[int]
    rows_seen: set[str]


def _diag(code: str, pointer: str, pos: Position | None, **params: object) -> Diagnostic:
    return Diagnostic(code, dict(params), pointer, pos)


def _read_row_table(name: str, tdef: TableDef, tokens: list[Token], all_tables: list[TableDef]) -> _TableRead:
    read = _TableRead({}, [], set(), set())
    column_cores = _column_cores(all_tables)
    known_cores = column_cores | {
        split_numbering(normalize_label(label))[1] for t in all_tables for r in t.rows for label in r.labels
    }
    current: tuple[RowDef, Token] | None = None
    values: list[Token] = []

    def flush() -> None:
        if current is None:
            return
        row, label = current
        read.rows_seen.add(row.key)
        if row.kind == "heading":
            return
        expected = list(tdef.row_columns(row)) if row.kind == "leaf" else [c.key for c in tdef.columns]
        if row.kind == "header" and not values:
            return
        if all(not v.text for v in values) and row.kind == "header":
            return
        if len(values) != len(expected):
            read.diagnostics.append(
                _diag("EXT-002", cell_pointer(name, row.key), label.pos,
                      row=row.zh, expected=len(expected), actual=len(values),
                      values=" ".join(v.text or "□" for v in values[:12]))
            )
            # the row is there but unreadable: blank cells, so no rule computes on guessed numbers
            for column in expected:
                read.cells[f"{row.key}.{column}"] = Cell(None, None, label.pos)
            return
        for column, token in zip(expected, values, strict=True):
            parsed = parse_number(token.text)
            read.cells[f"{row.key}.{column}"] = Cell(parsed.value, token.text, token.pos, parsed.note)

    for token in tokens:
        if token.is_value:
            if current is not None:
                values.append(token)
                read.blocks.add(token.block)
            continue
        row = match_row(token.text, tdef, column_cores)
        if row is not None:
            flush()
            current, values = (row, token), []
            read.blocks.add(token.block)
            continue
        core = split_numbering(normalize_label(token.text))[1]
        if core in known_cores or any(k in core for k in _KNOWN_NON_ROW):
            read.blocks.add(token.block)
            continue
        if current is not None and _looks_like_row_label(token.text):
            flush()
            current, values = None, []
            read.diagnostics.append(
                _diag("EXT-004", f"/tables/{name}", token.pos, label=token.text[:40])
            )
            continue
        if current is not None and len(token.text) > 40:
            flush()  # prose after the table ends the last row
            current, values = None, []
    flush()
    return read


def _read_t4(tdef: TableDef, tokens: list[Token]) -> _TableRead:
    read = _TableRead({}, [], set(), set())
    expected = [f"{r.key}.{c.key}" for r in tdef.leaf_rows() for c in tdef.columns]
    started = False
    values: list[Token] = []
    header_words = {normalize_label(label) for r in tdef.rows for label in r.labels} | {
        normalize_label(label) for c in tdef.columns for label in c.labels
    }
    first: Token | None = None
    for token in tokens:
        if not token.is_value:
            if normalize_label(token.text) in header_words or "行政诉讼" in token.text:
                started = True
                first = first or token
                read.blocks.add(token.block)
            elif started and values and len(token.text) > 40:
                break
            continue
        if started:
            values.append(token)
            read.blocks.add(token.block)
    if not started:
        return read
    if len(values) != len(expected):
        read.diagnostics.append(
            _diag("EXT-002", "/tables/t4", (values[0] if values else first).pos,  # type: ignore[union-attr]
                  row="行政复议、行政诉讼", expected=len(expected), actual=len(values),
                  values=" ".join(v.text or "□" for v in values[:20]))
        )
        anchor = (values[0] if values else first).pos  # type: ignore[union-attr]
        read.cells = {key: Cell(None, None, anchor) for key in expected}
        return read
    for key, token in zip(expected, values, strict=True):
        parsed = parse_number(token.text)
        read.cells[key] = Cell(parsed.value, token.text, token.pos, parsed.note)
    read.rows_seen = {r.key for r in tdef.leaf_rows()}
    return read


def _missing_rows(name: str, tdef: TableDef, read: _TableRead, anchor: Position | None) -> list[Diagnostic]:
    if not read.cells:
        return []
    keys = set(read.cells)
    merged_parents = {r.key for r in tdef.rows if any(k.startswith(r.key + ".") and k.count(".") == r.key.count(".") + 1 for k in keys) and r.kind == "header"}
    out = []
    for row in tdef.leaf_rows():
        if row.key in read.rows_seen or (row.parent and row.parent in merged_parents):
            continue
        out.append(_diag("EXT-003", cell_pointer(name, row.key), anchor, row=row.zh))
    return out


def document_labels(doc: Document, start: int, end: int) -> list[str]:
    return [t.text for t in _tokens(doc, start, end) if not t.is_value]


def extract_tables(
    doc: Document, layout: Layout, year_hint: int | None = None
) -> tuple[dict[str, dict[str, Cell]], dict[str, list[str]], list[Diagnostic]]:
    """Cells of t2/t3/t4, the template evidence, and extraction diagnostics."""
    spans = {
        name: layout.spans.get(number, (0, len(doc.blocks)) if number != 4 else (0, 0))
        for name, number in SECTION_OF_TABLE.items()
    }
    labels: list[str] = []
    for start, end in {spans["t2"], spans["t3"]}:
        labels += document_labels(doc, start, end)
    evidence = detect_template(labels)
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
        start, end = spans[name]
        tokens = _tokens(doc, start, end)
        tdef = tpl.tables[name]
        read = _read_row_table(name, tdef, tokens, [t.tables[name] for t in all_versions])
        tables[name] = read.cells
        anchor = doc.blocks[start - 1].pos if 0 < start <= len(doc.blocks) else None
        diagnostics += read.diagnostics + _missing_rows(name, tdef, read, anchor)
        layout.table_blocks |= read.blocks
    start, end = spans["t4"]
    read = _read_t4(tpl.tables["t4"], _tokens(doc, start, end))
    tables["t4"] = read.cells
    diagnostics += read.diagnostics
    layout.table_blocks |= read.blocks
    return tables, evidence, diagnostics
