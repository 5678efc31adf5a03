"""Answer a build that has nothing to do from one small file, before the pipeline is imported.

Run again with nothing changed (the common case in a pre-commit hook or CI), `deckgen build`
would still import the parser, genanki and the extractors, find the lessons and answer keys,
and load every lesson's cached plan, only to write nothing. Instead, a finished build leaves
a stamp: a fingerprint of everything it read and what it left behind (each deck's sha256 and
each lesson's summary). When the fingerprint and every deck on disk still match, the stamp
*is* the build's report. Anything else, even a file that no lesson reads, falls back to the
per-lesson cache (`cache.py`), which then leaves a new stamp.

Nor does such a build read every file to take the fingerprint and check the decks: the stamp
keeps each file's status (size, times, inode) with its digest, and a file whose status is the
same is not read again (see `_Digests`).

This module must stay cheap to import: it is all a no-op build loads besides the CLI and
`deckgen.configfile`.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from time import time_ns
from typing import TYPE_CHECKING, Any

from deckgen.atomic import atomic_write
from deckgen.diagnostics import Diagnostic

if TYPE_CHECKING:
    from deckgen.config import Config
    from deckgen.configfile import ConfigFile

CACHE_DIR = ".deckgen-cache"
STAMP_NAME = "build-stamp.json"
# Bump when the stamp's layout changes, so an old stamp is simply not trusted.
_LAYOUT = 2
# What a card's <img> can show; anything else (a .md, a .env) is not an image to pack (see
# `deckgen.media`). Here, not there: a build with nothing to do looks for these files, and
# must not load what packs them.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp"})
# The files under the lessons directory a build can read: lessons, answer keys, module pages
# and the images cards show.
_READ_SUFFIXES = frozenset({".md", *IMAGE_SUFFIXES})


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
    digest: str = ""  # sha256 of the deck the build left


# Where the code that shapes a deck besides deckgen's comes from: the parser and the package
# format, by module and by the name of their `.dist-info` folder.
_SHAPING_DISTRIBUTIONS = {"markdown_it": "markdown_it_py", "genanki": "genanki"}


@cache
def code_digest() -> str:
    """Every deckgen source file, and the installed versions of the parser and genanki.

    An edited extractor must not be served stale results, even while the version number
    stays the same (as it does in a development checkout); nor may an upgraded parser, which
    a build without the cache (CI's) would follow.
    """
    return _code_digest(_Digests())


def _code_digest(digests: _Digests) -> str:
    digest = hashlib.sha256()
    for name, path in _files_under(os.path.dirname(__file__), frozenset({".py"})):
        digest.update(f"{name}\0{digests(path)}\0".encode())
    for module, distribution in _SHAPING_DISTRIBUTIONS.items():
        digest.update(installed_version(module, distribution).encode() + b"\0")
    return digest.hexdigest()


def installed_version(module: str, distribution: str) -> str:
    """The `.dist-info` folder of `distribution` beside `module`, whose name holds the version.

    Read from the folder's name without importing either: `importlib.metadata` alone would
    cost a build answered from its stamp half its time again. "" when there is none to see.
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


@dataclass(frozen=True)
class _Setting:
    """What a fingerprint takes from the config. The stamp records it, so that a build is
    answered from the config file's bytes alone (`ConfigFile.identity`), without parsing it."""

    config: str  # repr of the whole `Config`
    lessons_dir: Path
    decks_dir: Path
    cache_dir: Path
    prune_retired: bool  # the config's own setting

    @classmethod
    def of(cls, config: Config) -> _Setting:
        return cls(
            repr(config),
            config.lessons_dir.resolve(),
            config.decks_dir.resolve(),
            (config.root / CACHE_DIR).resolve(),
            config.prune_retired,
        )


def fingerprint(config: Config, paths: Sequence[Path], prune_retired: bool) -> str:
    """A hash of everything a build of `paths` with `config` reads (see `_hash_inputs`)."""
    return _fingerprint(_Setting.of(config), paths, prune_retired)


# A file changed this shortly before it was hashed may change again within the same tick of
# the file system's clock (a second on some, two on FAT; a few milliseconds on others), and
# then keep the status it had: its digest is not recorded, as git does not trust a "racily
# clean" index entry. Also covers a file system clock a little behind this machine's.
_SETTLE_NS = 3_000_000_000
FileStatus = list[int]


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


class _Digests:
    """`file_digest`, reusing the digest a stamp recorded while the file's status is the same.

    A build with nothing to do would otherwise read and hash every lesson, image and deck:
    most of what it costs. Each file's digest is recorded with its status when the file had
    not changed for `_SETTLE_NS` before it was looked at (see `settle`).
    """

    def __init__(self, recorded: Mapping[str, list[Any]] | None = None) -> None:
        self._recorded = recorded or {}
        # Taken before any file is looked at: a file changed since has a newer ctime.
        self._settled_before = time_ns() - _SETTLE_NS
        self.entries: dict[str, list[Any]] = {}  # what a stamp may record: [digest, *status]
        self.fresh = False  # a file was hashed whose digest the stamp did not have

    def __call__(self, name: str) -> str | None:
        entry = self._recorded.get(name)
        if entry is not None and file_status(name) == entry[1:]:
            self.entries[name] = entry
            return entry[0]
        try:
            with open(name, "rb") as file:
                # Before reading: a change made while reading shows in a later status.
                info = os.fstat(file.fileno())
                digest = bytes_digest(file.read())
        except OSError:
            return None
        self.fresh |= self.settle(name, digest, info)
        return digest

    def settle(self, name: str, digest: str, info: os.stat_result) -> bool:
        """Record `digest` of the file `name` had since before this began, if its status
        (`info`, taken after) says it did not change since, nor just before: a change made in
        the same tick of the file system's clock as the last one may not change the status."""
        status = _status(info)
        if status is None or max(status[1], status[2]) >= self._settled_before:
            return False
        self.entries[name] = [digest, *status]
        return True


_Inputs = tuple[_Setting, tuple[Path, ...], bool]
# The fingerprints taken inside the current `fingerprint_once()` block, by what they cover.
_taken: dict[_Inputs, str] | None = None
# The last fingerprint taken, and the digests of the files it read: `write` records them.
_last: tuple[str, _Digests] | None = None


@contextmanager
def fingerprint_once() -> Iterator[None]:
    """Within this block, the fingerprint of the same build is taken once.

    `deckgen build` checks the stamp, which takes the fingerprint, and when the stamp is stale
    builds, which takes it again: a second pass over every file under the lessons directory.
    The first serves both: it, too, was taken before the build read any lesson.
    """
    global _taken
    outer, _taken = _taken, {}
    try:
        yield
    finally:
        _taken = outer


def _fingerprint(
    setting: _Setting, paths: Sequence[Path], prune_retired: bool, digests: _Digests | None = None
) -> str:
    global _last
    inputs = (setting, tuple(paths), prune_retired or setting.prune_retired)
    if _taken is not None and inputs in _taken:
        return _taken[inputs]
    if digests is None:
        digests = _Digests()
    key = _hash_inputs(*inputs, digests)
    _last = (key, digests)
    if _taken is not None:
        _taken[inputs] = key
    return key


def _hash_inputs(
    setting: _Setting, paths: tuple[Path, ...], prune_retired: bool, digests: _Digests
) -> str:
    """A hash of everything a build reads.

    That is deckgen itself, the effective config and options, the files named on the command
    line, and every lesson, module page, answer key and image under the lessons directory, by
    name and content. A change to a file no lesson reads only means that the per-lesson cache
    answers the next build instead.
    """
    from deckgen import __version__  # read at call time: the version is part of the key

    hasher = hashlib.sha256()
    for part in (
        str(_LAYOUT),
        __version__,
        _code_digest(digests),  # `code_digest`, without reading what the stamp knows
        setting.config,
        str(setting.lessons_dir),
        str(setting.decks_dir),
        str(prune_retired),
    ):
        hasher.update(part.encode() + b"\0")
    named = sorted((str(path.resolve()), str(path)) for path in paths)
    for name, path in [*named, *_read_files(setting)]:
        # An unreadable file is hashed as such: the build warns about it or fails, every time.
        hasher.update(f"{name}\0{digests(path)}\0".encode())
    return hasher.hexdigest()


def _read_files(setting: _Setting) -> list[tuple[str, str]]:
    """(path under the lessons directory, path) of each file a build may read, sorted.

    The decks and the cache are left out, in case they sit under the lessons directory.
    """
    own = {str(setting.decks_dir), str(setting.cache_dir)}
    return _files_under(str(setting.lessons_dir), _READ_SUFFIXES, own)


def _files_under(
    top: str, suffixes: frozenset[str], skip: frozenset[str] | set[str] = frozenset()
) -> list[tuple[str, str]]:
    """(path under `top`, path) of each file under `top` with one of `suffixes`, sorted.

    Like the lesson search (`Path.rglob`), symlinked folders are not entered; nor are the
    folders in `skip`.
    """
    found = []
    for folder, subfolders, names in os.walk(top):
        subfolders[:] = [name for name in subfolders if os.path.join(folder, name) not in skip]
        # Once per folder, not per file: `relpath` resolves both its paths every time.
        under = os.path.relpath(folder, top)
        prefix = "" if under == os.curdir else under + os.sep
        for name in names:
            if os.path.splitext(name)[1].lower() in suffixes:
                # A str: making a Path of each would cost a build with nothing to do more
                # than looking at the file.
                found.append((prefix + name, os.path.join(folder, name)))
    return sorted(found)


def _stamp_path(root: Path) -> Path:
    return root / CACHE_DIR / STAMP_NAME


def _write_stamp(root: Path, stamp: dict[str, Any]) -> None:
    # Not durable: a stamp lost in a power cut only means a build that does the work.
    atomic_write(_stamp_path(root), json.dumps(stamp).encode(), durable=False)


def write(config: Config, key: str, summaries: Sequence[DeckSummary]) -> None:
    """Record a finished build: its fingerprint, and each lesson's summary and deck digest.

    With them, the status of each input and deck that has settled (see `_Digests`): those
    the fingerprint `key` read, and decks the build left as they were.
    """
    files = {}
    if _last is not None and _last[0] == key:
        digests = _last[1]
        files = digests.entries
        for summary in summaries:
            files.pop(str(summary.output), None)  # as it was before the build
            # A deck changed since the fingerprint was taken, by the build or not, has not
            # settled: only a deck untouched since then keeps the digest the build saw.
            if summary.digest:
                with suppress(OSError):
                    digests.settle(str(summary.output), summary.digest, summary.output.stat())
    decks = [
        {
            "source": str(summary.source),
            "output": str(summary.output),
            "sha256": summary.digest,
            "counts": dict(summary.counts),
            "warnings": [[str(w.path), w.line, w.message, w.severity] for w in summary.warnings],
            "retired": summary.retired,
        }
        for summary in summaries
    ]
    setting = _Setting.of(config)
    recorded = {
        "identity": config.identity,
        "config": setting.config,
        "lessons": str(setting.lessons_dir),
        "decks": str(setting.decks_dir),
        "cache": str(setting.cache_dir),
        "prune_retired": setting.prune_retired,
    }
    data = {"layout": _LAYOUT, "key": key, "setting": recorded, "decks": decks, "files": files}
    _write_stamp(config.root, data)


def forget(config: Config) -> None:
    """Drop the stamp while a build changes things: only a finished build leaves one."""
    _stamp_path(config.root).unlink(missing_ok=True)


def replay(
    config: Config | ConfigFile, paths: Sequence[Path], prune_retired: bool
) -> list[DeckSummary] | None:
    """The summaries of the last build, when building `paths` again would change nothing.

    `config` may be the config file not yet parsed (what `deckgen build` has at hand).
    """
    try:
        stamp = json.loads(_stamp_path(config.root).read_bytes())
        recorded = stamp["setting"]
        # A config made in code has no identity: nothing says its stamp is still its own.
        if stamp["layout"] != _LAYOUT or not config.identity:
            return None
        if recorded["identity"] != config.identity:
            return None
        setting = _Setting(
            recorded["config"],
            Path(recorded["lessons"]),
            Path(recorded["decks"]),
            Path(recorded["cache"]),
            recorded["prune_retired"],
        )
        digests = _Digests(stamp["files"])
        if stamp["key"] != _fingerprint(setting, paths, prune_retired, digests):
            return None
        summaries = [_summary(deck, digests) for deck in stamp["decks"]]
    except (OSError, _Stale, KeyError, TypeError, ValueError):
        return None  # no stamp, an unreadable or outdated one, or a deck changed since
    if digests.fresh:
        # Files hashed now that the stamp had no digest for: this build was the last to read
        # them all (the next reads none). A stamp that cannot be written changes nothing else.
        stamp["files"] = digests.entries
        with suppress(OSError):
            _write_stamp(config.root, stamp)
    return summaries


class _Stale(Exception):
    """A deck on disk is not the one the stamped build left."""


def _summary(deck: dict[str, Any], digests: _Digests) -> DeckSummary:
    digest = deck["sha256"]
    if digests(deck["output"]) != digest:
        raise _Stale(deck["output"])
    output = Path(deck["output"])
    return DeckSummary(
        source=Path(deck["source"]),
        output=output,
        counts=deck["counts"],
        warnings=tuple(Diagnostic(*warning) for warning in deck["warnings"]),
        retired=deck["retired"],
        cached=True,
        digest=digest,
    )


def bytes_digest(data: bytes) -> str:
    """How the stamp and the cache name a deck's or an input's bytes."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    """`bytes_digest` of a file, or None when it cannot be read (missing, say)."""
    try:
        return bytes_digest(path.read_bytes())
    except OSError:
        return None
