"""Read an untrusted `.apkg` back into notes, for mod times, `check` and `diff`.

Every package is untrusted: one from `diff`'s command line, one in `decks/`, one committed at a
git revision. Each is read the same bounded way, so a hostile one costs one line and exit 1:
- the zip: the file's size and its central directory are checked before zipfile parses them;
  only stored or deflated members are read, each inflated in chunks up to a size cap and a
  ratio cap, whatever its header says;
- the collection is chosen by the package's `meta` member (Anki's current export holds a decoy
  `collection.anki2` that only says "please update"), copied to a temp file and opened by
  SQLite read-only, with a step budget so a recursive view cannot hang, and a length limit;
- only the tables of Anki's schema may exist, as plain tables (no view, trigger, virtual table
  or generated column), and every value read is checked against what Anki writes.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import stat
import struct
import tempfile
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from deckgen.diagnostics import ContentError, display_path
from deckgen.notetypes import NoteType
from deckgen.sqlite_guard import open_untrusted, over_budget, schema_problem

MiB = 1024 * 1024
MAX_PACKAGE_BYTES = 512 * MiB  # the .apkg itself, images included
MAX_COLLECTION_BYTES = 256 * MiB  # the collection once inflated
MAX_MEDIA_MAP_BYTES = 16 * MiB  # the `media` member: a JSON map of names
MAX_META_BYTES = 4096  # the `meta` member: a few bytes of protobuf
MAX_CENTRAL_DIRECTORY = 32 * MiB  # what zipfile turns into one object per member
MAX_MEMBERS = 100_000
# A member may inflate to this many times its compressed size once past RATIO_FLOOR: deflate
# manages ~1,000x on zeros, and a deck's collection about 6x.
MAX_RATIO = 100
RATIO_FLOOR = 4 * MiB
MAX_NOTES = 200_000
_CHUNK = 64 * 1024

_LEGACY_EXPORT = (
    "Anki's current package format (collection.anki21b), which deckgen does not read; "
    'export it again with "Support older Anki versions" ticked in Anki\'s export dialog'
)
_LFS_POINTER = b"version https://git-lfs.github.com/spec/"
# `meta` (protobuf `PackageMetadata.version`) -> the collection member it names.
_COLLECTIONS = {1: "collection.anki2", 2: "collection.anki21"}
_VERSION_LATEST = 3
# The tables of Anki's legacy schema (11), which both genanki and Anki's legacy export write;
# SQLite's own statistics tables may sit beside them.
_TABLES = frozenset({"col", "notes", "cards", "revlog", "graves"})
_LARGEST_ID = 2**53  # ids and times beyond this are no Anki's (JavaScript numbers)


class DeckError(ContentError):
    """A package deckgen cannot read: hostile, damaged, or in a format it does not read."""

    def with_fix(self) -> DeckError:
        """The same error for a deck in `decks/`: with how to get a readable one back."""
        shown = display_path(self.diagnostic.path)
        return DeckError(
            self.diagnostic.path,
            None,
            f"{self.diagnostic.message}; restore it with `git checkout -- {shown}`, or replace "
            "it with `deckgen build --replace-unreadable` (its retired notes and mod times "
            "are then lost)",
        )


def unreadable(path: Path | str, why: str) -> DeckError:
    """The error for a package deckgen does not read, and why."""
    return DeckError(path, None, f"not a deck deckgen can read: {why}")


def too_large(size: int, limit: int) -> str:
    return f"{size} bytes, more than the {limit} a deck may have"


class _Refused(Exception):
    """Why a package is refused, raised deep in the reader and given its path at the top."""


@dataclass(frozen=True)
class StoredNoteType:
    id: int
    name: str
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]  # (name, front, back)
    css: str
    mod: int  # Anki replaces a learner's copy of the note type only when this is newer

    def same_design(self, notetype: NoteType) -> bool:
        """Does `notetype` have exactly this name, fields, card templates and CSS?"""
        return (self.name, self.fields, self.templates, self.css) == (
            notetype.name,
            notetype.fields,
            tuple((t.name, t.front, t.back) for t in notetype.templates),
            notetype.css,
        )


@dataclass(frozen=True)
class StoredNote:
    guid: str
    notetype_id: int
    mod: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True)
class StoredDeck:
    path: Path
    deck_names: tuple[str, ...]
    notetypes: dict[int, StoredNoteType]
    notes: dict[str, StoredNote]  # by guid, in package order
    media: tuple[str, ...]


def read_apkg(path: Path) -> StoredDeck:
    """The package at `path`: a regular file no larger than `MAX_PACKAGE_BYTES`."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise unreadable(path, "not a regular file")
        # Non-blocking: a FIFO put there after the check must not hang the open.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise ContentError(path, None, f"cannot read: {exc.strerror or exc}") from None
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(file.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise unreadable(path, "not a regular file")
        return read_package(file, status.st_size, path)


def read_apkg_bytes(data: bytes, path: Path) -> StoredDeck:
    """A package held in memory (regenerated by `check`); `path` names it."""
    return read_package(io.BytesIO(data), len(data), path)


def read_package(file: IO[bytes], size: int, path: Path | str) -> StoredDeck:
    """The package in `file` (seekable, `size` bytes long); `path` names it in errors."""
    try:
        return _read(file, size, Path(path))
    except _Refused as why:
        raise unreadable(path, str(why)) from None
    except OSError as exc:
        raise ContentError(path, None, f"cannot read: {exc.strerror or exc}") from None


# What a damaged or hostile zip raises from inside zipfile and zlib.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OverflowError,
    struct.error,
)


