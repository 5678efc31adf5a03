"""The course package, and the one record of what learners were last given.

Every build can write a package per lesson and one per course (`packages:` in deckgen.yaml).
Both come from the same regenerated lesson decks, so a note has the same GUID, fields and `mod`
in either. What a lesson's notes looked like last time is read from whichever of the two is on
disk, note by note, taking the newest: switching `packages:` back and forth never resets a `mod`.
Pure: the packages read back come in as values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.config import Config
from deckgen.diagnostics import ConfigError
from deckgen.package import DeckContent
from deckgen.render import tags_for

if TYPE_CHECKING:
    from deckgen.apkg import StoredDeck, StoredNote

COURSE = "course"
LESSONS = "lessons"


def course_output(config: Config) -> Path:
    """`<decks>/<course id>.apkg`."""
    return config.decks_dir / f"{config.course.id}.apkg"


def check_course_output(config: Config, lesson_outputs: Iterable[Path]) -> None:
    """The course package must stay inside `decks/`, and not take a lesson package's place
    (even when lesson packages are not written: a lesson's notes as learners last got them
    are read from where its package goes)."""
    if COURSE not in config.packages:
        return
    output = course_output(config)
    path, line = config.where("course.id")
    if set(Path(config.course.id).parts) & {"..", "."} or Path(config.course.id).is_absolute():
        message = (
            f"course.id {config.course.id!r} would put the course package outside {config.decks}"
        )
        raise ConfigError(path, line, message)
    if output in set(lesson_outputs):
        raise ConfigError(
            path,
            line,
            f"the course package and a lesson's deck would both be {output}; "
            "change course.id or rename the lesson",
        )


def lesson_tag(slug: str) -> str:
    """The `deckgen::lesson::...` tag every note of the lesson carries, retired ones too."""
    return next(tag for tag in tags_for(slug, "definition") if tag.startswith("deckgen::lesson::"))


def split_course(course: StoredDeck | None) -> dict[str, StoredDeck]:
    """The course package's notes by lesson tag, each lesson's part as a deck of its own."""
    if course is None:
        return {}
    parts: dict[str, dict[str, StoredNote]] = {}
    for guid, note in course.notes.items():
        tag = next((t for t in note.tags if t.startswith("deckgen::lesson::")), None)
        if tag is not None:
            parts.setdefault(tag, {})[guid] = note
    return {
        tag: dataclasses.replace(course, notes=notes, deck_names=()) for tag, notes in parts.items()
    }


def latest(lesson: StoredDeck | None, part: StoredDeck | None) -> StoredDeck | None:
    """A lesson's previous notes and note types from its own package and its part of the course
    package, whichever is newer for each (they are equal when one build wrote both)."""
    if lesson is None or part is None:
        return lesson or part
    notes = dict(lesson.notes)
    for guid, note in part.notes.items():
        if guid not in notes or note.mod > notes[guid].mod:
            notes[guid] = note
    notetypes = dict(lesson.notetypes)
    for notetype_id, notetype in part.notetypes.items():
        if notetype_id not in notetypes or notetype.mod > notetypes[notetype_id].mod:
            notetypes[notetype_id] = notetype
    return dataclasses.replace(lesson, notes=notes, notetypes=notetypes)


def has_package(content: DeckContent, previous: StoredDeck | None) -> bool:
    """A deck gets a package once it has had notes: a lesson with no study items, now or in the
    package before, writes none (a lesson whose items all left keeps its retired notes)."""
    return bool(content.notes) or bool(previous is not None and previous.notes)


def course_bytes(contents: Sequence[DeckContent], before: StoredDeck | None) -> bytes | None:
    """The course package: every lesson's deck that has notes, as a subdeck, in course order;
    None when it gets no package (see `has_package`)."""
    from deckgen.package import packages_bytes  # imported here: only a build writes

    parts = [content for content in contents if content.notes]
    if not parts and not (before is not None and before.notes):
        return None
    return packages_bytes(parts)


def counts_total(counts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for lesson in counts:
        for kind, count in lesson.items():
            total[kind] = total.get(kind, 0) + count
    return total
