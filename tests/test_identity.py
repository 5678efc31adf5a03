"""Note identity: GUIDs hash what a note is about, never its wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen import api
from deckgen.apkg import read_apkg
from deckgen.identity import deck_id, model_id, normalize_key, note_guid

from .conftest import LESSON_01, REPO

DECK = Path("decks/01-introduction-to-ml-infrastructure.apkg")
LESSON = Path("lessons/01-introduction-to-ml-infrastructure.md")


def _guids_by_first_field(path: Path) -> dict[str, str]:
    """Definitions by term (their first field is unique in lesson 01)."""
    return {
        note.fields[0]: guid
        for guid, note in read_apkg(path).notes.items()
        if "deckgen::kind::definition" in note.tags
    }


def _edit(old: str, new: str) -> None:
    text = LESSON.read_text(encoding="utf-8")
    assert old in text
    LESSON.write_text(text.replace(old, new), encoding="utf-8")


def test_building_twice_gives_the_same_guids_and_bytes(project: Path, run) -> None:
    assert run("build").exit_code == 0
    first_bytes = DECK.read_bytes()
    first = _guids_by_first_field(DECK)
    DECK.unlink()
    assert run("build").exit_code == 0
    assert _guids_by_first_field(DECK) == first
    assert DECK.read_bytes() == first_bytes
    stored = read_apkg(DECK).notes
    assert len(stored) == 56  # keyed by GUID: every note has its own


def test_editing_a_definition_keeps_its_guid(project: Path, run) -> None:
    run("build")
    before = _guids_by_first_field(DECK)
    _edit("Container orchestration at scale", "Container orchestration at any scale")
    run("build")
    after = _guids_by_first_field(DECK)
    assert after["Kubernetes"] == before["Kubernetes"]
    note = read_apkg(DECK).notes[after["Kubernetes"]]
    assert note.fields[1] == "Container orchestration at any scale"


def test_renaming_a_term_gives_a_new_guid(project: Path, run) -> None:
    run("build")
    before = _guids_by_first_field(DECK)
    _edit("- **Kubernetes:**", "- **K8s:**")
    run("build")
    after = _guids_by_first_field(DECK)
    assert after["K8s"] != before["Kubernetes"]
    assert after["Docker"] == before["Docker"]
    # The old note stays, retired, until the author prunes it.
    assert "deckgen::removed" in read_apkg(DECK).notes[before["Kubernetes"]].tags


def test_repeated_term_is_qualified_not_overwritten(project: Path, run) -> None:
    _edit(
        "- **Ray:** Distributed computing",
        "- **Ray:** Distributed computing\n\n### Again\n\n- **Docker:** Also a company",
    )
    result = run("build")
    assert result.exit_code == 0
    assert "definition 'Docker' also appears at line 149" in result.stderr
    docker_notes = [n for n in read_apkg(DECK).notes.values() if n.fields[0] == "Docker"]
    assert len(docker_notes) == 2
    assert len({n.guid for n in docker_notes}) == 2


# GUIDs of lesson-01 notes as learners have them: read from the committed deck
# decks/01-introduction-to-ml-infrastructure.apkg. A change of GUID derivation or key
# normalisation forks every learner's notes; these literals catch it.
PINNED = {
    ("definition", "MLOps"): "prV(jr-q)E",
    ("definition", "Kubernetes"): "Av+.%5g,-.",
    ("definition", "Ray"): "0k:E~}wS(",  # a leading zero digit: nine characters
    ("comparison", "Traditional Infrastructure = Code versioning (Git)"): "w^4DKH3:rL",
    ("salary", "AI Infrastructure Engineer"): "c*F]5dW_|7",
    ("question", "What is MLOps and why is it important?"): "Jt+=Hm##kq",
}


def test_lesson_01_keeps_the_guids_learners_already_have() -> None:
    report = api.items([LESSON_01], REPO / "deckgen.yaml")
    found = {
        (listed.item.kind, listed.item.key): listed.guid
        for lesson in report.lessons
        for listed in lesson.items
    }
    assert {key: found.get(key) for key in PINNED} == PINNED


def test_the_committed_deck_holds_the_pinned_guids() -> None:
    notes = read_apkg(REPO / DECK).notes
    assert set(PINNED.values()) <= set(notes)


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("definition", "MLOps"),
        ("definition", "  mlops. "),  # case, spacing and edge punctuation do not count
        ("definition", "ＭＬＯｐｓ"),  # nor the Unicode form (NFKC)
    ],
)
def test_a_guid_hashes_course_lesson_kind_and_normalized_key(kind: str, key: str) -> None:
    slug = "01-introduction-to-ml-infrastructure"
    assert note_guid("ai-infra-engineer", slug, kind, key) == "prV(jr-q)E"
    assert note_guid("another-course", slug, kind, key) != "prV(jr-q)E"


def test_note_type_and_deck_ids_are_the_committed_decks() -> None:
    # From the `models` and `decks` of the committed deck's collection.
    assert {
        name: model_id(name)
        for name in (
            "deckgen Definition",
            "deckgen Comparison",
            "deckgen Salary Band",
            "deckgen Self-Check",
        )
    } == {
        "deckgen Definition": 2082662932,
        "deckgen Comparison": 1165048919,
        "deckgen Salary Band": 1341877685,
        "deckgen Self-Check": 1818636678,
    }
    name = "AI Infrastructure Engineer::Lesson 01: Introduction to ML Infrastructure"
    assert deck_id(name) == 1527117381


def test_normalize_key_keeps_brackets() -> None:
    assert normalize_key("**Code versioning (Git)**:") == "code versioning (git)"