def _read(file: IO[bytes], size: int, path: Path) -> StoredDeck:
    if size > MAX_PACKAGE_BYTES:
        raise _Refused(too_large(size, MAX_PACKAGE_BYTES))
    head = file.read(len(_LFS_POINTER))
    if head == _LFS_POINTER:
        raise _Refused("a git-LFS pointer, not the deck itself (run `git lfs pull`)")
    if not head.startswith(b"PK"):
        raise _Refused("not a zip archive" if head else "an empty file")
    _check_central_directory(file, size)
    try:
        with zipfile.ZipFile(file) as archive:
            members = _members(archive)
            collection = _collection(archive, members)
            media = _media_names(archive, members.get("media"))
            with tempfile.TemporaryDirectory(prefix="deckgen-deck-") as folder:
                database = Path(folder, "collection.sqlite")
                with database.open("wb") as copy:
                    _inflate(archive, collection, MAX_COLLECTION_BYTES, copy.write)
                return _read_collection(database, path, media)
    except _ZIP_ERRORS as exc:
        raise _Refused(f"a damaged zip archive ({exc})") from None


def _check_central_directory(file: IO[bytes], size: int) -> None:
    """Refuse a zip whose central directory is too large to parse, before zipfile does."""
    tail_size = min(size, 22 + 65535)  # the end record, and the longest comment after it
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or end + 22 > len(tail):
        raise _Refused("a damaged zip archive (no end of central directory)")
    entries, directory_size = struct.unpack_from("<HL", tail, end + 10)
    locator = end - 20
    if locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        (record,) = struct.unpack_from("<Q", tail, locator + 8)
        if record + 56 > size:
            raise _Refused("a damaged zip archive (bad zip64 end record)")
        file.seek(record)
        zip64 = file.read(56)
        if len(zip64) < 56 or zip64[:4] != b"PK\x06\x06":
            raise _Refused("a damaged zip archive (bad zip64 end record)")
        entries64, directory64 = struct.unpack_from("<QQ", zip64, 32)
        entries, directory_size = max(entries, entries64), max(directory_size, directory64)
    if entries > MAX_MEMBERS or directory_size > MAX_CENTRAL_DIRECTORY:
        raise _Refused(f"{entries} members in a {directory_size}-byte directory: too many")
    file.seek(0)


def _members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The members by name; a name that two members share is refused, as another reader may
    take the other one."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _Refused(f"{len(infos)} members, more than {MAX_MEMBERS}")
    shared = sorted(name for name, count in Counter(i.filename for i in infos).items() if count > 1)
    if shared:
        raise _Refused(f"two members are named {shared[0]!r}")
    return {info.filename: info for info in infos}


