"""EXT-005: the readings of run-together digits are listed, and the prose may single one out."""

from __future__ import annotations

import re

import yaml
from hypothesis import assume, given

from checker.resources import data_dir
from checker.run.pipeline import check_file
from checker.testing import reports
from checker.testing.renderers import render_web_text

from .conftest import bounded

ROW = "行政规范性文件\n|\n{0}\n|\n{1}\n|\n{2}\n|"


def _run_together(data: dict) -> tuple[str, tuple[int, int, int]]:
    row = data["tables"]["t2"]["normative_documents"]
    values = (row["issued"], row["repealed"], row["in_force"])
    text = render_web_text(data)
    printed = ROW.format(*values)
    assert printed in text
    return text.replace(printed, "行政规范性文件\n|\n{}{}{}\n|".format(*values), 1), values


def _ext005(tmp_path, text: str, lang: str = "zh"):
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    from checker.engine.ruleset import default_ruleset

    result = check_file(path, default_ruleset(), lang)
    return [f for f in result.findings if f.rule == "EXT-005"]


def test_the_prose_picks_the_one_reading_it_agrees_with(tmp_path):
    base = data_dir("rules") / "national" / "examples" / "base-2021.yaml"
    text, values = _run_together(yaml.safe_load(base.read_text("utf-8")))
    assert values == (6, 3, 65) and "\n6365\n" in text
    (finding,) = _ext005(tmp_path, text)
    assert "（1）6 3 65；（2）6 36 5；（3）63 6 5" in finding.message
    assert "只有第1种读法（6 3 65）与正文所述数字一致" in finding.message
    assert "现行有效行政规范性文件65件" in finding.message  # why: the figure the others break
    (english,) = _ext005(tmp_path, text, "en")
    assert "Only reading (1) (6 3 65) agrees" in english.message


def test_without_the_prose_figures_no_reading_is_singled_out(tmp_path):
    base = data_dir("rules") / "national" / "examples" / "base-2021.yaml"
    text, _ = _run_together(yaml.safe_load(base.read_text("utf-8")))
    text = text.replace("现行有效行政规范性文件65件", "现行有效文件若干")
    (finding,) = _ext005(tmp_path, text)
    assert "可能的读法" in finding.message and "只有第" not in finding.message


@given(reports(template="2021"))
@bounded(20)
def test_a_reading_singled_out_by_the_prose_is_always_the_true_one(tmp_path_factory, data):
    text, values = _run_together(data)
    found = _ext005(tmp_path_factory.mktemp("r"), text)
    assume(found)  # digits that split one way only are read, not reported
    (finding,) = found
    listed = dict(re.findall(r"（(\d+)）([\d ]+)", finding.message))
    truth = " ".join(str(v) for v in values)
    if "另有" not in finding.message:
        assert truth in listed.values()
    picked = re.search(r"只有第(\d+)种读法", finding.message)
    if picked:
        assert re.search(rf"只有第\d+种读法（{truth}）", finding.message)


def test_last_years_report_in_the_batch_picks_the_reading_that_continues_it(tmp_path):
    """XY-002: documents in force = last year's + issued − repealed; one reading continues it."""
    from checker.testing.renderers import render_yaml

    from .batch_support import nianbao

    base = data_dir("rules") / "national" / "examples" / "base-2021.yaml"
    data = yaml.safe_load(base.read_text("utf-8"))
    last = yaml.safe_load(base.read_text("utf-8"))
    last["meta"]["year"] = data["meta"]["year"] - 1
    last["tables"]["t2"]["normative_documents"] = {"issued": 2, "repealed": 0, "in_force": 62}
    (tmp_path / "last.yaml").write_text(render_yaml(last), encoding="utf-8")
    text, _ = _run_together(data)
    sentence = "制发行政规范性文件6件，废止3件，现行有效行政规范性文件65件。"
    assert sentence in text
    (tmp_path / "this.txt").write_text(text.replace(sentence, "文件管理有序。"), "utf-8")

    def ext005(*paths: str) -> str:
        ran = nianbao("check", *paths, "-f", "json", "--fail-on", "never", cwd=tmp_path)
        (finding,) = [f for f in ran.json()["findings"] if f["rule"] == "EXT-005"]
        return finding["message"]

    alone = ext005("this.txt")
    assert "可能的读法" in alone and "只有第" not in alone  # no prose figure, no last year
    together = ext005("this.txt", "last.yaml")
    assert "只有第1种读法（6 3 65）与上年度报告一致" in together
    assert ext005("this.txt", "last.yaml") == together  # and the same with --jobs 2
    two = nianbao("check", "this.txt", "last.yaml", "-f", "json", "-j", "2", cwd=tmp_path)
    assert together in two.out
