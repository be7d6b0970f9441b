"""`nianbao render`: a structured report published in the official layout.

The output format follows the output file's suffix (:data:`FORMATS`). The
report is read with the same safe loader and schema as ``nianbao check``;
what the reader could not use (a schema violation) stops the render, since a
published table must never silently lose a cell. Whether the report's
findings allow publishing is decided by the caller (the CLI runs the same
check as ``nianbao check`` first).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from checker.authoring.layout import Layout, official_layout
from checker.errors import InputError
from checker.model import Report
from checker.sources.encoding import decode_text
from checker.sources.limits import read_bytes
from checker.sources.structured import EXTENSIONS, structured_report
from checker.sources.yamlnodes import load_yaml_with_positions


def _docx(layout: Layout, data: dict[str, Any]) -> bytes:
    from checker.authoring.to_docx import render_docx

    return render_docx(layout)


def _html(layout: Layout, data: dict[str, Any]) -> str:
    from checker.authoring.to_html import render_html

    return render_html(layout)


def _pdf(layout: Layout, data: dict[str, Any]) -> bytes:
    from checker.authoring.to_pdf import render_pdf

    return render_pdf(layout)


def _markdown(layout: Layout, data: dict[str, Any]) -> str:
    from checker.authoring.to_markdown import render_markdown

    return render_markdown(layout, data)


FORMATS: dict[str, Callable[[Layout, dict[str, Any]], str | bytes]] = {
    ".docx": _docx,
    ".html": _html,
    ".htm": _html,
    ".pdf": _pdf,
    ".md": _markdown,
}


def output_format(path: Path) -> Callable[[Layout, dict[str, Any]], str | bytes]:
    render = FORMATS.get(path.suffix.lower())
    if render is None:
        raise InputError(
            str(path),
            f"cannot render to {path.suffix or '(no suffix)'!r}; use .docx, .html, .pdf or .md",
        )
    return render


def load_structured(path: Path) -> tuple[dict[str, Any], Report]:
    """The report's data and model; a file that is not a valid structured report is an InputError."""
    shown = str(path)
    if path.suffix.lower() not in EXTENSIONS:
        raise InputError(shown, "render takes a structured report (.yaml, .yml or .json)")
    if not path.is_file():
        raise InputError(shown, "no such file")
    data, positions = load_yaml_with_positions(decode_text(read_bytes(path), shown), shown)
    report = structured_report(data, positions, shown)
    invalid = [d for d in report.diagnostics if d.code == "EXT-001"]
    if invalid:
        first = invalid[0].params
        more = f" (and {len(invalid) - 1} more)" if len(invalid) > 1 else ""
        raise InputError(
            shown, f"not a valid report at {first['pointer']}: {first['problem']}{more}"
        )
    return data, report


def render_data(data: dict[str, Any], report: Report, suffix: str) -> str | bytes:
    """The document of one report in the format of `suffix` (".pdf", ".docx", ...)."""
    render = output_format(Path(f"report{suffix}"))
    return render(official_layout(data, report), data)
