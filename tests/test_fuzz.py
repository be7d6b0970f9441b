"""Fuzzing every reader and the YAML loader (issue 6): the only outcomes are a check or a clean error.

For each input — random bytes under every report extension, real reports
mutated byte by byte or line by line, Word documents with a mutated
``word/document.xml``, generated reports rendered to each source shape and
then mutated — ``check_file`` must either

- return a one-line error (exit 2 for the user) and no findings, or
- run every rule of the national pack, none of which may break on the input
  (an outcome "error" is a rule crashing on odd data, a bug).

No exception may escape. The runs are bounded and reproducible
(``derandomize``, no example database); the whole file takes well under a
minute on a 2-core machine.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine.ruleset import default_ruleset
from checker.errors import InputError
from checker.findings import FileResult
from checker.run.pipeline import check_file
from checker.sources.yamlnodes import load_yaml_with_positions
from checker.testing import reports
from checker.testing.renderers import RENDERERS
from checker.writer import to_yaml

from .conftest import ROOT, SAMPLE, bounded
from .hostile_support import FIXTURES, REAL_DOCX, REAL_PDF

EXAMPLES = ROOT / "rules" / "national" / "examples"
SEEDS: dict[str, list[Path]] = {
    ".txt": [
        SAMPLE,
        EXAMPLES / "base-2019.txt",
        *sorted((ROOT / "reports_samples" / "defects").glob("*.txt")),
        *sorted((FIXTURES / "corpus").glob("*.txt")),
    ],
    ".md": sorted((FIXTURES / "corpus").glob("*.md")),
    ".yaml": [
        EXAMPLES / "base-2021.yaml",
        EXAMPLES / "base-2019.yaml",
        *sorted((ROOT / "reports_samples" / "defects").glob("*.yaml")),
    ],
    ".html": sorted((FIXTURES / "html").glob("*.html")),
}
EXTENSIONS = (".yaml", ".yml", ".json", ".txt", ".md", ".html", ".htm", ".docx", ".pdf")
# pieces that steer a mutation towards what readers and extraction look for
REPORT_PIECES = (
    "一、", "二、", "三、", "（七）总计", "|", "\n", "0", "7", "-1", "１２", "一百", "万元", "—", "/",
    "2020年", "2021年1月1日至2021年12月31日", "政府信息公开工作年度报告", "本年新收", "上年结转",
    "<table>", "<tr><td>", "</td>", "<p>", "&nbsp;", "meta:", "tables:", "  ", "{", "[", "&a", "*a",
    "!!binary", "｜", "\t", "\u3000", "\ufeff", "\x00",
)  # fmt: skip


def fuzz_settings(examples: int) -> settings:
    """The suite's bounded profile, with every health check off: fuzz data is meant to be odd."""
    return settings(bounded(examples), suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def rule_ids() -> set[str]:
    return {rule.id for rule in default_ruleset().rules}


def check_data(folder: Path, suffix: str, data: bytes) -> FileResult:
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    return check_file(path, default_ruleset())


def assert_clean(result: FileResult, rule_ids: set[str]) -> None:
    """A clean one-line error, or a check in which every rule ran and none broke."""
    if result.error is not None:
        assert isinstance(result.error, str) and result.error.strip(), result
        assert "\n" not in result.error and "Traceback" not in result.error, result.error
        assert not result.findings
        return
    assert {o.rule for o in result.outcomes} == rule_ids
    broken = [o for o in result.outcomes if o.outcome == "error"]
    assert not broken, broken


# -- mutations -------------------------------------------------------------------------


@st.composite
def byte_mutations(draw: st.DrawFn, seed: bytes, max_edits: int = 6) -> bytes:
    """`seed` with a few byte edits: flip, insert, delete, overwrite, duplicate, truncate."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, max_edits))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        edit = draw(st.sampled_from(("flip", "insert", "delete", "overwrite", "duplicate", "cut")))
        if edit == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif edit == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=8))
            data[at : at + len(chunk)] = chunk
        elif edit == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 256))]
        elif edit == "cut":
            del data[at:]
    return bytes(data)


@st.composite
def text_mutations(draw: st.DrawFn, seed: str, max_edits: int = 5) -> str:
    """`seed` with a few line and character edits that stay valid text."""
    lines = seed.split("\n")
    for _ in range(draw(st.integers(1, max_edits))):
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        edit = draw(st.sampled_from(("drop", "repeat", "swap", "splice", "digit", "join")))
        if edit == "drop" and lines:
            del lines[at]
        elif edit == "repeat" and lines:
            lines[at:at] = [lines[at]] * draw(st.integers(1, 3))
        elif edit == "swap" and lines:
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif edit == "splice":
            line = lines[at] if lines else ""
            cut = draw(st.integers(0, len(line)))
            piece = draw(st.sampled_from(REPORT_PIECES) | st.text(max_size=6))
            lines[at : at + 1] = [line[:cut] + piece + line[cut:]]
        elif edit == "digit" and lines:
            line = lines[at]
            digits = [i for i, ch in enumerate(line) if ch.isdigit()]
            if digits:
                i = draw(st.sampled_from(digits))
                lines[at] = line[:i] + draw(st.sampled_from("0123456789一-—／ ")) + line[i + 1 :]
        elif edit == "join" and at + 1 < len(lines):
            lines[at : at + 2] = [lines[at] + lines[at + 1]]
    return "\n".join(lines)


def seeds(suffix: str) -> st.SearchStrategy[Path]:
    return st.sampled_from(SEEDS[suffix])


def rezip_docx(document_xml: bytes) -> bytes:
    source = zipfile.ZipFile(REAL_DOCX)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            body = document_xml if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info.filename, body)
    return out.getvalue()


DOCX_XML = zipfile.ZipFile(REAL_DOCX).read("word/document.xml").decode("utf-8")

# -- random bytes under every extension ----------------------------------------------------


@pytest.mark.parametrize("suffix", EXTENSIONS)
def test_random_bytes(workdir, rule_ids, suffix):
    @fuzz_settings(25)
    @given(data=st.binary(max_size=2048) | st.text(max_size=512).map(str.encode))
    def run(data: bytes) -> None:
        assert_clean(check_data(workdir, suffix, data), rule_ids)

    run()


# -- real reports, mutated -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "examples"), [(".txt", 50), (".md", 15), (".yaml", 50), (".html", 30)]
)
def test_mutated_real_text_reports(workdir, rule_ids, suffix, examples):
    @fuzz_settings(examples)
    @given(path=seeds(suffix), data=st.data())
    def run(path: Path, data: st.DataObject) -> None:
        text = data.draw(text_mutations(path.read_text("utf-8")))
        encoding = data.draw(st.sampled_from(("utf-8", "utf-8-sig", "gb18030")))
        payload = text.encode(encoding, errors="replace")
        assert_clean(check_data(workdir, suffix, payload), rule_ids)

    run()


@pytest.mark.parametrize(("suffix", "examples"), [(".txt", 25), (".yaml", 25), (".html", 20)])
def test_real_reports_with_byte_damage(workdir, rule_ids, suffix, examples):
    @fuzz_settings(examples)
    @given(path=seeds(suffix), data=st.data())
    def run(path: Path, data: st.DataObject) -> None:
        payload = data.draw(byte_mutations(path.read_bytes()))
        assert_clean(check_data(workdir, suffix, payload), rule_ids)

    run()


@fuzz_settings(25)
@given(xml=text_mutations(DOCX_XML.replace("><", ">\n<")))
def test_word_documents_with_a_mutated_body(workdir, rule_ids, xml):
    assert_clean(check_data(workdir, ".docx", rezip_docx(xml.encode("utf-8"))), rule_ids)


@fuzz_settings(15)
@given(data=byte_mutations(REAL_DOCX.read_bytes()))
def test_word_documents_with_byte_damage(workdir, rule_ids, data):
    assert_clean(check_data(workdir, ".docx", data), rule_ids)


@fuzz_settings(12)
@given(data=byte_mutations(REAL_PDF.read_bytes(), max_edits=3))
def test_pdfs_with_byte_damage(workdir, rule_ids, data):
    assert_clean(check_data(workdir, ".pdf", data), rule_ids)


# -- generated reports, rendered to every shape, then mutated ---------------------------


@pytest.mark.parametrize("suffix", sorted(s for s in RENDERERS if s != ".docx"))  # text shapes
def test_generated_reports_rendered_and_mutated(workdir, rule_ids, suffix):
    @fuzz_settings(12)
    @given(report=reports(max_count=30), data=st.data())
    def run(report: dict, data: st.DataObject) -> None:
        text = data.draw(text_mutations(RENDERERS[suffix](report)))
        assert_clean(check_data(workdir, suffix, text.encode("utf-8")), rule_ids)

    run()


# -- the YAML loader -----------------------------------------------------------------------

# fmt: off
YAML_NOISE = (
    "a", "b", ":", ": ", "- ", "[", "]", "{", "}", ",", "\n", "  ", "&x ", "*x", "<<: ", "!!str ",
    "!!python/object:os.system ", "'", '"', "|", ">", "#", "---", "...", "? ", "1", "0x1F", "1e3",
    ".inf", "~", "null", "2021-01-01", "2021-02-30", "年", "\t", "%YAML 1.1\n", "!<tag:x> ",
    "\\u0000", '"\\ud800"',
)
# fmt: on
YAML_PIECES = st.sampled_from(YAML_NOISE)


def assert_loads_or_refuses(text: str) -> None:
    try:
        data, positions = load_yaml_with_positions(text, "fuzz.yaml")
    except InputError as exc:
        assert exc.path == "fuzz.yaml"
        assert exc.message.strip() and "\n" not in exc.message, exc.message
        return
    assert isinstance(positions, dict)
    if data is not None:
        assert "" in positions  # the root has a position


@fuzz_settings(300)
@given(text=st.lists(YAML_PIECES | st.text(max_size=3), max_size=40).map("".join))
def test_yaml_loader_on_yaml_shaped_noise(text):
    assert_loads_or_refuses(text)


@fuzz_settings(100)
@given(path=seeds(".yaml"), data=st.data())
def test_yaml_loader_on_mutated_reports(path, data):
    assert_loads_or_refuses(data.draw(text_mutations(path.read_text("utf-8"))))


PLAIN = st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.text(max_size=20)
TREES = st.recursive(
    PLAIN,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)


@fuzz_settings(150)
@given(tree=TREES, style=st.sampled_from((None, True, False)))
def test_yaml_loader_returns_what_was_written(tree, style):
    """Nothing lost or changed: any plain data PyYAML writes is read back as PyYAML reads it.

    Compared with PyYAML's own safe loader, not with the tree written: PyYAML's emitter
    folds a key of U+0085 (NEL) inside single quotes, so that even its own loader reads a
    space (hypothesis found {"\x85": None})."""
    text = yaml.safe_dump({"root": tree}, allow_unicode=True, default_flow_style=style)
    data, positions = load_yaml_with_positions(text, "tree.yaml")
    assert data == yaml.safe_load(text)
    assert "/root" in positions


@fuzz_settings(150)
@given(tree=TREES)
def test_what_nianbao_writes_as_yaml_reads_back_unchanged(tree):
    """`nianbao extract -o x.yaml` (checker.writer.to_yaml): every string comes back as it
    was, line breaks YAML folds included (NEL, LS, PS, CR inside keys and values)."""
    text = to_yaml({"root": tree})
    assert yaml.safe_load(text) == {"root": tree}
    assert load_yaml_with_positions(text, "tree.yaml")[0] == {"root": tree}


@pytest.mark.parametrize("odd", ["\x85", "a\u2028b", "\u2029", "x\ry", " \x85 ", "行\x85\n行"])
def test_line_breaks_yaml_folds_survive_the_writer_in_keys_and_values(odd):
    data = {odd: odd, "list": [odd], "row": {"a": odd}}
    assert yaml.safe_load(to_yaml(data)) == data


# -- the quick schema check never lets through what jsonschema refuses ---------------------

ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.decimals(allow_nan=False, places=2, min_value=-10, max_value=10),
    st.sampled_from(("", "2021", "/", "—", "government", "2019", "x" * 50, "2021-01-01")),
    st.lists(st.integers(0, 3), max_size=3),
    st.dictionaries(
        st.sampled_from(("total", "bogus", "year", "text")), st.integers(0, 3), max_size=2
    ),
)


def _paths(data: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def damaged_reports(draw: st.DrawFn) -> object:
    data = draw(reports(max_count=20))
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(_paths(data)))
        if not path:
            continue
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        edit = draw(st.sampled_from(("replace", "delete", "add")))
        if edit == "replace":
            parent[path[-1]] = draw(ODD_VALUES)
        elif edit == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(("bogus", "total", "note", "legacy")))] = draw(ODD_VALUES)
    return data


@fuzz_settings(200)
@given(data=damaged_reports())
def test_quick_schema_check_agrees_with_jsonschema(data):
    from checker.sources.structured import _quick_check, _validator

    valid = not list(_validator().iter_errors(data))
    quick = _quick_check()
    assert quick is not None
    if quick(data):
        assert valid, list(_validator().iter_errors(data))[:1]


TREE_SCHEMA = {
    "$defs": {
        "node": {
            "type": "object",
            "properties": {
                "n": {"$ref": "#/$defs/count"},
                "kids": {"type": "array", "items": {"$ref": "#/$defs/node"}},
            },
            "required": ["n"],
            "additionalProperties": False,
        },
        "count": {"type": "integer", "minimum": 0},
    },
    "$ref": "#/$defs/node",
}
TREE_DATA = st.recursive(
    st.fixed_dictionaries({"n": st.integers(-2, 3) | st.none()}),
    lambda inner: st.fixed_dictionaries(
        {"n": st.integers(-1, 3)},
        optional={"kids": st.lists(inner, max_size=3), "x": st.just(1)},
    ),
    max_leaves=12,
)


@fuzz_settings(150)
@given(data=TREE_DATA)
def test_a_definition_that_refers_to_itself_is_checked_as_jsonschema_checks_it(data):
    """Each $defs entry is compiled once, and one that refers to itself too."""
    from jsonschema import Draft202012Validator

    from checker.sources.schemacheck import compile_schema

    quick = compile_schema(TREE_SCHEMA)
    assert quick is not None
    assert quick(data) == Draft202012Validator(TREE_SCHEMA).is_valid(data)


@fuzz_settings(30)
@given(data=reports(max_count=20))
def test_quick_schema_check_passes_valid_reports(data):
    from checker.sources.structured import _quick_check

    assert _quick_check()(data)  # the fast path is the one taken
