"""A learner imports only the course package into real Anki: subdecks, no duplicates with a
lesson package, and a re-import after an edit that updates in place and keeps reviews."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.apkg import read_apkg

from .conftest import DECK, import_apkg, review_every_card

pytestmark = pytest.mark.slow  # `pytest -m "not slow"` leaves it out of the quick loop

COURSE = Path("decks/ai-infra-engineer.apkg")
MODULE = {
    "02-ops/README.md": "# Module 2: Operations\n\nRunning what was built.\n",
    "02-ops/01-monitoring.md": (
        "## Monitoring\n\n- **Prometheus:** pulls metrics from every service\n"
        "- **Grafana:** dashboards over those metrics\n"
    ),
    "02-ops/02-alerts.md": "# 2.2 Alerts\n\n- **Alertmanager:** routes alerts to people\n",
}
SUBDECKS = {
    DECK: "AI Infrastructure Engineer::Lesson 01: Introduction to ML Infrastructure",
    Path("decks/02-ops/01-monitoring.apkg"): (
        "AI Infrastructure Engineer::Module 02: Operations::01 Monitoring"
    ),
    Path("decks/02-ops/02-alerts.apkg"): (
        "AI Infrastructure Engineer::Module 02: Operations::02.02 Alerts"
    ),
}


@pytest.fixture
def course(project: Path) -> Path:
    for name, text in MODULE.items():
        path = project / "lessons" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return project


def _decks_of_notes(collection) -> dict[str, set[str]]:
    """guid -> the names of the decks its cards are in."""
    found: dict[str, set[str]] = {}
    for guid, deck_id in collection.db.all(
        "select n.guid, c.did from notes n join cards c on c.nid = n.id"
    ):
        found.setdefault(guid, set()).add(collection.decks.name(deck_id))
    return found


def test_import_only_the_course_package_then_a_lesson_then_an_update(
    course: Path, run, anki_collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("build").exit_code == 0
    collection = anki_collection()
    import_apkg(collection, course / COURSE)

    # Every lesson's notes, in its own subdeck.
    decks = _decks_of_notes(collection)
    expected = {
        guid: {name} for package, name in SUBDECKS.items() for guid in read_apkg(package).notes
    }
    assert decks == expected

    # A lesson package imported as well brings nothing new.
    notes, cards = collection.note_count(), collection.card_count()
    log = import_apkg(collection, course / DECK).log
    assert not log.new and not log.conflicting
    assert (collection.note_count(), collection.card_count()) == (notes, cards)

    assert review_every_card(collection, "AI Infrastructure Engineer") == cards
    reviews = collection.db.scalar("select count() from revlog")
    scheduling = dict(collection.db.all("select id, ivl from cards"))
    assert reviews == cards and all(ivl > 0 for ivl in scheduling.values())
    note_ids = {guid: nid for guid, nid in collection.db.all("select guid, id from notes")}

    # The author edits a lesson and rebuilds later; the learner re-imports the course package.
    lesson = course / "lessons" / "02-ops" / "02-alerts.md"
    lesson.write_text(lesson.read_text().replace("to people", "to the on-call engineer"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    assert run("build").exit_code == 0
    log = import_apkg(collection, course / COURSE).log
    assert not log.new and not log.conflicting
    assert [entry.fields[0] for entry in log.updated] == ["Alertmanager"]
    (alert,) = collection.find_notes('"Term:Alertmanager"')
    assert collection.get_note(alert)["Definition"] == "routes alerts to the on-call engineer"
    # Updated in place: the same notes, and every review and interval kept.
    assert dict(collection.db.all("select guid, id from notes")) == note_ids
    assert collection.db.scalar("select count() from revlog") == reviews
    assert dict(collection.db.all("select id, ivl from cards")) == scheduling
