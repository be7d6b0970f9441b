"""The daily surfaces (issue 13): usage errors, folder walks, messages a person can act on."""

from __future__ import annotations

import pytest

from .conftest import ROOT, bounded, run_nianbao


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["check"], "缺少要检查的报告文件或目录"),
        (["check", "--year", "abc", "x.txt"], "--year 的值“abc”不是整数"),
        (["check", "--lang", "fr", "x.txt"], "--lang 的值“fr”无效，可选：zh、en"),
        (["check", "--bogus", "x.txt"], "没有 --bogus 这个选项"),
        (["check", "x.txt", "-f"], "选项 -f 后面需要一个值"),
        (["rules", "show"], "缺少规则编号"),
        (["schema", "nope"], "模式名称的值“nope”无效"),
        (["check", "--lang", "en", "--jobs", "many", "x.txt"], "'many' is not a valid int"),
        (["check", "--lang", "en"], "missing the report files or folders to check"),
    ],
)
def test_every_usage_error_is_one_line_and_exit_2(args, words):
    ran = run_nianbao(*args)
    assert ran.returncode == 2
    assert ran.stdout == ""
    lines = ran.stderr.splitlines()
    assert len(lines) == 1, ran.stderr
    assert lines[0].startswith("nianbao: ") and words in lines[0]
    assert "╭" not in ran.stderr and "Usage:" not in ran.stderr


def test_help_and_version_still_exit_0():
    assert run_nianbao("--version").returncode == 0
    shown = run_nianbao("check", "--help")
    assert shown.returncode == 0 and "--fail-on" in shown.stdout


# -- start-up: parsed pack and templates cached by their hash (checker/cache/snapshot.py) --------


def _calls(monkeypatch, tmp_path):
    from checker.cache import snapshot

    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(tmp_path))
    built: list[int] = []

    def build() -> dict:
        built.append(1)
        return {"rules": [{"id": "X-001"}], "built": len(built)}

    return snapshot, built, build


def test_a_snapshot_is_reused_only_for_the_same_bytes(monkeypatch, tmp_path):
    snapshot, built, build = _calls(monkeypatch, tmp_path)
    first = snapshot.cached("rules", b"pack v1", build)
    assert snapshot.cached("rules", b"pack v1", build) == first
    assert len(built) == 1
    assert snapshot.cached("rules", b"pack v2", build)["built"] == 2  # edited: parsed again
    assert len(list(tmp_path.iterdir())) == 2 and not list(tmp_path.glob(".*tmp"))


def test_a_corrupt_or_foreign_snapshot_is_rebuilt_not_trusted(monkeypatch, tmp_path):
    import pickle

    snapshot, _, build = _calls(monkeypatch, tmp_path)
    snapshot.cached("rules", b"pack", build)
    (path,) = tmp_path.iterdir()
    path.write_bytes(b"garbage")
    assert snapshot.cached("rules", b"pack", build)["built"] == 2
    key = snapshot.snapshot_key("rules", b"pack")
    planted = key.encode() + b"\n" + pickle.dumps(print)  # a callable: never unpickled
    path.write_bytes(planted)
    assert snapshot.cached("rules", b"pack", build)["built"] == 3
    other = snapshot.snapshot_key("rules", b"other").encode()
    path.write_bytes(other + b"\n" + pickle.dumps({"rules": "stale"}))  # right name, wrong hash
    assert snapshot.cached("rules", b"pack", build)["built"] == 4


def test_an_unwritable_cache_never_stops_a_check(monkeypatch, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    snapshot, _, build = _calls(monkeypatch, blocked / "cache")
    assert snapshot.cached("rules", b"pack", build)["built"] == 1
    monkeypatch.setenv("NIANBAO_CACHE_DIR", "")  # off
    assert snapshot.cache_dir() is None
    assert snapshot.cached("rules", b"pack", build)["built"] == 2


def test_the_national_pack_from_a_snapshot_equals_the_parsed_one(monkeypatch, tmp_path):
    from checker.engine.ruleset import _bundled_files, _load_pack, national_pack_path
    from checker.templates import templates

    monkeypatch.setenv("NIANBAO_CACHE_DIR", "")  # off: parsed from the YAML
    _bundled_files.cache_clear()
    parsed = _load_pack(national_pack_path(), (), bundled=True)
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(tmp_path))
    _bundled_files.cache_clear()
    _load_pack(national_pack_path(), (), bundled=True)
    assert len(list(tmp_path.glob("rules-*.pickle"))) == 1  # one snapshot for all its files
    _bundled_files.cache_clear()
    again = _load_pack(national_pack_path(), (), bundled=True)  # from the snapshot
    _bundled_files.cache_clear()
    assert [(r.id, r.severity, r.message, r.source) for r in again.rules] == [
        (r.id, r.severity, r.message, r.source) for r in parsed.rules
    ]
    fresh = templates.__wrapped__()  # parsed (the process-wide copy stays as it is)
    assert any(tmp_path.glob("templates-*.pickle"))
    assert repr(templates.__wrapped__()) == repr(fresh)  # from the snapshot


