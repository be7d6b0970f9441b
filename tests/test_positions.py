"""Every figure is traced to its source: line and column, and for PDF the page and the coordinates."""

from __future__ import annotations

import json

from checker.sources import read_report

from .conftest import ROOT, run_nianbao

PDF = ROOT / "tests" / "fixtures" / "pdf" / "ceshishi_2025.pdf"


def test_pdf_cells_carry_page_and_coordinates():
    report = read_report(PDF)
    cells = report.tables["t3"]
    assert cells
    for cell in cells.values():
        assert cell.pos.page and cell.pos.line
        assert cell.pos.x is not None and cell.pos.y is not None
    left = cells["new.natural_person"].pos
    right = cells["new.total"].pos
    assert left.page == right.page and left.y == right.y and left.x < right.x


def test_pdf_finding_location_names_page_and_coordinates():
    deleted = ROOT / "tests" / "fixtures" / "pdf" / "ceshishi_2025-row-deleted.pdf"
    result = run_nianbao("check", str(deleted), "-f", "json", "--fail-on", "never")
    finding = next(f for f in json.loads(result.stdout)["findings"] if f["rule"] == "EXT-003")
    assert {"page", "x", "y", "line"} <= set(finding["location"])
