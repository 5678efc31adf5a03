"""Card design (templates, CSS) changes reach learners through Anki's default import: real Anki.

Anki replaces a learner's note type, matched by id, only when its field and template names are
unchanged and the incoming note type's `mod` is strictly newer. The tests below pin that rule
on the real engine, then show deckgen's builds meeting it.

Anki's Python `ModelManager` caches note types, and the desktop app clears that cache after
every operation; a script that reads `col.models.get()` right after an import sees the old
design. So these tests read what the learner sees instead: the card as Anki renders it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

import deckgen
import deckgen.version
from deckgen.builder import plan_lesson
from deckgen.config import Config
from deckgen.notetypes import DEFINITION, NOTE_TYPES, NoteType
from deckgen.package import DeckContent, package_bytes

from .conftest import import_apkg, review_every_card
from .test_regenerate_e2e import DECK_NAME, _scheduling

pytestmark = pytest.mark.slow  # `pytest -m "not slow"` leaves it out of the quick loop

DECK = Path("decks/01-introduction-to-ml-infrastructure.apkg")
LESSON = Path("lessons/01-introduction-to-ml-infrastructure.md")
NEW_CSS_RULE = "\n.prompt { color: #0a7d32; }\n"
NEW_WORDING = "What does this term mean?"
OLD_WORDING = "— what is it?"


def _redesigned(notetype: NoteType) -> NoteType:
    """New CSS for every note type, and new prompt wording on the Definition card."""
    templates = notetype.templates
    if notetype is DEFINITION:
        first = templates[0]
        assert OLD_WORDING in first.front
        templates = (
            dataclasses.replace(first, front=first.front.replace(OLD_WORDING, NEW_WORDING)),
            *templates[1:],
        )
    return dataclasses.replace(notetype, css=notetype.css + NEW_CSS_RULE, templates=templates)


def _redesign(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a deckgen release with new card designs does, in this process."""
    for kind, notetype in list(NOTE_TYPES.items()):
        monkeypatch.setitem(NOTE_TYPES, kind, _redesigned(notetype))
    # A release changes deckgen's code, which the build cache keys on; here only the note
    # types in memory changed, so stand for it with a version bump.
    monkeypatch.setattr(deckgen.version, "__version__", "999.0.0")


def _mlflow_card(collection):
    note = collection.get_note(collection.find_notes('"Term:MLflow"')[0])
    return note.cards()[0]


def _deckgen_notetypes(collection) -> list[str]:
    return sorted(m.name for m in collection.models.all_names_and_ids() if "deckgen" in m.name)


def _renamed_template(notetype: NoteType) -> NoteType:
    """The Definition card's template under a new name, nothing else changed."""
    if notetype is not DEFINITION:
        return notetype
    template = dataclasses.replace(notetype.templates[0], name="Term to Definition")
    return dataclasses.replace(notetype, templates=(template,))


def _package(
    project: Path, name: str, mod: int, change: Callable[[NoteType], NoteType] = lambda t: t
) -> Path:
    """Lesson 01 packaged directly, its note types changed by `change` and all given `mod`."""
    notes = plan_lesson(project / LESSON, Config(root=project)).notes
    notes = tuple(dataclasses.replace(n, notetype=change(n.notetype)) for n in notes)
    content = DeckContent(
        "Design test",
        notes,
        {note.guid: 1_780_000_000 for note in notes},
        {note.notetype.id: mod for note in notes},
    )
    path = project / name
    path.write_bytes(package_bytes(content))
    return path


def test_anki_updates_a_note_type_only_when_its_mod_is_newer(
    project: Path, anki_collection
) -> None:
    collection = anki_collection()
    import_apkg(collection, _package(project, "old.apkg", 1_780_000_000))
    assert OLD_WORDING in _mlflow_card(collection).question()
    count = len(collection.models.all_names_and_ids())

    # Same mod: Anki keeps the learner's copy, even though the templates and CSS differ.
    import_apkg(collection, _package(project, "same-mod.apkg", 1_780_000_000, _redesigned))
    card = _mlflow_card(collection)
    assert OLD_WORDING in card.question() and NEW_CSS_RULE.strip() not in card.css()

    # Newer mod: the note type is replaced in place; no second note type, no conflicts.
    log = import_apkg(collection, _package(project, "newer.apkg", 1_780_000_001, _redesigned))
    assert not log.log.conflicting
    card = _mlflow_card(collection)
    assert NEW_WORDING in card.question() and OLD_WORDING not in card.question()
    assert NEW_CSS_RULE.strip() in card.css()
    assert len(collection.models.all_names_and_ids()) == count


def test_anki_adds_a_note_type_whose_template_was_renamed_and_refuses_its_notes(
    project: Path, anki_collection
) -> None:
    collection = anki_collection()
    import_apkg(collection, _package(project, "old.apkg", 1_780_000_000))
    before = _deckgen_notetypes(collection)
    log = import_apkg(
        collection, _package(project, "renamed.apkg", 1_780_000_001, _renamed_template)
    ).log
    # The Definition notes already in the collection are not updated: they conflict.
    assert len(log.conflicting) == 40
    assert _deckgen_notetypes(collection) == sorted([*before, DEFINITION.name + "+"])
    assert OLD_WORDING in _mlflow_card(collection).question()


def test_a_redesign_reaches_learners_and_keeps_their_progress(
    project: Path, run, anki_collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("build").exit_code == 0
    collection = anki_collection()
    import_apkg(collection, project / DECK)
    assert review_every_card(collection, DECK_NAME) == 62
    before = _scheduling(collection)
    notetypes_before = _deckgen_notetypes(collection)

    _redesign(monkeypatch)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    result = run("check")
    assert result.exit_code == 1  # stale, but not breaking
    assert "note type updated: deckgen Definition" in result.stdout
    assert "template text changed (Term → Definition); CSS changed" in result.stdout
    assert "against" not in result.stderr
    assert run("build").exit_code == 0
    assert run("check").exit_code == 0

    log = import_apkg(collection, project / DECK).log
    assert not log.conflicting and not log.new and not log.updated
    card = _mlflow_card(collection)
    assert NEW_WORDING in card.question() and OLD_WORDING not in card.question()
    assert NEW_CSS_RULE.strip() in card.css()
    assert _deckgen_notetypes(collection) == notetypes_before
    assert collection.db.scalar("select count() from revlog") == 62
    assert _scheduling(collection) == before

    # A later rebuild of the same design keeps the note types' mod: same bytes.
    built = DECK.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert run("build").exit_code == 0
    assert DECK.read_bytes() == built
