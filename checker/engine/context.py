"""What a check sees: lookups into one report, never walks (design §2)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from msgspec import Struct, field

from checker.engine.messages import Loc
from checker.findings import Skip
from checker.model import Cell, Position, Report, cell_pointer
from checker.regexes import lazy
from checker.templates import TableDef, Template, section_def, templates

_TITLE_YEAR = lazy(r"((?:19|20)\d{2})\s*年")


class Failure(Struct):
    """One failing instance of a check (one column of a sum, one missing section...)."""

    pointer: str
    params: dict
    expected: object = None
    actual: object = None
    pos: Position | None = None
    related: tuple[str, ...] = ()
    severity: str | None = None  # overrides the rule's severity for this failure
    discriminator: str = ""  # tells apart failures that share a pointer
    note: Loc | None = None  # appended to the rule's message (e.g. which blanks counted as 0)


class CheckResult(Struct):
    failures: list[Failure] = field(default_factory=list)
    passed: int = 0
    not_applicable: list[str] = field(default_factory=list)
    # what could not be checked and why, reported to the user (checker/skips.py)
    skips: list[Skip] = field(default_factory=list)


class TextPiece(Struct):
    text: str
    pointer: str
    pos: Position | None
    offsets: tuple[tuple[int, Position], ...] = ()


class Context:
    """Read-only view of one report for the checks of one rule pack."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.template: Template | None = templates().get(report.meta.template or "")
        self._rows_present: dict[str, frozenset[str]] = {}

    # -- tables ---------------------------------------------------------------
    def table(self, name: str) -> TableDef | None:
        return self.template.tables.get(name) if self.template else None

    def has_table(self, name: str) -> bool:
        return bool(self.report.tables.get(name))

    def rows_present(self, name: str) -> frozenset[str]:
        """Every row with at least one cell in table `name`, enclosing rows included
        (``withheld.state_secret.total`` gives ``withheld`` and ``withheld.state_secret``);
        worked out once per report for the checks that ask."""
        found = self._rows_present.get(name)
        if found is None:
            rows: set[str] = set()
            for key in self.report.tables.get(name, {}):
                dot = key.find(".")
                while dot != -1:
                    rows.add(key[:dot])
                    dot = key.find(".", dot + 1)
            found = self._rows_present[name] = frozenset(rows)
        return found

    def cell(self, table: str, key: str) -> Cell | None:
        return self.report.cell(table, key)

    def value(self, table: str, key: str) -> Decimal | None:
        cell = self.report.cell(table, key)
        return cell.value if cell else None

    def cell_pos(self, table: str, key: str) -> Position | None:
        cell = self.report.cell(table, key)
        if cell and cell.pos:
            return cell.pos
        return self.report.position_of(cell_pointer(table, key))

    def axis_label(self, table: str, key: str, axis: str) -> Loc:
        """People's name of a row key (axis "rows") or a column key (axis "columns")."""
        tdef = self.table(table)
        item = (tdef.row(key) if axis == "rows" else tdef.column(key)) if tdef else None
        return Loc(item.zh, item.en) if item else Loc(key, key)

    def label(self, table: str, key: str) -> Loc:
        if self.template is None or table not in self.template.tables:
            return Loc(key, key)
        return _label(self.template.version, table, key)

    # -- text -----------------------------------------------------------------
    def scope(self, scope: str) -> list[TextPiece]:
        """Text pieces of a scope: title, preamble, section:N, sections, all."""
        report = self.report
        if scope == "title":
            title = report.meta.title
            return (
                [TextPiece(title, "/meta/title", report.meta.positions.get("title"))]
                if title
                else []
            )
        pieces: list[TextPiece] = []
        if scope in ("preamble", "all") and report.preamble:
            pieces.append(TextPiece(report.preamble, "/preamble", report.preamble_pos))
        if scope.startswith("section:") or scope in ("sections", "all"):
            wanted = int(scope.split(":")[1]) if scope.startswith("section:") else None
            for index, section in enumerate(report.sections):
                if wanted is None or section.number == wanted:
                    pieces.append(
                        TextPiece(
                            section.text,
                            f"/sections/{index}/text",
                            section.text_pos or section.pos,
                            section.offsets,
                        )
                    )
        return pieces

    # -- facts used by metadata rules -------------------------------------------
    def facts(self) -> dict[str, object]:
        meta = self.report.meta
        title_match = _TITLE_YEAR.search(meta.title or "")
        period = meta.period
        return {
            "year": meta.year,
            "title_year": int(title_match.group(1)) if title_match else None,
            "period_start_year": period.start.year if period and period.start else None,
            "period_end_year": period.end.year if period and period.end else None,
            "published": meta.published,
            "agency": meta.agency,
            "agency_kind": meta.agency_kind,
            "template": meta.template,
        }

    def section_title(self, number: int) -> Loc:
        sdef = section_def(number)
        return Loc(sdef.title, sdef.en)


@cache
def _label(version: str, table: str, key: str) -> Loc:
    """A cell's full name in both languages; the same for every report of a template."""
    tdef = templates()[version].tables[table]
    return Loc(_full_label(tdef, key, "zh"), _full_label(tdef, key, "en"))


def _full_label(tdef: TableDef, key: str, lang: str) -> str:
    """'（三）不予公开 1.属于国家秘密／总计' for withheld.state_secret.total."""

    def name(item: object) -> str:
        return item.zh if lang == "zh" else item.en  # type: ignore[attr-defined]

    row, col = tdef.row(key), None
    if row is None:
        row_key, _, col_key = key.rpartition(".")
        row, col = tdef.row(row_key), tdef.column(col_key)
        if row is None:
            only_col = tdef.column(key)
            return name(only_col) if only_col else key
    parent = tdef.row(row.parent) if row.parent else None
    text = f"{name(parent)} {name(row)}" if parent and lang == "zh" else name(row)
    if col is not None:
        text += ("／" if lang == "zh" else " / ") + name(col)
    return text
