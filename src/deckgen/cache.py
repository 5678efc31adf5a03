"""Remember each lesson's plan and the deck it produced, keyed by a hash of all their inputs.

A lesson whose bytes, the other files it reads (answer key, module pages), the effective config
and deckgen's code are unchanged is not parsed again, and when its deck on disk is still the one
deckgen wrote, it is not packaged again either. The cache is one sqlite database in
`.deckgen-cache/` next to the config; deleting it is always safe.

One file, read once and written once per build, in one transaction: a file per lesson cost a
build as many file creations, which the kernel charges far more for than their bytes. A row
keeps what deciding needs (the key, the deck's digest, the write option) in columns beside the
pickled plan, so a lesson that changed costs no unpickling.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.config import Config
from deckgen.notetypes import NOTE_TYPES, NoteType
from deckgen.stamp import CACHE_DIR, FileStatus, code_digest, file_digest, file_status

if TYPE_CHECKING:
    from deckgen.builder import LessonDeck
    from deckgen.render import Note

# Named by its layout: a new name when the table or an entry changes, so that an old cache is
# simply not read.
CACHE_FILE = "plans-v2.sqlite"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS plans (output TEXT PRIMARY KEY, key TEXT NOT NULL,"
    " deck_digest TEXT NOT NULL, prune_retired INTEGER NOT NULL, entry BLOB NOT NULL)"
)
# sqlite's result codes for a file that is not a database, or a damaged one.
_DAMAGED = frozenset({sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT})


@dataclass(frozen=True)
class CacheEntry:
    key: str  # `lesson_key` of the inputs the plan was made from
    deck: LessonDeck
    deck_digest: str  # sha256 of the .apkg bytes the build left at `deck.output`
    retired: tuple[Note, ...]  # notes that build kept from the deck before, retired
    prune_retired: bool  # the write option that build ran with

    @property
    def columns(self) -> tuple[str, str, str, bool]:
        return (str(self.deck.output), self.key, self.deck_digest, self.prune_retired)

    def row(self) -> Row:
        """The entry as stored. Made where the lesson was built (maybe a `--jobs` worker),
        stored by the build's own process."""
        return Row(*self.columns, pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))


@dataclass(frozen=True)
class Row:
    """One deck's entry as the database holds it: `entry` is unpickled only when it is used."""

    output: str  # the deck's path: one row per deck, so the cache never grows past the course
    key: str
    deck_digest: str
    prune_retired: bool
    entry: bytes  # the pickled CacheEntry

    @property
    def columns(self) -> tuple[str, str, str, bool]:
        return (self.output, self.key, self.deck_digest, self.prune_retired)

    def load(self) -> CacheEntry | None:
        try:
            entry = pickle.loads(self.entry)
        except Exception:
            return None  # damaged, or pickled by other code: only costs a rebuild
        if not isinstance(entry, CacheEntry) or entry.columns != self.columns:
            return None  # not the entry its columns describe
        return entry


@cache
def _notetypes_digest(notetypes: tuple[NoteType, ...]) -> str:
    return hashlib.sha256(repr(notetypes).encode()).hexdigest()


# The last config `lesson_key` wrote out, and how: every lesson of a build asks with the same
# one, and its repr is the priciest part of a key. Held, so its id cannot be reused meanwhile.
_last_config: tuple[Config, str] | None = None


def _config_repr(config: Config) -> str:
    global _last_config
    if _last_config is None or _last_config[0] is not config:
        _last_config = (config, repr(config))  # frozen: the same object always writes the same
    return _last_config[1]


def lesson_key(
    path: Path,
    slug: str,
    data: bytes,
    config: Config,
    inputs: Sequence[Path] = (),
    digest: Callable[[Path], str | None] | None = None,
) -> str:
    """What a lesson's plan depends on: its bytes, where it is, the other files it reads
    (`inputs`, present or not), the config and deckgen itself (its version, its code and the
    note types its notes are made of). `digest` hashes an input (default: `file_digest`)."""
    digest = digest or file_digest
    from deckgen import __version__  # read at call time: the version is part of the key

    notetypes = _notetypes_digest(tuple(NOTE_TYPES.values()))
    parts = (__version__, code_digest(), notetypes, str(path), slug, _config_repr(config))
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode())
        hasher.update(b"\0")
    hasher.update(data)
    for other in inputs:
        hasher.update(b"\0" + str(other).encode() + b"\0")
        hasher.update((digest(other) or "absent").encode())
    return hasher.hexdigest()


def cache_path(config: Config) -> Path:
    return config.root / CACHE_DIR / CACHE_FILE


@dataclass(frozen=True)
class _Snapshot:
    path: Path
    identity: FileStatus | None  # of the file read (None: there was none)
    rows: Mapping[str, Row]  # by output


# The rows last read, for as long as the file is the one they were read from: a build looks up
# every lesson, in this process and in the workers it forks, and `check` asks lesson by lesson.
_snapshot: _Snapshot | None = None


def all_rows(config: Config) -> Mapping[str, Row]:
    """Every deck's cached row, by its output path."""
    global _snapshot
    path = cache_path(config)
    identity = file_status(path)
    if _snapshot is None or (_snapshot.path, _snapshot.identity) != (path, identity):
        _snapshot = _Snapshot(path, identity, _read(path) if identity else {})
    return _snapshot.rows


def lookup(config: Config, output: Path) -> Row | None:
    """The cached row of the deck at `output`, if any."""
    return all_rows(config).get(str(output))


def _read(path: Path) -> dict[str, Row]:
    try:
        # Read-only: a build that finds no cache, or a damaged one, creates nothing here.
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return {}
    try:
        query = "SELECT output, key, deck_digest, prune_retired, entry FROM plans"
        return {
            output: Row(output, key, digest, bool(prune), entry)
            for output, key, digest, prune, entry in connection.execute(query)
        }
    except sqlite3.Error:
        return {}  # missing, damaged or outdated: only costs a rebuild
    finally:
        connection.close()


def store(config: Config, rows: Iterable[Row]) -> None:
    """Add `rows`, in place of the decks' older ones, in one transaction.

    A damaged cache is started afresh; one that cannot be written at all is no reason for a
    build to fail, only for the next one to reuse less.
    """
    global _snapshot
    values = [(*row.columns, row.entry) for row in rows]
    if not values:
        return
    path = cache_path(config)
    _snapshot = None  # read again after this, even should the file look the same
    try:
        try:
            _write(path, values)
        except sqlite3.DatabaseError as error:
            if error.sqlite_errorcode not in _DAMAGED:
                raise
            path.unlink()
            _write(path, values)
    except (sqlite3.Error, OSError):
        pass  # read-only, full or locked beyond the timeout: the next build rebuilds more


def _write(path: Path, values: list[tuple[object, ...]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)  # transactions as written here
    try:
        # A cache need not wait for the disk: a power cut at worst damages it (see `Row.load`).
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(_SCHEMA)
        connection.executemany("INSERT OR REPLACE INTO plans VALUES (?, ?, ?, ?, ?)", values)
        connection.execute("COMMIT")
    finally:
        connection.close()  # without COMMIT, sqlite rolls the transaction back
