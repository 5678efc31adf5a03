"""A learner studies a lesson's deck, the author renames the lesson file, adds the `moved:` line
`check` suggests, rebuilds; the learner re-imports the deck from its new path: real Anki."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import DECK, LESSON, git, import_apkg

pytestmark = pytest.mark.slow  # `pytest -m "not slow"` leaves it out of the quick loop

RENAMED = Path("lessons/01-ml-infrastructure.md")
RENAMED_DECK = Path("decks/01-ml-infrastructure.apkg")
DECK_NAME = "AI Infrastructure Engineer::Lesson 01: Introduction to ML Infrastructure"


def _review_one_card(collection) -> int:
    """Answer the first card the scheduler gives, Good; its id."""
    collection.decks.select(collection.decks.id_for_name(DECK_NAME))
    card = collection.sched.getCard()
    assert card is not None
    collection.sched.answerCard(card, 3)
    return card.id


def _scheduling(collection) -> dict[int, tuple[int, int, int, int, int]]:
    return {
        card_id: (card.nid, card.ivl, card.reps, card.due, card.did)
        for card_id in collection.find_cards("")
        for card in [collection.get_card(card_id)]
    }


def test_a_moved_lesson_keeps_its_notes_and_reviews_in_anki(
    repo: Path, run, anki_collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    collection = anki_collection()
    import_apkg(collection, repo / DECK)
    reviewed = _review_one_card(collection)
    note_ids = set(collection.find_notes(""))
    before = _scheduling(collection)
    assert collection.db.scalar("select count() from revlog") == 1
    assert collection.get_card(reviewed).reps == 1

    git("mv", str(LESSON), str(RENAMED))
    result = run("check")
    assert result.exit_code == 1
    found = re.search(r"add `(moved: .+?)` to deckgen.yaml", result.stderr)
    assert found is not None, result.stderr
    assert found.group(1) == f'moved: {{"{LESSON.name}": "{RENAMED.name}"}}'
    with Path("deckgen.yaml").open("a", encoding="utf-8") as config:
        config.write(f"\n{found.group(1)}\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    assert run("build").exit_code == 0
    git("rm", "-q", str(DECK))
    result = run("check")
    assert result.exit_code == 0, result.stderr

    log = import_apkg(collection, repo / RENAMED_DECK).log
    assert not log.new and not log.conflicting
    assert len(log.updated) == len(note_ids)  # the lesson tag follows the new path
    # Same notes, same cards in the same deck, and the review kept: nothing was duplicated.
    assert set(collection.find_notes("")) == note_ids
    assert _scheduling(collection) == before
    assert collection.db.scalar("select count() from revlog") == 1
    assert collection.get_card(reviewed).reps == 1
    assert set(collection.find_notes("tag:deckgen::lesson::01-ml-infrastructure")) == note_ids
