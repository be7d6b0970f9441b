"""Time per MB and peak memory per input size of every reader, on generated inputs of given sizes.

    nice -n 19 python benchmarks/readers.py --sizes 0.1,1,10          # MB; ~10 min on 2 cores

For each reader and size, one generated report is grown to the size and
checked (read, extract, every rule of the national pack) in a fresh process
under the default per-file budget. The report is drawn by
``checker.testing.reports()`` and rendered to the reader's format; it grows
by its prose (section one gets more paragraphs of ordinary report sentences,
each paragraph about 18 KB of words drawn from report sentences, which
compresses as prose does), so its tables stay those of a real report and it
stays under the limits on blocks and table tokens. The PDF is built by hand
(Helvetica, one text line per report line, 60 lines a page), so a large one
meets the page limit (500 pages) instead.

Printed per run: seconds from before reading to the result (start-up,
imports and a first check of the small report excluded), seconds per MB, the
peak resident memory the check added to the process (``VmHWM`` after,
reset before reading, less the resident size before reading)
and that peak divided by the input size, and the result (checked, or the
one-line refusal).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READERS = ("yaml", "json", "txt", "md", "html", "docx", "pdf")
SENTENCE = (
    "本机关严格落实政府信息公开条例，持续完善主动公开目录，规范依申请公开办理流程，提升答复质量。"
)

_CHILD = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from checker.engine.ruleset import default_ruleset
from checker.run.pipeline import check_file
import checker.sources.html, checker.sources.docx, checker.sources.pdf, checker.sources.text
import checker.sources.structured, checker.extract, pdfplumber, docx
rules = default_ruleset()
check_file(Path(sys.argv[3]), rules)  # warm: the reader's lazy imports and caches
def status(name):
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) * 1024 for l in f if l.startswith(name + ":"))
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # the peak (VmHWM) starts again from here
before = status("VmRSS")
started = time.perf_counter()
result = check_file(Path(sys.argv[1]), rules)
took = time.perf_counter() - started
peak = status("VmHWM")
print(json.dumps({"seconds": took, "added": max(peak - before, 0), "error": result.error}))
"""


def _report(paragraphs: int) -> dict:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT))
    from corpus import draw_pool

    data = draw_pool(1)[0]
    rng = random.Random(paragraphs)  # prose that compresses like prose, not like one sentence
    words = [SENTENCE[i : i + 4] for i in range(0, len(SENTENCE) - 4, 2)]
    extra = "\n".join(
        "".join(rng.choice(words) for _ in range(1500)) + "。" for _ in range(paragraphs)
    )
    data["sections"][0]["text"] += "\n" + extra if extra else ""
    return data


def _pdf(lines: list[str]) -> bytes:
    from tests.hostile_support import pdf_of

    pages = [lines[i : i + 60] for i in range(0, len(lines), 60)] or [[]]
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", _HELVETICA]
    kids = []
    for page in pages:
        ops = ["BT /F1 9 Tf 40 800 Td 11 TL"]
        for line in page:
            safe = line.encode("ascii", "replace").replace(b"\\", b"").replace(b"(", b"")
            ops.append("(" + safe.replace(b")", b"").decode() + ") '")
        ops.append("ET")
        content = "\n".join(ops).encode()
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (len(objects))
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        " ".join(f"{k} 0 R" for k in kids).encode(),
        len(kids),
    )
    return pdf_of(objects)


_HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _pdf_lines(data: dict) -> list[str]:
    """The report's lines in ASCII (Helvetica has no CJK): numbers and pinyin-free labels."""
    from checker.testing.renderers import render_web_text

    out = []
    for index, line in enumerate(render_web_text(data).splitlines()):
        digits = " ".join(ch for ch in line if ch.isdigit())
        out.append(f"Line {index} of the report {digits}"[:110])
    return out


def render(reader: str, paragraphs: int) -> bytes:
    from checker.testing.renderers import RENDERERS

    data = _report(paragraphs)
    if reader == "json":
        import yaml

        return json.dumps(
            yaml.safe_load(RENDERERS[".yaml"](data)), ensure_ascii=False, default=str
        ).encode()
    if reader == "pdf":
        return _pdf(_pdf_lines(data))
    made = RENDERERS[f".{reader}"](data)
    return made if isinstance(made, bytes) else made.encode("utf-8")


def grown(reader: str, megabytes: float) -> bytes:
    """The reader's input grown to about `megabytes` (paragraphs added until it is)."""
    target = int(megabytes * 1024 * 1024)
    base = render(reader, 0)
    per = max((len(render(reader, 20)) - len(base)) / 20, 1)
    data = render(reader, max(int((target - len(base)) / per), 0))
    return data


def measure(reader: str, megabytes: float, folder: Path) -> dict:
    data = grown(reader, megabytes)
    path = folder / f"input.{reader}"
    path.write_bytes(data)
    warm = folder / f"warm.{reader}"
    warm.write_bytes(render(reader, 0))
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(ROOT), str(warm)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"reader": reader, "bytes": len(data), "crash": done.stderr[-500:]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    size_mb = len(data) / (1024 * 1024)
    return {
        "reader": reader,
        "bytes": len(data),
        "seconds": round(result["seconds"], 3),
        "seconds_per_mb": round(result["seconds"] / size_mb, 2),
        "added_mb": round(result["added"] / (1024 * 1024), 1),
        "memory_ratio": round(result["added"] / len(data), 1),
        "result": result["error"] or "checked",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.1,1,10", help="MB, comma-separated")
    parser.add_argument("--readers", default=",".join(READERS))
    parser.add_argument("--json", help="also write the rows here")
    args = parser.parse_args()
    rows = []
    print(f"{'reader':6} {'MB':>6} {'s':>7} {'s/MB':>6} {'+MB':>6} {'mem/in':>7}  result")
    with tempfile.TemporaryDirectory() as folder:
        for reader in args.readers.split(","):
            for size in (float(s) for s in args.sizes.split(",")):
                row = measure(reader, size, Path(folder))
                rows.append(row)
                if "crash" in row:
                    print(f"{reader:6} {row['bytes'] / 1048576:6.2f} CRASH {row['crash']}")
                    continue
                print(
                    f"{reader:6} {row['bytes'] / 1048576:6.2f} {row['seconds']:7.2f} "
                    f"{row['seconds_per_mb']:6.2f} {row['added_mb']:6.1f} "
                    f"{row['memory_ratio']:6.1f}x  {row['result'][:70]}",
                    flush=True,
                )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2, ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    main()
