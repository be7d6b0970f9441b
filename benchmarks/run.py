"""Benchmarks of issue 6, measured side by side in one run and printed as a table.

    python benchmarks/run.py --sizes 1000,10000

For each size N (the corpus is generated on first use, see corpus.py):

- **floor**: a Python process that reads the N YAML reports and parses each with
  PyYAML's C loader (``yaml.load(..., Loader=yaml.CSafeLoader)``): what any
  checker must pay;
- **yaml**: ``nianbao check <N yaml reports> --jobs 1``; ratio to the floor;
- **text**: ``nianbao check <the same N reports as flattened web text> --jobs 1``
  (read + extract + check); ratio to the floor;
- **jobs 2**: the yaml check with ``--jobs 2``; speed-up over ``--jobs 1``;
- **memory**: the peak resident memory of the ``--jobs 1`` yaml check, and its
  ratio to the smallest size's.

Once: **start-up** (issue 13): ``nianbao check`` on one small report (a
structured one from the corpus, and the flattened web text sample), each run
in turn with the **import floor** of the declared dependencies (``python -c
"import typer, yaml, regex"``), ``--startup-runs`` pairs; the ratio is the
median of the pairs' ratios (pairing keeps it meaningful when the machine's
speed drifts). ``--only startup`` measures just that, on the repository's
samples, without generating a corpus.

Every command runs in a fresh process (times include Python's start-up), its
output discarded; a measurement is the best of ``--repeat`` runs. Each corpus is
read once before its measurements (page cache warm) and the floor is measured
first and last, the faster kept. On a shared machine only ratios taken in the
same run mean anything.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (benchmarks/ is not a package)

PYTHON = sys.executable
NIANBAO = [PYTHON, "-m", "checker"]
# as installed: an installed package has its bytecode compiled, so children may cache it
# (some shells set PYTHONDONTWRITEBYTECODE, which would time the compiler at every start)
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
# runs `argv` as a child and prints its wall time and the child's peak RSS (KiB)
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
took = time.perf_counter() - start
print(took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""
FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""
IMPORT_FLOOR = [PYTHON, "-c", "import typer, yaml, regex"]
SAMPLES = HERE.parent / "reports_samples"
TARGETS = {
    "yaml / floor": ("<=", 2.0),
    "text / floor": ("<=", 4.0),
    "start-up / import floor": ("<=", 1.3),
    "jobs 1 / jobs 2": (">=", 1.7),
    "peak memory / smallest": ("<=", 1.5),
}


@dataclass
class Sample:
    seconds: float
    peak_kib: int
    exit_code: int


def measure(argv: list[str], repeat: int = 1) -> Sample:
    """The best (fastest) of `repeat` runs of `argv` in a fresh process."""
    best: Sample | None = None
    for _ in range(repeat):
        done = subprocess.run(
            [PYTHON, "-c", MEASURE, *argv],
            capture_output=True,
            text=True,
            check=True,
            env=CHILD_ENV,
        )
        seconds, peak, code = done.stdout.split()
        sample = Sample(float(seconds), int(peak), int(code))
        if best is None or sample.seconds < best.seconds:
            best = sample
    assert best is not None
    return best


def check_argv(folder: Path, jobs: int) -> list[str]:
    return [*NIANBAO, "check", str(folder), "--jobs", str(jobs), "--fail-on", "never"]


def warm(folder: Path) -> None:
    """Read every file once, so that no measurement pays for the disk (the first one would)."""
    for path in folder.rglob("*"):
        if path.is_file():
            path.read_bytes()


def bench_size(root: Path, repeat: int, skip: set[str]) -> dict[str, Sample]:
    warm(root)
    floor_argv = [PYTHON, "-c", FLOOR, str(root / "yaml")]
    samples = {"floor": measure(floor_argv, repeat)}
    samples["yaml"] = measure(check_argv(root / "yaml", 1), repeat)
    if "text" not in skip:
        samples["text"] = measure(check_argv(root / "text", 1), repeat)
    if "jobs" not in skip:
        samples["jobs2"] = measure(check_argv(root / "yaml", 2), repeat)
    again = measure(floor_argv, repeat)  # the machine may have slowed down or sped up meanwhile
    if again.seconds < samples["floor"].seconds:
        samples["floor"] = again
    for name, sample in samples.items():
        if sample.exit_code not in (0, 1):
            raise SystemExit(f"{name} run of {root} failed with exit code {sample.exit_code}")
    return samples


def verdict(name: str, value: float) -> str:
    op, target = TARGETS[name]
    met = value <= target if op == "<=" else value >= target
    return f"{op} {target:g}  {'met' if met else 'NOT MET'}"


def _row(label: str, size: int, sample: Sample, ratio: float | None, name: str | None) -> str:
    per = f"{1000 * sample.seconds / size:.2f} ms"
    shown = f"{ratio:.2f}" if ratio is not None else ""
    judged = verdict(name, ratio) if name and ratio is not None else ""
    return f"{label:<40} {size:>7} {sample.seconds:>9.2f} {per:>11} {shown:>7}  {judged}"


def table(results: dict[int, dict[str, Sample]], startup: dict[str, float] | None) -> str:
    rule = "-" * 88
    lines = [
        f"{'measure':<40} {'N':>7} {'seconds':>9} {'per report':>11} {'ratio':>7}  target",
        rule,
    ]
    for size, samples in results.items():
        floor, yaml_run = samples["floor"], samples["yaml"]
        lines.append(_row("parse floor (C YAML loader)", size, floor, None, None))
        lines.append(
            _row(
                "check yaml --jobs 1",
                size,
                yaml_run,
                yaml_run.seconds / floor.seconds,
                "yaml / floor",
            )
        )
        if "text" in samples:
            text = samples["text"]
            lines.append(
                _row(
                    "check text --jobs 1", size, text, text.seconds / floor.seconds, "text / floor"
                )
            )
        if "jobs2" in samples:
            speedup = yaml_run.seconds / samples["jobs2"].seconds
            lines.append(
                _row(
                    "check yaml --jobs 2 (speed-up)",
                    size,
                    samples["jobs2"],
                    speedup,
                    "jobs 1 / jobs 2",
                )
            )
    lines.append(rule)
    smallest = min(results)
    base = results[smallest]["yaml"].peak_kib
    for size, samples in results.items():
        peak = samples["yaml"].peak_kib
        judged = verdict("peak memory / smallest", peak / base) if size != smallest else ""
        lines.append(
            f"{'peak memory, check yaml --jobs 1':<40} {size:>7} {peak / 1024:>8.0f}M "
            f"{'':>11} {peak / base:>7.2f}  {judged}"
        )
    if startup:
        lines += startup_lines(startup, rule)
    return "\n".join(lines)


def startup_lines(startup: dict[str, dict[str, float]], rule: str) -> list[str]:
    lines = [rule] if rule else []
    for label, pair in startup.items():
        lines.append(
            f"{'start-up: import floor':<40} {1:>7} {pair['floor']:>9.3f} {'':>11} {1:>7.2f}"
        )
        judged = verdict("start-up / import floor", pair["ratio"])
        lines.append(
            f"{'start-up: ' + label:<40} {1:>7} {pair['check']:>9.3f} {'':>11} "
            f"{pair['ratio']:>7.2f}  {judged}"
        )
    return lines


def bench_startup(reports: list[Path], runs: int) -> dict[str, dict[str, float]]:
    """Each one-file check and the import floor in turn, `runs` pairs: medians and pair ratio."""
    found = {}
    script = Path(PYTHON).with_name("nianbao")  # the installed entry point, what pre-commit runs
    launchers = {"python -m checker": NIANBAO, "nianbao": [str(script)]}
    for (how, launcher), report in (
        (pair, report)
        for report in reports
        for pair in launchers.items()
        if pair[0] != "nianbao" or script.exists()
    ):
        check = [*launcher, "check", str(report), "--fail-on", "never"]
        measure(check)  # warm-up: bytecode and the parsed-pack snapshot written
        pairs = [(measure(IMPORT_FLOOR).seconds, measure(check).seconds) for _ in range(runs)]
        found[f"{how} check {report.suffix}"] = {
            "floor": statistics.median(f for f, _ in pairs),
            "check": statistics.median(c for _, c in pairs),
            "ratio": statistics.median(c / f for f, c in pairs),
        }
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    parser.add_argument("--corpus", type=Path, default=HERE / ".corpus", help="corpus folder")
    parser.add_argument("--pool", type=int, default=400, help="distinct reports per corpus")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (best kept)")
    parser.add_argument("--startup-runs", type=int, default=11, help="runs per start-up median")
    parser.add_argument("--skip", default="", help="any of: text,jobs,startup")
    parser.add_argument("--only", choices=["startup"], help="measure only this (no corpus)")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    skip = {s for s in args.skip.split(",") if s}
    if args.only == "startup":
        samples = [
            SAMPLES / "repo" / "zhengfu" / "2021.yaml",
            SAMPLES / "haicang-gongxinju-2020.txt",
        ]
        print("\n".join(startup_lines(bench_startup(samples, args.startup_runs), "")))
        return
    sizes = sorted(int(s) for s in args.sizes.split(","))
    roots = {size: corpus.ensure(size, args.corpus, args.pool) for size in sizes}
    startup = None
    small = next((roots[sizes[0]] / "yaml").rglob("*.yaml"))
    measure([*NIANBAO, "check", str(small)])  # warm-up: bytecode written, files in the page cache
    if "startup" not in skip:
        text_sample = SAMPLES / "haicang-gongxinju-2020.txt"
        startup = bench_startup([small, text_sample], args.startup_runs)
    results = {}
    for size in sizes:
        print(f"measuring N={size} ...", file=sys.stderr, flush=True)
        results[size] = bench_size(roots[size], args.repeat, skip)
    print(table(results, startup))
    if args.json:
        raw = {str(k): {n: asdict(s) for n, s in v.items()} for k, v in results.items()}
        args.json.write_text(json.dumps({"sizes": raw, "startup": startup}, indent=2) + "\n")


if __name__ == "__main__":
    main()
