"""The report model: what every reader produces and every rule reads (design §3).

A report is metadata, six sections and up to three tables. A table is a flat
mapping from canonical cell key (``"new.natural_person"``) to a :class:`Cell`.
Blank is not zero: a blank cell has ``value is None``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field

if TYPE_CHECKING:
    from checker.gate.crossyear import CrossYear
    from checker.gate.rollup import Rollup

TABLES = ("t2", "t3", "t4")
AGENCY_KINDS = ("government", "department", "township", "subdistrict", "other")
TEMPLATES = ("2019", "2021")


class Position(Struct, frozen=True):
    """Where something stands in its source file (1-based line and column)."""

    path: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    page: int | None = None
    # PDF only: the top-left corner of the cell on its page, in points from the page's top-left
    x: float | None = None
    y: float | None = None


class Cell(Struct):
    """One table value: the number (or None when blank), its raw text and source position."""

    value: Decimal | None
    raw: str | None = None
    pos: Position | None = None
    note: str | None = None  # an annotation written in the cell, e.g. "其中修订16件"
    # why extraction could not read this cell ("unreadable", "ambiguous", "missing"; "" when
    # it could): unknown, not a blank the report printed, so no rule counts it as 0 and
    # STR-009 does not report it
    unread: str = ""


class Section(Struct):
    number: int  # 1..6
    title: str  # as written
    canonical_title: str
    text: str
    pos: Position | None = None  # the heading
    text_pos: Position | None = None  # where the text after the heading begins
    # (character offset in text, position) for each source line the text was joined from
    offsets: tuple[tuple[int, Position], ...] = ()


class Period(Struct):
    """The statistics period sentence (统计期限)."""

    text: str
    start: date | None = None
    end: date | None = None
    pos: Position | None = None


class Diagnostic(Struct):
    """A problem met while reading or extracting, turned into a finding by an EXT/TPL rule."""

    code: str
    params: dict[str, Any]
    pointer: str = ""
    pos: Position | None = None


class Meta(Struct):
    title: str | None = None
    agency: str | None = None
    agency_kind: str | None = None
    region: str | None = None
    year: int | None = None
    template: str | None = None
    declared_template: str | None = None  # what a structured report says it uses
    published: date | None = None
    source: str = ""
    period: Period | None = None
    legacy: bool = False  # a pre-2019 report: no uniform-format tables at all
    # where each metadata field was read from, keyed by field name
    positions: dict[str, Position] = field(default_factory=dict)
    # which template's distinctive labels were seen, e.g. {"2019": ["本年新制作数量"]}
    template_evidence: dict[str, list[str]] = field(default_factory=dict)


class Report(Struct):
    meta: Meta
    sections: list[Section] = field(default_factory=list)
    tables: dict[str, dict[str, Cell]] = field(default_factory=dict)
    preamble: str = ""
    preamble_pos: Position | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # positions of structural nodes (pointer -> position), e.g. "/tables/t3" or "/sections/2"
    node_positions: dict[str, Position] = field(default_factory=dict)
    # last year's report of the same agency, when the run has it (set by the cross-report
    # pass, checker/gate/crossyear.py): only cross-report (XY) rules read it
    cross_year: CrossYear | None = None
    # the member reports when the configuration makes this a roll-up report (checker/gate/rollup.py):
    # only the roll-up rule (HY-001) reads it
    rollup: Rollup | None = None

    @property
    def path(self) -> str:
        return self.meta.source

    def cell(self, table: str, key: str) -> Cell | None:
        return self.tables.get(table, {}).get(key)

    def section(self, number: int) -> Section | None:
        for section in self.sections:
            if section.number == number:
                return section
        return None

    def position_of(self, pointer: str) -> Position | None:
        """The best known position for a JSON pointer, walking up to a parent when needed."""
        probe = pointer
        while probe:
            if probe in self.node_positions:
                return self.node_positions[probe]
            probe = probe.rsplit("/", 1)[0]
        return self.node_positions.get("") or Position(self.path)


def cell_pointer(table: str, key: str) -> str:
    """JSON pointer of a cell in the structured report: t3 + new.natural_person -> /tables/t3/new/natural_person."""
    return f"/tables/{table}/" + key.replace(".", "/")
