"""Write structured reports (YAML/JSON) and other outputs: atomically where the path allows."""

from __future__ import annotations

import errno
import os
import stat
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import IO, Any

# PyYAML and json are imported where used: a check that prints to the console needs neither

_BREAKS_TO_ESCAPE = "\x85\u2028\u2029\r"


@cache
def _yaml_dumper() -> type:
    """Block-style YAML that keeps Decimal precision and long Chinese text readable."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
        if value == value.to_integral_value():
            return dumper.represent_int(int(value))
        return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))

    def represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        # NEL, LS, PS and CR are line breaks to a YAML reader: written as they are (PyYAML
        # would, inside single quotes) they come back folded into spaces. Double quotes
        # escape them (\N \L \P \r).
        if any(c in value for c in _BREAKS_TO_ESCAPE):
            style: str | None = '"'
        else:
            style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def represent_dict(dumper: yaml.SafeDumper, value: dict) -> yaml.Node:
        # a table row (a few scalar cells) reads best on one line
        flow = (
            0 < len(value) <= 8
            and all(not isinstance(v, dict | list) for v in value.values())
            and all(not isinstance(v, str) or len(v) < 30 for v in value.values())
        )
        return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=flow)

    Dumper.add_representer(Decimal, represent_decimal)
    Dumper.add_representer(dict, represent_dict)
    Dumper.add_representer(str, represent_str)
    return Dumper


def to_yaml(data: Any) -> str:
    import yaml

    return yaml.dump(data, Dumper=_yaml_dumper(), allow_unicode=True, sort_keys=False, width=4096)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(data: Any) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write `text` (or a document's bytes) to `path` the way the path asks for it (never
    destroying what it is).

    - a regular file or a new path: through a temporary file in the same folder
      and a rename, so a reader never sees a truncated file;
    - a symbolic link: its target is written that way, the link stays;
    - a device, FIFO or other special file (``/dev/null``, ``/dev/stdout``, a
      pipe): written into directly, never replaced by a regular file;
    - a folder, or a path whose folder does not exist: an OSError saying so
      (the command line prints it as ``cannot write: …``).
    """
    path = Path(path)
    try:
        info = os.stat(path)  # what the path leads to, through links
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise NotADirectoryError(errno.ENOTDIR, f"{path.parent} is not a folder") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, f"{path} is a folder")
    if info is not None and not stat.S_ISREG(info.st_mode):
        with _opened(path, text) as handle:
            handle.write(text)
        return
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(errno.ENOENT, f"folder {folder} does not exist")
    _replace(target, folder, text)


def _opened(target: Path | int, content: str | bytes) -> IO[Any]:
    """Text as UTF-8 with LF line ends, a document's bytes as they are (the caller closes it)."""
    binary = isinstance(content, bytes)
    if isinstance(target, int):
        if binary:
            return os.fdopen(target, "wb")
        return os.fdopen(target, "w", encoding="utf-8", newline="\n")
    if binary:
        return open(target, "wb")
    return open(target, "w", encoding="utf-8", newline="\n")


def _replace(path: Path, folder: Path, text: str | bytes) -> None:
    """Write via a temporary file in the same folder and rename: never a truncated file."""
    import tempfile  # only when writing a file: with shutil, bz2, lzma it is 4 ms of start-up

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with _opened(fd, text) as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())  # on disk before the rename: a crash never leaves it empty
        # mkstemp creates 0600; give the output the permissions a plain open() would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
