"""Metamorphic properties: changes a reader must not notice change no finding.

Rows of tables 2 and 3 in any order (they are anchored on their labels),
whitespace around lines and cells, full-width digits, GB18030 instead of
UTF-8: a source document read either way gives the same findings. And
render -> read -> render gives back the same document. The reports are
generated, some with a defect (so there are findings to compare).
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.engine.evaluate import evaluate
from checker.report_data import report_to_data
from checker.sources import read_report
from checker.templates import template
from checker.testing import RENDERERS, any_mutation, render_web_text, reports

from .conftest import bounded

BOUNDED = bounded(10)
VISIBLE_DEFECTS = ["change_cell", "contradict_prose", "break_breakdown"]
SOURCE_SHAPES = [".txt", ".md", ".html", ".docx"]
TEXT_SHAPES = [".txt", ".md", ".html", ".yaml"]  # a .docx zip holds timestamps: not byte-stable
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
SPACES = [" ", "  ", "\t", "\u3000", "\u00a0"]


def read_text(rendered: str | bytes, suffix: str, encoding: str = "utf-8"):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"report{suffix}"
        path.write_bytes(rendered if isinstance(rendered, bytes) else rendered.encode(encoding))
        return read_report(path, display=f"report{suffix}")


def findings(report, ruleset) -> list[tuple[str, str, str, str]]:
    """What was found where, with expected and actual values (a message may quote the text)."""
    return sorted(
        (f.rule, f.location.pointer, str(f.expected), str(f.actual))
        for f in evaluate(report, ruleset, "zh")[0]
    )


def cells(report) -> dict:
    return {n: {k: c.value for k, c in t.items()} for n, t in report.tables.items()}


@st.composite
def reports_with_a_defect(draw) -> dict:
    """A generated report, in half the draws with one defect that shows in its text."""
    data = draw(reports())
    if draw(st.booleans()):
        data = draw(any_mutation(data, kinds=VISIBLE_DEFECTS)).data
    return data


@pytest.mark.parametrize("suffix", SOURCE_SHAPES)
def test_rows_in_any_order_read_the_same(suffix, national):
    @BOUNDED
    @given(st.data())
    def check(draw):
        data = draw.draw(reports_with_a_defect())
        version = data["meta"]["template"]
        order = {
            name: draw.draw(st.permutations([r.key for r in template(version).tables[name].rows]))
            for name in ("t2", "t3")
        }
        straight = read_text(RENDERERS[suffix](data), suffix)
        shuffled = read_text(RENDERERS[suffix](data, row_order=order), suffix)
        assert cells(shuffled) == cells(straight)
        assert findings(shuffled, national) == findings(straight, national)

    check()


@BOUNDED
@given(st.data())
def test_whitespace_around_lines_changes_nothing(national, data):
    report_data = data.draw(reports_with_a_defect())
    text = render_web_text(report_data)
    pick = random.Random(data.draw(st.integers(0, 2**32))).choice  # one draw, hundreds of lines
    padded = "\n".join(pick(SPACES) + line + pick(SPACES) for line in text.split("\n"))
    assert findings(read_text(padded, ".txt"), national) == findings(
        read_text(text, ".txt"), national
    )


@BOUNDED
@given(reports_with_a_defect())
def test_full_width_digits_in_tables_and_prose_change_nothing(national, data):
    text = render_web_text(data)
    head, _, body = text.partition("一、总体情况\n")  # the title, date and preamble stay
    wide = head + "一、总体情况\n" + body.translate(FULL_WIDTH)
    assert wide != text
    straight, widened = read_text(text, ".txt"), read_text(wide, ".txt")
    assert cells(widened) == cells(straight)
    assert findings(widened, national) == findings(straight, national)
    assert len(findings(straight, national)) == len(evaluate(straight, national)[0])


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_gb18030_reads_like_utf8(suffix, national):
    @BOUNDED
    @given(reports_with_a_defect())
    def check(data):
        text = RENDERERS[suffix](data)
        assert findings(read_text(text, suffix, "gb18030"), national) == findings(
            read_text(text, suffix), national
        )

    check()


@pytest.mark.parametrize("suffix", TEXT_SHAPES)
def test_render_read_render_is_stable(suffix):
    @BOUNDED
    @given(reports_with_a_defect())
    def check(data):
        first = RENDERERS[suffix](data)
        second = RENDERERS[suffix](report_to_data(read_text(first, suffix)))
        assert second == first

    check()
