"""Time per page of the PDF reader against pypdfium2 doing the raw part of the same work.

    python benchmarks/pdf_speed.py FOLDER_OR_PDF... [--repeat 5]

Side by side in one run, best of ``--repeat`` per file, for every PDF given:

- ``reader``: ``checker.sources.pdf.read_pdf`` (pdfplumber/pdfminer: characters,
  words, ruled tables, page furniture; the Document the extraction reads);
- ``plumber raw``: pdfplumber opening the file and listing every character with its
  box and every ruling line and rectangle (the input the reader builds on);
- ``pdfium raw``: pypdfium2 (PDFium, C++) listing every character with its box
  (``get_charbox``) and the bounds of every path object (the ruling lines).

The raw columns are the same work in both libraries; what pdfium does not do is
find tables from the rulings, join words and cells, and the reader's own logic,
which would have to be written again on top of it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path


def reader(path: Path) -> int:
    from checker.sources.pdf import read_pdf

    return len(read_pdf(path).blocks)


def plumber_raw(path: Path) -> int:
    import pdfplumber

    count = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            count += len(page.chars) + len(page.lines) + len(page.rects)
            page.close()
    return count


def pdfium_raw(path: Path) -> int:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    count = 0
    pdf = pdfium.PdfDocument(path)
    try:
        for page in pdf:
            text = page.get_textpage()
            chars = text.count_chars()
            boxes = [text.get_charbox(i) for i in range(chars)]
            _ = text.get_text_range()
            paths = [o.get_bounds() for o in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH])]
            count += len(boxes) + len(paths)
            text.close()
            page.close()
    finally:
        pdf.close()
    return count


def best_of(work: Callable[[Path], int], path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work(path)
        times.append(time.perf_counter() - started)
    return min(times)


def pages_of(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    files = [f for p in args.paths for f in (sorted(p.glob("*.pdf")) if p.is_dir() else [p])]
    works = {"reader": reader, "plumber raw": plumber_raw, "pdfium raw": pdfium_raw}
    print(f"{'file':28} {'pages':>5} " + " ".join(f"{n + ' ms/p':>16}" for n in works))
    totals = dict.fromkeys(works, 0.0)
    all_pages = 0
    for path in files:
        reader(path)  # warm: imports and page cache
        pages = pages_of(path)
        all_pages += pages
        row = []
        for name, work in works.items():
            seconds = best_of(work, path, args.repeat)
            totals[name] += seconds
            row.append(f"{1000 * seconds / pages:16.1f}")
        print(f"{path.name:28} {pages:5} " + " ".join(row))
    print(
        f"{'all':28} {all_pages:5} "
        + " ".join(f"{1000 * t / all_pages:16.1f}" for t in totals.values())
    )
    print(
        f"reader / pdfium raw = {totals['reader'] / totals['pdfium raw']:.1f}x; "
        f"plumber raw / pdfium raw = {totals['plumber raw'] / totals['pdfium raw']:.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
