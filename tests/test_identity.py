"""Note identity: GUIDs hash what a note is about, never its wording."""

from __future__ import annotations

from pathlib import Path

from deckgen.apkg import read_apkg

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
    assert len(stored) == 83  # keyed by GUID: every note has its own


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
