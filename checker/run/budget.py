"""The per-file budget of time and memory around reading and checking one file.

Third-party parsers (pdfminer, python-docx, lxml) run inside it, so a file
that makes them loop or swell is stopped and reported as unreadable, in one
line naming the budget, and the run goes on with the next file:

- **Time** (``DEFAULT_SECONDS``, 60 s of CPU, ``--time-budget``): a
  virtual (CPU-time) interval timer raises :class:`BudgetExceeded` in the
  thread that checks (signal-based, so it stops pure-Python loops inside
  libraries; it derives from ``BaseException`` so that a library's
  ``except Exception`` cannot swallow it). CPU time, not wall-clock time:
  on a loaded machine (a CI runner shared with other jobs, ``nice``) the
  same file must get the same verdict. Worker processes of ``--jobs`` check in their main thread, so
  the budget holds there as well and a batch never waits for ever.
- **Memory** (``DEFAULT_MEGABYTES``, 2048 MB, ``--memory-budget``): the
  process's address space may grow by at most this much while the file is
  checked (``RLIMIT_AS`` lowered for the duration, restored after); an
  allocation beyond it fails with ``MemoryError``, reported as over the budget.

Where signals or resource limits do not exist (Windows, a thread that is not
the main thread) that part of the budget is not enforced; the size limits of
:mod:`checker.sources.limits` still hold.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from msgspec import Struct

from checker.errors import InputError

DEFAULT_SECONDS = 60.0
DEFAULT_MEGABYTES = 2048
MAX_SECONDS = 24 * 3600.0
MAX_MEGABYTES = 1 << 30


class BudgetExceeded(BaseException):
    """The file's time budget ran out (raised from the timer's signal handler)."""


class FileBudget(Struct, frozen=True):
    seconds: float = DEFAULT_SECONDS  # 0: no time budget
    megabytes: int = DEFAULT_MEGABYTES  # 0: no memory budget

    def time_problem(self) -> str:
        return f"over the per-file time budget of {self.seconds:g} s of CPU (--time-budget)"

    def memory_problem(self) -> str:
        return f"over the per-file memory budget of {self.megabytes} MB (--memory-budget)"


def _address_space() -> int | None:
    """Bytes of address space this process holds now (Linux), else None."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def _memory_limit(megabytes: int) -> Iterator[bool]:
    try:
        import resource
    except ImportError:  # not on this platform
        yield False
        return
    used = _address_space()
    if not megabytes or used is None:
        yield False
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = used + megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft <= wanted:
        yield False  # a tighter limit is already set from outside: keep it
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ValueError, OSError):
        yield False
        return
    try:
        yield True
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _on_alarm(signum: int, frame: object) -> None:
    raise BudgetExceeded


@contextmanager
def _time_limit(seconds: float) -> Iterator[bool]:
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_VIRTUAL)[0] == 0  # inside another budget: it holds
    )
    if not usable:
        yield False
        return
    previous = signal.signal(signal.SIGVTALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


@contextmanager
def within(budget: FileBudget | None, path: str) -> Iterator[None]:
    """Run the body within `budget`; InputError(path, …) naming the budget when it runs out."""
    budget = budget or FileBudget()
    try:
        with _memory_limit(budget.megabytes) as limited, _time_limit(budget.seconds):
            try:
                yield
            except MemoryError:
                if limited:
                    raise InputError(path, budget.memory_problem()) from None
                raise
    except BudgetExceeded:
        raise InputError(path, budget.time_problem()) from None
