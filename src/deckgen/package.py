"""Notes -> deterministic `.apkg` bytes, and the staged writes that put a build's decks on disk.

genanki supplies the collection schema and the note-type JSON. deckgen writes the notes and
cards itself: genanki would stamp one clock time and clock-based ids on everything, while
deckgen needs a per-note modification time (so re-imports update exactly what changed) and ids
derived from GUIDs (so the same input gives the same bytes).
"""

from __future__ import annotations

import functools
import io
import json
import os
import sqlite3
import sys
import threading
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen import identity
from deckgen.atomic import TEMP_SUFFIX, cannot_write, holds, write_temp
from deckgen.notetypes import NoteType
from deckgen.render import Note

if TYPE_CHECKING:
    import filelock
    import genanki

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class DeckContent:
    """Everything one `.apkg` holds: its deck, notes and note types with their mod times, media."""

    deck_name: str
    notes: Sequence[Note]
    mods: Mapping[str, int]  # guid -> note modification time (seconds)
    notetype_mods: Mapping[int, int]  # note type id -> its modification time (seconds)
    media: Mapping[str, bytes] = field(default_factory=dict)  # name in the package -> bytes


@functools.cache  # one per note type and process: genanki works out its card rules once
def _genanki_model(notetype: NoteType) -> genanki.Model:
    import genanki

    return genanki.Model(
        notetype.id,
        notetype.name,
        fields=[{"name": name} for name in notetype.fields],
        templates=[{"name": t.name, "qfmt": t.front, "afmt": t.back} for t in notetype.templates],
        css=notetype.css,
    )


def card_ordinals(note: Note) -> tuple[int, ...]:
    """Which templates give this note a card (Anki skips a card whose front would be empty).

    That depends only on which fields are empty (none of deckgen's note types is a cloze type),
    so genanki is asked once per note type and pattern of empty fields.
    """
    return _ordinals_for(note.notetype, tuple(not value for value in note.fields))


@functools.cache
def _ordinals_for(notetype: NoteType, empty: tuple[bool, ...]) -> tuple[int, ...]:
    import genanki

    fields = ["" if blank else "x" for blank in empty]
    return tuple(card.ord for card in genanki.Note(_genanki_model(notetype), fields).cards)


@dataclass(frozen=True)
class _EmptyCollection:
    database: bytes  # genanki's schema and `col` row, serialized
    decks: dict[str, object]  # the decks JSON of that row


@functools.cache
def _empty_collection() -> _EmptyCollection:
    """genanki's empty collection, made once per process: running its scripts costs more than
    filling a small deck. sqlite writes the same bytes every time."""
    from genanki.apkg_col import APKG_COL
    from genanki.apkg_schema import APKG_SCHEMA

    connection = sqlite3.connect(":memory:")
    try:
        connection.executescript(APKG_SCHEMA)
        connection.executescript(APKG_COL)
        connection.commit()
        decks = json.loads(connection.execute("SELECT decks FROM col").fetchone()[0])
        return _EmptyCollection(connection.serialize(), decks)
    finally:
        connection.close()


def package_bytes(content: DeckContent) -> bytes:
    """One lesson's `.apkg`: its notes in one deck."""
    return packages_bytes((content,))


def packages_bytes(parts: Sequence[DeckContent]) -> bytes:
    """One `.apkg` holding every part as a deck of its own (the course package: a subdeck per
    lesson). A note type several parts use gets the newest of their mod times for it."""
    # Imported here: a build that finds every deck up to date never needs genanki.
    import genanki

    models: dict[int, genanki.Model] = {}
    model_decks: dict[int, int] = {}  # note type -> the deck of its first note
    model_mods: dict[int, int] = {}
    deck_names: dict[int, str] = {}
    notes: list[tuple[object, ...]] = []
    cards: list[tuple[object, ...]] = []
    used_ids: set[int] = set()
    position = 0  # a new card's due: its place in the whole package, so course order
    for content in parts:
        deck_id = identity.deck_id(content.deck_name)
        deck_names[deck_id] = content.deck_name
        for model_id, mod in content.notetype_mods.items():
            model_mods[model_id] = max(mod, model_mods.get(model_id, mod))
        for note in content.notes:
            model = _genanki_model(note.notetype)
            models[model.model_id] = model
            model_decks.setdefault(model.model_id, deck_id)
            mod = content.mods[note.guid]
            note_id = _unused(identity.note_id(note.guid), used_ids)
            tags = " " + " ".join(note.tags) + " "
            fields = "\x1f".join(note.fields)
            notes.append(
                (note_id, note.guid, model.model_id, mod, -1, tags, fields, note.sort_field)
            )
            for ordinal in card_ordinals(note):
                card_id = _unused(identity.card_id(note.guid, ordinal), used_ids)
                cards.append((card_id, note_id, deck_id, ordinal, mod, position))
            position += 1
    empty = _empty_collection()
    decks = {
        **empty.decks,
        **{str(i): genanki.Deck(i, name).to_json() for i, name in deck_names.items()},
    }
    models_json = {
        str(model_id): model.to_json(model_mods[model_id], model_decks[model_id])
        for model_id, model in sorted(models.items())
    }
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(empty.database)
        connection.execute(
            "UPDATE col SET decks = ?, models = ?",
            (json.dumps(decks, sort_keys=True), json.dumps(models_json, sort_keys=True)),
        )
        # One statement per table, not per row. The constants: notes' csum, flags and data;
        # cards' usn, type, queue, then ivl to odid, flags and data (Anki's column order).
        connection.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,0,0,'')", notes)
        connection.executemany(
            "INSERT INTO cards VALUES (?,?,?,?,?,-1,0,0,?,0,0,0,0,0,0,0,0,'')", cards
        )
        connection.commit()
        database = connection.serialize()
    finally:
        connection.close()
    media = {name: data for content in parts for name, data in content.media.items()}
    return _zip(database, media)


