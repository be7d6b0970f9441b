"""The Document: what a reader produces from a source file, before extraction.

A document is a sequence of blocks. A block is a paragraph (one text cell)
or a table row (several cells, from a real table in HTML, DOCX, PDF or a
Markdown pipe table). Every cell keeps its source position. Readers also pass
metadata hints they found (a crawler header, YAML front matter, a title line)
and diagnostics about what they could not read.
"""

from __future__ import annotations

from msgspec import Struct, field

from checker.errors import InputError
from checker.model import Diagnostic, Position

# more paragraphs and table rows than any annual report has (the longest real ones hold about
# two thousand): a file past it is refused as it is read, before extraction works on it
MAX_BLOCKS = 10_000


class TextCell(Struct):
    text: str
    pos: Position


class Block(Struct):
    cells: list[TextCell]
    is_row: bool = False  # a row of a real table; a paragraph otherwise

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)

    @property
    def pos(self) -> Position:
        return self.cells[0].pos


class Hint(Struct):
    value: str
    pos: Position | None = None


class Document(Struct):
    path: str
    blocks: list[Block] = field(default_factory=list)
    # metadata found by the reader: title, agency, agency_kind, published, year
    hints: dict[str, Hint] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def pos(
        self,
        line: int,
        column: int = 1,
        page: int | None = None,
        xy: tuple[float, float] | None = None,
    ) -> Position:
        x, y = xy if xy else (None, None)
        return Position(self.path, line, column, page=page, x=x, y=y)

    def paragraph(self, text: str, line: int, column: int = 1, page: int | None = None) -> None:
        self._add(Block([TextCell(text, self.pos(line, column, page))]))

    def row(self, cells: list[TextCell]) -> None:
        self._add(Block(cells, is_row=True))

    def _add(self, block: Block) -> None:
        if len(self.blocks) >= MAX_BLOCKS:
            raise InputError(
                self.path,
                f"more than {MAX_BLOCKS} paragraphs and table rows: longer than any annual "
                "report (a generated or concatenated file?)",
            )
        self.blocks.append(block)
