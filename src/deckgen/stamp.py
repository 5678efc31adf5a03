"""Answer a build that has nothing to do from one small file, before the pipeline is imported.

Run again with nothing changed (the common case in a pre-commit hook or CI), `deckgen build`
would still import the parser, genanki and the extractors, find the lessons and answer keys,
and load every lesson's cached plan, only to write nothing. Instead, a finished build leaves
a stamp: a fingerprint of everything it read and what it left behind (each deck's sha256 and
each lesson's summary). When the fingerprint and every deck on disk still match, the stamp
*is* the build's report. Anything else, even a file that no lesson reads, falls back to the
per-lesson cache (`cache.py`), which then leaves a new stamp.

This module must stay cheap to import: it is all a no-op build loads besides the CLI and the
config.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deckgen.diagnostics import Diagnostic
from deckgen.media import IMAGE_SUFFIXES

if TYPE_CHECKING:
    from deckgen.config import Config

CACHE_DIR = ".deckgen-cache"
STAMP_NAME = "build-stamp.json"
# Bump when the stamp's layout changes, so an old stamp is simply not trusted.
_LAYOUT = 1
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


@cache
def code_digest() -> str:
    """Every deckgen source file: an edited extractor must not be served stale results, even
    while the version number stays the same (as it does in a development checkout)."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def stamp_path(config: Config) -> Path:
    return config.root / CACHE_DIR / STAMP_NAME


def fingerprint(config: Config, paths: Sequence[Path], prune_retired: bool) -> str:
    """A hash of everything a build of `paths` reads.

    That is deckgen itself, the effective config and options, the files named on the command
    line, and every lesson, module page, answer key and image under the lessons directory, by
    name and content. A change to a file no lesson reads only means that the per-lesson cache
    answers the next build instead.
    """
    from deckgen import __version__  # read at call time: the version is part of the key

    lessons_dir = config.lessons_dir.resolve()
    hasher = hashlib.sha256()
    for part in (
        str(_LAYOUT),
        __version__,
        code_digest(),
        repr(config),
        str(lessons_dir),
        str(config.decks_dir.resolve()),
        str(prune_retired or config.prune_retired),
    ):
        hasher.update(part.encode() + b"\0")
    named = sorted((str(path.resolve()), path) for path in paths)
    for name, path in [*named, *_read_files(lessons_dir, config)]:
        # An unreadable file is hashed as such: the build warns about it or fails, every time.
        hasher.update(f"{name}\0{file_digest(path)}\0".encode())
    return hasher.hexdigest()


def _read_files(lessons_dir: Path, config: Config) -> list[tuple[str, Path]]:
    """(path under the lessons directory, path) of each file a build may read, sorted.

    Like the lesson search (`Path.rglob`), symlinked folders are not entered. The decks and
    the cache are left out, in case they sit under the lessons directory.
    """
    own = {str(config.decks_dir.resolve()), str((config.root / CACHE_DIR).resolve())}
    found = []
    for folder, subfolders, names in os.walk(lessons_dir):
        subfolders[:] = [name for name in subfolders if os.path.join(folder, name) not in own]
        for name in names:
            if os.path.splitext(name)[1].lower() in _READ_SUFFIXES:
                path = os.path.join(folder, name)
                found.append((os.path.relpath(path, lessons_dir), Path(path)))
    return sorted(found)


def write(config: Config, key: str, summaries: Sequence[DeckSummary]) -> None:
    """Record a finished build: its fingerprint, and each lesson's summary and deck digest."""
    from deckgen.package import atomic_write  # only a build that did work writes a stamp

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
    data = json.dumps({"layout": _LAYOUT, "key": key, "decks": decks}, ensure_ascii=False)
    atomic_write(stamp_path(config), data.encode(), durable=False)


def forget(config: Config) -> None:
    """Drop the stamp while a build changes things: only a finished build leaves one."""
    stamp_path(config).unlink(missing_ok=True)


def replay(config: Config, paths: Sequence[Path], prune_retired: bool) -> list[DeckSummary] | None:
    """The summaries of the last build, when building `paths` again would change nothing."""
    try:
        stamp = json.loads(stamp_path(config).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or stamp.get("layout") != _LAYOUT:
        return None
    if stamp.get("key") != fingerprint(config, paths, prune_retired):
        return None
    try:
        return [_summary(deck) for deck in stamp["decks"]]
    except (_Stale, KeyError, TypeError, ValueError):
        return None


class _Stale(Exception):
    """A deck on disk is not the one the stamped build left."""


def _summary(deck: dict[str, Any]) -> DeckSummary:
    output = Path(deck["output"])
    digest = deck["sha256"]
    if file_digest(output) != digest:
        raise _Stale(output)
    return DeckSummary(
        source=Path(deck["source"]),
        output=output,
        counts=deck["counts"],
        warnings=tuple(Diagnostic(*warning) for warning in deck["warnings"]),
        retired=deck["retired"],
        cached=True,
        digest=digest,
    )


def file_digest(path: Path) -> str | None:
    """The sha256 of a file's bytes, or None when it cannot be read (missing, say)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
