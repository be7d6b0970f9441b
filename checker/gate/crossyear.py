"""Cross-report (``XY-``) rules: each report against last year's report of the same agency.

The engine evaluates one report at a time. Rules of a cross-report check kind
(one whose module defines ``needs``, such as ``cross_year``) need a second
report, so a run checks them in a second pass:

1. While each file is checked (perhaps in a worker process), :func:`summarize`
   keeps what the pack's cross-report rules need of it: agency, year,
   template, the table cells their relations name, and the narrative text.
   A batch keeps these summaries (spooled, ``checker/run/spool.py``), never whole
   reports, and a :class:`PairIndex` of their (agency, year) keys.
2. :func:`cross_results` evaluates the cross-report rules on a summary and the
   summaries of the same agency (the name compared after Unicode
   normalisation, without spaces) for the year before. A report whose
   predecessor is not among the checked files gets *not applicable* for those
   rules, with the reason.

Rule examples use the same path: an example may carry a ``previous`` report,
and :func:`link` attaches the pair to the example report.
"""

from __future__ import annotations

import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from msgspec import Struct, field

from checker.model import Cell, Meta, Position, Report
from checker.regexes import compiled, lazy

if TYPE_CHECKING:
    from checker.engine.ruleset import Rule, RuleSet
    from checker.findings import Finding, RuleOutcome

SHINGLE = 5  # characters per shingle: short enough for Chinese prose, long enough to be specific

_SPACE = lazy(r"\s+")
_DIGITS = lazy(r"\d+")


class TextSketch(Struct, frozen=True):
    """A report's narrative for the similarity rule (内容雷同), compared when a pair is found.

    The similarity is the Jaccard index of the two texts' sets of character
    shingles, numbers folded to ``#`` (a copied report with this year's figures
    written in is still a copy). It is computed exactly, and only for the reports
    that have a predecessor among the checked files, so summarising a report
    costs nothing but keeping its text (which a batch spools to disk).
    """

    text: str
    pointer: str = ""
    pos: Position | None = None

    @property
    def length(self) -> int:
        """Characters of the normalised text."""
        return len(normalise_text(self.text))

    def similarity(self, other: TextSketch) -> Decimal:
        mine, theirs = shingles(self.text), shingles(other.text)
        union = len(mine | theirs)
        if not union:
            return Decimal(0)
        return Decimal(len(mine & theirs)) / Decimal(union)


