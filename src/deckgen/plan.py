"""A lesson's plan (what was found, the notes, where the deck goes) and its stored form.

The build cache keeps each plan as JSON (see `deckgen.codec`), without the images' bytes:
those are read again from the files the plan recorded, which the cache has checked. Nor does
it keep the notes: a card's HTML never comes from the cache, so a plan's notes are rendered
again from its items when it is loaded, and must give the digest it keeps of them
(`notes_digest`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from deckgen.codec import Codec, Damaged
from deckgen.diagnostics import Diagnostic
from deckgen.identity import KeyedItem
from deckgen.items import Item, SourceRef
from deckgen.media import MAX_IMAGE_BYTES, packed_name
from deckgen.notetypes import NOTE_TYPES, NoteType
from deckgen.reader import Reader
from deckgen.render import Note


@dataclass(frozen=True)
class LessonDeck:
    """One lesson as a deck: what was found, the notes, and where the `.apkg` goes."""

    source: Path
    output: Path
    deck_name: str
    items: tuple[KeyedItem, ...]
    notes: tuple[Note, ...]
    warnings: tuple[Diagnostic, ...]
    media: Mapping[str, bytes] = field(default_factory=dict)  # packed name -> bytes
    media_sources: Mapping[str, str] = field(default_factory=dict)  # see LessonMedia.sources
    label: str = ""  # the lesson's name in its notes' breadcrumbs, as they were rendered

    @property
    def counts(self) -> Counter[str]:
        return Counter(keyed.item.kind for keyed in self.items)


def _item_classes() -> list[type]:
    """Every kind of item: a new extractor's item class is stored with no change here."""
    found, pending = [], [Item]
    while pending:
        kind = pending.pop()
        if hasattr(kind, "kind"):  # not the abstract base, which no plan holds
            found.append(kind)
        pending.extend(kind.__subclasses__())
    return found


@cache  # one per process: it works out each class's field types once
def _codec() -> Codec:
    classes = [LessonDeck, KeyedItem, SourceRef, Note, Diagnostic, *_item_classes()]
    return Codec(classes, named={NoteType: NOTE_TYPES})


# The key of a stored plan that holds `notes_digest` of its notes.
_NOTES_DIGEST = "notes_digest"


def notes_digest(notes: Sequence[Note]) -> str:
    """What the cache keeps of a plan's notes: the notes rendered again from its items when
    the plan is loaded must give the same digest. Each value is written as `repr` writes it,
    which tells where every string ends."""
    digest = hashlib.sha256()
    for note in notes:
        source = note.source
        where = None if source is None else (source.path, source.line, source.section)
        value = (note.guid, note.notetype.id, note.notetype.name, note.fields, note.tags, where)
        digest.update(repr(value).encode("utf-8", "backslashreplace"))
    return digest.hexdigest()


def dumps_plan(deck: LessonDeck) -> str:
    """The plan as the cache stores it: the images by where they came from, not their bytes,
    and its notes by their digest."""
    stored = _codec().encode(dataclasses.replace(deck, media={}, notes=()))
    stored[_NOTES_DIGEST] = notes_digest(deck.notes)
    return json.dumps(stored, ensure_ascii=False, separators=(",", ":"))


def loads_plan(text: str, reader: Reader, inputs: Collection[str]) -> tuple[LessonDeck, str] | None:
    """A stored plan, with its images read again but no notes, and the digest its notes must
    have (`notes_digest`); `Damaged` when it is not one, or names an image that is not one of
    the files its planning read (`inputs`).

    None when an image is gone or no longer what the plan packed: the caller checked the
    plan's inputs, so it changed just now.
    """
    try:
        data = json.loads(text)
        digest = data.pop(_NOTES_DIGEST, None) if type(data) is dict else None
        if type(digest) is not str:
            raise Damaged(f"a plan without the digest of its notes: {text!r:.60}")
        deck = _codec().decode(data, LessonDeck)
    except (ValueError, RecursionError) as error:  # nested deeper than any plan deckgen writes
        raise Damaged(str(error)) from None
    if deck.notes:
        raise Damaged("a plan that holds notes: they are rendered from its items")
    media = {}
    for source, name in deck.media_sources.items():
        if source not in inputs:
            raise Damaged(f"{source} is not an input of the plan")
        if name:
            path = Path(source)
            try:
                found = reader.read(path, MAX_IMAGE_BYTES)
            except OSError:
                return None
            if packed_name(found, path.suffix) != name:
                return None
            media[name] = found
    return dataclasses.replace(deck, media=media), digest
