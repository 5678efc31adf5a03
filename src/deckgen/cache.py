"""The build cache: what a build leaves for the next one, as data in `.deckgen-cache/`.

One SQLite file holds, under one key (the config's `cache_key()`, deckgen's code and version):
- a row per deck: the lesson's plan (JSON), what the report says of it, the digest of the deck
  the build left, and every input planning read, as its `deckgen.reader.Recording` noted it;
- the last build's record: what finding the lessons read, and the decks it reported, in order;
- the status of each file seen, with its digest: a file whose status is the same is not read.

A command loads it once (`Cache.load`) and passes it to `build` or `check`. A lesson whose row's
inputs are all unchanged is not parsed again; when its deck is also still the one the row
names, there is nothing to do for it. When that holds for the whole record, `Cache.replay`
answers the build from the rows alone, before the config is parsed or the pipeline imported:
this module must stay cheap to import.

Deleting the folder is always safe. A damaged or tampered file is ignored with one warning,
and a cache that cannot be written fails no build: either only costs a rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deckgen import version
from deckgen.codec import Codec, Damaged
from deckgen.diagnostics import Diagnostic
from deckgen.reader import Entry, Reader
from deckgen.sqlite_guard import open_untrusted, schema_problem

if TYPE_CHECKING:
    from deckgen.config import Config
    from deckgen.configfile import ConfigFile

CACHE_DIR = ".deckgen-cache"
# Named by its layout: a new name when a table or a column's content changes, so that an older
# deckgen's cache is simply not read (nor taken for a damaged one).
CACHE_FILE = "cache-v1.sqlite"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, entry TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS lessons (output TEXT PRIMARY KEY, source TEXT NOT NULL,"
    " prune_retired INTEGER NOT NULL, deck_digest TEXT NOT NULL, inputs TEXT NOT NULL,"
    " summary TEXT NOT NULL, plan TEXT NOT NULL)",
)
_TABLES = ("meta", "files", "lessons")
# The longest value read: a plan of the largest lesson deckgen reads (10 MB) is JSON of a few
# times its size.
_MAX_VALUE = 512 * 1024 * 1024
_ROW_COLUMNS = "output, source, prune_retired, deck_digest, inputs, summary"
# sqlite's result codes for a file that is not a database, or a damaged one.
_DAMAGED = frozenset({sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT})
# Where the code that shapes a deck besides deckgen's comes from: the parser, its math rule
# and the package format, by module and by the name of their `.dist-info` folder.
_SHAPING_DISTRIBUTIONS = {
    "markdown_it": "markdown_it_py",
    "mdit_py_plugins": "mdit_py_plugins",
    "genanki": "genanki",
}

Input = tuple[str, str, str | None]  # (kind, path, what was found): see `deckgen.reader`
# What stored data that is not what it should be raises when it is read.
_BAD = (Damaged, ValueError, RecursionError)


@dataclass(frozen=True)
class DeckSummary:
    """What a build says about one lesson: found items, warnings, and what became of its deck."""

    source: Path
    output: Path
    counts: Mapping[str, int]  # items by kind
    warnings: tuple[Diagnostic, ...] = ()
    retired: int = 0  # notes kept from the deck before, tagged deckgen::removed
    pruned: int = 0  # notes of the deck before left out on purpose
    written: bool = False  # the deck's bytes changed
    cached: bool = False  # the lesson was not parsed
    digest: str = ""  # sha256 of the deck the build left; "" when it left none
    course: bool = False  # the course package's summary (`source` is the lessons folder)


@dataclass(frozen=True)
class Summary:
    """What a row keeps for the report of a lesson that had nothing to do."""

    counts: Mapping[str, int]
    warnings: tuple[Diagnostic, ...]
    retired: int
    course: bool = False  # the course package's row, not a lesson's
    # The course package's row only: the digest each lesson's package had when this package
    # was written (output -> digest, "" for none), which tells a lesson whose notes the course
    # package holds as its own package does (see `deckgen.builder.build_lesson`).
    parts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    """One deck's entry. Made where the lesson was built (maybe a `--jobs` worker), stored by
    the build's own process; read back without its plan, which is fetched when it is used."""

    output: str  # the deck's path: one row per deck, so the cache never grows past the course
    source: str  # the lesson it was planned from
    prune_retired: bool  # the write option that build ran with
    deck_digest: str  # sha256 of the .apkg bytes the build left at `output`
    inputs: tuple[Input, ...]  # what planning read
    summary: Summary
    plan: str = ""  # the plan as JSON (see `deckgen.plan`); "" when read without it

    def deck_summary(self, written: bool = False) -> DeckSummary:
        """The report of this lesson when there was nothing to do for it (or of the course
        package, which is `written` when its bytes changed)."""
        return DeckSummary(
            source=Path(self.source),
            output=Path(self.output),
            counts=self.summary.counts,
            warnings=self.summary.warnings,
            retired=self.summary.retired,
            written=written,
            cached=not (written or self.summary.course),
            digest=self.deck_digest,
            course=self.summary.course,
        )


