"""checker.testing.renderers: render -> read gives back the same cells, sections and metadata."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given

from checker.extract.meta import agency_kind_of
from checker.sources import read_report
from checker.testing import RENDERERS, build_report, render_web_text, report_differences, reports
from checker.testing.renderers import CARRIED_META

from .conftest import bounded

ROOT = Path(__file__).resolve().parent.parent
BOUNDED = bounded(15)


def read_rendered(rendered: str | bytes, suffix: str, encoding: str = "utf-8"):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"report{suffix}"
        path.write_bytes(rendered if isinstance(rendered, bytes) else rendered.encode(encoding))
        return read_report(path)


@pytest.mark.parametrize("suffix", sorted(RENDERERS))
def test_render_then_read_gives_the_same_report(suffix):
    @BOUNDED
    @given(reports())
    def check(data):
        expected = build_report(data)
        actual = read_rendered(RENDERERS[suffix](data), suffix)
        assert report_differences(expected, actual, CARRIED_META[suffix]) == []
        if "agency_kind" not in CARRIED_META[suffix]:  # inferred from the agency's name
            assert actual.meta.agency_kind == agency_kind_of(data["meta"]["agency"])
            assert agency_kind_of(data["meta"]["agency"]) in (data["meta"]["agency_kind"], None)

    check()


def _values(report) -> dict:
    return {
        name: {key: cell.value for key, cell in cells.items()}
        for name, cells in report.tables.items()
    }


def test_web_text_has_the_shape_of_the_sample():
    """The Haicang sample and our rendering of its structured twin read as the same tables."""
    base = yaml.safe_load((ROOT / "rules/national/examples/base-2019.yaml").read_text("utf-8"))
    sample = read_report(ROOT / "reports_samples/haicang-gongxinju-2020.txt")
    rendered = read_rendered(render_web_text(base), ".txt")
    assert _values(sample) == _values(rendered) == _values(build_report(base))
    assert [(s.number, s.text) for s in rendered.sections] == [
        (s["number"], s["text"]) for s in base["sections"]
    ]


def test_a_difference_is_reported():
    data = yaml.safe_load((ROOT / "rules/national/examples/base-2021.yaml").read_text("utf-8"))
    expected = build_report(data)
    data["tables"]["t3"]["new"]["total"] = 71
    data["sections"][5]["text"] = "无。"
    actual = build_report(data)
    problems = report_differences(expected, actual)
    assert any(p.startswith("t3.new.total: Decimal('70') != Decimal('71')") for p in problems)
    assert any(p.startswith("sections:") for p in problems)
