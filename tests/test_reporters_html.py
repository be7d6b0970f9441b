"""HTML page: the report tables as grids, the cells of failing sums highlighted, findings beside.

The last tests open the page in headless Chromium (the Debian ``chromium``
package) and check the highlighted cells in the DOM the browser built and in
the styles it computed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from msgspec.structs import replace

from checker.engine.ruleset import default_ruleset
from checker.reporters import Run, render
from checker.reporters.html import cell_id
from checker.run.pipeline import check_file

from .conftest import ROOT
from .reporters_support import SAMPLES, sample_results, sample_run

ROW_TOTAL = 1  # t3-row-total.yaml is report r1 of the sample run


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside each <td>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.td_text: dict[str, str] = {}
        self._open_td: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == "td":
            self._open_td = attributes.get("id")
            self.td_text[self._open_td] = ""

    def handle_endtag(self, tag):
        if tag == "td":
            self._open_td = None

    def handle_data(self, data):
        if self._open_td is not None:
            self.td_text[self._open_td] += data

    def cells(self) -> dict[str, dict[str, str]]:
        return {a["id"]: a for t, a in self.tags if t == "td" and "data-pointer" in a}

    def anchors(self) -> dict[str, dict[str, str]]:
        """Tables, rows and cells: every element that shows a JSON pointer."""
        return {a["id"]: a for t, a in self.tags if "data-pointer" in a}


def parse(text: str) -> Elements:
    parser = Elements()
    parser.feed(text)
    return parser


def classes(attributes: dict[str, str]) -> set[str]:
    return set(attributes.get("class", "").split())


def expected_failing(index: int, result) -> dict[str, set[str]]:
    """Element id -> rules, for every table, row or cell a finding of the result is about."""
    want: dict[str, set[str]] = {}
    for finding in result.findings:
        for pointer in (finding.location.pointer, *finding.related):
            if pointer.startswith("/tables/"):
                want.setdefault(cell_id(index, pointer), set()).add(finding.rule)
    return want


def check_highlights(page: Elements, run: Run) -> int:
    cells = page.anchors()
    checked = 0
    for index, result in enumerate(run.results, start=1):
        want = expected_failing(index, result)
        got = {
            cid: set(a["data-rules"].split())
            for cid, a in cells.items()
            if cid.startswith(f"r{index}-") and "fail" in classes(a)
        }
        assert got == want, result.path
        checked += len(want)
    return checked


@pytest.fixture(scope="module")
def page_text() -> str:
    return render("html", sample_run())


def test_tables_are_grids_with_the_templates_labels(page_text):
    page = parse(page_text)
    cells = page.cells()
    t3_rows = [k for k in cells if k.startswith("r1-tables-t3-")]
    assert len(t3_rows) >= 25 * 7  # every 2021 table 3 leaf row × 7 columns
    assert cells["r1-tables-t3-granted-total"]["data-pointer"] == "/tables/t3/granted/total"
    assert page.td_text["r1-tables-t3-granted-total"] == "31"
    for label in ("（一）予以公开", "社会公益组织", "本年处理决定数量", "未经复议直接起诉", "表三"):
        assert label in page_text
    # the 2019 text report gets the 2019 template's labels
    assert "本年新制作数量" in page_text and "r3-tables-t2-regulations-made" in cells


def test_every_cell_of_a_failing_sum_is_highlighted(page_text):
    run = sample_run()
    page = parse(page_text)
    assert check_highlights(page, run) > 10
    granted_total = page.cells()[cell_id(ROW_TOTAL, "/tables/t3/granted/total")]
    assert {"fail", "sev-error", "primary"} <= classes(granted_total)
    part = page.cells()[cell_id(ROW_TOTAL, "/tables/t3/granted/natural_person")]
    assert "fail" in classes(part) and "primary" not in classes(part)
    untouched = page.cells()[cell_id(ROW_TOTAL, "/tables/t3/new/total")]
    assert "fail" not in classes(untouched)


def test_findings_sit_beside_the_tables_and_link_to_their_cells(page_text):
    page = parse(page_text)
    links = {a["href"][1:] for t, a in page.tags if t == "a" and a.get("href", "").startswith("#")}
    ids = {a["id"] for t, a in page.tags if "id" in a}
    assert links <= ids  # no dangling link
    assert cell_id(ROW_TOTAL, "/tables/t3/granted/natural_person") in links
    findings = [a for t, a in page.tags if t == "li" and "finding" in classes(a)]
    assert len(findings) == len(sample_run().findings)
    all_ids = [a["id"] for t, a in page.tags if "id" in a]
    assert len(all_ids) == len(set(all_ids))


def test_self_contained_and_deterministic(page_text):
    assert page_text == render("html", sample_run())
    assert "<script" not in page_text
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page_text)
    assert "Content-Security-Policy" in page_text
    assert "无法读取：" in page_text and "boom" in page_text


def test_report_text_is_escaped(tmp_path):
    source = (ROOT / SAMPLES[0]).read_text(encoding="utf-8")
    evil = source.replace(
        "title: 示范区人民政府2021年政府信息公开工作年度报告",
        "title: '示范区<img src=x onerror=alert(1)>2021年报告'",
    ).replace("agency: 示范区人民政府", "agency: '</td><script>alert(2)</script>'")
    path = tmp_path / "evil.yaml"
    path.write_text(evil, encoding="utf-8")
    result = check_file(path, default_ruleset(), keep_report=True)
    text = render("html", Run([result], default_ruleset()))
    assert "<img" not in text and "<script" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "&lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in text


def test_without_kept_reports_only_findings_are_shown():
    results = [replace(r, report=None) for r in sample_results()]
    text = render("html", Run(results, default_ruleset()))
    assert "data-pointer" not in text and "（未保留报告表格）" in text
    assert check_file(ROOT / SAMPLES[0], default_ruleset()).report is None  # not kept by default


def test_english_labels():
    text = render("html", sample_run("en"))
    assert '<html lang="en">' in text and "(1) granted" in text and "Findings" in text


# -- in a real browser ------------------------------------------------------------------------

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PROBE = """<script>
const out = [];
for (const td of document.querySelectorAll('td[data-pointer]')) {
  out.push(td.id + ' ' + getComputedStyle(td).backgroundColor.replace(/ /g, ''));
}
document.getElementById('probe').textContent = out.join('\\n');
</script>"""


def browser() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def dump_dom(page: Path, profile: Path) -> str:
    binary = browser()
    if binary is None:
        pytest.skip(
            "no Chromium binary on PATH (install the Debian package: apt-get install -y chromium)"
        )
    result = subprocess.run(
        [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def browser_dom(tmp_path_factory, page_text) -> str:
    folder = tmp_path_factory.mktemp("html")
    page = folder / "nianbao.html"
    page.write_text(page_text, encoding="utf-8")
    return dump_dom(page, folder / "profile")


def test_chromium_renders_the_highlighted_cells(browser_dom):
    run = sample_run()
    page = parse(browser_dom)
    # the browser kept every cell inside its table and every highlight on it
    assert check_highlights(page, run) > 10
    assert page.td_text[cell_id(ROW_TOTAL, "/tables/t3/granted/total")] == "31"
    assert len(page.cells()) == len(parse(render("html", run)).cells())


def test_chromium_paints_failing_cells_differently(tmp_path, page_text):
    # the page itself runs no scripts (its CSP forbids them); a copy with a probe reads the
    # colours the browser computed for each cell
    probe_page = tmp_path / "probe.html"
    probed = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page_text)
    probed = probed.replace("</body>", '<pre id="probe"></pre>' + PROBE + "</body>")
    probe_page.write_text(probed, encoding="utf-8")
    dom = dump_dom(probe_page, tmp_path / "profile")
    probe = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert probe, dom[-500:]
    colours = dict(line.split(" ", 1) for line in probe.group(1).strip().splitlines())
    failing = expected_failing(ROW_TOTAL, sample_run().results[0])
    error_colour = colours[cell_id(ROW_TOTAL, "/tables/t3/granted/total")]
    plain_colour = colours[cell_id(ROW_TOTAL, "/tables/t3/new/total")]
    assert error_colour != plain_colour
    assert {colours[cid] for cid in failing} == {error_colour}
