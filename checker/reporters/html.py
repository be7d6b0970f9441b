"""html — one self-contained page showing each report's tables with the failing cells marked.

``nianbao check reports/ --format html -o nianbao.html`` writes a single HTML
file: inline CSS, no scripts, no external assets (a Content-Security-Policy
forbids loading anything), so it can be archived or mailed as it is.

- At the top: counts by severity and a list of the files with links.
- Per report (a ``<section class="report" id="rN">``, N = input order from 1):
  its metadata, then tables 2, 3 and 4 drawn as grids with the template's
  own row and column labels (``--lang`` chooses Chinese or English labels;
  table 2 is split into its blocks, which have different columns), and the
  findings beside them.
- Every cell is a ``<td>`` with ``data-pointer`` (its JSON pointer, e.g.
  ``/tables/t3/granted/total``) and ``id`` ``rN`` + the pointer with ``-`` for
  ``/`` (``r2-tables-t3-granted-total``); rows (``<tr>``, ``/tables/t3/other``)
  and tables (``<table>``, ``/tables/t2``) carry theirs the same way. An
  element that any finding is about (the finding's pointer or one of its
  ``related`` pointers: the total and every part of a failing sum) has the
  class ``fail`` and a severity class (``sev-error``, ``sev-warning``,
  ``sev-info``); the finding's own element also has ``primary``; a cell that
  a minimal-repair diagnosis (DIAG-001) names has ``diagnosed`` (drawn apart
  from the cells of failing sums) and ``data-repair`` with its reconciling
  value, shown under the printed one;
  ``data-rules`` lists the rule codes. Each finding links to
  its cells, and a linked cell is outlined when targeted (CSS ``:target``).
- Cells the report holds outside the template's grid, and all tables of a
  report whose template is unknown, are listed as pointer/value rows so that
  no flagged value is hidden. Blank cells are shown empty (blank is not 0).
- Files that could not be read and rules that could not be evaluated are
  listed with their reason.

The tables need the reports: the CLI keeps them (``FileResult.report``) only
when this format is requested; a result without its report shows findings only.
All report text is escaped. No timestamps: the same input gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from msgspec import Struct, field

from checker import __version__, skips
from checker.findings import SEVERITIES, SEVERITY_RANK, FileResult, Finding
from checker.model import TABLES, Cell, Report, cell_pointer
from checker.numbers import decimal_str
from checker.regexes import lazy
from checker.reporters import Run
from checker.reporters._common import display_path, pick, severity_label
from checker.reporters.snippets import cell_name, sentence
from checker.templates import RowDef, TableDef, templates

FORMAT = "html"

_ID_UNSAFE = lazy(r"[^A-Za-z0-9_-]")
_TABLE_NUMBER = {"t2": ("表二", "Table 2"), "t3": ("表三", "Table 3"), "t4": ("表四", "Table 4")}

CSS = """
:root{--err:#c62828;--err-bg:#ffd7d5;--warn:#b26a00;--warn-bg:#ffe9b3;--info:#1565c0;
--info-bg:#d6e6fb;--line:#c8ccd2;--muted:#5f6670}
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
margin:0;padding:1rem 1.5rem;color:#1d2128;background:#fff}
h1{font-size:1.4rem;margin:.2rem 0 .6rem}h2{font-size:1.15rem;margin:0 0 .3rem;word-break:break-all}
h3{font-size:1rem;margin:1rem 0 .3rem}
.counts{display:flex;gap:.6rem;flex-wrap:wrap;margin:.4rem 0 1rem;padding:0;list-style:none}
.counts li{border:1px solid var(--line);border-radius:4px;padding:.2rem .6rem}
.files{columns:2 24rem;margin:0 0 1rem}
.report{border-top:2px solid var(--line);padding-top:.8rem;margin-top:1.2rem}
.meta{color:var(--muted);margin:0 0 .6rem}
.layout{display:grid;grid-template-columns:minmax(0,3fr) minmax(16rem,2fr);gap:1.2rem;align-items:start}
@media (max-width:900px){.layout{grid-template-columns:1fr}}
.findings{position:sticky;top:.5rem;max-height:95vh;overflow:auto}
.findings ol{margin:0;padding-left:1.4rem}
.finding{margin:0 0 .6rem;padding:.3rem .5rem;border-left:4px solid var(--line);background:#f7f8fa}
.finding.sev-error{border-color:var(--err)}.finding.sev-warning{border-color:var(--warn)}
.finding.sev-info{border-color:var(--info)}
.badge{font-size:.8em;font-weight:600;border-radius:3px;padding:0 .3rem;color:#fff}
.badge.sev-error{background:var(--err)}.badge.sev-warning{background:var(--warn)}
.badge.sev-info{background:var(--info)}
.rule{font-family:ui-monospace,Consolas,monospace;font-weight:600}
.where,.cells{color:var(--muted);font-size:.9em;overflow-wrap:anywhere}
.quote{margin:.3rem 0;padding:.2rem .6rem;border-left:3px solid var(--line)}
.quote mark{background:var(--warn-bg);font-weight:600}
table.grid{border-collapse:collapse;margin:.3rem 0 .8rem;font-size:13px}
.grid caption{text-align:left;font-weight:600;padding:.2rem 0}
.grid th,.grid td{border:1px solid var(--line);padding:.15rem .4rem}
.grid thead th{background:#eef0f3;font-weight:600;vertical-align:bottom}
.grid tbody th{text-align:left;font-weight:normal;background:#fafbfc;max-width:26rem}
.grid tr.heading th{background:#eef0f3;font-weight:600}
.grid tr.header th{font-weight:600}
.grid tr.fail.sev-error>th{background:var(--err-bg)}.grid tr.fail.sev-warning>th{background:var(--warn-bg)}
.grid tr.fail.sev-info>th{background:var(--info-bg)}
table.grid.fail{outline:2px solid var(--err);outline-offset:2px}
table.grid.fail.sev-warning{outline-color:var(--warn)}table.grid.fail.sev-info{outline-color:var(--info)}
.grid td{text-align:right;font-variant-numeric:tabular-nums;min-width:3.2rem}
.grid td.blank{background:repeating-linear-gradient(45deg,#fff,#fff 4px,#f1f2f4 4px,#f1f2f4 8px)}
.grid td.missing{background:#f1f2f4}
.grid td.fail.sev-info{background:var(--info-bg);color:#0d3c75}
.grid td.fail.sev-warning{background:var(--warn-bg);color:#6b4000}
.grid td.fail.sev-error{background:var(--err-bg);color:#7f1010}
.grid td.fail.primary{font-weight:700;box-shadow:inset 0 0 0 2px currentColor}
.grid td:target{outline:3px solid #1d2128;outline-offset:-3px}
.grid td.diagnosed{background:#eadcf5;color:#4a148c;font-weight:700;outline:3px dashed #6a1b9a;outline-offset:-3px}
.grid .fix{display:block;font-size:.8em;color:#6a1b9a}
.grid .note{display:block;font-size:.8em;color:var(--muted)}
.problem{color:var(--err)}
footer{margin-top:2rem;color:var(--muted);font-size:.85em}
"""


class _Marks(Struct):
    """What the findings of one report say about its cells: pointer -> worst severity, rules."""

    severity: dict[str, str] = field(default_factory=dict)
    rules: dict[str, list[str]] = field(default_factory=dict)
    primary: set[str] = field(default_factory=set)
    # the cells a minimal repair (DIAG-) names, with the value that reconciles every sum
    diagnosed: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> _Marks:
        marks = cls()
        for finding in findings:
            pointers = dict.fromkeys((finding.location.pointer, *finding.related))
            for pointer in pointers:
                if not pointer.startswith("/tables/"):
                    continue
                known = marks.severity.get(pointer)
                if known is None or SEVERITY_RANK[finding.severity] > SEVERITY_RANK[known]:
                    marks.severity[pointer] = finding.severity
                rules = marks.rules.setdefault(pointer, [])
                if finding.rule not in rules:
                    rules.append(finding.rule)
            if finding.location.pointer.startswith("/tables/"):
                marks.primary.add(finding.location.pointer)
            marks.diagnosed.update(_repaired(finding))
        return marks


def _repaired(finding: Finding) -> dict[str, str]:
    """A unique minimal repair's cells and values: its pointer, then as many ``related``
    pointers as it has further values (the repaired cells come first there)."""
    if not finding.rule.startswith("DIAG-") or finding.expected is None:
        return {}
    values = finding.expected if isinstance(finding.expected, list) else [finding.expected]
    cells = (finding.location.pointer, *finding.related[1 : len(values)])
    return {pointer: str(value) for pointer, value in zip(cells, values, strict=False)}


def cell_id(report_index: int, pointer: str) -> str:
    """The element id of a cell: r2 + /tables/t3/new/total -> r2-tables-t3-new-total."""
    return f"r{report_index}" + _ID_UNSAFE.sub("_", pointer.replace("/", "-"))


def _text(lang: str, zh: str, en: str) -> str:
    return escape(pick(lang, zh, en))


def _cell_text(cell: Cell | None) -> str:
    if cell is None:
        return ""
    if cell.raw not in (None, ""):
        return str(cell.raw)
    return decimal_str(cell.value) if cell.value is not None else ""


def _anchor(
    index: int, pointer: str, marks: _Marks, drawn: set[str], classes: tuple[str, ...] = ()
) -> str:
    """Attributes of an element showing `pointer` (a table, row or cell): id, data-pointer and,
    when a finding is about it, the classes ``fail sev-…`` and ``data-rules``."""
    drawn.add(pointer)
    css = list(classes)
    attrs = [f'id="{cell_id(index, pointer)}"', f'data-pointer="{escape(pointer)}"']
    severity = marks.severity.get(pointer)
    if severity:
        css += ["fail", f"sev-{severity}"]
        if pointer in marks.primary:
            css.append("primary")
        rules = " ".join(marks.rules[pointer])
        attrs += [f'data-rules="{escape(rules)}"', f'title="{escape(rules)}"']
    if pointer in marks.diagnosed:
        css.append("diagnosed")
        attrs.append(f'data-repair="{escape(marks.diagnosed[pointer])}"')
    if css:
        attrs.append(f'class="{" ".join(css)}"')
    return " ".join(attrs)


def _td(index: int, pointer: str, cell: Cell | None, marks: _Marks, drawn: set[str]) -> str:
    state = ("missing",) if cell is None else ("blank",) if cell.value is None else ()
    note = f'<span class="note">{escape(cell.note)}</span>' if cell and cell.note else ""
    if pointer in marks.diagnosed:
        note += f'<span class="fix">→ {escape(marks.diagnosed[pointer])}</span>'
    attrs = _anchor(index, pointer, marks, drawn, state)
    return f"<td {attrs}>{escape(_cell_text(cell))}{note}</td>"


def _label(item: RowDef, lang: str) -> str:
    return escape(item.zh if lang != "en" else item.en)


def _column_groups(table: TableDef) -> list[tuple[str | None, tuple[str, ...], list[RowDef]]]:
    """Consecutive rows sharing a block and columns: table 2 has blocks with their own columns."""
    groups: list[tuple[str | None, tuple[str, ...], list[RowDef]]] = []
    for row in table.rows:
        columns = table.row_columns(row)
        if groups and groups[-1][0] == row.block and groups[-1][1] == columns:
            groups[-1][2].append(row)
        else:
            groups.append((row.block, columns, [row]))
    return groups


def _caption(name: str, table: TableDef, lang: str) -> str:
    number = _TABLE_NUMBER.get(name, (name, name))
    return escape(
        f"{number[0]}　{table.title_zh}" if lang != "en" else f"{number[1]}: {table.title_en}"
    )


def _grid(
    index: int,
    name: str,
    table: TableDef,
    cells: dict[str, Cell],
    marks: _Marks,
    drawn: set[str],
    lang: str,
) -> str:
    attrs = _anchor(index, f"/tables/{name}", marks, drawn, ("grid",))
    out = [f"<table {attrs}><caption>{_caption(name, table, lang)}</caption>"]
    for block, columns, rows in _column_groups(table):
        corner = escape(block) if block else _text(lang, "项目", "Item")
        heads = "".join(
            f'<th scope="col">{escape(_column_label(table, c, lang))}</th>' for c in columns
        )
        out.append(f'<thead><tr><th scope="col">{corner}</th>{heads}</tr></thead><tbody>')
        for row in rows:
            row_attrs = _anchor(index, cell_pointer(name, row.key), marks, drawn, (row.kind,))
            if row.kind == "heading":
                label = f'<th colspan="{len(columns) + 1}">{_label(row, lang)}</th>'
                out.append(f"<tr {row_attrs}>{label}</tr>")
                continue
            tds = "".join(
                _td(
                    index,
                    cell_pointer(name, f"{row.key}.{c}"),
                    cells.get(f"{row.key}.{c}"),
                    marks,
                    drawn,
                )
                for c in columns
            )
            out.append(f'<tr {row_attrs}><th scope="row">{_label(row, lang)}</th>{tds}</tr>')
        out.append("</tbody>")
    out.append("</table>")
    return "".join(out)


def _column_label(table: TableDef, key: str, lang: str) -> str:
    column = table.column(key)
    if column is None:
        return key
    return column.zh if lang != "en" else column.en


def _grid_keys(table: TableDef) -> set[str]:
    return {
        f"{row.key}.{c}"
        for row in table.rows
        if row.kind != "heading"
        for c in table.row_columns(row)
    }


def _loose_cells(
    index: int,
    name: str,
    keys: list[str],
    cells: dict[str, Cell],
    marks: _Marks,
    drawn: set[str],
    lang: str,
    whole_table: bool,
) -> str:
    """Cells outside any known grid, as pointer/value rows."""
    rows = "".join(
        f'<tr><th scope="row">{escape(cell_pointer(name, key))}</th>'
        f"{_td(index, cell_pointer(name, key), cells[key], marks, drawn)}</tr>"
        for key in keys
    )
    if whole_table:
        attrs = _anchor(index, f"/tables/{name}", marks, drawn, ("grid", "loose"))
        head = escape(name)
    else:
        attrs = 'class="grid loose"'
        head = f"{escape(name)} · {_text(lang, '表中其他单元格', 'Other cells of the table')}"
    return f"<table {attrs}><caption>{head}</caption><tbody>{rows}</tbody></table>"


def _tables(index: int, report: Report, marks: _Marks, drawn: set[str], lang: str) -> str:
    """Tables 2-4 as the template draws them (and any other cells as lists); fills `drawn`."""
    template = templates().get(report.meta.template or "")
    parts = []
    for name in (*TABLES, *sorted(set(report.tables) - set(TABLES))):
        cells = report.tables.get(name) or {}
        table = template.tables.get(name) if template else None
        if table is None:
            if cells:
                parts.append(
                    _loose_cells(index, name, sorted(cells), cells, marks, drawn, lang, True)
                )
            continue
        parts.append(_grid(index, name, table, cells, marks, drawn, lang))
        extra = sorted(set(cells) - _grid_keys(table))
        if extra:
            parts.append(_loose_cells(index, name, extra, cells, marks, drawn, lang, False))
    return "".join(parts)


def _where(finding: Finding) -> str:
    loc = finding.location
    if not loc.line:
        return ""
    where = f"{loc.line}:{loc.column}" if loc.column else str(loc.line)
    return f"{where} (p.{loc.page})" if loc.page else where


def _quote(finding: Finding) -> str:
    """The sentence of a prose finding, its figure highlighted (checker/reporters/snippets.py)."""
    found = sentence(finding)
    if found is None:
        return ""
    before, figure, after = (escape(part) for part in found)
    return f'<blockquote class="quote">{before}<mark>{figure}</mark>{after}</blockquote>'


def _finding_item(
    index: int, finding: Finding, drawn: set[str], lang: str, template: str | None = None
) -> str:
    sev = finding.severity
    pointers = list(dict.fromkeys((finding.location.pointer, *finding.related)))
    links = "".join(
        f'<a href="#{cell_id(index, p)}">{escape(cell_name(template, p, lang))}</a> '
        for p in pointers
        if p in drawn
    )
    where = _where(finding)
    pointer = finding.location.pointer
    parts = [
        f'<li class="finding sev-{escape(sev)}" data-rule="{escape(finding.rule)}">',
        f'<span class="badge sev-{escape(sev)}">{escape(severity_label(sev, lang))}</span> ',
        f'<span class="rule">{escape(finding.rule)}</span> {escape(finding.title)}',
        f"<div>{escape(finding.message)}</div>",
        _quote(finding),
        f'<div class="where">{escape(where)} {escape(pointer)}</div>' if where or pointer else "",
        f'<div class="cells">{_text(lang, "单元格：", "Cells: ")}{links}</div>' if links else "",
        "</li>",
    ]
    return "".join(parts)


def _meta_line(result: FileResult, lang: str) -> str:
    report = result.report
    meta = report.meta if report else None
    bits = [
        meta.title if meta else None,
        (meta.agency if meta else None) or result.agency,
        (pick(lang, f"{result.year}年度", f"year {result.year}") if result.year else None),
        (
            pick(lang, f"{result.template}年版格式", f"{result.template} format")
            if result.template
            else None
        ),
        (
            pick(lang, f"发布 {meta.published}", f"published {meta.published}")
            if meta and meta.published
            else None
        ),
    ]
    return " · ".join(escape(str(b)) for b in bits if b)


def _section(index: int, result: FileResult, lang: str) -> str:
    path = escape(display_path(result.path))
    head = f'<section class="report" id="r{index}"><h2>{path}</h2>'
    if result.error:
        reason = _text(lang, "无法读取：", "Could not be read: ")
        return f'{head}<p class="problem">{reason}{escape(result.error)}</p></section>'
    meta = _meta_line(result, lang)
    parts = [head, f'<p class="meta">{meta}</p>' if meta else ""]
    broken = [o for o in result.outcomes if o.outcome == "error"]
    if broken:
        items = "".join(f"<li>{escape(o.rule)}: {escape(o.reason)}</li>" for o in broken)
        label = _text(lang, "无法评估的规则", "Rules that could not be evaluated")
        parts.append(f'<div class="problem">{label}<ul>{items}</ul></div>')
    skipped = list(skips.outcome_skips(result.outcomes))
    if skipped:
        items = "".join(
            f"<li>{escape(rule)}: {escape(skips.reason_text(skip.reason, lang))}"
            + (f" <code>{escape(skip.pointer)}</code>" if skip.pointer else "")
            + "</li>"
            for rule, skip in skipped
        )
        label = _text(lang, f"未能核对（{len(skipped)} 处）", f"Not checked ({len(skipped)})")
        parts.append(
            f'<details class="skipped"><summary>{label}</summary><ul>{items}</ul></details>'
        )
    report = result.report
    drawn: set[str] = set()
    if report:
        tables = _tables(index, report, _Marks.of(result.findings), drawn, lang)
    else:
        tables = (
            f'<p class="meta">{_text(lang, "（未保留报告表格）", "(report tables not kept)")}</p>'
        )
    if result.findings:
        items = "".join(
            _finding_item(index, f, drawn, lang, result.template) for f in result.findings
        )
        findings = (
            f"<h3>{_text(lang, '问题', 'Findings')} ({len(result.findings)})</h3><ol>{items}</ol>"
        )
    else:
        findings = f"<p>{_text(lang, '未发现问题。', 'No findings.')}</p>"
    parts.append(
        f'<div class="layout"><div class="tables">{tables}</div>'
        f'<aside class="findings">{findings}</aside></div></section>'
    )
    return "".join(parts)


def _summary(run: Run) -> str:
    lang = run.lang
    counts = run.counts()
    items = "".join(
        f'<li><span class="badge sev-{s}">{escape(severity_label(s, lang))}</span> {counts[s]}</li>'
        for s in SEVERITIES
    )
    unreadable = run.tally().unreadable
    if unreadable:
        items += f"<li>{_text(lang, '无法读取', 'unreadable')} {unreadable}</li>"
    not_checked = run.tally().not_applicable
    if not_checked:
        items += f"<li>{_text(lang, '未能核对', 'not checked')} {not_checked}</li>"
    files = "".join(
        f'<li><a href="#r{n}">{escape(display_path(r.path))}</a> ({len(r.findings)})</li>'
        for n, r in enumerate(run.results, start=1)
    )
    return f'<ul class="counts">{items}</ul><ol class="files">{files}</ol>'


def render(run: Run) -> str:
    lang = run.lang
    title = _text(lang, "政府信息公开工作年度报告检查结果", "Annual report check results")
    sections = "".join(_section(n, r, lang) for n, r in enumerate(run.results, start=1))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{title}</title><style>{CSS}</style></head>\n<body>"
        f"<header><h1>{title}</h1>{_summary(run)}</header>\n<main>{sections}</main>\n"
        f"<footer>nianbao-checker {escape(__version__)} · {escape(run.ruleset.name)}</footer>"
        "</body></html>\n"
    )
