"""Property-based testing of rules: generated reports, renderers, mutations, verification.

Rule authors (and our own suite) prove rules against reports hypothesis
generates, not only against hand-written examples:

- :func:`reports` — a hypothesis strategy of valid reports, built by
  construction as structured data (every total computed from its parts, prose
  that agrees with the tables); :func:`build_report` turns one into a
  :class:`~checker.model.Report`. See :mod:`checker.testing.strategies`.
- ``render_*`` and :data:`RENDERERS` — the same report as flattened web text,
  Markdown, HTML, Word or YAML, for testing the readers (render → read → the same
  cells, sections and metadata: :func:`report_differences`). See
  :mod:`checker.testing.renderers`.
- :func:`any_mutation` and the mutation functions — one defect each, with the
  national rule codes it must fire. See :mod:`checker.testing.mutations`.
- :func:`verify_rules` — soundness and sensitivity of rules, the engine of
  ``nianbao rules verify``. See :mod:`checker.testing.verify`.
- A pytest plugin (fixtures ``nianbao_check``, ``nianbao_verify``, …), loaded
  automatically where nianbao-checker is installed. See
  :mod:`checker.testing.plugin` and ``examples/provincial_rules``.

This package needs hypothesis; ``import checker`` does not import it.
"""

from importlib import import_module
from typing import Any

# public name -> the module defining it; imported on first use, so that loading the
# pytest plugin (checker.testing.plugin) in every pytest session stays cheap
_EXPORTS = {
    **dict.fromkeys(
        (
            "MUTATION_KINDS",
            "Mutation",
            "blank_cell",
            "break_breakdown",
            "change_cell",
            "contradict_prose",
            "delete_section",
            "any_mutation",
            "shift_period",
            "swap_sections",
            "switch_template",
        ),
        "mutations",
    ),
    **dict.fromkeys(
        (
            "RENDERERS",
            "render_docx",
            "render_html",
            "render_markdown",
            "render_web_text",
            "render_yaml",
            "report_differences",
        ),
        "renderers",
    ),
    **dict.fromkeys(("agency_names", "build_report", "reports"), "strategies"),
    **dict.fromkeys(("Problem", "Verdict", "verdict_lines", "verify_rules"), "verify"),
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"checker.testing.{_EXPORTS[name]}"), name)


def __dir__() -> list[str]:
    return [*globals(), *__all__]
