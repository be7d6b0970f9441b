"""Compact pickling for the small dataclasses a batch run sends between processes and spools.

A slotted dataclass pickles through a generic state dictionary; a result holds
dozens of them (rule outcomes, findings, positions), so a batch of 100,000
reports spends measurable time there. :func:`compact_pickle` makes a class
pickle as its constructor call with the field values in order, read by one C
``attrgetter``: about three times faster, and smaller.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T", bound=type)


def compact_pickle(cls: T) -> T:
    """Class decorator (above ``@dataclass``): pickle as ``cls(*field values)``."""
    names = [f.name for f in fields(cls)]
    if any(not f.init for f in fields(cls)):
        raise TypeError(f"{cls.__name__}: every field must be an __init__ argument")
    values = attrgetter(*names)
    single = len(names) == 1

    def __reduce__(self: Any) -> tuple[Any, tuple[Any, ...]]:
        got = values(self)
        return cls, (got,) if single else got

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls
