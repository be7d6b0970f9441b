"""What `nianbao new` and `nianbao render` do, apart from parsing their options (checker/cli.py)."""

from __future__ import annotations

from pathlib import Path

from checker.errors import InputError
from checker.model import AGENCY_KINDS, TEMPLATES


def _writable(output: Path, force: bool, inputs: tuple[Path, ...] = ()) -> None:
    if str(output) == "-":
        return
    for source in inputs:
        if output.exists() and output.resolve() == source.resolve():
            raise InputError(str(output), "is the input file; choose another output (-o)")
    if output.is_dir():
        raise InputError(str(output), "is a directory; give a file name")
    if output.exists() and not force:
        raise InputError(str(output), "exists; use --force to overwrite it")
    if not (output.parent if str(output.parent) else Path(".")).is_dir():
        raise InputError(str(output), "its folder does not exist")


def new_report(
    year: int,
    agency: str,
    agency_kind: str,
    version: str | None,
    previous: Path | None,
    output: Path,
    force: bool = False,
) -> str:
    """Write the skeleton (see checker.authoring.skeleton); returns its text."""
    from checker.authoring.skeleton import skeleton
    from checker.sources import read_report
    from checker.writer import write_atomic

    if agency_kind not in AGENCY_KINDS:
        raise InputError("--agency-kind", f"must be one of {', '.join(AGENCY_KINDS)}")
    if version is not None and version not in TEMPLATES:
        raise InputError("--template", f"must be one of {', '.join(TEMPLATES)}")
    if not 1990 <= year <= 2100:
        raise InputError("--year", f"{year} is not a report year")
    if not agency.strip():
        raise InputError("--agency", "must name the agency")
    last = None
    if previous is not None:
        last = read_report(previous)
        if last.meta.year is not None and last.meta.year != year - 1:
            raise InputError(
                str(previous), f"is the report of {last.meta.year}, not of {year - 1} (--from)"
            )
    _writable(output, force, (previous,) if previous is not None else ())
    text = skeleton(year, agency.strip(), agency_kind, version, last)
    if str(output) != "-":
        write_atomic(output, text)
    return text


def render_report(source: Path, output: Path, force: bool = False) -> None:
    """Render `source` (already checked by the caller) into `output`."""
    from checker.authoring.render import load_structured, output_format, render_data
    from checker.writer import write_atomic

    output_format(output)  # an unknown suffix is refused before any work
    data, report = load_structured(source)
    _writable(output, True, (source,))
    document = render_data(data, report, output.suffix.lower())
    if isinstance(document, str):
        document = document.encode("utf-8")
    write_atomic(output, document)