@dataclass(frozen=True)
class BuildRecord:
    """What a finished build read to find its lessons, and the decks it reported."""

    key: str  # `Cache.replay_key` of the config file the build read, "" for a config made in code
    paths: tuple[str, ...]  # the paths named, resolved and as given
    prune_retired: bool  # the write option in effect
    config_prunes: bool  # the config's own `prune_retired`
    inputs: tuple[Input, ...]
    outputs: tuple[str, ...]


_CODEC = Codec([Summary, BuildRecord, Diagnostic])


def named_paths(paths: Sequence[Path]) -> tuple[str, ...]:
    """The paths a build was given, as its record keeps them."""
    # realpath: a path that is a symlink loop is a lesson that cannot be read, not a crash here.
    return tuple(sorted(f"{os.path.realpath(path)}\0{path}" for path in paths))


class Cache:
    """The cache of one project, loaded once per command: see the module's docstring.

    `reader` is the command's `Reader`, which knows the status of each file seen before.
    `warnings` holds the one warning a damaged cache file gets.
    """

    def __init__(self, root: Path) -> None:
        self.path = root / CACHE_DIR / CACHE_FILE
        self.warnings: list[Diagnostic] = []
        self._meta: dict[str, str] = {}
        self._rows: dict[str, tuple[Any, ...]] = {}  # by output: the columns, undecoded
        self._decoded: dict[str, Row] = {}  # the rows asked for, decoded
        self._damaged = False
        self._plans: dict[str, tuple[object, object]] | None = None  # read when first asked
        known = self._read()
        self.reader = Reader(known)
        self._code = ""
        self._keyed: tuple[Config, str] | None = None

    @classmethod
    def load(cls, root: Path) -> Cache:
        """The cache of the project at `root` (empty when there is none, or it is damaged)."""
        return cls(root)

    def _read(self) -> dict[str, Entry]:
        try:
            if self.path.stat().st_size == 0:
                return {}  # made, but a first write never finished
        except OSError:
            return {}  # no cache yet
        try:
            # Read-only: a build that finds a damaged cache creates nothing here. Under a step
            # budget, and only plain tables: a view would run a query of the file's choosing.
            connection = open_untrusted(self.path, max_value=_MAX_VALUE)
            try:
                problem = schema_problem(connection, _TABLES, _TABLES)
                if problem:
                    raise Damaged(f"the file {problem}")
                meta = connection.execute("SELECT name, value FROM meta").fetchall()
                files = connection.execute("SELECT path, entry FROM files").fetchall()
                rows = connection.execute(f"SELECT {_ROW_COLUMNS} FROM lessons").fetchall()
            finally:
                connection.close()
            self._meta = {_text(name): _text(value) for name, value in meta}
            self._rows = {_text(row[0]): row for row in rows}
            return {_text(path): _entry(entry) for path, entry in files}
        except (sqlite3.Error, *_BAD) as error:
            self.damaged(error)
            return {}

    def damaged(self, error: Exception) -> None:
        """Ignore the whole file from now on, with one warning naming it (also for a plan that
        was not what a plan is: see `deckgen.plan.loads_plan`)."""
        if not self._damaged:
            self._damaged = True
            self._meta, self._rows, self._decoded, self._plans = {}, {}, {}, {}
            message = f"build cache is damaged and was ignored ({error}); it will be rebuilt"
            self.warnings.append(Diagnostic(self.path, None, message))

    def code_digest(self) -> str:
        """Every deckgen source file, and the installed versions of the parser and genanki.

        An edited extractor must not be served stale results, even while the version number
        stays the same (as it does in a development checkout); nor may an upgraded parser,
        which a build without the cache (CI's) would follow.
        """
        if not self._code:
            digest = hashlib.sha256()
            for name, path in _sources(os.path.dirname(__file__)):
                digest.update(f"{name}\0{self.reader.digest(path)}\0".encode())
            for module, distribution in _SHAPING_DISTRIBUTIONS.items():
                digest.update(installed_version(module, distribution).encode() + b"\0")
            self._code = digest.hexdigest()
        return self._code

    def key(self, config: Config) -> str:
        """What every row depends on besides its inputs: the config and deckgen itself."""
        if self._keyed is None or self._keyed[0] is not config:
            # Held with its config, so that `check`'s every lesson asks for it at no cost.
            self._keyed = (config, _hash(self._version_and_code(), config.cache_key()))
        return self._keyed[1]

    def replay_key(self, identity: str) -> str:
        """`key` of the config whose file has this `ConfigFile.identity`, without parsing it:
        the same file read by the same deckgen gives the same config."""
        return _hash(self._version_and_code(), identity) if identity else ""

    def _version_and_code(self) -> str:
        return f"{CACHE_FILE}\0{version.__version__}\0{self.code_digest()}"

    def row(self, key: str, name: str) -> Row | None:
        """The row of the deck at `name`, if the cache has one under `key`."""
        if self._meta.get("key") != key or name not in self._rows:
            return None
        if name not in self._decoded:  # a build asks again what its replay asked
            try:
                self._decoded[name] = _row(self._rows[name])
            except _BAD as error:
                self.damaged(error)
                return None
        return self._decoded[name]

    def inputs_unchanged(self, row: Row, source: Path) -> bool:
        """Whether the row was planned from `source`, and everything its plan read is as it
        was: then the plan stands."""
        return row.source == str(source) and self.reader.unchanged(row.inputs)

    def deck_unchanged(self, row: Row, prune_retired: bool) -> bool:
        """Whether the deck on disk is the one the row's build left, with the same option.

        Building is idempotent (the previous deck supplies mod times and retired notes, and
        rebuilding from the deck a build wrote gives that deck again): with its plan standing,
        there is nothing to do for the lesson.
        """
        # "": the build wrote no package there (see `deckgen.course.has_package`).
        return row.prune_retired == prune_retired and (
            (self.reader.digest(row.output) or "") == row.deck_digest
        )

    def plan(self, row: Row) -> str:
        """The row's plan as stored ("" when it cannot be had)."""
        if self._plans is None:
            self._plans = self._read_plans()
        found = self._plans.get(row.output)
        # Only while the row is the one read: another build may have stored its own.
        return found[1] if found is not None and found[0] == _dumps(row.inputs) else ""

    def _read_plans(self) -> dict[str, tuple[object, object]]:
        """Every row's plan with the inputs it was stored with, by output, read at once: a
        build that needs one plan mostly needs them all (the course package holds every
        lesson's notes), and one query costs less than a file opened per plan."""
        try:
            connection = open_untrusted(self.path, max_value=_MAX_VALUE)  # checked when loaded
            try:
                found = connection.execute(
                    "SELECT output, inputs, plan FROM lessons JOIN meta ON meta.name = 'key'"
                    " WHERE meta.value = ?",
                    (self._meta.get("key"),),
                ).fetchall()
            finally:
                connection.close()
        except sqlite3.Error as error:
            self.damaged(error)
            return {}
        return {
            output: (inputs, plan)
            for output, inputs, plan in found
            if isinstance(output, str) and isinstance(plan, str)
        }

    def replay(
        self, config: Config | ConfigFile, paths: Sequence[Path], prune_retired: bool
    ) -> list[DeckSummary] | None:
        """The report of the last build, when building `paths` again would change nothing.

        `config` may be the config file not yet parsed (what `deckgen build` has at hand); a
        config made in code has no identity, and nothing says a record is its own.
        """
        try:
            record = _CODEC.decode(json.loads(self._meta.get("record", "null")), BuildRecord)
        except _BAD as error:
            if "record" in self._meta:
                self.damaged(error)
            return None
        if not record.key or record.key != self.replay_key(config.identity):
            return None
        if record.paths != named_paths(paths):
            return None
        if (prune_retired or record.config_prunes) != record.prune_retired:
            return None
        if not self.reader.unchanged(record.inputs):
            return None
        summaries = []
        for output in record.outputs:
            row = self.row(self._meta.get("key", ""), output)
            if row is None or not self.reader.unchanged(row.inputs):
                return None
            if not self.deck_unchanged(row, record.prune_retired):
                return None
            summaries.append(row.deck_summary())
        if self.reader.fresh:
            # Files hashed now whose digest the cache did not have: the next command reads
            # none. A cache that cannot be written changes nothing else.
            self._write(lambda connection: _put_files(connection, self.reader.settled))
        return summaries

    def save(
        self, key: str, rows: Sequence[Row], record: BuildRecord | None, everything: bool
    ) -> None:
        """Store a build's `rows` (in place of the decks' older ones) and its `record` (None: a
        build that failed leaves none), with the statuses of the files it saw.

        `everything`: the build looked at every file the cache should know of, so statuses of
        files it did not see are dropped.
        """
        files = {} if everything else dict(self.reader.known_unseen())
        files.update(self.reader.settled)

        def write(connection: sqlite3.Connection) -> None:
            stored = connection.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
            if stored is None or stored[0] != key:
                connection.execute("DELETE FROM lessons")  # planned with another config or code
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('key', ?)", (key,))
            connection.executemany(
                "INSERT OR REPLACE INTO lessons VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        row.output,
                        row.source,
                        row.prune_retired,
                        row.deck_digest,
                        _dumps(row.inputs),
                        _dumps(_CODEC.encode(row.summary)),
                        row.plan,
                    )
                    for row in rows
                ],
            )
            if record is None or not record.key:
                connection.execute("DELETE FROM meta WHERE name = 'record'")
            else:
                value = _dumps(_CODEC.encode(record))
                connection.execute("INSERT OR REPLACE INTO meta VALUES ('record', ?)", (value,))
            connection.execute("DELETE FROM files")
            _put_files(connection, files)

        self._write(write)

    def _write(self, write: Any) -> None:
        """Run `write` in one transaction. A damaged file is started afresh; one that cannot
        be written at all is no reason for a command to fail, only for the next to reuse less."""
        try:
            if self._damaged:
                self.path.unlink(missing_ok=True)
            try:
                _transaction(self.path, write)
            except sqlite3.DatabaseError as error:
                if error.sqlite_errorcode not in _DAMAGED:
                    raise
                self.path.unlink()
                _transaction(self.path, write)
        except (sqlite3.Error, OSError):
            pass  # read-only, full or locked beyond the timeout: the next build rebuilds more