def test_a_configuration_is_read_again_when_edited_and_an_invalid_one_never_cached(
    monkeypatch, tmp_path
):
    from checker.errors import InputError
    from checker.gate.config import load_config

    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(tmp_path / "cache"))
    config = tmp_path / "nianbao.toml"
    config.write_text('fail-on = "warning"\n', encoding="utf-8")
    assert load_config(config).fail_on == "warning"
    assert load_config(config).fail_on == "warning"  # from the snapshot
    assert len(list((tmp_path / "cache").glob("config-*.pickle"))) == 1
    config.write_text('fail-on = "error"\n', encoding="utf-8")
    assert load_config(config).fail_on == "error"  # edited: parsed again
    config.write_text('fail-on = "sometimes"\n', encoding="utf-8")
    for _ in range(2):  # the error each time: a configuration that is not valid is not kept
        with pytest.raises(InputError, match="fail-on"):
            load_config(config)
    assert len(list((tmp_path / "cache").glob("config-*.pickle"))) == 2


def test_section_titles_and_title_scores_from_snapshots_equal_the_parsed_ones(
    monkeypatch, tmp_path
):
    from checker.extract import sections as found
    from checker.templates import sections

    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(tmp_path))
    parsed = sections.__wrapped__()
    assert sections.__wrapped__() == parsed and any(tmp_path.glob("sections-*.pickle"))
    known = found._known_scores.__wrapped__()
    assert any(tmp_path.glob("title-scores-*.pickle"))
    assert found._known_scores.__wrapped__() == known
    for core, scores in list(known.items())[:40]:
        assert found._scores(core) == scores  # the same function, worked out now
    assert found._fold("一、总体情况") in known and found._fold("三、本年度办理结果") in known


# -- discovery that knows reports (checker/run/sniff.py) ---------------------------------------

REPO_SAMPLE = ROOT / "reports_samples" / "repo"


def test_a_folder_walk_checks_the_reports_and_says_what_it_skipped(tmp_path):
    import json
    import shutil

    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("2021.yaml", "2022.yaml"):
        shutil.copy(REPO_SAMPLE / "zhengfu" / name, folder / name)
    shutil.copy(REPO_SAMPLE / "README.md", folder / "README.md")
    (folder / "nianbao.toml").write_text('fail-on = "never"\n', "utf-8")
    (folder / "2022.expected.yaml").write_text("findings:\n- {rule: XY-001}\n", "utf-8")
    wrote = run_nianbao(
        "check", "reports", "--write-baseline", "reports/baseline.json", cwd=tmp_path
    )
    assert wrote.returncode == 0, wrote.stderr
    ran = run_nianbao("check", "reports", "-f", "json", cwd=tmp_path)
    checked = {f["path"] for f in json.loads(ran.stdout)["files"]}
    assert checked == {"reports/2021.yaml", "reports/2022.yaml"}
    console = run_nianbao("check", "reports", cwd=tmp_path)
    assert "检查 2 个文件" in console.stdout and "跳过3个非报告文件" in console.stdout
    shown = run_nianbao("check", "reports", "--show-skipped", cwd=tmp_path).stdout
    for name, why in (
        ("README.md", "看不出是年度报告"),
        ("baseline.json", "nianbao 自己的文件"),
        ("2022.expected.yaml", "nianbao 自己的文件"),
    ):
        assert f"  reports/{name}：{why}" in shown
    named = run_nianbao("check", "reports/README.md", "-f", "json", cwd=tmp_path)
    assert json.loads(named.stdout)["files"][0]["path"] == "reports/README.md"  # named: checked


