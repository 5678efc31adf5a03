"""A learner studies a deck, the author edits the lesson, the learner re-imports: real Anki.

Anki's default import updates a note only when the incoming `mod` is newer, so this is where
deckgen's per-note modification times and retired notes prove they protect the learner.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.apkg import read_apkg

from .conftest import import_apkg, review_every_card

pytestmark = pytest.mark.slow  # `pytest -m "not slow"` leaves it out of the quick loop

DECK = Path("decks/01-introduction-to-ml-infrastructure.apkg")
LESSON = Path("lessons/01-introduction-to-ml-infrastructure.md")
DECK_NAME = "AI Infrastructure Engineer::Lesson 01: Introduction to ML Infrastructure"
REMOVED_ROW = "| Scaling based on traffic | Scaling based on traffic + training workloads |\n"


def _edit(old: str, new: str) -> None:
    text = LESSON.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    LESSON.write_text(text.replace(old, new), encoding="utf-8")


def _only_note(collection, search: str):
    found = collection.find_notes(search)
    assert len(found) == 1, search
    return collection.get_note(found[0])


def _scheduling(collection) -> dict[int, tuple[int, int, int, int]]:
    return {
        card_id: (card.nid, card.ivl, card.reps, card.due)
        for card_id in collection.find_cards("")
        for card in [collection.get_card(card_id)]
    }


def _build_and_import(project: Path, run, anki_collection):
    assert run("build").exit_code == 0
    collection = anki_collection()
    import_apkg(collection, project / DECK)
    return collection


def test_reimport_updates_edits_adds_terms_and_keeps_progress(
    project: Path, run, anki_collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    collection = _build_and_import(project, run, anki_collection)
    assert review_every_card(collection, DECK_NAME) == collection.card_count() == 62

    # The learner rewrites a note the author will not touch.
    mine = _only_note(collection, '"Term:MLflow"')
    mine["Definition"] = "MLflow: my own mnemonic"
    collection.update_note(mine)

    kubernetes_id = _only_note(collection, '"Term:Kubernetes"').id
    removed_id = _only_note(collection, '"Key:Scaling based on traffic"').id
    before = _scheduling(collection)
    reviews = collection.db.scalar("select count() from revlog")
    assert reviews == 62
    guids = set(collection.db.list("select guid from notes"))

    _edit("Container orchestration at scale", "Container orchestration across clusters")
    _edit(REMOVED_ROW, "")
    _edit(
        "- **Helm:** Kubernetes package management\n",
        "- **Helm:** Kubernetes package management\n"
        "- **Argo CD:** GitOps continuous delivery for Kubernetes\n",
    )
    # The author rebuilds after the learner's edit, so only equal mods can protect that edit.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(collection.get_note(mine.id).mod + 1000))
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "(1 retired)" in result.output

    log = import_apkg(collection, project / DECK).log
    assert not log.conflicting
    assert [entry.fields[0] for entry in log.new] == ["Argo CD"]

    kubernetes = collection.get_note(kubernetes_id)
    assert kubernetes["Definition"] == "Container orchestration across clusters"
    assert _only_note(collection, '"Term:Kubernetes"').id == kubernetes_id

    # Review history and scheduling of every card that existed is untouched.
    assert collection.db.scalar("select count() from revlog") == reviews
    after = _scheduling(collection)
    assert {card_id: after[card_id] for card_id in before} == before

    # The new term arrived once, under a GUID nobody had.
    argo = _only_note(collection, '"Term:Argo CD"')
    assert argo.guid not in guids
    assert len(collection.db.list("select guid from notes")) == len(guids) + 1

    assert collection.get_note(mine.id)["Definition"] == "MLflow: my own mnemonic"

    removed = collection.get_note(removed_id)
    assert "deckgen::removed" in removed.tags
    assert "Removed from the course" in removed["Extra"]
    assert collection.find_notes("tag:deckgen::removed") == [removed_id]


def test_retired_note_stays_byte_identical_until_pruned(project: Path, run) -> None:
    assert run("build").exit_code == 0
    _edit(REMOVED_ROW, "")
    assert run("build").exit_code == 0
    retired_bytes = DECK.read_bytes()
    retired = [n for n in read_apkg(DECK).notes.values() if "deckgen::removed" in n.tags]
    assert [n.fields[1] for n in retired] == ["Scaling based on traffic"]

    result = run("build")
    assert "(unchanged) (1 retired)" in result.output
    assert DECK.read_bytes() == retired_bytes

    result = run("build", "--prune-retired")
    assert result.exit_code == 0 and "(1 pruned)" in result.output
    assert retired[0].guid not in read_apkg(DECK).notes
    assert len(read_apkg(DECK).notes) == 55


def test_prune_retired_config_setting(project: Path, run) -> None:
    assert run("build").exit_code == 0
    _edit(REMOVED_ROW, "")
    with Path("deckgen.yaml").open("a", encoding="utf-8") as config:
        config.write("prune_retired: true\n")
    assert run("build").exit_code == 0
    notes = read_apkg(DECK).notes.values()
    assert len(notes) == 55
    assert not [n for n in notes if "deckgen::removed" in n.tags]


def test_a_restored_item_sheds_its_retirement_in_anki(
    project: Path, run, anki_collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    collection = _build_and_import(project, run, anki_collection)
    row_id = _only_note(collection, '"Key:Scaling based on traffic"').id
    lesson = LESSON.read_text(encoding="utf-8")

    _edit(REMOVED_ROW, "")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    assert run("build").exit_code == 0
    import_apkg(collection, project / DECK)
    assert "deckgen::removed" in collection.get_note(row_id).tags

    LESSON.write_text(lesson, encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000100")
    assert run("build").exit_code == 0
    log = import_apkg(collection, project / DECK).log
    assert not log.new and not log.conflicting
    row = collection.get_note(row_id)
    assert "deckgen::removed" not in row.tags
    assert row["Extra"] == ""


def test_a_changed_note_is_newer_even_when_the_clock_is_not(project: Path, run) -> None:
    """SOURCE_DATE_EPOCH left unchanged (or a clock behind): an edit must still be newer."""
    assert run("build").exit_code == 0
    _edit("Container orchestration at scale", "Container orchestration across clusters")
    assert run("build").exit_code == 0
    mods = {n.fields[0]: n.mod for n in read_apkg(DECK).notes.values()}
    assert mods["Kubernetes"] == 1_780_000_001
    assert mods["Docker"] == 1_780_000_000