def _collection(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> zipfile.ZipInfo:
    """The collection member the package's `meta` names, as Anki picks it."""
    if "meta" in members:
        buffer = io.BytesIO()
        _inflate(archive, members["meta"], MAX_META_BYTES, buffer.write)
        version = _package_version(buffer.getvalue())
        if version == _VERSION_LATEST:
            raise _Refused(_LEGACY_EXPORT)
        if version not in _COLLECTIONS:
            raise _Refused(f"a package of unknown version {version}")
        name = _COLLECTIONS[version]
    elif "collection.anki21" in members:
        name = "collection.anki21"
    elif "collection.anki2" in members:
        name = "collection.anki2"
    elif "collection.anki21b" in members:
        raise _Refused(_LEGACY_EXPORT)
    else:
        raise _Refused("no collection inside")
    if name not in members:
        raise _Refused(f"its meta names {name}, which is missing")
    return members[name]


def _package_version(data: bytes) -> int:
    """`PackageMetadata.version` from Anki's protobuf `meta` (0 when absent)."""
    version, position = 0, 0
    while position < len(data):
        key, position = _varint(data, position)
        wire = key & 7
        if wire == 0:
            value, position = _varint(data, position)
            if key >> 3 == 1:
                version = value
        elif wire == 2:
            length, position = _varint(data, position)
            position += length
        elif wire in (1, 5):
            position += 8 if wire == 1 else 4
        else:
            raise _Refused("a damaged meta member")
    if position > len(data):
        raise _Refused("a damaged meta member")
    return version


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = 0
    for shift in range(0, 70, 7):
        if position >= len(data):
            break
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, position
    raise _Refused("a damaged meta member")


def _inflate(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, write: Callable[[bytes], Any]
) -> None:
    """Inflate one member into `write`, refusing it past `limit` bytes or `MAX_RATIO` times its
    compressed size, however large its header says it is."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        # bzip2 and LZMA inflate a whole block per call: gigabytes from a few kilobytes.
        raise _Refused(f"member {info.filename!r} uses compression method {info.compress_type}")
    if info.flag_bits & 1:
        raise _Refused(f"member {info.filename!r} is encrypted")
    total = 0
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            total += len(chunk)
            if total > limit:
                raise _Refused(f"member {info.filename!r} inflates past {limit} bytes")
            if total > RATIO_FLOOR and total > MAX_RATIO * max(info.compress_size, 1):
                raise _Refused(
                    f"member {info.filename!r} inflates more than {MAX_RATIO} times its size"
                )
            write(chunk)


def _media_names(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None) -> tuple[str, ...]:
    """The file names the `media` member maps the packed files to."""
    if info is None:
        return ()
    buffer = io.BytesIO()
    _inflate(archive, info, MAX_MEDIA_MAP_BYTES, buffer.write)
    mapping = _json(buffer.getvalue(), "media")
    if type(mapping) is not dict or not all(type(name) is str for name in mapping.values()):
        raise _Refused("its media member is not a map of file names")
    return tuple(sorted(mapping.values()))


def _json(data: bytes | str, what: str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:  # ValueError: bad JSON, bad UTF-8, huge ints
        raise _Refused(f"its {what} are not JSON ({exc})") from None


def _read_collection(database: Path, path: Path, media: tuple[str, ...]) -> StoredDeck:
    """Open the copied collection read-only, under a step budget, and read it, checked."""
    try:
        connection = open_untrusted(database, immutable=True)
    except sqlite3.Error as exc:
        raise _Refused(f"its collection cannot be opened ({exc})") from None
    try:
        problem = schema_problem(connection, _TABLES, ("col", "notes"))
        if problem:
            raise _Refused(f"its collection {problem}")
        models, decks = _one_row(connection.execute("SELECT models, decks FROM col").fetchall())
        notetypes = _notetypes(_json(_text(models, "col.models"), "note types"))
        deck_names = _deck_names(_json(_text(decks, "col.decks"), "decks"))
        notes = _notes(connection, notetypes)
    except sqlite3.Error as exc:
        if over_budget(exc):
            raise _Refused("its collection takes too long to read") from None
        raise _Refused(f"its collection is not a readable database ({exc})") from None
    finally:
        connection.close()
    return StoredDeck(path, deck_names, notetypes, notes, media)


def _one_row(rows: list[Any]) -> Any:
    if len(rows) != 1:
        raise _Refused(f"its collection has {len(rows)} rows in 'col', not 1")
    return rows[0]


def _text(value: object, what: str) -> str:
    if type(value) is not str:
        raise _Refused(f"{what} is not text")
    return value


def _number(value: object, what: str) -> int:
    if type(value) is not int or not 0 <= value <= _LARGEST_ID:
        raise _Refused(f"{what} is not a number Anki writes ({value!r:.40})")
    return value


def _digits(value: object) -> object:
    """An id as genanki writes it into JSON (a string of digits) as the number it is."""
    if type(value) is str and value.isascii() and value.isdigit() and len(value) <= 20:
        return int(value)
    return value


def _strings(values: object, what: str) -> tuple[str, ...]:
    if type(values) is not list or not all(type(value) is str for value in values):
        raise _Refused(f"{what} is not a list of text")
    return tuple(values)


def _notetypes(models: object) -> dict[int, StoredNoteType]:
    if type(models) is not dict:
        raise _Refused("its note types are not a JSON object")
    found = {}
    for model in models.values():
        if type(model) is not dict:
            raise _Refused("a note type is not a JSON object")
        try:
            fields = [field["name"] for field in model["flds"]]
            notetype = StoredNoteType(
                id=_number(_digits(model["id"]), "a note type's id"),
                name=_text(model["name"], "a note type's name"),
                fields=_strings(fields, "a note type's fields"),
                templates=tuple(_template(template) for template in model["tmpls"]),
                css=_text(model.get("css", ""), "a note type's CSS"),
                mod=_number(model.get("mod", 0), "a note type's mod time"),
            )
        except (KeyError, TypeError) as exc:
            raise _Refused(f"a note type lacks {exc}") from None
        if not notetype.fields:
            raise _Refused(f"note type {notetype.name!r} has no fields")
        found[notetype.id] = notetype
    return found


def _template(template: Any) -> tuple[str, str, str]:
    name, front, back = (
        _text(template[key], "a card template") for key in ("name", "qfmt", "afmt")
    )
    return name, front, back


def _deck_names(decks: object) -> tuple[str, ...]:
    if type(decks) is not dict or not all(type(deck) is dict for deck in decks.values()):
        raise _Refused("its decks are not a JSON object")
    names = [_text(deck.get("name"), "a deck's name") for deck in decks.values()]
    return tuple(sorted(name for name in names if name != "Default"))


def _notes(
    connection: sqlite3.Connection, notetypes: dict[int, StoredNoteType]
) -> dict[str, StoredNote]:
    notes: dict[str, StoredNote] = {}
    rows = connection.execute("SELECT id, guid, mid, mod, flds, tags FROM notes ORDER BY id")
    for note_id, guid, mid, mod, flds, tags in rows:
        _number(note_id, "a note's id")
        if type(guid) is not str or not 0 < len(guid) <= 200 or not guid.isprintable():
            raise _Refused(f"note {note_id} has no valid GUID")
        notetype = notetypes.get(_number(mid, f"the note type of note {guid!r}"))
        if notetype is None:
            raise _Refused(f"note {guid!r} has a note type the deck lacks ({mid})")
        fields = tuple(_text(flds, f"the field text of note {guid!r}").split("\x1f"))
        if len(fields) != len(notetype.fields):
            raise _Refused(
                f"note {guid!r} has {len(fields)} fields, its note type {len(notetype.fields)}"
            )
        if guid in notes:
            raise _Refused(f"two notes share the GUID {guid!r}")
        if len(notes) >= MAX_NOTES:
            raise _Refused(f"more than {MAX_NOTES} notes")
        notes[guid] = StoredNote(
            guid,
            notetype.id,
            _number(mod, f"the mod time of note {guid!r}"),
            fields,
            tuple(_text(tags, f"the tag text of note {guid!r}").split()),
        )
    return notes
