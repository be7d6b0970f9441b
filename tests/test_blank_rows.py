"""Rows of empty cells in HTML, Word and PDF tables (checker/sources/rows.py, shape_row).

A value row left unfilled is blank cells (STR-009), as in YAML and Markdown, not a row
of no values (EXT-002); an empty spacer row inside a table changes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.authoring.layout import official_layout
from checker.authoring.render import FORMATS as OFFICIAL
from checker.engine.evaluate import evaluate
from checker.run.pipeline import load
from checker.testing import reports
from checker.testing.renderers import render_html

from .conftest import bounded
from .test_nothing_silent import FORMATS, base, codes


def _unfilled_table_four() -> dict:
    data = base()
    for block in data["tables"]["t4"].values():
        for key in block:
            block[key] = None
    return data


def _findings(path: Path, national):
    findings, _ = evaluate(load(path), national)
    return findings


def _written(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize("suffix", [".html", ".docx", ".pdf", ".md"])
def test_an_unfilled_table_four_in_the_official_layout_is_blank_cells(tmp_path, national, suffix):
    """The official layout prints table 4's 15 values as one row with no label of its own."""
    data = _unfilled_table_four()
    document = OFFICIAL[suffix](official_layout(data), data)
    findings = _findings(_written(tmp_path, f"report{suffix}", document), national)
    assert codes(findings) == {"STR-009"}, [f.message for f in findings]
    assert "表四全部15个单元格均为空白" in findings[0].message


@pytest.mark.parametrize("fmt", ["yaml", "markdown", "html", "docx"])
def test_an_unfilled_table_four_is_blank_cells_in_the_generated_layouts(tmp_path, national, fmt):
    renderer, suffix = FORMATS[fmt]
    data = _unfilled_table_four()
    findings = _findings(_written(tmp_path, f"report{suffix}", renderer(data)), national)
    assert codes(findings) == {"STR-009"}, [f.message for f in findings]


def test_an_unfilled_table_four_in_flattened_text_is_a_row_read_without_values(tmp_path, national):
    """Flattened web text keeps no trace of an empty cell: blank and lost look alike, so it
    is a reading problem, and its message says no value was there rather than quoting ""."""
    renderer, suffix = FORMATS["web text"]
    findings = _findings(
        _written(tmp_path, f"report{suffix}", renderer(_unfilled_table_four())), national
    )
    assert codes(findings) == {"EXT-002"}
    assert "读到0个数值（原文：—）" in findings[0].message


def _with_spacer(page: str, after: int, width: int) -> str:
    """`page` with a row of `width` empty cells after the `after`-th table row."""
    ends = [m.end() for m in re.finditer(r"</tr>", page)]
    at = ends[after % len(ends)]
    return page[:at] + "<tr>" + "<td></td>" * width + "</tr>" + page[at:]


def _seen(findings) -> list[tuple[str, str, str]]:
    return sorted((f.rule, f.severity, f.location.pointer or "") for f in findings)


@bounded(12)
@given(
    data=reports(template=["2019", "2021"]),
    after=st.integers(min_value=0, max_value=80),
    width=st.integers(min_value=2, max_value=10),
)
def test_an_empty_spacer_row_inside_a_table_changes_nothing(
    tmp_path_factory, national, data, after, width
):
    tmp_path = tmp_path_factory.mktemp("spacer")
    page = render_html(data)
    plain = _findings(_written(tmp_path, "plain.html", page), national)
    spaced = _findings(
        _written(tmp_path, "spaced.html", _with_spacer(page, after, width)), national
    )
    assert _seen(spaced) == _seen(plain)