def test_the_defect_samples_folder_checks_only_the_reports():
    import json

    ran = run_nianbao("check", "reports_samples/defects", "-f", "json")
    paths = [f["path"] for f in json.loads(ran.stdout)["files"]]
    assert paths and not any(".expected." in p for p in paths)
    assert len(paths) == len(
        [p for p in (ROOT / "reports_samples/defects").iterdir() if ".expected." not in p.name]
    )


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".yaml"])
def test_generated_reports_in_every_shape_are_recognised(suffix, tmp_path):
    from hypothesis import given

    from checker.run.sniff import skip_reason
    from checker.testing import RENDERERS, reports

    @given(reports())
    @bounded(15)
    def recognised(data):
        path = tmp_path / f"report{suffix}"
        path.write_text(RENDERERS[suffix](data), "utf-8")
        assert skip_reason(path) is None

    recognised()


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("notes.md", "# 工作笔记\n\n下周整理各单位的年报，重点看表三。\n", "text"),
        ("page.html", "<html><body><p>欢迎访问</p></body></html>", "text"),
        ("data.json", '{"rows": [1, 2, 3]}', "shape"),
        ("list.json", '[{"meta": 1}]', "shape"),
        ("other.yaml", "name: x\nitems: [1, 2]\n", "shape"),
        ("findings.json", '{"tool": {"name": "nianbao-checker"}, "findings": []}', "own"),
    ],
)
def test_files_that_are_not_reports_are_skipped_with_the_reason(tmp_path, name, text, reason):
    from checker.run.sniff import skip_reason

    path = tmp_path / name
    path.write_text(text, "utf-8")
    assert skip_reason(path) == reason


# -- extraction diagnostics quote the source as it is --------------------------------------


def test_values_of_a_row_are_quoted_as_the_source_wrote_them():
    from checker.extract.tables import _shown
    from checker.extract.tokens import tokenize
    from checker.sources.text import parse_text

    doc = parse_text("（一）予以公开 2648-18538\n", "r.txt")
    values = [t for t in tokenize(doc, 0, len(doc.blocks)) if t.is_value]
    assert [t.text for t in values] == ["2648", "18538"]
    assert _shown(values) == "2648-18538"


def test_values_from_cells_show_blanks_in_words_and_a_cut_list_says_how_long_it_was():
    from checker.extract.tables import _shown
    from checker.extract.tokens import Token
    from checker.model import Position

    cells = [
        Token(str(n) if n % 5 else "", Position("r.html", 1, n), 0, True) for n in range(1, 16)
    ]
    shown = _shown(cells)
    assert "□" not in shown and "（空）" in shown
    assert shown.endswith("…（共15个）") and shown.startswith("1 2 3 4 （空） 6")


def test_reading_problems_have_their_own_line_and_fail_only_when_asked():
    crawled = "tests/fixtures/corpus/pingtan_2021.txt"  # one row of run-together digits (EXT-005)
    ran = run_nianbao("check", crawled)
    assert ran.returncode == 0, ran.stdout
    assert "警告 EXT-005" in ran.stdout
    assert "1 处表格未能可靠读取，相关规则未核对" in ran.stdout
    assert run_nianbao("check", crawled, "--fail-on-unreadable").returncode == 1
    english = run_nianbao("check", crawled, "--lang", "en").stdout
    assert "1 table passage(s) could not be read reliably" in english


# -- findings you can find: snippets next to positions in text sources ---------------------


def test_a_snippet_marks_the_figure_with_fifteen_characters_either_side():
    from checker.reporters.snippets import cut

    line = "甲" * 40 + "主动公开政府信息170条，其中通知公告类信息76条" + "乙" * 40
    column = line.index("170") + 1
    assert (
        cut(line, column)
        == "…" + line[column - 16 : column - 1] + "【170】" + line[column + 2 : column + 17] + "…"
    )
    assert cut("170条", 1) == "【170】条"
    assert cut("0", 1, None, ("(七)总计", "|"), ("|", "0")) == "(七)总计 | 【0】 | 0"


def test_console_and_markdown_show_where_in_a_long_crawled_line():
    crawled = "tests/fixtures/corpus/pingtan_2021.txt"
    console = run_nianbao("check", crawled).stdout
    assert (
        "pingtan_2021.txt:10:2119 「…件数规章 000行政规范性文件【693665】第二十条第（五）项信息内容本年…」"
        in console
    )
    markdown = run_nianbao("check", crawled, "-f", "markdown").stdout
    assert "| 10:2119 「…件数规章 000行政规范性文件【693665】" in markdown
    structured = run_nianbao("check", "reports_samples/defects/t3-unbalanced.yaml").stdout
    assert "【" not in structured  # a YAML line is short and readable as it is


