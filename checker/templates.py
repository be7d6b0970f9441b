"""Template definitions (rules/templates/*.yaml) as typed, read-only objects.

The templates are data: the official section titles and every row and column
label of tables 2, 3 and 4 for each format version. Code here only loads them
and answers questions ("which cells must a 2021 table 3 have?", "does this
label name a row?"); adding a format version is a new YAML file.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

from msgspec import Struct, field
from msgspec.structs import force_setattr

from checker.regexes import lazy
from checker.resources import data_dir

_NUMBERING = lazy(
    r"^(?:第?[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|\d{1,2}[、.](?!\d))"
)
_DROP = lazy(r"[\s\u3000\"'“”‘’「」『』:：;；,，。]")


def normalize_label(text: str) -> str:
    """Fold a label for comparison: width, brackets, 、/． after numbers, quotes, spaces."""
    folded = unicodedata.normalize("NFKC", text)
    folded = folded.replace("、", ".").replace("．", ".")
    return _DROP.sub("", folded)


def split_numbering(label: str) -> tuple[str, str]:
    """Split a normalized label into its numbering prefix and the rest: "(三)不予公开" -> ("(三)", "不予公开")."""
    prefix = ""
    rest = label
    while True:
        match = _NUMBERING.match(rest)
        if not match:
            return prefix, rest
        prefix += match.group(0)
        rest = rest[match.end() :]


class ColumnDef(Struct, frozen=True):
    key: str
    labels: tuple[str, ...]
    en: str
    domain: str  # count | signed | money

    @property
    def zh(self) -> str:
        return self.labels[0]


class RowDef(Struct, frozen=True):
    key: str
    kind: str  # leaf (holds values) | header (groups sub-rows; may print a subtotal) | heading
    labels: tuple[str, ...]
    en: str
    parent: str | None = None
    block: str | None = None
    columns: tuple[str, ...] | None = None  # ragged tables (t2): this row's own columns

    # folded once: extraction compares every label it reads with every row's. Derived
    # from `labels`, never passed by callers; a snapshot carries them, so they are
    # folded again only when absent
    numbering: str = ""
    cores: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.cores:
            return
        folded = [split_numbering(normalize_label(label)) for label in self.labels]
        force_setattr(self, "numbering", folded[0][0])
        force_setattr(self, "cores", tuple(core for _, core in folded))

    @property
    def zh(self) -> str:
        return self.labels[0]


class TableDef(Struct, frozen=True, eq=False):  # one object per loaded template: hashed by identity
    name: str
    title_zh: str
    title_en: str
    columns: tuple[ColumnDef, ...]
    rows: tuple[RowDef, ...]
    sets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # rules look rows and columns up by key for every cell: index them once (derived
    # from `columns` and `rows`, never passed by callers)
    _columns_by_key: dict[str, ColumnDef] = {}
    _rows_by_key: dict[str, RowDef] = {}
    _leaf_rows: tuple[RowDef, ...] = ()
    _cell_keys: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        columns: dict[str, ColumnDef] = {}
        rows: dict[str, RowDef] = {}
        for column in self.columns:
            columns.setdefault(column.key, column)
        for row in self.rows:
            rows.setdefault(row.key, row)
        force_setattr(self, "_columns_by_key", columns)
        force_setattr(self, "_rows_by_key", rows)
        leaves = tuple(r for r in self.rows if r.kind == "leaf")
        force_setattr(self, "_leaf_rows", leaves)
        keys = tuple(f"{r.key}.{c}" for r in leaves for c in self.row_columns(r))
        force_setattr(self, "_cell_keys", keys)

    def column(self, key: str) -> ColumnDef | None:
        return self._columns_by_key.get(key)

    def row(self, key: str) -> RowDef | None:
        return self._rows_by_key.get(key)

    def row_columns(self, row: RowDef) -> tuple[str, ...]:
        return row.columns if row.columns is not None else tuple(c.key for c in self.columns)

    def leaf_rows(self) -> tuple[RowDef, ...]:
        return self._leaf_rows

    def cell_keys(self) -> tuple[str, ...]:
        """Every cell a complete table of this template has, in reading order."""
        return self._cell_keys

    def allowed_keys(self) -> tuple[str, ...]:
        """Cell keys a report of this template may hold: leaf cells and printed header subtotals."""
        headers = tuple(
            f"{r.key}.{c.key}" for r in self.rows if r.kind == "header" for c in self.columns
        )
        return self.cell_keys() + headers

    def resolve(self, spec: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
        """A row/column list from a rule: a literal list, or "@name" for a named set of this table."""
        if isinstance(spec, str):
            if spec.startswith("@"):
                name = spec[1:]
                if name not in self.sets:
                    raise KeyError(f"table {self.name} has no set {spec!r}")
                return self.sets[name]
            return (spec,)
        return tuple(spec)

    def label_of(self, key: str, lang: str) -> str:
        """People's name for a row key, a column key, or a "row.column" cell key."""
        row = self.row(key)
        if row:
            return row.zh if lang == "zh" else row.en
        col = self.column(key)
        if col:
            return col.zh if lang == "zh" else col.en
        row_key, _, col_key = key.rpartition(".")
        row, col = self.row(row_key), self.column(col_key)
        if row and col:
            sep = "／" if lang == "zh" else " / "
            return (row.zh + sep + col.zh) if lang == "zh" else (row.en + sep + col.en)
        return key


