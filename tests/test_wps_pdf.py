"""PDFs with the traits of WPS-made reports read to every cell of the report they were drawn from.

``tests/wps_fixtures.py`` drew the reports (``checker.testing.reports``, 2021 form) and
rendered them with the traits of the real WPS PDFs: table 3 ruled across a page break in
large print, a vertical group header, tall rows whose figures stand before the end of their
label, merged label columns drawn as a label and an empty cell, a misspelt label, the heading
of section 二 inside a framed box, page numbers. Each PDF must extract to the cells of its
report and check with the same findings, plus the EXT-010 warning for the misspelt label;
the one with a wrong table-4 total must be read as printed so that T4-001 reports it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pdfplumber
import pytest

from checker.engine.evaluate import evaluate
from checker.sources import read_report
from checker.sources.pdf import read_pdf
from checker.templates import template

PDF = Path(__file__).parent / "fixtures" / "pdf"
STEMS = ("wps-like-1", "wps-like-2", "wps-like-3", "wps-like-defect")
MISSPELT = ("EXT-010", "/tables/t3/withheld/prohibited")


@cache
def read(name: str):
    """Each fixture read once for the module (reports are not changed by the checks)."""
    return read_report(PDF / name)


def values(report) -> dict[str, dict]:
    return {n: {k: c.value for k, c in t.items()} for n, t in report.tables.items()}


def findings(report, ruleset) -> set[tuple[str, str]]:
    return {(f.rule, f.location.pointer) for f in evaluate(report, ruleset, "zh")[0]}


def printed_subtotals(version: str) -> set[str]:
    """Keys of table 3's group header rows: the report holds their subtotals, the form prints none."""
    tdef = template(version).tables["t3"]
    return {f"{row.key}.{c.key}" for row in tdef.rows if row.kind == "header" for c in tdef.columns}


@pytest.mark.parametrize("stem", STEMS)
def test_wps_like_pdf_reads_every_cell_of_its_report(stem: str):
    want = values(read(f"{stem}.yaml"))
    got = values(read(f"{stem}.pdf"))
    subtotals = printed_subtotals("2021")
    for name in ("t2", "t3", "t4"):
        assert got[name] == {k: v for k, v in want[name].items() if k not in subtotals}


@pytest.mark.parametrize("stem", STEMS)
def test_wps_like_pdf_checks_like_its_report_plus_the_misspelt_label(stem: str, national):
    report = read(f"{stem}.pdf")
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    # the PDF prints no publication date (its YAML states one): META-010 says the deadline
    # could not be checked, instead of the deadline rules passing in silence
    undated = {("META-010", "/meta/published")}
    assert (
        findings(report, national)
        == findings(read(f"{stem}.yaml"), national) | {MISSPELT} | undated
    )


def test_real_table_four_defect_is_read_as_printed_and_reported(national):
    got = findings(read("wps-like-defect.pdf"), national)
    assert ("T4-001", "/tables/t4/review/total") in got


def test_the_fixtures_have_the_traits_they_claim():
    doc = read_pdf(PDF / "wps-like-1.pdf")
    rows = [b for b in doc.blocks if b.is_row]
    t3_pages = {b.pos.page for b in rows if len(b.cells) >= 8}
    assert len(t3_pages) >= 2  # table 3 runs over a page break
    texts = [[c.text for c in b.cells] for b in rows]
    assert any(t[0] == "三、本年度办理结果" for t in texts)  # the vertical header, read whole
    assert any(
        t[:2] == ["（七）总计", ""] for t in texts
    )  # a merged label drawn over an empty cell
    assert ["行政复议", "", "行政诉讼"] in texts
    assert any(t == ["二、主动公开政府信息情况"] for t in texts)  # a heading in a framed box
    assert any(t[0] == "2.其他法律行政止公开" for t in texts)
    # a tall row: the text layer meets its figures before the end of its wrapped label
    tall = next(b for b in rows if b.cells[0].text.startswith("（二）部分公开"))
    figures = " ".join(c.text for c in tall.cells[1:] if c.text)
    with pdfplumber.open(PDF / "wps-like-1.pdf") as pdf:
        lines = pdf.pages[tall.pos.page - 1].extract_text().split("\n")
    assert lines.index(figures) < next(i for i, line in enumerate(lines) if line.endswith("情形）"))
