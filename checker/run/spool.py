"""An append-only sequence of objects kept pickled: in memory while small, then in a temporary file.

A batch run produces one result per file and every output format reads them
back (some several times), so the results must be kept until the end, but
holding 100,000 of them as Python objects costs gigabytes. A :class:`Spool`
keeps each item as its pickle, in memory up to ``max_memory`` bytes, then in a
private temporary file (deleted when the spool is closed or collected) plus an 8-byte offset per item,
so memory stays flat whatever the number of files. Reading seeks to the item,
so several iterations may run at the same time (a reporter looping over the
results while summing them).
"""

from __future__ import annotations

import io
import pickle
from array import array
from collections.abc import Iterator, Sequence
from typing import BinaryIO, Generic, TypeVar, overload

T = TypeVar("T")

MAX_MEMORY = 2 * 1024 * 1024  # about 500 results; beyond, the disk (and the page cache)


class Spool(Sequence[T], Generic[T]):
    def __init__(self, max_memory: int | None = None) -> None:
        self._max_memory = MAX_MEMORY if max_memory is None else max_memory
        # in memory until max_memory, then a temporary file (tempfile is imported only then:
        # with shutil, bz2 and lzma it is 4 ms of every start)
        self._file: BinaryIO = io.BytesIO()
        self._on_disk = False
        self._offsets = array("q", [0])

    def append(self, item: T) -> None:
        self.append_pickled(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))

    def append_pickled(self, data: bytes) -> None:
        """Add an item pickled elsewhere (a worker process) without unpickling it here."""
        self._file.seek(self._offsets[-1])
        self._file.write(data)
        self._offsets.append(self._offsets[-1] + len(data))
        if not self._on_disk and self._offsets[-1] >= self._max_memory:
            self._roll_over()

    def _roll_over(self) -> None:
        from tempfile import TemporaryFile

        disk = TemporaryFile()  # noqa: SIM115 (closed in close())
        disk.write(self._file.getvalue())  # type: ignore[attr-defined]
        self._file.close()
        self._file, self._on_disk = disk, True

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("spool index out of range")
        return pickle.loads(self.pickled(index))

    def pickled(self, index: int) -> bytes:
        """The item's bytes as stored, to copy it without unpickling it."""
        start, end = self._offsets[index], self._offsets[index + 1]
        self._file.seek(start)
        return self._file.read(end - start)

    def __iter__(self) -> Iterator[T]:
        for index in range(len(self)):
            yield self[index]

    @property
    def on_disk(self) -> bool:
        return self._on_disk

    def close(self) -> None:
        self._file.close()
