"""Files replaced all at once: a reader sees the old bytes or the new, never a part.

It holds only the file handling that packaging and the preview share.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from deckgen.diagnostics import DeckgenError, display_path

# Every temp file deckgen makes ends so, which is how a build finds those left by one that died.
TEMP_SUFFIX = ".deckgen-tmp"


def atomic_write(path: Path, data: bytes) -> bool:
    """Replace `path` with `data` all at once; False (and no write) when it already holds it.

    It waits for the disk, so that a power cut cannot leave an empty file behind.
    """
    if holds(path, data):
        return False
    temp = write_temp(path, data, durable=True)
    try:
        os.replace(temp, path)
    except BaseException as error:
        temp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise cannot_write(path, error) from None
        raise
    return True


def holds(path: Path, data: bytes) -> bool:
    """Whether `path` already has exactly these bytes (then there is nothing to write)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def write_temp(path: Path, data: bytes, durable: bool = True) -> Path:
    """`data` in a temp file next to `path` (same filesystem, so os.replace is atomic). An
    error of the system (a full disk, a read-only folder, a file where the folder should be)
    is one `DeckgenError` naming `path`; no temp file is left."""
    try:
        return _write_temp(path, data, durable)
    except OSError as error:
        raise cannot_write(path, error) from None


def cannot_write(path: Path, error: OSError) -> DeckgenError:
    """The one-line error for `error`, raised while writing `path` or moving it into place."""
    why = error.strerror or str(error)
    if isinstance(error, FileExistsError | NotADirectoryError):
        # mkdir's word for "a file is where a folder of the path should be"
        blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        if blocking is not None:
            why = f"{display_path(blocking)} is a file, not a folder"
    return DeckgenError(path, None, f"cannot write: {why}")


def _write_temp(path: Path, data: bytes, durable: bool) -> Path:
    try:
        handle, temp_name = _make_temp(path)
    except (FileNotFoundError, NotADirectoryError):
        # No folder yet (asking first would cost every file a mkdir), or a file in its way,
        # which mkdir reports.
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = _make_temp(path)
    try:
        try:
            _write_all(handle, data)
            if durable:
                os.fsync(handle)
        finally:
            os.close(handle)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return Path(temp_name)


def _write_all(handle: int, data: bytes) -> None:
    rest = memoryview(data)
    while rest:  # a write may take only part of it
        rest = rest[os.write(handle, rest) :]


# Numbers this process's temp files: with its id, a name no other process running picks.
_temp_numbers = itertools.count()
# Binary on Windows (else each written "\n" becomes "\r\n"), and kept from child processes,
# which Windows spells O_NOINHERIT; both are 0 on POSIX, which has no text mode.
_CREATE = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOINHERIT", 0)
    | getattr(os, "O_BINARY", 0)
)


def _make_temp(path: Path) -> tuple[int, str]:
    """A new file beside `path`, readable as any file its user makes (the umask applies): its
    mode is set as it is created, not by a chmod after."""
    while True:
        name = f"{path.parent}/.{path.name}.{os.getpid()}-{next(_temp_numbers)}{TEMP_SUFFIX}"
        try:
            return os.open(name, _CREATE, 0o644), name
        except FileExistsError:
            continue  # left by a build that died, which had the same process id