def normalise_text(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    return _DIGITS.sub("#", _SPACE.sub("", folded))


def shingles(text: str) -> set[str]:
    normal = normalise_text(text)
    return {normal[i : i + SHINGLE] for i in range(max(len(normal) - SHINGLE + 1, 1))} - {""}


def sketch(text: str, pointer: str = "", pos: Position | None = None) -> TextSketch:
    return TextSketch(text, pointer, pos)


class Needs(Struct, frozen=True):
    """What the cross-report rules need of a report: table cells and text scopes."""

    cells: frozenset[tuple[str, str]] = frozenset()
    scopes: frozenset[str] = frozenset()

    def __or__(self, other: Needs) -> Needs:
        return Needs(self.cells | other.cells, self.scopes | other.scopes)

    def __bool__(self) -> bool:
        return bool(self.cells or self.scopes)


class YearSummary(Struct):
    """What cross-report rules know of one checked report."""

    path: str
    agency: str | None
    agency_kind: str | None
    year: int | None
    template: str | None
    cells: dict[str, dict[str, Cell]] = field(default_factory=dict)
    texts: dict[str, TextSketch] = field(default_factory=dict)
    # rows left blank because their digits split several ways (EXT-005) among the needed
    # cells: (table, cell keys, the readings' values); last year's report may tell them apart
    readings: tuple[tuple[str, tuple[str, ...], tuple[tuple[str | None, ...], ...]], ...] = ()

    @property
    def key(self) -> tuple[str, int] | None:
        """(normalised agency name, year), or None when either is unknown."""
        if not self.agency or self.year is None:
            return None
        return pairing_key(self.agency), self.year

    def cell(self, table: str, key: str) -> Cell | None:
        return self.cells.get(table, {}).get(key)


class CrossYear(Struct, frozen=True):
    """A report and last year's report of the same agency, as cross-report rules see them."""

    current: YearSummary
    previous: YearSummary


def agency_key(name: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", name))


# A government's name with or without its suffix (平潭综合实验区 / …管委会 / …人民政府), and a
# short name without the province or city in front (洪泽区人民政府 / 淮安市洪泽区人民政府), are
# one agency. A department's name is compared whole: 财政局 is no agency without its place.
_GOVERNMENT_SUFFIX = lazy(r"(?:人民政府|管理委员会|管委会)$")
_ADMIN_UNIT = r".{2,}?(?:特别行政区|自治区|自治州|自治县|新区|实验区|开发区|街道|省|市|州|盟|地区|区|县|旗|镇|乡)"
_ADMIN_NAME = lazy(rf"(?:{_ADMIN_UNIT})+")
_UPPER_UNITS = lazy(r"(?:.{2,}?(?:自治区|省|市|州|盟|地区))+")


def _place(name: str) -> str:
    """The name without spaces and without a government suffix."""
    return _GOVERNMENT_SUFFIX.sub("", agency_key(name))


def pairing_key(name: str) -> str:
    """The key that pairs reports of one agency across years: for a place (a government), its
    last administrative unit (平潭综合实验区, 洪泽区); for anything else the whole name.
    Reports sharing a key are confirmed by :func:`same_agency` (鼓楼区 is in several cities)."""
    place = _place(name)
    if not _ADMIN_NAME.fullmatch(place):
        return agency_key(name)
    units = compiled(_ADMIN_UNIT).findall(place)
    return units[-1] if units else place


def same_agency(first: str | None, second: str | None) -> bool:
    """Whether two names are one agency: equal, or equal but for a government suffix, or one
    the other with provinces/cities in front (福建省平潭综合实验区 / 平潭综合实验区)."""
    if not first or not second:
        return False
    a, b = _place(first), _place(second)
    if a == b:
        return agency_key(first) == agency_key(second) or _ADMIN_NAME.fullmatch(a) is not None
    short, long = sorted((a, b), key=len)
    if not long.endswith(short) or not _ADMIN_NAME.fullmatch(short):
        return False
    return _UPPER_UNITS.fullmatch(long[: -len(short)]) is not None


def is_cross_report(rule: Rule) -> bool:
    from checker.engine.kinds import KINDS

    return hasattr(KINDS[rule.kind], "needs")


def needs_of(rules: Iterable[Rule], template: str | None) -> Needs:
    """The union of what the cross-report rules among `rules` need of a report of `template`."""
    from checker.engine.kinds import KINDS

    needs = Needs()
    for rule in rules:
        module = KINDS[rule.kind]
        if hasattr(module, "needs"):
            needs = needs | module.needs(rule.options, template)
    return needs


def summarize(report: Report, needs: Needs) -> YearSummary:
    """Keep of `report` only what `needs` names (and its metadata)."""
    from checker.engine.context import Context

    meta = report.meta
    cells: dict[str, dict[str, Cell]] = {}
    for table, key in sorted(needs.cells):
        cell = report.cell(table, key)
        if cell is not None:
            cells.setdefault(table, {})[key] = cell
    texts = {}
    if needs.scopes:
        context = Context(report)
        for scope in sorted(needs.scopes):
            pieces = context.scope(scope)
            if pieces:
                text = "\n".join(piece.text for piece in pieces)
                texts[scope] = sketch(text, pieces[0].pointer, pieces[0].pos)
    readings = tuple(
        (found["table"], tuple(found["keys"]), tuple(tuple(v) for v in found["values"]))
        for d in report.diagnostics
        if d.code == "EXT-005"
        and (found := d.params.get("candidates"))
        and any((found["table"], key) in needs.cells for key in found["keys"])
    )
    return YearSummary(
        meta.source, meta.agency, meta.agency_kind, meta.year, meta.template, cells, texts, readings
    )


def link(report: Report, previous: Report, ruleset: RuleSet) -> None:
    """Attach `previous` to `report` as last year's report (rule examples)."""
    report.cross_year = CrossYear(
        summarize(report, needs_of(ruleset.rules, report.meta.template)),
        summarize(previous, needs_of(ruleset.rules, previous.meta.template)),
    )


def _pair_report(current: YearSummary, previous: YearSummary) -> Report:
    """A report that holds only the summary: enough for cross-report checks and locations."""
    meta = Meta(
        agency=current.agency,
        agency_kind=current.agency_kind,
        year=current.year,
        template=current.template,
        source=current.path,
    )
    report = Report(meta=meta, tables={name: dict(cells) for name, cells in current.cells.items()})
    report.cross_year = CrossYear(current, previous)
    return report


_OUTCOME_RANK = {"error": 3, "fail": 2, "pass": 1, "not_applicable": 0}


def _combine(outcomes: list[RuleOutcome]) -> RuleOutcome:
    """One rule's outcome over several predecessors: the worst wins."""
    return max(outcomes, key=lambda o: _OUTCOME_RANK[o.outcome])


def previous_key(key: tuple[str, int]) -> tuple[str, int]:
    """The key of the same agency's report for the year before."""
    return key[0], key[1] - 1


class PairIndex:
    """Where the summaries of an (agency, year) key are, in a few bytes per report.

    Holds the keys' hashes and positions in two arrays, sorted once by
    :meth:`freeze`; :meth:`find` returns candidate positions in ascending order,
    which the caller confirms against the summaries themselves (hashes collide).
    """

    def __init__(self) -> None:
        self._hashes = array("q")
        self._positions = array("q")

    @staticmethod
    def hash_of(key: tuple[str, int]) -> int:
        """The key's hash as the index keeps it: never 0, which callers use for "no key"."""
        return hash(key) or 1

    def add(self, position: int, key: tuple[str, int] | None) -> None:
        if key is not None:
            self._hashes.append(self.hash_of(key))
            self._positions.append(position)

    def freeze(self) -> None:
        order = sorted(range(len(self._hashes)), key=self._hashes.__getitem__)
        self._hashes = array("q", (self._hashes[i] for i in order))
        self._positions = array("q", (self._positions[i] for i in order))

    def has_hash(self, wanted: int) -> bool:
        """Whether some key of that hash was added (then :meth:`find` the key itself)."""
        at = bisect_left(self._hashes, wanted)
        return at < len(self._hashes) and self._hashes[at] == wanted

    def find(self, key: tuple[str, int]) -> list[int]:
        wanted = self.hash_of(key)
        low = bisect_left(self._hashes, wanted)
        high = bisect_right(self._hashes, wanted, lo=low)
        return sorted(self._positions[low:high])


def cross_results(
    summary: YearSummary,
    previous: list[YearSummary],
    ruleset_for: Callable[[str], RuleSet],
    lang: str,
) -> tuple[list[Finding], list[RuleOutcome]] | None:
    """The cross-report findings and outcomes of one report given last year's reports of its agency.

    None when the report's rule set has no cross-report rule.
    """
    from checker.engine.evaluate import evaluate
    from checker.engine.ruleset import RuleSet
    from checker.findings import RuleOutcome

    full = ruleset_for(summary.path)
    rules = [rule for rule in full.rules if is_cross_report(rule)]
    if not rules:
        return None
    if not previous:
        reason = (
            f"no report of {summary.agency} for {summary.year - 1} among the checked files"
            if summary.key
            else "the report's agency or year is unknown"
        )
        return [], [RuleOutcome(r.id, "not_applicable", reason) for r in rules]
    subset = RuleSet(full.name, rules, full.examples_base)
    findings: list[Finding] = []
    by_rule: dict[str, list[RuleOutcome]] = {}
    for before in previous:
        found, outcomes = evaluate(
            _pair_report(summary, before), subset, lang, report_id=summary.path
        )
        findings.extend(found)
        for outcome in outcomes:
            by_rule.setdefault(outcome.rule, []).append(outcome)
    return findings, [_combine(by_rule[r.id]) for r in rules]
