"""A fuzz campaign against every reader, in this process: N minutes (or N inputs) per reader.

    nice -n 19 python benchmarks/fuzz.py --minutes 5                 # every reader, 5 min each
    nice -n 19 python benchmarks/fuzz.py --readers pdf,docx --minutes 1
    python benchmarks/fuzz.py --executions 2000 --readers txt         # a fixed, repeatable run
    python benchmarks/fuzz.py --replay txt:1234                       # one input again, verbose

Each execution draws one input and checks it with ``check_file`` (read,
extract, every rule of the national pack) inside the per-file budget
(:mod:`checker.run.budget`). An input is a seed of the reader's format mutated a
few times. The seeds are real reports kept in the repository and reports
drawn by ``checker.testing.reports()`` and rendered to the reader's format
(plus hostile shapes: self-referencing and bomb PDFs, lying zip headers).
The mutations are byte edits (flip, insert, delete, duplicate, cut, splice
another seed) and, for text formats, edits that keep text: lines dropped,
repeated and joined, report pieces inserted (headings, table rows, numbers of
40 digits, ``1.0e+400``, years 0 and 99999, ``!!timestamp``, ``.nan``, control
characters), tables repeated.

Input *i* of reader *r* depends only on ``--seed``, *r* and *i*: a campaign
is rerun exactly by ``--executions`` with the counts it printed, and any
input is rebuilt with ``--replay r:i``.

An execution fails when an exception escapes, when the result says
"internal error", when a rule's outcome is "error" (it broke on the input),
or, for an input under 1 MB, when the per-file budget ran out (an overrun).
Failing inputs are written to ``--out`` (``failures/``) and the figures per
reader to ``--out/summary.json``; the process exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

READERS = ("yaml", "json", "txt", "md", "html", "docx", "pdf")
SUFFIX = {r: f".{r}" for r in READERS}
MB = 1024 * 1024

# pieces that steer mutations towards what readers, extraction and rules look for
PIECES = (
    "一、", "二、", "五、", "（七）总计", "|", "\n", "0", "7", "-1", "１２", "一百", "万元", "—", "/",
    "2020年", "2021年1月1日至2021年12月31日", "政府信息公开工作年度报告", "本年新收", "上年结转",
    "<table>", "<tr><td>", "</td>", "<p>", "&nbsp;", "meta:", "tables:", "  ", "{", "[", "&a", "*a",
    "!!binary", "!!timestamp 2001-12-14t21:59:43.10-05:00", ".nan", ".inf", "-.inf", "~",
    "12345678901234567890123456789012345678901", "1.0e+400", "1e-400", "0x1F", "0o17", "1_000",
    "year: 0", "year: -5", "year: 99999", "0年", "99999年", "2020-02-30", "｜", "\t", "\u3000",
    "\ufeff", "\x00", "\x1b[31m", "\r", "\u2028", "<w:t>", "</w:t>", "<w:tr>", "<w:tc>",
    "stream\n", "endstream", "obj", "endobj", "/FlateDecode", "/ASCIIHexDecode", "5 0 R", "<<", ">>",
)  # fmt: skip


@dataclass
class Figures:
    reader: str
    executions: int = 0
    seconds: float = 0.0
    bytes: int = 0
    read: int = 0  # inputs read and checked (the rest refused with a one-line error)
    refused: int = 0
    internal_errors: int = 0
    budget_overruns: int = 0
    slowest_seconds: float = 0.0
    largest_input: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.executions / self.seconds if self.seconds else 0.0


# -- seeds -----------------------------------------------------------------------------------


def _files(*patterns: str) -> list[bytes]:
    found: list[bytes] = []
    for pattern in patterns:
        found += [path.read_bytes() for path in sorted(ROOT.glob(pattern))]
    return found


def _generated(count: int) -> list[dict]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import draw_pool

    return draw_pool(count)


def seeds(reader: str, generated: list[dict]) -> list[bytes]:
    from checker.testing.renderers import RENDERERS
    from tests.hostile_support import (
        minimal_pdf,
        self_referencing_pdf,
        zip_bomb,
    )

    def rendered(suffix: str) -> list[bytes]:
        out = []
        for data in generated:
            made = RENDERERS[suffix](data)
            out.append(made if isinstance(made, bytes) else made.encode("utf-8"))
        return out

    if reader == "yaml":
        return _files(
            "rules/national/examples/*.yaml", "reports_samples/defects/*.yaml"
        ) + rendered(".yaml")
    if reader == "json":
        import yaml

        return [
            json.dumps(yaml.safe_load(seed), ensure_ascii=False, default=str).encode("utf-8")
            for seed in seeds("yaml", generated)
        ]
    if reader == "txt":
        return _files(
            "reports_samples/*.txt",
            "reports_samples/defects/*.txt",
            "rules/national/examples/*.txt",
            "tests/fixtures/corpus/*.txt",
        ) + rendered(".txt")
    if reader == "md":
        return _files("tests/fixtures/corpus/*.md") + rendered(".md")
    if reader == "html":
        return _files("tests/fixtures/html/*.html") + rendered(".html")
    if reader == "docx":
        return (
            _files("tests/fixtures/docx/*.docx")
            + rendered(".docx")
            + [zip_bomb(1 << 20, declared_bytes=1000)]
        )
    if reader == "pdf":
        return [
            *_files("tests/fixtures/pdf/*.pdf"),
            minimal_pdf(),
            minimal_pdf(pages=3, deflate=True),
            minimal_pdf(content=b"BT /F1 12 Tf 72 720 Td (2021 1 2 3) Tj ET"),
            self_referencing_pdf(),
        ]
    raise ValueError(reader)


# -- mutations -------------------------------------------------------------------------------


def mutate_bytes(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        at = rng.randint(0, max(len(out) - 1, 0))
        edit = rng.randrange(7)
        if edit == 0 and out:
            out[at] ^= 1 << rng.randrange(8)
        elif edit == 1:
            out[at:at] = rng.choice(PIECES).encode("utf-8")
        elif edit == 2:
            del out[at : at + rng.randint(1, 64)]
        elif edit == 3:
            out[at:at] = out[at : at + rng.randint(1, 512)] * rng.randint(1, 4)
        elif edit == 4 and rng.random() < 0.2:
            del out[at:]
        elif edit == 5:
            other = rng.choice(pool)
            start = rng.randint(0, max(len(other) - 1, 0))
            out[at:at] = other[start : start + rng.randint(1, 256)]
        else:
            out[at : at + 1] = bytes([rng.randrange(256)])
    return bytes(out)


def mutate_text(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 6)):
        at = rng.randint(0, max(len(lines) - 1, 0))
        edit = rng.randrange(7)
        if edit == 0 and lines:
            del lines[at]
        elif edit == 1 and lines:
            lines[at:at] = [lines[at]] * rng.randint(1, 3)
        elif edit == 2 and lines:
            other = rng.randint(0, len(lines) - 1)
            lines[at], lines[other] = lines[other], lines[at]
        elif edit == 3:
            line = lines[at] if lines else ""
            cut = rng.randint(0, len(line))
            lines[at : at + 1] = [line[:cut] + rng.choice(PIECES) + line[cut:]]
        elif edit == 4 and lines:
            line = lines[at]
            digits = [i for i, ch in enumerate(line) if ch.isdigit()]
            if digits:
                i = rng.choice(digits)
                new = rng.choice(("0", "9" * rng.randint(1, 45), "1.0e+400", "一", "-", "—", " "))
                lines[at] = line[:i] + new + line[i + 1 :]
        elif edit == 5 and at + 1 < len(lines):
            lines[at : at + 2] = [lines[at] + lines[at + 1]]
        elif lines:  # a block of lines repeated: long tables
            size = rng.randint(1, 20)
            lines[at:at] = lines[at : at + size] * rng.randint(2, 30)
    return "\n".join(lines)


def _rezip(data: bytes, rng: random.Random) -> bytes:
    """A Word document with its word/document.xml mutated as text, zipped again."""
    try:
        source = zipfile.ZipFile(BytesIO(data))
        body = source.read("word/document.xml").decode("utf-8")
    except Exception:
        return data
    body = mutate_text(rng, body.replace("><", ">\n<"))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            member = (
                body.encode("utf-8") if info.filename == "word/document.xml" else source.read(info)
            )
            target.writestr(info.filename, member)
    return out.getvalue()


def make_input(reader: str, index: int, seed: int, pool: list[bytes]) -> bytes:
    rng = random.Random(f"{seed}:{reader}:{index}")
    base = rng.choice(pool)
    choice = rng.random()
    if reader in ("pdf",) or choice < 0.3:
        return mutate_bytes(rng, base, pool)
    if reader == "docx":
        return _rezip(base, rng)
    text = base.decode("utf-8", "replace")
    encoding = rng.choice(("utf-8", "utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16"))
    return mutate_text(rng, text).encode(encoding, "replace")


# -- running ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    kind: str  # "read", "refused", "internal", "overrun"
    detail: str = ""


def judge(run: Callable[[], object], size: int, rule_ids: set[str]) -> Verdict:
    try:
        result = run()
    except BaseException as exc:  # the harness reports every escape
        if isinstance(exc, KeyboardInterrupt):
            raise
        return Verdict("internal", f"{type(exc).__name__}: {exc}"[:300])
    error = getattr(result, "error", None)
    if error is not None:
        if "internal error" in error or "\n" in error:
            return Verdict("internal", error[:300])
        if "budget" in error:
            return Verdict("overrun" if size < MB else "refused", error[:300])
        return Verdict("refused", error[:300])
    broken = [o.rule for o in result.outcomes if o.outcome == "error"]
    if broken:
        return Verdict("internal", f"rules broke: {broken}")
    missing = rule_ids - {o.rule for o in result.outcomes}
    if missing:
        return Verdict("internal", f"rules without an outcome: {sorted(missing)[:5]}")
    return Verdict("read")


def campaign(args: argparse.Namespace) -> dict[str, Figures]:
    from checker.engine.ruleset import default_ruleset
    from checker.run.budget import FileBudget

    ruleset = default_ruleset()
    rule_ids = {rule.id for rule in ruleset.rules}
    budget = FileBudget(seconds=args.budget)
    generated = _generated(args.generated)
    out = Path(args.out)
    (out / "failures").mkdir(parents=True, exist_ok=True)
    shm = Path("/dev/shm")  # a file per input: in memory where the system has it
    work = Path(tempfile.mkdtemp(prefix="nianbao-fuzz-", dir=shm if shm.is_dir() else None))
    figures: dict[str, Figures] = {}
    try:
        _run_readers(args, figures, work, out, ruleset, rule_ids, budget, generated)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return figures


def _run_readers(args, figures, work, out, ruleset, rule_ids, budget, generated) -> None:
    from checker.run.pipeline import check_file

    for reader in args.readers:
        pool = seeds(reader, generated)
        path = work / f"input{SUFFIX[reader]}"
        fig = Figures(reader)
        figures[reader] = fig
        started = time.perf_counter()
        index = args.start
        while True:
            if args.executions is not None:
                if fig.executions >= args.executions:
                    break
            elif time.perf_counter() - started >= args.minutes * 60:
                break
            data = make_input(reader, index, args.seed, pool)
            path.write_bytes(data)
            began = time.perf_counter()
            verdict = judge(
                partial(check_file, path, ruleset, file_budget=budget), len(data), rule_ids
            )
            took = time.perf_counter() - began
            fig.executions += 1
            fig.bytes += len(data)
            fig.slowest_seconds = max(fig.slowest_seconds, took)
            fig.largest_input = max(fig.largest_input, len(data))
            if verdict.kind == "read":
                fig.read += 1
            elif verdict.kind == "refused":
                fig.refused += 1
            else:
                if verdict.kind == "internal":
                    fig.internal_errors += 1
                else:
                    fig.budget_overruns += 1
                name = f"{reader}-{index}{SUFFIX[reader]}"
                (out / "failures" / name).write_bytes(data)
                fig.failures.append(f"{name}: {verdict.kind}: {verdict.detail}")
                print(
                    f"  FAIL {name}: {verdict.kind}: {verdict.detail}", file=sys.stderr, flush=True
                )
            index += 1
        fig.seconds = time.perf_counter() - started
        print(
            f"{reader:5} {fig.executions:9d} executions in {fig.seconds:7.0f}s "
            f"({fig.rate:6.0f}/s), read {fig.read}, refused {fig.refused}, "
            f"internal errors {fig.internal_errors}, budget overruns {fig.budget_overruns}, "
            f"slowest {fig.slowest_seconds:.2f}s",
            flush=True,
        )
        _save(out, args, figures)


def _save(out: Path, args: argparse.Namespace, figures: dict[str, Figures]) -> None:
    summary = {
        "seed": args.seed,
        "start": args.start,
        "budget_seconds": args.budget,
        "generated_seeds": args.generated,
        "readers": {r: asdict(f) | {"per_second": round(f.rate, 1)} for r, f in figures.items()},
        "total_executions": sum(f.executions for f in figures.values()),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), "utf-8")


def replay(args: argparse.Namespace) -> None:
    from checker.engine.ruleset import default_ruleset
    from checker.run.budget import FileBudget
    from checker.run.pipeline import check_file

    reader, index = args.replay.split(":")
    data = make_input(reader, int(index), args.seed, seeds(reader, _generated(args.generated)))
    target = Path(args.out) / f"replay-{reader}-{index}{SUFFIX[reader]}"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    ruleset = default_ruleset()
    began = time.perf_counter()
    verdict = judge(
        lambda: check_file(target, ruleset, file_budget=FileBudget(seconds=args.budget)),
        len(data),
        {rule.id for rule in ruleset.rules},
    )
    print(f"{target} ({len(data)} bytes): {verdict.kind} {verdict.detail} ")
    print(f"  {time.perf_counter() - began:.3f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", default=",".join(READERS), help="comma-separated")
    parser.add_argument("--minutes", type=float, default=1.0, help="per reader")
    parser.add_argument("--executions", type=int, help="per reader, instead of --minutes")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--start", type=int, default=0, help="first input index")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per input")
    parser.add_argument("--generated", type=int, default=12, help="generated seed reports")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / ".fuzz"))
    parser.add_argument("--replay", help="READER:INDEX: rebuild and check one input")
    args = parser.parse_args()
    args.readers = [r for r in args.readers.split(",") if r]
    unknown = set(args.readers) - set(READERS)
    if unknown:
        parser.error(f"unknown readers {sorted(unknown)}; choose from {', '.join(READERS)}")
    if args.replay:
        replay(args)
        return
    figures = campaign(args)
    total = sum(f.executions for f in figures.values())
    bad = sum(f.internal_errors + f.budget_overruns for f in figures.values())
    print(f"total {total} executions, {bad} failures")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
