"""Nothing checked in silence (issue 11): blank cells, printed subtotals, skipped rules, missing facts.

Every case starts from a valid report (the pack's example base or a generated
one), damages it the way real reports are damaged, renders it through the
readers' formats and checks that the same codes come out.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft7Validator, Draft202012Validator

from checker.engine.evaluate import evaluate
from checker.engine.examples import _base_data, apply_patch
from checker.findings import FileResult, Finding, RuleOutcome
from checker.reporters import Run, render
from checker.resources import data_dir
from checker.run.pipeline import load
from checker.testing import reports
from checker.testing.renderers import (
    render_docx,
    render_html,
    render_markdown,
    render_web_text,
    render_yaml,
)

from .conftest import bounded

BASES = data_dir("rules") / "national" / "examples"
SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
FINDINGS_SCHEMA = json.loads((data_dir("schemas") / "findings.schema.json").read_text("utf-8"))

Renderer = Callable[[dict[str, Any]], str | bytes]
FORMATS: dict[str, tuple[Renderer, str]] = {
    "yaml": (render_yaml, ".yaml"),
    "web text": (render_web_text, ".txt"),
    "markdown": (render_markdown, ".md"),
    "html": (render_html, ".html"),
    "docx": (render_docx, ".docx"),
}
T3_ERRORS = {"T3-001", "T3-002", "T3-003", "T3-004", "T3-005", "T3-006"}


def base(version: str = "2021", **patch: Any) -> dict[str, Any]:
    data = copy.deepcopy(_base_data(BASES / f"base-{version}.yaml"))  # the loader caches it
    return apply_patch(data, patch) if patch else data


def check(data: dict[str, Any], tmp_path: Path, national, fmt: str = "yaml", text_tail: str = ""):
    """Findings and outcomes of `data` written in `fmt` and read back."""
    renderer, suffix = FORMATS[fmt]
    written = renderer(data)
    path = tmp_path / f"report{suffix}"
    if isinstance(written, bytes):
        path.write_bytes(written)
    else:
        path.write_text(written + text_tail, encoding="utf-8")
    return evaluate(load(path), national)


def codes(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings}


def blank_column(data: dict[str, Any], table: str, column: str) -> dict[str, Any]:
    blanked = copy.deepcopy(data)

    def walk(node: dict[str, Any]) -> None:
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value)
            elif key == column:
                node[key] = None

    walk(blanked["tables"][table])
    return blanked


def skips(outcomes: list[RuleOutcome]) -> list[tuple[str, str, str]]:
    return [(o.rule, s.reason, s.pointer) for o in outcomes for s in o.skips]


# -- STR-009 and the blank policy ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_blank_total_column_is_one_warning_and_no_t3_error_in_every_format(
    fmt, tmp_path, national
):
    findings, outcomes = check(blank_column(base(), "t3", "total"), tmp_path, national, fmt)
    assert codes(findings) == {"STR-009"}, [f.message for f in findings]
    (blank,) = findings
    assert "表三“总计”列25行均为空白" in blank.message
    assert len(blank.related) == 25 and "/tables/t3/new/total" in blank.related
    skipped = skips(outcomes)
    assert ("T3-003", "blank_cell", "/tables/t3/total/total") in skipped
    assert {reason for _, reason, _ in skipped} == {"blank_cell"}


@pytest.mark.parametrize("fmt", ["yaml", "html", "docx", "markdown"])
def test_a_blank_column_does_not_hide_a_wrong_total_elsewhere_in_the_row(fmt, tmp_path, national):
    data = blank_column(base(), "t3", "research")
    data["tables"]["t3"]["granted"]["total"] += 1  # the one wrong row total
    findings, _ = check(data, tmp_path, national, fmt)
    rows = [f for f in findings if f.rule == "T3-002"]
    assert [f.location.pointer for f in rows] == ["/tables/t3/granted/total"]
    assert "空白按0计" in rows[0].message and "科研机构" in rows[0].message
    blank = [f for f in findings if f.rule == "STR-009"]
    assert len(blank) == 1 and "“科研机构”列" in blank[0].message


def test_a_blank_row_and_isolated_cells_are_grouped_as_a_person_sees_them(tmp_path, national):
    data = base()
    data["tables"]["t3"]["other"]["other"] = dict.fromkeys(
        data["tables"]["t3"]["other"]["other"], "/"
    )
    data["tables"]["t3"]["other"]["other"]["total"] = 1  # a total printed next to blanks
    data["tables"]["t4"]["review"]["pending"] = "—"
    data["tables"]["t2"]["fees"]["amount"] = "不适用"
    findings, _ = check(data, tmp_path, national)
    blank = {f.location.pointer for f in findings if f.rule == "STR-009"}
    assert blank == {
        "/tables/t2/fees/amount",
        "/tables/t4/review/pending",
        *(f"/tables/t3/other/other/{c}" for c in WITHHELD if c != "total"),  # one per cell
    }
    assert "T2-001" not in codes(findings)  # 不适用 is a placeholder, not a wrong value
    data["tables"]["t3"]["other"]["other"]["total"] = "/"
    findings, _ = check(data, tmp_path, national)
    rows = [f for f in findings if f.rule == "STR-009" and "“3.其他”行7列均" in f.message]
    assert len(rows) == 1 and len(rows[0].related) == 7


def test_a_whole_blank_table_is_one_finding(tmp_path, national):
    data = blank_column(base(), "t4", "upheld")
    for block in data["tables"]["t4"].values():
        for key in block:
            block[key] = None
    findings, _ = check(data, tmp_path, national)
    (blank,) = [f for f in findings if f.rule == "STR-009"]
    assert "表四全部15个单元格均为空白" in blank.message
    assert blank.location.pointer == "/tables/t4"


@bounded(8)
@given(data=reports(template="2021"), column=st.sampled_from(["total", "natural_person"]))
def test_a_generated_report_with_a_blank_column_reads_the_same_as_flattened_text(
    tmp_path_factory, national, data, column
):
    blanked = blank_column(data, "t3", column)
    tmp_path = tmp_path_factory.mktemp("flat")
    structured, _ = check(blanked, tmp_path, national)
    flattened, _ = check(blanked, tmp_path, national, "web text")
    assert not (codes(flattened) & T3_ERRORS - codes(structured)), "a false T3 error"
    if "EXT-002" not in codes(flattened):  # the column was recognised: the same blanks
        assert "STR-009" in codes(flattened)
    if column == "total":
        assert not codes(structured) & {"T3-001", "T3-002", "T3-003"}


# -- printed subtotals -----------------------------------------------------------------------------

WITHHELD = {
    "natural_person": 8,
    "commercial": 0,
    "research": 0,
    "nonprofit": 0,
    "legal_service": 0,
    "other_org": 0,
    "total": 8,
}


@pytest.mark.parametrize("fmt", ["yaml", "html", "web text"])
def test_a_subtotal_without_its_rows_names_them_and_stands_in_for_them(fmt, tmp_path, national):
    data = base(remove=["/tables/t3/withheld"], set={"/tables/t3/withheld": WITHHELD})
    findings, _ = check(data, tmp_path, national, fmt)
    (missing,) = [f for f in findings if f.rule == "STR-006"]
    assert "8个分项" in missing.message and "8.属于行政查询事项" in missing.message
    assert not codes(findings) & T3_ERRORS  # the subtotal is summed in place of its rows
    wrong = copy.deepcopy(data)
    wrong["tables"]["t3"]["total"]["natural_person"] += 2
    wrong["tables"]["t3"]["total"]["total"] += 2
    findings, _ = check(wrong, tmp_path, national, fmt)
    assert {"STR-006", "T3-003"} <= codes(findings)


def test_the_2021_other_row_printed_once_is_t3_006_and_still_summed(tmp_path, national):
    one_row = {**dict.fromkeys(WITHHELD, 0), "natural_person": 1, "total": 1}
    data = base(remove=["/tables/t3/other"], set={"/tables/t3/other": one_row})
    findings, _ = check(data, tmp_path, national)
    assert codes(findings) & (T3_ERRORS | {"STR-006"}) == {"T3-006"}
    data["tables"]["t3"]["total"]["total"] += 1
    findings, _ = check(data, tmp_path, national)
    assert {"T3-006", "T3-003"} <= codes(findings) and "STR-006" not in codes(findings)


# -- facts found where reports put them ------------------------------------------------------------


def meta(title: str, published: str | None) -> dict[str, Any]:
    data = base("2021")
    data["meta"] = {k: v for k, v in data["meta"].items() if k not in ("agency", "agency_kind")}
    data["meta"]["title"] = title
    data["meta"].pop("published", None)
    if published:
        data["meta"]["published"] = published
    return data


def test_a_county_titled_by_its_place_alone_is_held_to_the_governments_deadline(tmp_path, national):
    data = meta("某某县2021年政府信息公开工作年度报告", "2022-04-15")
    findings, _ = check(data, tmp_path, national, "web text")
    (late,) = [f for f in findings if f.rule == "META-005"]
    assert "2022-03-31" in late.message
    assert "META-010" not in codes(findings)


def test_a_department_dated_only_in_its_signature_block_is_held_to_31_january(tmp_path, national):
    data = meta("某某县财政局2021年政府信息公开工作年度报告", None)
    tail = "\n某某县财政局\n2022年2月5日\n"
    for fmt in ("web text", "markdown"):
        findings, _ = check(data, tmp_path, national, fmt, text_tail=tail)
        (late,) = [f for f in findings if f.rule == "META-004"]
        assert "2022-02-05" in late.message and "2022-01-31" in late.message


def test_a_report_without_any_date_says_how_to_give_it(tmp_path, national):
    data = meta("某某县财政局2021年政府信息公开工作年度报告", None)
    findings, outcomes = check(data, tmp_path, national, "web text")
    (missing,) = [f for f in findings if f.rule == "META-010"]
    assert missing.severity == "info" and "--published" in missing.message
    assert ("META-004", "unknown_publication_date", "/meta/published") in skips(outcomes)


def test_an_html_page_gives_its_publication_date_in_meta(tmp_path, national):
    data = meta("某某县财政局2021年政府信息公开工作年度报告", None)
    page = render_html(data).replace(
        "<head>", '<head><meta name="PubDate" content="2022-03-01 09:30">', 1
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    findings, _ = evaluate(load(path), national)
    assert "META-004" in codes(findings) and "META-010" not in codes(findings)


# -- skips in every output ---------------------------------------------------------------------------


def blank_total_run(tmp_path: Path, national, lang: str = "zh") -> Run:
    path = tmp_path / "blank.yaml"
    path.write_text(render_yaml(blank_column(base(), "t3", "total")), encoding="utf-8")
    findings, outcomes = evaluate(load(path), national, lang)
    result = FileResult(str(path), findings, outcomes, template="2021", year=2021)
    return Run([result], national, lang, extra={"show_skipped": True})


def test_json_counts_and_lists_the_skips_and_validates(tmp_path, national):
    document = json.loads(render("json", blank_total_run(tmp_path, national)))
    Draft202012Validator(FINDINGS_SCHEMA).validate(document)
    entries = document["files"][0]["not_applicable"]
    assert document["summary"]["not_applicable"] == len(entries) > 0
    assert {"rule": "T3-003", "reason": "blank_cell", "message": "空白单元格"}.items() <= next(
        e for e in entries if e["rule"] == "T3-003"
    ).items()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sarif_records_skips_as_notes_and_stays_valid(tmp_path, national, lang):
    document = json.loads(render("sarif", blank_total_run(tmp_path, national, lang)))
    errors = list(Draft7Validator(SARIF_SCHEMA).iter_errors(document))
    assert [e.message for e in errors] == []
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    notes = invocation["toolExecutionNotifications"]
    assert notes and {n["level"] for n in notes} == {"note"}
    pointers = {n["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] for n in notes}
    assert "/tables/t3/total/total" in pointers


def test_console_markdown_html_and_statistics_show_the_skips(tmp_path, national):
    run = blank_total_run(tmp_path, national)
    console = render("console", run)
    assert "3 条规则未能核对：T3-001 空白单元格、T3-002 空白单元格×25、T3-003 空白单元格" in console
    assert "未核对 T3-003 空白单元格 /tables/t3/total/total" in console
    quiet = render("console", Run(run.results, national, "zh"))
    assert "未核对 T3-003" not in quiet and "--show-skipped" in quiet
    assert "未能核对（27 处）" in render("markdown", run)
    assert "未能核对（27 处）" in render("html", run)
    from checker.reporters import statistics

    assert "共 27 处未能核对，涉及 3 条规则" in statistics.render(run)


def test_check_show_skipped_on_the_command_line(tmp_path, nianbao):
    path = tmp_path / "blank.yaml"
    path.write_text(render_yaml(blank_column(base(), "t3", "total")), encoding="utf-8")
    quiet = nianbao("check", str(path))
    assert "3 条规则未能核对" in quiet.stdout and "未核对 T3-003" not in quiet.stdout
    shown = nianbao("check", str(path), "--show-skipped")
    assert "未核对 T3-003 空白单元格 /tables/t3/total/total" in shown.stdout


def test_a_row_missing_beside_its_printed_siblings_and_subtotal_is_named_alone(tmp_path, national):
    data = base(remove=["/tables/t3/withheld/query"])
    data["tables"]["t3"]["withheld"].update({**WITHHELD, "natural_person": 7, "total": 7})
    findings, outcomes = check(data, tmp_path, national)
    (missing,) = [f for f in findings if f.rule == "STR-006"]
    assert "“（三）不予公开 8.属于行政查询事项”行" in missing.message
    assert "分项" not in missing.message
    assert ("T3-003", "missing_cell", "/tables/t3/withheld/query/natural_person") in skips(outcomes)


def test_a_vanished_applicant_column_is_one_extraction_finding_not_a_guess(tmp_path, national):
    """Six values per row whose last is their sum: some applicant column is blank, but which
    one no sum can tell (each sums the same wherever the blank goes): said once, not guessed."""
    data = blank_column(base(), "t3", "research")
    data["tables"]["t3"]["granted"]["natural_person"] += 1  # and a real error the rows hide
    findings, outcomes = check(data, tmp_path, national, "web text")
    (unread,) = [f for f in findings if f.rule == "EXT-002"]
    assert "空白列可能是" in unread.message and "“科研机构”" in unread.message
    assert not codes(findings) & T3_ERRORS and "STR-009" not in codes(findings)
    assert {reason for _, reason, _ in skips(outcomes)} == {"ambiguous_reading"}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_blank_total_column_and_a_blank_row_are_two_warnings_in_every_format(
    fmt, tmp_path, national
):
    data = blank_column(base(), "t3", "total")
    data["tables"]["t3"]["other"]["other"] = dict.fromkeys(data["tables"]["t3"]["other"]["other"])
    findings, _ = check(data, tmp_path, national, fmt)
    blank = sorted(f.message.split("为空白")[0] for f in findings if f.rule == "STR-009")
    assert blank == ["表三“3.其他”行7列均", "表三“总计”列25行均"]
    # the blank row held 1 application in the base: counted as 0, the (七) total disagrees
    (lost,) = [f for f in findings if f.rule in T3_ERRORS]
    assert lost.rule == "T3-003" and "空白按0计" in lost.message
    assert "EXT-002" not in codes(findings)