def test_an_unreadable_file_is_reported_once(tmp_path):
    (tmp_path / "bad.yaml").write_text("meta: [\n", "utf-8")
    ran = run_nianbao("check", "bad.yaml", cwd=tmp_path)
    assert ran.returncode == 2
    said = (ran.stdout + ran.stderr).count("bad.yaml")
    assert said == 1 and ran.stderr.startswith("nianbao: bad.yaml: ")
    assert "无法读取 1" in ran.stdout


# -- every line under zh in Chinese ---------------------------------------------------------


def test_read_errors_are_worded_in_chinese_and_in_english_with_lang_en(tmp_path):
    (tmp_path / "bad.yaml").write_text("meta:\n  title: x\n year: [\n", "utf-8")
    zh = run_nianbao("check", "bad.yaml", "missing.txt", cwd=tmp_path)
    assert zh.stderr.strip() == "nianbao: missing.txt: 文件或目录不存在"
    zh = run_nianbao("check", "bad.yaml", cwd=tmp_path)
    assert zh.stderr.startswith("nianbao: bad.yaml: 第3行第2列：YAML 语法错误（")
    en = run_nianbao("check", "bad.yaml", "--lang", "en", cwd=tmp_path)
    assert "YAML syntax error" in en.stderr


def test_schema_problems_in_a_structured_report_are_worded_in_chinese(tmp_path):
    from hypothesis import given

    from checker.run.pipeline import check_file
    from checker.testing import RENDERERS, reports

    @given(reports())
    @bounded(5)
    def worded(data):
        data = {**data, "meta": {**data["meta"], "agnecy": "typo", "year": "二〇二〇"}}
        path = tmp_path / "typo.yaml"
        path.write_text(RENDERERS[".yaml"](data), "utf-8")
        from checker.engine.ruleset import default_ruleset

        result = check_file(path, default_ruleset())
        messages = [f.message for f in result.findings if f.rule == "EXT-001"]
        assert any("有模式中没有的键“agnecy”" in m for m in messages), messages
        assert any("“二〇二〇”应为整数" in m for m in messages), messages
        assert not any("is not" in m or "Additional" in m for m in messages)

    worded()


def test_a_long_row_label_is_said_once_in_a_sum():
    from checker.engine.kinds._arith import shortened

    row = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    labels = [f"{row}／{col}" for col in ("自然人", "商业企业", "其他")]
    assert shortened(labels, "zh") == [labels[0], "商业企业", "其他"]
    columns = ["一、本年新收／自然人", "二、上年结转／自然人"]
    assert shortened(columns, "zh") == ["一、本年新收／自然人", "二、上年结转"]
    assert shortened(["a / b", "c / d"], "en") == ["a / b", "c / d"]
    ran = run_nianbao("check", "reports_samples/defects/t3-row-total.yaml").stdout
    line = next(line for line in ran.splitlines() if "T3-002" in line and "（二）部分公开" in line)
    assert line.count("区分处理的") == 2  # the rule's own naming of the row, then the first term


def test_the_heading_scan_finds_what_the_spaced_regular_expression_found():
    import re

    from hypothesis import given
    from hypothesis import strategies as st

    from checker.sources.text import _NUMERALS, _headings
    from checker.templates import sections

    def spaced(title: str) -> str:
        return r"\s*".join(map(re.escape, title))

    reference = re.compile(
        "|".join(
            rf"{_NUMERALS[s.number - 1]}\s*[、.．]\s*(?:"
            + "|".join(
                spaced(t)
                for t in sorted({s.title.split("、", 1)[-1], *s.variants}, key=len, reverse=True)
            )
            + ")"
            for s in sections()
        )
    )
    pieces = [s.title for s in sections()] + [v for s in sections() for v in s.variants]
    parts = st.sampled_from([*pieces, *_NUMERALS, "、", ".", " ", "\u3000", "\n", "情况", "x"])

    @given(st.lists(parts, max_size=30), st.data())
    @bounded(200)
    def same(chunks, data):
        text = "".join(chunks)
        cut = data.draw(st.integers(0, len(text)))
        text = text[:cut] + " " + text[cut:]  # whitespace inside a title
        assert _headings(text) == [m.span() for m in reference.finditer(text)]

    same()


