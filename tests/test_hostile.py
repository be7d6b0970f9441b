"""Hostile input (issue 6): every case ends in a one-line error with exit 2, or in findings.

Never a traceback, never a hang, never a silent pass. Each test drives the real
`nianbao check` command line (in this process, through `checker.cli.main`) on a
crafted file; the few cases that would block or spin forever if the guard
broke run the command in a subprocess under a generous time-out instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.engine.ruleset import default_ruleset
from checker.errors import InputError
from checker.run.pipeline import check_file
from checker.sources.limits import DEFAULT_MAX_BYTES, Limits
from checker.sources.yamlnodes import load_yaml_with_positions

from .conftest import ROOT, SAMPLE
from .hostile_support import (
    REAL_DOCX,
    REAL_HTML,
    REAL_PDF,
    assert_one_line_error,
    billion_laughs,
    broken_xref,
    docx_with_document_xml,
    html_body,
    many_members,
    minimal_pdf,
    nested_html,
    zip_bomb,
)

BASE_2021 = ROOT / "rules" / "national" / "examples" / "base-2021.yaml"
HANG_GUARD_SECONDS = 120  # far above any honest run; reached only if a guard is broken


def values(result) -> dict[str, dict[str, object]]:
    return {t: {k: c.value for k, c in cells.items()} for t, cells in result.report.tables.items()}


def subprocess_check(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker", "check", *args, "--lang", "en"],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=HANG_GUARD_SECONDS,
    )


# -- YAML: alias bombs, deep nesting, Python tags -------------------------------------------


def test_billion_laughs_report_is_refused_without_expanding(cli, in_tmp):
    Path("bomb.yaml").write_text(billion_laughs(), "utf-8")
    assert_one_line_error(cli("check", "bomb.yaml"), "bomb.yaml", "aliases")


def test_billion_laughs_rule_pack_is_refused(cli, in_tmp):
    Path("pack.yaml").write_text("pack: {name: bomb, version: '1'}\n" + billion_laughs(), "utf-8")
    assert_one_line_error(cli("check", str(SAMPLE), "--rules", "pack.yaml"), "pack.yaml", "aliases")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("flow.yaml", "meta: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        ("block.yaml", "".join(" " * i + f"k{i}:\n" for i in range(3000)) + " " * 3000 + "v: 1\n"),
        ("deep.json", '{"a": ' * 100_000 + "1" + "}" * 100_000),
        (
            "moderate.yaml",
            "meta:\n"
            + "".join("  " * i + f"  k{i}:\n" for i in range(100))
            + "  " * 101
            + "v: 1\n",
        ),
    ],
    ids=["flow", "block", "json", "moderate"],
)
def test_deep_nesting_is_refused(cli, in_tmp, name, text):
    Path(name).write_text(text, "utf-8")
    assert_one_line_error(cli("check", name), name, "nest")


def test_python_tag_in_a_report_is_refused_and_not_run(cli, in_tmp):
    marker = in_tmp / "pwned"
    Path("tag.yaml").write_text(
        f"meta: !!python/object/apply:os.system ['touch {marker}']\n", "utf-8"
    )
    assert_one_line_error(cli("check", "tag.yaml"), "tag.yaml", "tag", "not allowed")
    assert not marker.exists()


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!<tag:yaml.org,2002:python/object/new:os.system> ['touch {marker}']",
    ],
)
def test_python_tag_in_a_rule_pack_is_refused_and_not_run(cli, in_tmp, tag):
    marker = in_tmp / "pwned"
    pack = "pack: {name: evil, version: '1'}\nrules:\n  - id: X-001\n    title: " + tag.format(
        marker=marker
    )
    Path("pack.yaml").write_text(pack + "\n", "utf-8")
    assert_one_line_error(
        cli("check", str(SAMPLE), "--rules", "pack.yaml"), "pack.yaml", "tag", "not allowed"
    )
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("published: 2021-02-30\n", "day is out of range"),
        ("year: !!int abc\n", "invalid value"),
        ("meta: {}\n---\nmeta: {}\n", "one YAML document"),
        ("<<: {meta: {}}\n", "merge keys"),
        ("data: !!binary aGk=\n", "not allowed"),
        ("? [1]\n: 2\n", "plain scalars"),
        ("\x7f", "control characters"),
        ('title: "\\ud800"\n', "syntax error"),
    ],
)
def test_yaml_that_no_plain_value_comes_from(text, needle):
    with pytest.raises(InputError) as refused:
        load_yaml_with_positions(text, "odd.yaml")
    assert needle in refused.value.message and "\n" not in refused.value.message


# -- size: a 1 GB file, a configurable limit, files that are not regular files ---------


def test_one_gigabyte_file_is_refused_before_reading(cli, in_tmp):
    with open("huge.txt", "wb") as handle:  # sparse: takes no disk space
        handle.truncate(1 << 30)
    line = assert_one_line_error(cli("check", "huge.txt"), "huge.txt", "limit")
    assert f"{1 << 30} bytes" in line and str(DEFAULT_MAX_BYTES) in line


def test_size_limit_is_configurable(tmp_path):
    result = check_file(SAMPLE, default_ruleset(), limits=Limits(max_bytes=1000))
    assert result.error is not None and "1000-byte limit" in result.error
    assert check_file(SAMPLE, default_ruleset(), limits=Limits(max_bytes=10**6)).error is None


def test_fifo_named_like_a_report_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would wait for a writer forever
    result = subprocess_check("pipe.txt", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "nianbao: pipe.txt: not a regular file (a pipe, device or socket)"
    ]


def test_link_to_an_endless_device_is_refused(cli, in_tmp):
    Path("zero.txt").symlink_to("/dev/zero")
    assert_one_line_error(cli("check", "zero.txt"), "zero.txt", "not a regular file")


# -- bytes that are not text ------------------------------------------------------------


@pytest.mark.parametrize(
    "suffix", [".yaml", ".yml", ".json", ".txt", ".md", ".html", ".docx", ".pdf"]
)
def test_binary_data_under_a_report_extension(cli, in_tmp, suffix):
    noise = bytes((i * 7919 + 13) % 256 for i in range(16384))
    Path(f"noise{suffix}").write_bytes(noise)
    assert_one_line_error(cli("check", f"noise{suffix}"), f"noise{suffix}")


def test_invalid_utf8_in_a_real_report(cli, in_tmp):
    data = SAMPLE.read_bytes()
    middle = len(data) // 2
    Path("bad.txt").write_bytes(data[:middle] + b"\xff\xfe\x80\x80" + data[middle:])
    assert_one_line_error(cli("check", "bad.txt"), "bad.txt", "UTF-8")


def test_invalid_utf8_after_a_bom_names_the_byte(cli, in_tmp):
    Path("bom.txt").write_bytes(b"\xef\xbb\xbf" + "一、总体情况".encode() + b"\xc3\x28")
    assert_one_line_error(cli("check", "bom.txt"), "bom.txt", "invalid UTF-8", "byte 21")


def test_mixed_encodings_in_one_file(cli, in_tmp):
    lines = SAMPLE.read_text("utf-8").split("\n")
    half = len(lines) // 2
    data = (
        "\n".join(lines[:half]).encode("utf-8") + b"\n" + "\n".join(lines[half:]).encode("gb18030")
    )
    Path("mixed.txt").write_bytes(data)
    assert_one_line_error(cli("check", "mixed.txt"), "mixed.txt", "UTF-8")


def test_text_that_is_no_report_is_not_a_silent_pass(cli, in_tmp):
    Path("notes.txt").write_text("购物清单：苹果、梨。\n明天开会。\n", "utf-8")
    assert_one_line_error(cli("check", "notes.txt"), "notes.txt", "no annual-report content")


# -- DOCX: zip bombs and XML tricks -----------------------------------------------------


def test_zip_bomb_docx_is_refused_before_inflating(cli, in_tmp):
    Path("bomb.docx").write_bytes(zip_bomb(65 << 20))  # 65 MB of zeros in ~70 KB
    assert_one_line_error(cli("check", "bomb.docx"), "bomb.docx", "inflates to", "limit")


def test_zip_bomb_hiding_behind_a_small_declared_size(cli, in_tmp):
    Path("liar.docx").write_bytes(zip_bomb(8 << 20, declared_bytes=1000))
    assert_one_line_error(cli("check", "liar.docx"), "liar.docx", "not a readable Word .docx")


def test_zip_with_too_many_members(cli, in_tmp):
    Path("many.docx").write_bytes(many_members(6000))
    assert_one_line_error(cli("check", "many.docx"), "many.docx", "members, over the limit")


def test_xml_entity_bomb_in_a_docx(cli, in_tmp):
    entities = '<!ENTITY a "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    xml = f'<?xml version="1.0"?><!DOCTYPE w [{entities}]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>'
    Path("entities.docx").write_bytes(docx_with_document_xml(xml))
    assert_one_line_error(cli("check", "entities.docx"), "entities.docx")


def test_deeply_nested_docx_xml(cli, in_tmp):
    depth = 100_000
    xml = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + "<w:sdt><w:sdtContent>" * depth
        + "<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>"
        + "</w:sdtContent></w:sdt>" * depth
        + "</w:body></w:document>"
    )
    Path("deep.docx").write_bytes(docx_with_document_xml(xml))
    assert_one_line_error(cli("check", "deep.docx"), "deep.docx")


def test_real_docx_still_checks_clean(cli):
    outcome = cli("check", str(REAL_DOCX))
    assert outcome.code == 0, outcome.err


# -- PDF: thousands of pages, broken xref, content bombs -----------------------------------


def test_pdf_with_thousands_of_pages_is_refused(cli, in_tmp):
    Path("pages.pdf").write_bytes(minimal_pdf(pages=5000))
    assert_one_line_error(cli("check", "pages.pdf"), "pages.pdf", "5000 pages", "limit")


def test_pdf_lying_about_its_page_count_is_refused(cli, in_tmp):
    Path("liar.pdf").write_bytes(minimal_pdf(pages=1200, declared_count=1))
    assert_one_line_error(cli("check", "liar.pdf"), "liar.pdf", "pages, over the limit of 500")


def test_pdf_with_a_broken_xref_table_is_still_read(cli, in_tmp):
    Path("xref.pdf").write_bytes(broken_xref(REAL_PDF.read_bytes()))
    outcome = cli("check", "xref.pdf")
    assert (outcome.code, outcome.err) == (0, ""), outcome.err
    intact = check_file(REAL_PDF, default_ruleset(), keep_report=True)
    broken = check_file(Path("xref.pdf"), default_ruleset(), keep_report=True)
    assert values(broken) == values(intact)  # pdfminer rebuilt the cross-reference table


def test_truncated_pdf(cli, in_tmp):
    data = REAL_PDF.read_bytes()
    Path("cut.pdf").write_bytes(data[: len(data) // 3])
    outcome = cli("check", "cut.pdf")
    if outcome.code != 2:  # pdfminer may recover the pages it has: then they are checked
        assert outcome.code == 1 and "Traceback" not in outcome.err
    else:
        assert_one_line_error(outcome, "cut.pdf")


def test_pdf_content_stream_bomb_is_refused(cli, in_tmp):
    drawing = b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" * 300_000  # 10 MB of drawing, 40 KB deflated
    Path("ops.pdf").write_bytes(minimal_pdf(content=drawing, deflate=True))
    assert_one_line_error(cli("check", "ops.pdf"), "ops.pdf", "content", "limit")


def test_pdf_flate_bomb_is_refused_without_inflating(cli, in_tmp):
    Path("flate.pdf").write_bytes(minimal_pdf(content=bytes(64 << 20), deflate=True))
    assert_one_line_error(cli("check", "flate.pdf"), "flate.pdf", "content", "limit")


def test_pdf_form_drawn_many_times_is_refused(cli, in_tmp):
    form = b"BT /F1 12 Tf 72 720 Td (Hello world) Tj ET"  # 43 bytes, drawn 200 000 times
    Path("forms.pdf").write_bytes(minimal_pdf(content=b"/X0 Do\n" * 200_000, forms={"X0": form}))
    assert_one_line_error(cli("check", "forms.pdf"), "forms.pdf", "content", "limit")


def test_pdf_form_that_draws_itself_is_refused(cli, in_tmp):
    pdf = minimal_pdf(content=b"/X0 Do", forms={"X0": b"/X0 Do"})
    pdf = pdf.replace(
        b"/Resources << /Font << /F1 3 0 R >> >> /Length",
        b"/Resources << /XObject << /X0 5 0 R >> >> /Length",
    )
    Path("self.pdf").write_bytes(pdf)
    assert_one_line_error(cli("check", "self.pdf"), "self.pdf", "draws itself")


# -- HTML: deep nesting --------------------------------------------------------------------


def test_html_with_a_hundred_thousand_nested_tags(cli, in_tmp):
    Path("deep.html").write_text(nested_html(100_000, "一、总体情况 本机关全面公开。"), "utf-8")
    assert_one_line_error(cli("check", "deep.html"), "deep.html", "nested")


def test_control_characters_in_an_html_page(cli, in_tmp):
    page = REAL_HTML.read_text("utf-8").replace("<body>", "<body><script>x</script>\x01\x0b", 1)
    Path("controls.html").write_text(page, "utf-8")
    outcome = cli("check", "controls.html")
    assert (outcome.code, outcome.err) == (0, "")


def test_real_report_nested_near_the_parser_limit_is_read_in_time(tmp_path):
    """240 wrapping divs around a real report and 3 MB of text: every wrapper holds every
    heading, which once cost depth x size (minutes); it is read as the report it is."""
    filler = "<p>" + "附件说明文字。" * 1000 + "</p>"
    page = nested_html(240, html_body() + filler * 400)  # the page's own depth is 11
    (tmp_path / "wrapped.html").write_text(page, "utf-8")
    result = subprocess_check("wrapped.html", "--format", "json", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    wrapped = check_file(tmp_path / "wrapped.html", default_ruleset(), keep_report=True)
    plain = check_file(REAL_HTML, default_ruleset(), keep_report=True)
    assert values(wrapped) == values(plain)


# -- rule packs: catastrophic backtracking -----------------------------------------------


def test_catastrophic_regex_in_a_rule_pack_is_an_evaluation_error(cli, in_tmp):
    Path("slow.yaml").write_text(
        """pack: {name: slow, version: "1"}