def _unused(candidate: int, used: set[int]) -> int:
    """Two GUIDs may hash to one id; step to the next free one, deterministically."""
    while candidate in used:
        candidate += 1
    used.add(candidate)
    return candidate


def _zip(database: bytes, media: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    names = sorted(media)
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, "collection.anki2", database)
        _add(archive, "media", json.dumps({str(i): n for i, n in enumerate(names)}).encode())
        for index, name in enumerate(names):
            _add(archive, str(index), media[name])
    return buffer.getvalue()


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, whatever machine builds it
    info.external_attr = 0o644 << 16
    # Level 1: a deck is mostly empty sqlite pages, which it packs nearly as well as level 6
    # (10% larger) in half the time.
    archive.writestr(info, data, compresslevel=1)


def stage(path: Path, data: bytes) -> Path | None:
    """Write `data` for `path` to a temp file beside it, for a DeckWriter to move into place;
    None (nothing written) when `path` already holds it. Safe in any process.

    Not yet on disk for sure: the DeckWriter flushes all its staged files in one go."""
    return None if holds(path, data) else write_temp(path, data, durable=False)


class DeckWriter:
    """Moves a build's staged decks into place together, once the whole build has succeeded
    and the disk holds every one of them (see `_flush`).

    A build that raises, or is killed, before the end changes no deck: at worst it leaves temp
    files, which this removes on the way out or the next build removes on the way in. A lock
    is held for the whole build, so two builds at once run one after the other and the
    cleanup never removes a running build's temp files. It is `filelock`'s, which the system
    drops when the build dies, on POSIX and Windows alike, and which processes forked by
    `--jobs` do not keep (orphaned workers of a killed build would otherwise hold it).
    """

    def __init__(self, decks_dir: Path, lock_file: Path) -> None:
        self.decks_dir = decks_dir
        self.lock_file = lock_file
        self._staged: list[tuple[Path, Path]] = []  # (temp, destination)
        self._lock: filelock.BaseFileLock | None = None

    def __enter__(self) -> DeckWriter:
        import filelock  # imported here: of the commands that use this module, only build locks

        self.lock_file.parent.mkdir(parents=True, exist_ok=True)
        self._lock = filelock.FileLock(self.lock_file)
        self._lock.acquire()
        self._remove_temps()
        return self

    def adopt(self, temp: Path, destination: Path) -> None:
        """Take a file from `stage` (this process's or a worker's) to move into place."""
        self._staged.append((temp, destination))

    def __exit__(self, exc_type: object, exc: object, traceback: object) -> None:
        try:
            if exc_type is None:
                self._move_all()
        finally:
            self._staged.clear()
            self._remove_temps()  # also those staged by workers but never adopted
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def _move_all(self) -> None:
        """Every staged deck into place; an error of the system is one line naming a deck
        (the decks moved before it are whole, and the rest are as they were)."""
        destination = self.decks_dir
        try:
            _flush([temp for temp, _ in self._staged])
            while self._staged:
                temp, destination = self._staged[0]
                os.replace(temp, destination)
                self._staged.pop(0)
        except OSError as error:
            raise cannot_write(destination, error) from None

    def _remove_temps(self) -> None:
        if not self.decks_dir.is_dir():
            return
        for leftover in self.decks_dir.rglob(f"*{TEMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)


# fsync waits for a journal commit, and fsyncs waiting together share one; more threads stop
# paying off once they outnumber what the disk queues at a time.
_FLUSH_THREADS = 8


def _flush(paths: Sequence[Path]) -> None:
    """Wait until the disk holds every file in `paths`, before any of them replaces a deck (so
    a power cut cannot leave an empty deck behind).

    A build flushes its decks together rather than each as it is written: one fsync after
    another costs a journal commit each, and every file created meanwhile waits for the
    commit in progress. fsync releases the GIL, so a few threads wait on commits together.
    `os.sync()` would be quicker still, but it also flushes every other program's writes, for
    as long as that takes.
    """
    pending = iter(paths)  # shared: each file goes to the next thread free (`next` holds the GIL)
    errors: list[BaseException] = []

    def flush_pending() -> None:
        try:
            for path in pending:
                _fsync(path)
        except BaseException as error:
            errors.append(error)

    # Plain threads: a pool's future and queue per file cost more than half again of the
    # flushing itself.
    threads = [threading.Thread(target=flush_pending) for _ in paths[:_FLUSH_THREADS]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


# Windows flushes only a file opened for writing; POSIX flushes any, and a file the umask
# made read-only to its owner opens for reading only.
_FLUSH_OPEN = os.O_RDWR if sys.platform == "win32" else os.O_RDONLY


def _fsync(path: Path) -> None:
    handle = os.open(path, _FLUSH_OPEN)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
