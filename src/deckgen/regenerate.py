"""A planned lesson over the deck learners have: which notes retire, and every `mod` time.

`build` writes what this gives and `check` compares it with `decks/`, so both agree by
construction. Pure: the previous deck and the time come in as values; nothing is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from deckgen.diagnostics import Diagnostic
from deckgen.package import DeckContent
from deckgen.render import Note, retired_note

if TYPE_CHECKING:
    from deckgen.apkg import StoredDeck, StoredNote, StoredNoteType


class Plan(Protocol):
    """What regenerating needs of a lesson's plan (a `builder.LessonDeck`)."""

    @property
    def output(self) -> Path: ...
    @property
    def deck_name(self) -> str: ...
    @property
    def notes(self) -> tuple[Note, ...]: ...
    @property
    def media(self) -> Mapping[str, bytes]: ...


@dataclass(frozen=True)
class DeckWrite:
    """The write stage's view of one deck: its notes with mod times, and what left the lesson."""

    content: DeckContent
    retired: tuple[Note, ...]  # kept from the previous deck, tagged deckgen::removed
    pruned: tuple[str, ...]  # GUIDs of the previous deck's notes left out on purpose
    warnings: tuple[Diagnostic, ...]


def regenerate(plan: Plan, previous: StoredDeck | None, now: int, prune_retired: bool) -> DeckWrite:
    """Combine a planned lesson with the previous deck: retired notes, then mod times."""
    current = {note.guid for note in plan.notes}
    gone = [
        stored
        for guid, stored in (previous.notes if previous else {}).items()
        if guid not in current
    ]
    retired: list[Note] = []
    pruned: list[str] = []
    warnings: list[Diagnostic] = []
    for stored in gone:
        note = None if prune_retired else retired_note(stored)
        if note is not None:
            retired.append(note)
            continue
        pruned.append(stored.guid)
        if not prune_retired:
            warnings.append(
                Diagnostic(
                    plan.output,
                    None,
                    f"dropping retired note {stored.guid}: its note type "
                    f"{stored.notetype_id} is no longer one of deckgen's",
                )
            )
    notes = (*plan.notes, *retired)
    content = DeckContent(
        plan.deck_name,
        notes,
        modification_times(notes, previous, now),
        notetype_modification_times(notes, previous, now),
        plan.media,
    )
    return DeckWrite(content, tuple(retired), tuple(pruned), tuple(warnings))


def merged(decks: Iterable[StoredDeck | None]) -> StoredDeck | None:
    """One previous deck from several, the first first: a moved lesson's deck at its new
    path, then at the paths it had before (`moved:`), so that notes built at neither path
    alone keep their mods, and the lesson's retired notes stay retired."""
    found = [deck for deck in decks if deck is not None]
    if len(found) < 2:
        return found[0] if found else None
    notes: dict[str, StoredNote] = {}
    notetypes: dict[int, StoredNoteType] = {}
    for deck in reversed(found):  # the first deck's version of a note wins
        notes.update(deck.notes)
        notetypes.update(deck.notetypes)
    order = [guid for deck in found for guid in deck.notes]
    first = found[0]
    return replace(
        first, notes={guid: notes[guid] for guid in dict.fromkeys(order)}, notetypes=notetypes
    )


def modification_times(
    notes: Iterable[Note], previous: StoredDeck | None, now: int
) -> dict[str, int]:
    """A note keeps its last `mod` while unchanged, and moves past it when its content changed.

    Anki's importer updates a note only when the incoming `mod` is strictly newer, so this is
    what makes an edit reach learners and an untouched note leave their own edits alone.
    """
    mods = {}
    for note in notes:
        old = previous.notes.get(note.guid) if previous else None
        mods[note.guid] = (
            now
            if old is None
            else _kept_or_newer(
                old.mod,
                (old.notetype_id, old.fields, old.tags)
                == (note.notetype.id, note.fields, note.tags),
                now,
            )
        )
    return mods


def notetype_modification_times(
    notes: Iterable[Note], previous: StoredDeck | None, now: int
) -> dict[int, int]:
    """The same rule for the note types the notes use, judged by their templates and CSS.

    Anki replaces a learner's note type (same id, same field and template names) only when the
    incoming `mod` is strictly newer, so this is what makes a card-design change reach learners.
    """
    mods = {}
    for notetype in {note.notetype.id: note.notetype for note in notes}.values():
        old = previous.notetypes.get(notetype.id) if previous else None
        mods[notetype.id] = (
            now if old is None else _kept_or_newer(old.mod, old.same_design(notetype), now)
        )
    return mods


def _kept_or_newer(old: int, unchanged: bool, now: int) -> int:
    """The old `mod` while unchanged; else now, but always past the old one (clocks differ)."""
    return old if unchanged else max(now, old + 1)