@pytest.mark.parametrize(
    ("text", "configures"),
    [
        ('[project]\nname = "x"\n[project.scripts]\nnianbao = "checker.cli:main"\n', False),
        ("[tool.nianbao]\nselect = ['T3']\n", True),
        ("[tool]\nnianbao = {select = ['T3']}\n", True),
        ("tool.nianbao.select = ['T3']\n", True),
        ('[ tool . "nianbao" ]\nignore = ["TXT"]\n', True),
    ],
)
def test_a_pyproject_is_parsed_only_when_it_may_configure_nianbao(tmp_path, text, configures):
    from checker.gate.config import _may_configure, find_config

    (tmp_path / "pyproject.toml").write_text(text, "utf-8")
    assert _may_configure(tmp_path / "pyproject.toml") is configures
    found = find_config([tmp_path])
    assert (found is not None and found.name == "pyproject.toml") is configures


def test_html_positions_are_places_in_the_visible_text(tmp_path):
    from checker.findings import Finding, Location
    from checker.reporters.snippets import html_place

    page = (
        "<html><head><style>p{color:red}</style></head><body>\n"
        "<div class='nav'>首页 &gt; 政务公开</div>\n"
        "<p>本机关全年主动公开政府信息\n<b>1250</b>条。</p></body></html>\n"
    )
    (tmp_path / "page.html").write_text(page, "utf-8")
    column = page.split("\n")[3].index("1250") + 1
    finding = Finding(
        "R-1", "warning", "t", "m", Location(str(tmp_path / "page.html"), "", 4, column)
    )
    place, shown = html_place(finding)
    visible = "首页 > 政务公开 本机关全年主动公开政府信息 1250条。"
    assert place == visible.index("1250") + 1
    assert shown == "…本机关全年主动公开政府信息 【1250】条。"


def test_the_html_report_quotes_prose_and_names_cells_by_their_labels():
    ran = run_nianbao(
        "check",
        "reports_samples/defects/t3-unbalanced.yaml",
        "reports_samples/defects/narrative-breakdown.txt",
        "-f",
        "html",
    )
    page = ran.stdout
    assert (
        '<blockquote class="quote">全年新收政府信息公开申请<mark>70</mark>件，上年结转0件，' in page
    )
    assert "主动公开政府信息<mark>170</mark>条" in page
    assert ">表三“一、本年新收政府信息公开申请数量”／自然人</a>" in page
    assert ">t3/new/natural_person</a>" not in page


def test_check_help_lists_every_agency_kind_in_a_narrow_terminal():
    import os
    import subprocess
    import sys

    shown = subprocess.run(
        [sys.executable, "-m", "checker", "check", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        cwd=ROOT,
        timeout=120,
    ).stdout
    words = " ".join(shown.replace("│", " ").split())
    for kind in ("government", "department", "township", "subdistrict", "other"):
        assert kind in words
    assert "…" not in shown


def test_the_quick_configuration_check_never_passes_what_the_schema_refuses():
    from hypothesis import given
    from hypothesis import strategies as st
    from jsonschema import Draft202012Validator

    from checker.gate.config import _quick_check
    from checker.resources import load_schema

    quick = _quick_check()
    assert quick is not None  # jsonschema is imported only for a configuration with errors
    validator = Draft202012Validator(load_schema("config"))
    scalars = st.one_of(
        st.sampled_from(["", "T3", "T3-001", "error", "never", "x/**", "department", "理由"]),
        st.integers(-2, 3),
        st.booleans(),
    )
    values = st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(["file", "rules", "reason", "T3", "x"]), inner, max_size=3
            )
        ),
        max_leaves=6,
    )
    keys = st.sampled_from(
        [
            "select",
            "ignore",
            "extend-select",
            "fail-on",
            "jobs",
            "include",
            "exclude",
            "severity",
            "per-file-ignores",
            "metadata",
            "suppress",
            "rules",
            "bogus",
        ]
    )

    @given(st.dictionaries(keys, values, max_size=4))
    @bounded(300)
    def agrees(config):
        if quick(config):
            assert not list(validator.iter_errors(config)), config

    agrees()
    assert quick(
        {"select": ["T3"], "fail-on": "warning", "metadata": {"agency-kind": "department"}}
    )
