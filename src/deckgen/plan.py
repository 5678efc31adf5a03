"""A lesson's plan (what was found, the notes, where the deck goes) and its stored form.

The build cache keeps each plan as JSON (see `deckgen.codec`), without the images' bytes:
those are read again from the files the plan recorded, which the cache has checked.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Collection, Mapping
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


def dumps_plan(deck: LessonDeck) -> str:
    """The plan as the cache stores it: the images by where they came from, not their bytes."""
    stored = _codec().encode(dataclasses.replace(deck, media={}))
    return json.dumps(stored, ensure_ascii=False, separators=(",", ":"))


def loads_plan(text: str, reader: Reader, inputs: Collection[str]) -> LessonDeck | None:
    """A stored plan, with its images read again; `Damaged` when it is not one, or names an
    image that is not one of the files its planning read (`inputs`).

    None when an image is gone or no longer what the plan packed: the caller checked the
    plan's inputs, so it changed just now.
    """
    try:
        deck = _codec().decode(json.loads(text), LessonDeck)
    except (ValueError, RecursionError) as error:  # nested deeper than any plan deckgen writes
        raise Damaged(str(error)) from None
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
    return dataclasses.replace(deck, media=media)
