"""The file system as planning sees it: every file and folder a plan depends on is read here.

A `Reader` is made for one command (by the shell: see `deckgen.cache.Cache.reader`). Planning
reads a lesson, its answer key, its modules' index pages, the images its cards show and the
folder listings that say which file is which through a `Recording` of it, which notes each
path with what it found there (a digest, or a listing's digest). The build cache keeps that
record with the plan and reuses the plan while every recorded input is unchanged: what a plan
depends on is what it read, with no list to keep in step.

Knowing whether a file is unchanged need not mean reading it: the cache keeps each file's
status (size, times, inode) with its digest, and a file whose status is the same is not read
again (see `Reader.digest`). Cheap to import: a build with nothing to do loads it.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from time import time_ns
from typing import Any, Protocol

# A file changed this shortly before it was looked at may change again within the same tick of
# the file system's clock (a second on some, two on FAT; a few milliseconds on others), and
# then keep the status it had: its digest is not trusted by status, as git does not trust a
# "racily clean" index entry. Also covers a file system clock a little behind this machine's.
SETTLE_NS = 3_000_000_000
FileStatus = list[int]
# What the cache keeps of a file: [digest, *status].
Entry = list[Any]
# What a plan read, as recorded: (kind, path) -> what was found. Kinds: FILE (a digest, or
# None when there was no file to read), LISTING (a folder listing's digest).
FILE, LISTING = "file", "listing"
Inputs = dict[tuple[str, str], str | None]
# What is read only to tell whether a file changed (a lesson, an image, a deck) is bounded too,
# far above what any of them may be.
DIGEST_LIMIT = 1 << 31
# The token of a file read twice by one plan with different bytes: it matches nothing later.
_UNSTABLE = "unstable"


# Opened without blocking, so that a FIFO put in place of the file just looked at does not
# wait for a writer; binary on Windows (which has no O_NONBLOCK and no FIFOs).
_OPEN = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_OPEN |= getattr(os, "O_BINARY", 0)
_CHUNK = 1 << 16
_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class NotRegular(OSError):
    """A file deckgen does not read: a FIFO, a device or a socket (reading one may never end)."""

    def __init__(self, path: str | Path, mode: int) -> None:
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        super().__init__(errno.EINVAL, f"{kind}, not a regular file", str(path))


class TooLarge(OSError):
    """A file over the size limit of what it is read as; at most limit + 1 bytes were read."""

    def __init__(self, path: str | Path, size: int, limit: int) -> None:
        self.size, self.limit = size, limit
        message = f"{size / 2**20:.1f} MiB, over the limit of {limit / 2**20:.0f} MiB"
        super().__init__(errno.EFBIG, message, str(path))


def read_bounded(path: str | Path, limit: int) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at `path`, and its status as taken before reading.

    Anything else (a FIFO, a device, a socket, also through a symlink) is refused before it is
    opened, and a file over `limit` bytes by its status, before it is read: a link to
    `/dev/zero` or a sparse 4 GiB file costs a `stat`. A file that grows while it is read is
    read no further than `limit` + 1 bytes. Raises OSError (`NotRegular`, `TooLarge`).
    """
    _check(path, os.stat(path), limit)
    handle = os.open(path, _OPEN)
    try:
        info = os.fstat(handle)  # the file opened may not be the one looked at
        _check(path, info, limit)
        chunks, size = [], 0
        want = min(info.st_size, limit) + 1  # one read for a file its status describes
        while size <= limit:
            chunk = os.read(handle, min(want, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            want = _CHUNK
    finally:
        os.close(handle)
    if size > limit:
        raise TooLarge(path, size, limit)
    return b"".join(chunks), info


def _check(path: str | Path, info: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(info.st_mode):
        raise NotRegular(path, info.st_mode)
    if info.st_size > limit:
        raise TooLarge(path, info.st_size, limit)


def bytes_digest(data: bytes) -> str:
    """How the cache names a deck's or an input's bytes."""
    return hashlib.sha256(data).hexdigest()


def _status(info: os.stat_result) -> FileStatus | None:
    """What tells that a file is still the one hashed; None for a file whose content may
    change without it (not a regular file).

    The ctime is the part no edit escapes: every change of content or of the other fields sets
    it to the clock's time, and, unlike the mtime (`touch -d`), no tool sets it back.
    """
    if not stat.S_ISREG(info.st_mode):
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def file_status(path: str | Path) -> FileStatus | None:
    """`_status` of the file at `path`; None when there is none, or it cannot be looked at."""
    try:
        return _status(os.stat(path))
    except OSError:
        return None


@dataclass(frozen=True)
class Listing:
    """What a folder holds that decides which Markdown file is what."""

    folder: Path
    kind: str  # "folder", "file" (the path is a file) or "" (nothing there)
    markdown_names: tuple[str, ...] = ()  # its `.md` files, sorted
    # Its folders, sorted; not symlinks, which `Path.rglob` does not follow either.
    subfolder_names: tuple[str, ...] = ()
    # Which of its `.md` files are symlinks, with where each points: a link pointed elsewhere
    # may be a lesson no longer, or another one (see `deckgen.layout.discover`).
    links: tuple[tuple[str, str], ...] = ()
    # What it holds that is neither, and why: a `.md` that is no regular file, a symlinked
    # folder. Said in a warning: a folder is never passed over silently.
    skipped: tuple[tuple[str, str], ...] = ()
    # Which of `skipped` are symlinks: a message about one names the link, not its target.
    skipped_links: frozenset[str] = frozenset()
    problem: str = ""  # why a folder could not be listed

    @cached_property
    def markdown(self) -> tuple[Path, ...]:
        return tuple(self.folder / name for name in self.markdown_names)

    @cached_property
    def subfolders(self) -> tuple[Path, ...]:
        return tuple(self.folder / name for name in self.subfolder_names)

    @cached_property  # every lesson of the folder asks
    def digest(self) -> str:
        names = (self.kind, *self.markdown_names, "/", *self.subfolder_names)
        if self.links or self.skipped or self.problem:
            odd = (*(f"{n}->{t}" for n, t in self.links), *(f"{n}!{w}" for n, w in self.skipped))
            names = (*names, "/", *odd, "/", self.problem)
        return bytes_digest("\0".join(names).encode(errors="surrogateescape"))


class Files(Protocol):
    """What planning and lesson discovery may ask of the file system."""

    def read(self, path: Path, limit: int) -> bytes: ...
    def listing(self, folder: Path) -> Listing: ...
    def resolve(self, path: Path) -> Path: ...


class Reader:
    """Reads files and lists folders for one command, and knows which files are unchanged.

    `known` holds the entries the cache recorded: a file whose status is still the recorded
    one has the recorded digest. Folder listings and resolved paths are remembered for the
    command: every lesson asks about the files beside it and the folders above it. A file
    added in a subfolder does not change its parent's mtime, so no status could tell a later
    command that a listing is stale: they are never kept longer.
    """

    def __init__(self, known: Mapping[str, Entry] | None = None, settled_before: int = 0) -> None:
        self._known = known or {}
        # Taken before any file is looked at: a file changed since has a newer ctime.
        self._settled_before = settled_before or time_ns() - SETTLE_NS
        self.settled: dict[str, Entry] = {}  # what the cache may record of the files seen
        self.looked: set[str] = set()  # every file whose digest was taken
        self.fresh = False  # a file was hashed whose digest `known` did not have
        self._digests: dict[str, str | None] = {}
        self._changed: dict[str, bytes] = {}  # see `digest`
        self._listings: dict[str, Listing] = {}  # by folder, as `unchanged` names it
        self._resolved: dict[Path, Path] = {}

    def __reduce__(self) -> tuple[type[Reader], tuple[None, int]]:
        # Sent to `--jobs` workers without what it remembers: a worker reads what it plans.
        return Reader, (None, self._settled_before)

    def read(self, path: Path, limit: int) -> bytes:
        """The file's bytes, if it is a regular file of at most `limit` bytes (else OSError: see
        `read_bounded`); its digest is noted."""
        name = str(path)
        pending = self._changed.pop(name, None)
        if pending is not None:
            if len(pending) > limit:
                raise TooLarge(name, len(pending), limit)
            return pending
        try:
            # The status is taken before reading: a change made while reading shows in a
            # later status.
            data, info = read_bounded(name, limit)
        except OSError:
            self._note(name, None)
            raise
        digest = bytes_digest(data)
        if self._note(name, digest):
            self.fresh |= self._settle(name, digest, info)
        return data

    def _note(self, name: str, digest: str | None) -> bool:
        """Remember what `name` held for this command; False when it was known already."""
        self.looked.add(name)
        if name in self._digests:
            if self._digests[name] != digest:
                self._digests[name] = _UNSTABLE
            return False
        self._digests[name] = digest
        return True

    def digest(self, name: str) -> str | None:
        """The digest of the file at `name` (None: none can be read), reading it only when its
        status is not the recorded one."""
        if name in self._digests:
            return self._digests[name]
        entry = self._known.get(name)
        if entry is not None and file_status(name) == entry[1:]:
            self.looked.add(name)
            self.settled[name] = entry
            self._digests[name] = entry[0]
            return entry[0]
        try:
            data = self.read(Path(name), DIGEST_LIMIT)
        except OSError:
            return None
        if entry is not None and entry[0] != self._digests[name]:
            # Changed since the cache saw it: a lesson whose plan is about to be made again,
            # from these bytes (the same ones its new record names), without a second read.
            self._changed[name] = data
        return self._digests[name]

    def _settle(self, name: str, digest: str, info: os.stat_result) -> bool:
        """Record `digest` of the file `name` had since before this began, if its status
        (`info`, taken first) says it did not change since, nor just before: a change made in
        the same tick of the file system's clock as the last one may not change the status."""
        status = _status(info)
        if status is None or max(status[1], status[2]) >= self._settled_before:
            return False
        self.settled[name] = [digest, *status]
        return True

    def forget(self, name: str) -> None:
        """`name` is about to change (a deck being written): nothing seen of it holds."""
        self.looked.add(name)
        self.settled.pop(name, None)
        self._digests.pop(name, None)

    def listing(self, folder: Path) -> Listing:
        name = str(folder)
        if name not in self._listings:
            self._listings[name] = _list(folder)
        return self._listings[name]

    def resolve(self, path: Path) -> Path:
        """`path.resolve()`, which a symlink loop does not stop (it is where reading it fails).
        A file that is no link sits in its resolved folder: one look at the file, not at every
        folder above it, for each lesson."""
        found = self._resolved.get(path)
        if found is None:
            if path.name not in ("", ".", "..") and not path.is_symlink():
                found = self.resolve(path.parent) / path.name
            else:
                found = Path(os.path.realpath(path))
            self._resolved[path] = found
        return found

    def unchanged(self, inputs: Iterable[tuple[str, str, str | None]]) -> bool:
        """Whether every recorded input (kind, path, what was found) is still what it was."""
        for kind, name, found in inputs:
            if kind == FILE:
                current = self.digest(name)
            elif kind == LISTING:
                listing = self._listings.get(name)  # listed already, mostly: no Path to make
                current = (listing or self.listing(Path(name))).digest
            else:
                return False  # recorded by another deckgen: not known to be unchanged
            if current != found:
                return False
        return True

    def recording(self) -> Recording:
        return Recording(self)

    def known_unseen(self) -> dict[str, Entry]:
        """The recorded entries of the files this command did not look at."""
        return {name: entry for name, entry in self._known.items() if name not in self.looked}

    def adopt(self, entries: Mapping[str, Entry]) -> None:
        """Take in what a `--jobs` worker's reader may record of the files it read."""
        self.looked.update(entries)
        self.settled.update(entries)


def _list(folder: Path) -> Listing:
    markdown: list[str] = []
    subfolders: list[str] = []
    links: list[tuple[str, str]] = []
    skipped: list[tuple[str, str]] = []
    skipped_links: set[str] = set()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append(name)
                    continue
                is_markdown = name.endswith(".md")
                if entry.is_file(follow_symlinks=False):
                    if is_markdown:
                        markdown.append(name)
                    continue
                if not (is_markdown or entry.is_symlink()):
                    continue  # a FIFO or socket not named as a lesson is not one
                why = _why_skipped(entry.path, entry.is_symlink(), is_markdown)
                if why is not None:
                    skipped.append((name, why))
                    if entry.is_symlink():
                        skipped_links.add(name)
                elif is_markdown:
                    markdown.append(name)
                    if entry.is_symlink():
                        links.append((name, os.readlink(entry.path)))
    except NotADirectoryError:
        return Listing(folder, "file")
    except OSError as error:
        # A folder that is gone has no lessons, as with `Path.glob`; one that is there but
        # cannot be listed is said to be passed over.
        if not folder.is_dir():
            return Listing(folder, "")
        return Listing(folder, "folder", problem=f"cannot be listed: {error.strerror or error}")
    return Listing(
        folder,
        "folder",
        tuple(sorted(markdown)),
        tuple(sorted(subfolders)),
        tuple(sorted(links)),
        tuple(sorted(skipped)),
        frozenset(skipped_links),
    )


def _why_skipped(path: str, link: bool, markdown: bool) -> str | None:
    """Why the entry at `path` (no folder, no regular file unless through a symlink) is passed
    over; None for a lesson to read: a `.md` symlink to a regular file, or one that leads to
    no file at all, which reading then reports as a lesson that cannot be read."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if markdown or error.errno != errno.ELOOP:
            return None  # a link to nothing not named as a lesson is nothing deckgen reads
        return "symlink loop, not followed"
    if stat.S_ISDIR(mode):
        above = os.path.realpath(path)
        here = os.path.realpath(os.path.dirname(path))
        if here == above or here.startswith(above.rstrip(os.sep) + os.sep):
            return "symlink to a folder above it (a loop), not followed"
        return "symlink to a folder, not followed (deckgen does not follow folder links)"
    if stat.S_ISREG(mode) or not markdown:
        return None  # a lesson to read; or no lesson, and no folder: nothing deckgen lists
    kind = next((name for test, name in _KINDS if test(mode)), "no regular file")
    return f"{'symlink to ' if link else ''}{kind}, not a regular file; skipped"


class Recording:
    """A `Reader` that notes what it was asked for: the inputs of one plan (or of finding the
    lessons). A new kind of file read during planning is an input like the others."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.inputs: Inputs = {}

    def read(self, path: Path, limit: int) -> bytes:
        name = str(path)
        try:
            data = self.reader.read(path, limit)
        finally:
            self.inputs[(FILE, name)] = self.reader.digest(name)
        return data

    def listing(self, folder: Path) -> Listing:
        found = self.reader.listing(folder)
        self.inputs[(LISTING, str(folder))] = found.digest
        return found

    def resolve(self, path: Path) -> Path:
        return self.reader.resolve(path)

    def record(self) -> list[tuple[str, str, str | None]]:
        """The inputs as the cache stores them, sorted."""
        return sorted((kind, name, found) for (kind, name), found in self.inputs.items())

    def entries(self) -> dict[str, Entry]:
        """What the reader may record of the files read here (see `Reader.settled`)."""
        settled = self.reader.settled
        return {n: settled[n] for k, n in self.inputs if k == FILE and n in settled}
