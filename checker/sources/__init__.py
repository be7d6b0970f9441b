"""Readers: one module per source format, all behind `read_report` (design §2).

A reader maps a file to either a Report (structured YAML/JSON) or a Document
(anything else), which extraction turns into a Report. Readers are looked up
by file extension; to add a format, add a module and an entry in `READERS`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from checker.errors import InputError
from checker.model import Report
from checker.sources.document import Document
from checker.sources.limits import Limits

# extension -> "module:function"; modules are imported only when a file needs them
READERS: dict[str, str] = {
    ".yaml": "checker.sources.structured:read_structured",
    ".yml": "checker.sources.structured:read_structured",
    ".json": "checker.sources.structured:read_structured",
    ".txt": "checker.sources.text:read_text",
    ".text": "checker.sources.text:read_text",
    ".md": "checker.sources.text:read_text",
    ".markdown": "checker.sources.text:read_text",
    ".html": "checker.sources.html:read_html",
    ".htm": "checker.sources.html:read_html",
    ".shtml": "checker.sources.html:read_html",
    ".xhtml": "checker.sources.html:read_html",
    ".docx": "checker.sources.docx:read_docx",
    ".pdf": "checker.sources.pdf:read_pdf",
}

Reader = Callable[..., Report | Document]


def supported_extensions() -> tuple[str, ...]:
    return tuple(sorted(READERS))


def reader_for(path: Path) -> Reader:
    target = READERS.get(path.suffix.lower())
    if target is None:
        raise InputError(
            str(path),
            f"unsupported file type {path.suffix or '(none)'!r}; "
            f"supported: {', '.join(supported_extensions())}",
        )
    module_name, function = target.split(":")
    return getattr(import_module(module_name), function)


def read_report(path: Path, limits: Limits | None = None, display: str | None = None) -> Report:
    """Read any supported file into a Report (extracting when it is a source document)."""
    if not path.exists():
        problem = "broken or looping symbolic link" if path.is_symlink() else "no such file"
        raise InputError(display or str(path), problem)
    if path.is_dir():  # a folder the walk could not list
        try:
            os.listdir(path)
        except OSError as exc:
            raise InputError(
                display or str(path), f"cannot list folder: {exc.strerror or exc}"
            ) from None
        raise InputError(display or str(path), "is a folder, not a report file")
    result = reader_for(path)(path, limits, display)
    if isinstance(result, Document):
        from checker.extract import extract

        report = extract(result)
        if not (report.sections or report.tables or report.meta.title or report.meta.year):
            raise InputError(  # a page of something else: never a silent pass
                display or str(path),
                "no annual-report content found (no title, year, numbered section or table)",
            )
        return report
    return result
