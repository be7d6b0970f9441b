"""nianbao-checker: lint Chinese government information-disclosure annual reports."""

__version__ = "0.1.0"


def _import_msgspec_without_typing_extensions() -> None:
    """Import msgspec, the base of every record, without typing_extensions (~10 ms a start).

    msgspec's helpers fall back to :mod:`typing` when typing_extensions cannot be
    imported, and need it only to decode typed data, which the checker never asks of
    msgspec; typing_extensions alone loads :mod:`inspect`, :mod:`ast` and
    :mod:`tokenize`. Whatever imports typing_extensions later (typer) gets it as usual.
    """
    import sys

    if "typing_extensions" in sys.modules or "msgspec" in sys.modules:
        return
    sys.modules["typing_extensions"] = None  # type: ignore[assignment]  # "cannot be imported"
    try:
        import msgspec  # noqa: F401
    except ImportError:  # a msgspec that needs it after all: import it as it is
        for name in [m for m in sys.modules if m == "msgspec" or m.startswith("msgspec.")]:
            del sys.modules[name]
    finally:
        del sys.modules["typing_extensions"]


_import_msgspec_without_typing_extensions()