rules:
  - id: X-001
    title: {zh: 慢, en: slow}
    severity: warning
    basis: {zh: 无, en: none}
    rationale: {zh: 无, en: none}
    check:
      kind: text_pattern
      scope: all
      present: ['([\\s\\S]*?,){15}Z']
    message: {zh: "缺少 {missing}", en: "missing {missing}"}
    examples: {pass: [{base: "2021"}], fail: [{base: "2021"}]}
""",
        "utf-8",
    )
    line = assert_one_line_error(
        cli("check", str(SAMPLE), "--rules", "slow.yaml"), str(SAMPLE), "X-001", "time limit"
    )
    assert "could not be evaluated" in line


def test_the_bundled_pack_trusted_at_run_time_is_valid():
    """The national pack is not schema-validated, nor its patterns and sets checked, when it
    loads (start-up time): here it is loaded as a rule pack from another office is."""
    from checker.engine.ruleset import (
        _read_pack_file,
        default_ruleset,
        load_pack,
        national_pack_path,
    )

    folder = national_pack_path().parent
    files = [national_pack_path(), *(folder / name for name in _includes(national_pack_path()))]
    assert len(files) > 5
    for path in files:
        _read_pack_file(path)  # raises InputError naming the file and line when invalid
    checked = load_pack(national_pack_path())  # every pattern compiled, every @set known
    assert [r.id for r in checked.rules] == [r.id for r in default_ruleset().rules]


def _includes(pack: Path) -> list[str]:
    from checker.sources.yamlnodes import load_yaml_with_positions

    data, _ = load_yaml_with_positions(pack.read_text("utf-8"), str(pack))
    return list(data.get("include", []))


# -- a symbolic-link loop in a checked folder ----------------------------------------------


def test_symlink_loop_in_a_checked_directory(cli, in_tmp):
    folder = in_tmp / "reports"
    folder.mkdir()
    (folder / "r.yaml").write_bytes(BASE_2021.read_bytes())
    (folder / "loop").symlink_to(".")  # reports/loop/loop/loop/... if links were followed
    (folder / "up").symlink_to("..")
    outcome = cli("check", "reports", "--format", "json")
    assert outcome.code == 0, outcome.err
    assert '"files": 1' in outcome.out and "reports/r.yaml" in outcome.out


def test_looping_file_link_is_one_clear_error(cli, in_tmp):
    Path("a.txt").symlink_to("b.txt")
    Path("b.txt").symlink_to("a.txt")
    assert_one_line_error(cli("check", "a.txt"), "a.txt", "symbolic link")
