"""Generate a benchmark corpus: N annual reports as structured YAML and as flattened web text.

    python benchmarks/corpus.py --size 10000 --out benchmarks/.corpus/10000

writes ``yaml/NNN/NNNNNN.yaml`` and ``text/NNN/NNNNNN.txt`` (1000 files per
folder), the same N reports in both shapes. The reports come from
:func:`checker.testing.reports` (valid reports of both format versions, every
agency kind, years 2019-2026, with consistent tables and prose): a pool of
``--pool`` distinct reports is drawn once (reproducibly) and file *i* is pool
report *i mod pool* under an agency name of its own, so that no two files
are the same agency (a national corpus holds one report per agency and year:
no cross-year pairs) and every file is a full check for the checker.
Drawing and rendering a report costs ~30 ms, writing a copy ~0.1 ms, so the
pool keeps 100 000 reports within a minute or two.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"  # spell the file number in the agency name without digits
FILES_PER_FOLDER = 1000


def draw_pool(size: int) -> list[dict[str, Any]]:
    """`size` valid reports drawn by hypothesis, the same ones on every run."""
    from hypothesis import HealthCheck, Phase, given, settings

    from checker.testing import reports

    pool: list[dict[str, Any]] = []

    @settings(
        max_examples=size,
        database=None,
        derandomize=True,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(reports(max_count=60))
    def collect(data: dict[str, Any]) -> None:
        pool.append(data)

    collect()
    unique = {repr(data): data for data in pool}  # hypothesis may draw a report twice
    return list(unique.values())


def unique_agency(index: int, agency: str) -> str:
    """A distinct agency per file, keeping the name's ending (its kind): 甲乙丙 + 临江市财政局."""
    return "".join(HEAVENLY_STEMS[int(digit)] for digit in f"{index:06d}") + agency


def relative_path(index: int, suffix: str) -> Path:
    return Path(f"{index // FILES_PER_FOLDER:03d}") / f"{index:06d}{suffix}"


def generate(size: int, out: Path, pool_size: int) -> dict[str, float]:
    from checker.testing.renderers import render_web_text, render_yaml

    started = time.perf_counter()
    pool = draw_pool(min(pool_size, size))
    shapes = [(data["meta"]["agency"], render_yaml(data), render_web_text(data)) for data in pool]
    drawn = time.perf_counter()
    for index in range(size):
        agency, yaml_text, web_text = shapes[index % len(shapes)]
        name = unique_agency(index, agency)
        for folder, text, suffix in (("yaml", yaml_text, ".yaml"), ("text", web_text, ".txt")):
            target = out / folder / relative_path(index, suffix)
            if index % FILES_PER_FOLDER == 0:
                target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text.replace(agency, name), "utf-8")
    (out / "COMPLETE").write_text(f"{size} reports, pool {len(shapes)}\n", "utf-8")
    return {"pool": len(shapes), "draw": drawn - started, "write": time.perf_counter() - drawn}


def ensure(size: int, root: Path, pool_size: int) -> Path:
    """The corpus of `size` reports under `root`, generated when it is not there yet."""
    out = root / str(size)
    if not (out / "COMPLETE").exists():
        print(f"generating {size} reports in {out} ...", file=sys.stderr, flush=True)
        took = generate(size, out, pool_size)
        print(
            f"  pool {took['pool']} drawn in {took['draw']:.1f}s, written in {took['write']:.1f}s",
            file=sys.stderr,
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True, help="number of reports")
    parser.add_argument("--out", type=Path, required=True, help="folder to write")
    parser.add_argument("--pool", type=int, default=400, help="distinct reports drawn")
    args = parser.parse_args()
    took = generate(args.size, args.out, args.pool)
    print(
        f"{args.size} reports in {args.out}: pool {took['pool']}, "
        f"drawn {took['draw']:.1f}s, written {took['write']:.1f}s"
    )


if __name__ == "__main__":
    main()