def _transaction(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)  # transactions as written here
    try:
        # A cache need not wait for the disk: a power cut at worst damages it, which is seen.
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN IMMEDIATE")
        for statement in _SCHEMA:
            connection.execute(statement)
        write(connection)
        connection.execute("COMMIT")
    finally:
        connection.close()  # without COMMIT, sqlite rolls the transaction back


def _put_files(connection: sqlite3.Connection, entries: Mapping[str, Entry]) -> None:
    connection.executemany(
        "INSERT OR REPLACE INTO files VALUES (?, ?)",
        [(name, _dumps(entry)) for name, entry in entries.items()],
    )


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise Damaged(f"expected text, got {value!r:.60}")
    return value


def _entry(text: object) -> Entry:
    entry = json.loads(_text(text))
    if not (
        isinstance(entry, list)
        and len(entry) == 6
        and isinstance(entry[0], str)
        and all(type(number) is int for number in entry[1:])
    ):
        raise Damaged(f"not a file's status: {text!r:.60}")
    return entry


def _inputs(data: object) -> tuple[Input, ...]:
    """A row's inputs, checked: every plan and build has hundreds, read at every build."""
    if type(data) is not list:
        raise Damaged(f"not a list of inputs: {data!r:.60}")
    for item in data:
        if not (
            type(item) is list
            and len(item) == 3
            and type(item[0]) is str
            and type(item[1]) is str
            and (item[2] is None or type(item[2]) is str)
        ):
            raise Damaged(f"not an input: {item!r:.60}")
    return tuple((kind, name, found) for kind, name, found in data)


