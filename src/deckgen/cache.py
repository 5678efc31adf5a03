"""Remember each lesson's plan and the deck it produced, keyed by a hash of all their inputs.

A lesson whose bytes, the other files it reads (answer key, module pages), the effective config
and deckgen's code are unchanged is not parsed again, and when its deck on disk is still the one
deckgen wrote, it is not packaged again either. The cache lives in `.deckgen-cache/` next to the
config; deleting it is always safe.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.config import Config
from deckgen.notetypes import NOTE_TYPES, NoteType
from deckgen.package import atomic_write
from deckgen.stamp import CACHE_DIR, code_digest, file_digest

if TYPE_CHECKING:
    from deckgen.builder import LessonDeck
    from deckgen.render import Note

# Bump when the layout of an entry changes, so old entries are simply ignored.
_LAYOUT = "plans-v1"


@dataclass(frozen=True)
class CacheEntry:
    key: str  # `lesson_key` of the inputs the plan was made from
    deck: LessonDeck
    deck_digest: str  # sha256 of the .apkg bytes the build left at `deck.output`
    retired: tuple[Note, ...]  # notes that build kept from the deck before, retired
    prune_retired: bool  # the write option that build ran with


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


def _entry_path(config: Config, output: Path) -> Path:
    # One entry per deck, named by its output path: the cache never grows past the course.
    name = hashlib.sha256(str(output).encode()).hexdigest()[:32]
    return config.root / CACHE_DIR / _LAYOUT / f"{name}.pickle"


def load(config: Config, output: Path) -> CacheEntry | None:
    try:
        entry = pickle.loads(_entry_path(config, output).read_bytes())
    except Exception:
        # A missing, truncated or outdated entry only costs a rebuild of that lesson.
        return None
    return entry if isinstance(entry, CacheEntry) else None


def store(config: Config, entry: CacheEntry) -> None:
    data = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
    atomic_write(_entry_path(config, entry.deck.output), data, durable=False)