class SectionDef(Struct, frozen=True):
    number: int
    title: str
    en: str
    variants: tuple[str, ...]

    @property
    def core(self) -> str:
        return split_numbering(normalize_label(self.title))[1]


class Template(Struct, frozen=True):
    version: str
    name_zh: str
    name_en: str
    basis: str
    year_min: int | None
    year_max: int | None
    evidence: tuple[str, ...]
    tables: dict[str, TableDef]
    # evidence labels that are a wording variant, not a row, block or column of this format only
    wording: tuple[str, ...] = ()


def _table(name: str, raw: dict) -> TableDef:
    return TableDef(
        name=name,
        title_zh=raw["title"]["zh"],
        title_en=raw["title"]["en"],
        columns=tuple(
            ColumnDef(c["key"], tuple(c["labels"]), c["en"], c.get("domain", "count"))
            for c in raw["columns"]
        ),
        rows=tuple(
            RowDef(
                r["key"],
                r.get("kind", "leaf"),
                tuple(r["labels"]),
                r["en"],
                r.get("parent"),
                r.get("block"),
                tuple(r["columns"]) if "columns" in r else None,
            )
            for r in raw["rows"]
        ),
        sets={k: tuple(v) for k, v in raw.get("sets", {}).items()},
    )


def _yaml(text: str) -> Any:
    import yaml

    return yaml.load(
        text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    )  # libyaml: 10x faster


def _load_template(text: str) -> Template:
    raw = _yaml(text)
    years = raw.get("years", {})
    return Template(
        version=str(raw["template"]),
        name_zh=raw["name"]["zh"],
        name_en=raw["name"]["en"],
        basis=raw["basis"],
        year_min=years.get("min"),
        year_max=years.get("max"),
        evidence=tuple(raw.get("evidence", ())),
        tables={name: _table(name, t) for name, t in raw["tables"].items()},
        wording=tuple(raw.get("wording", ())),
    )


@cache
def templates() -> dict[str, Template]:
    from checker.cache.snapshot import cached

    folder = data_dir("rules") / "templates"
    sources = [p.read_bytes() for p in sorted(folder.glob("[0-9]*.yaml"))]

    def parse() -> list[Template]:
        return [_load_template(source.decode("utf-8")) for source in sources]

    found = cached("templates", b"\0".join(sources), parse)  # parsed once: start-up time
    return {t.version: t for t in found}


def template(version: str) -> Template:
    return templates()[version]


def template_for_year(year: int | None) -> Template | None:
    if year is None:
        return None
    for candidate in templates().values():
        if (candidate.year_min or 0) <= year <= (candidate.year_max or 9999):
            return candidate
    return None


@cache
def sections() -> tuple[SectionDef, ...]:
    from checker.cache.snapshot import cached_file

    def parse(text: str) -> tuple[SectionDef, ...]:
        return tuple(
            SectionDef(s["number"], s["title"], s["en"], tuple(s.get("variants", ())))
            for s in _yaml(text)["sections"]
        )

    # parsed once, like the format templates
    return cached_file("sections", data_dir("rules") / "templates" / "sections.yaml", parse)


def section_def(number: int) -> SectionDef:
    return sections()[number - 1]


def detect_template(labels: list[str]) -> dict[str, list[str]]:
    """Which format versions' distinctive labels occur among `labels` (normalized compare)."""
    seen = {normalize_label(label) for label in labels}
    evidence: dict[str, list[str]] = {}
    for version, tpl in templates().items():
        hits = [label for label in tpl.evidence if normalize_label(label) in seen]
        if hits:
            evidence[version] = hits
    return evidence


@cache
def _distinctive_keys() -> dict[str, frozenset[tuple[str, str]]]:
    """Per format version, the (table, cell key) pairs no other version has."""
    own = {
        v: {(n, k) for n, t in tpl.tables.items() for k in t.allowed_keys()}
        for v, tpl in templates().items()
    }
    return {
        version: frozenset(keys - set().union(*(k for v, k in own.items() if v != version)))
        for version, keys in own.items()
    }


def key_evidence(tables: dict[str, set[str]]) -> dict[str, list[str]]:
    """Template evidence from canonical cell keys (structured reports): keys only one version has."""
    evidence: dict[str, list[str]] = {}
    for version, distinctive in _distinctive_keys().items():
        hits = sorted(
            f"{n}.{k}" for n, present in tables.items() for k in present if (n, k) in distinctive
        )
        if hits:
            evidence[version] = hits
    return evidence


def resolve_template(
    declared: str | None, evidence: dict[str, list[str]], year: int | None
) -> str | None:
    """The template a report uses: what its labels show, else as declared, else the year's.

    Labels win over a declaration: the rules must read the table the report
    actually has (TPL-001 reports the disagreement)."""
    if evidence:
        return max(evidence, key=lambda v: (len(evidence[v]), v))
    if declared in templates():
        return declared
    by_year = template_for_year(year)
    return by_year.version if by_year else None