def _row(columns: tuple[Any, ...]) -> Row:
    output, source, prune_retired, deck_digest, inputs, summary = columns
    if type(prune_retired) is not int:
        raise Damaged(f"not a flag: {prune_retired!r:.60}")
    return Row(
        output=_text(output),
        source=_text(source),
        prune_retired=bool(prune_retired),
        deck_digest=_text(deck_digest),
        inputs=_inputs(json.loads(_text(inputs))),
        summary=_CODEC.decode(json.loads(_text(summary)), Summary),
    )


def _sources(top: str) -> list[tuple[str, str]]:
    """(path under `top`, path) of each Python file of deckgen's, sorted."""
    found = []
    for folder, subfolders, names in os.walk(top):
        subfolders.sort()
        under = os.path.relpath(folder, top)
        prefix = "" if under == os.curdir else under + os.sep
        found.extend((prefix + name, os.path.join(folder, name)) for name in names)
    return sorted(item for item in found if item[0].endswith(".py"))


def installed_version(module: str, distribution: str) -> str:
    """The `.dist-info` folder of `distribution` beside `module`, whose name holds the version.

    Read from the folder's name without importing either: `importlib.metadata` alone would
    cost a build answered from the cache half its time again. "" when there is none to see.
    """
    from importlib.util import find_spec

    spec = find_spec(module)
    if spec is None or spec.origin is None:
        return ""
    folder = os.path.dirname(os.path.dirname(spec.origin))
    prefix = f"{distribution}-".casefold()
    try:
        names = os.listdir(folder)
    except OSError:
        return ""
    found = (n for n in names if n.casefold().startswith(prefix) and n.endswith(".dist-info"))
    return ",".join(sorted(found))
