"""What a learner sees, as the real Anki engine renders it: a question, its answer, the source."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html import unescape
from pathlib import Path

from deckgen.builder import plan_lesson
from deckgen.config import load_config
from deckgen.notetypes import NOTE_TYPES, NoteType
from deckgen.package import DeckContent, package_bytes

from .conftest import import_apkg

TABLES = """\
# Lesson 02: Tables

## Tools

| Tool | Purpose |
|------|---------|
| MLflow | Experiment tracking |

## Serving vs Training

| Training | Serving |
|----------|---------|
| Batch jobs | Online requests |
"""


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _cards(collection, search: str) -> list:
    return [collection.get_card(card_id) for card_id in collection.find_cards(search)]


def test_fronts_ask_one_question(project: Path, run, anki_collection) -> None:
    assert run("build").exit_code == 0
    collection = anki_collection()
    import_apkg(collection, project / "decks" / "01-introduction-to-ml-infrastructure.apkg")

    def front(search: str, ordinal: int = 0) -> str:
        card = next(c for c in _cards(collection, search) if c.ord == ordinal)
        return _text(card.render_output().question_text)

    assert front('"Term:MLflow"') == "Definition MLOps Platforms MLflow — what is it?"
    assert front('"Key:Deploy static applications"') == (
        "Comparison ML Infrastructure vs Traditional Infrastructure "
        "Traditional Infrastructure: Deploy static applications → ML Infrastructure?"
    )
    assert front('"Key:Deploy static applications"', 1) == (
        "Comparison ML Infrastructure vs Traditional Infrastructure "
        "ML Infrastructure: Deploy models that change over time → Traditional Infrastructure?"
    )
    assert front('"Role:Senior AI Infrastructure Engineer"') == (
        "Career Salary band: Senior AI Infrastructure Engineer (Mid-Level)"
    )


def test_backs_answer_first_then_show_the_source(project: Path, run, anki_collection) -> None:
    assert run("build").exit_code == 0
    collection = anki_collection()
    import_apkg(collection, project / "decks" / "01-introduction-to-ml-infrastructure.apkg")
    for card in _cards(collection, ""):
        back = card.render_output().answer_text
        after_question = back.split('<hr id="answer">', 1)[1]
        source = card.note()["Source"]
        # The answer comes straight after the rule, and the source breadcrumb closes the card.
        assert after_question.lstrip().startswith('<div class="answer'), back
        assert after_question.rstrip().endswith(f'<div class="source">{source}</div>'), back


def test_reverse_cards_only_for_two_sided_tables(project: Path, run, anki_collection) -> None:
    (project / "lessons" / "02-tables.md").write_text(TABLES, encoding="utf-8")
    assert run("build").exit_code == 0
    collection = anki_collection()
    import_apkg(collection, project / "decks" / "02-tables.apkg")
    by_key = {
        card.note()["Key"]: sorted(c.ord for c in card.note().cards())
        for card in _cards(collection, "")
    }
    assert by_key == {"MLflow": [0], "Batch jobs": [0, 1]}


def test_css_has_night_mode_and_fetches_nothing(project: Path, run, anki_collection) -> None:
    assert run("build").exit_code == 0
    collection = anki_collection()
    import_apkg(collection, project / "decks" / "01-introduction-to-ml-infrastructure.apkg")
    for model in collection.models.all():
        if model["name"].startswith("deckgen "):
            css = model["css"]
            assert ".nightMode" in css and "max-width: 480px" in css
            assert "@import" not in css and "url(" not in css and "@font-face" not in css
            for template in model["tmpls"]:
                assert "<script" not in template["qfmt"] + template["afmt"]


def _first_design(notetype: NoteType) -> NoteType:
    """The same note type (id, fields, template names) with other template text and CSS."""
    templates = tuple(replace(t, back=t.back + "<p>first design</p>") for t in notetype.templates)
    return replace(notetype, templates=templates, css=".card { color: red; }")


def test_a_new_design_reaches_learners_of_the_first_one(
    project: Path, run, anki_collection
) -> None:
    """A learner who imported the first published decks (note types dated 2026-01-01) gets the
    current templates and CSS when importing a rebuilt deck."""
    deck = plan_lesson(
        project / "lessons" / "01-introduction-to-ml-infrastructure.md",
        load_config(project / "deckgen.yaml"),
    )
    first = [replace(note, notetype=_first_design(note.notetype)) for note in deck.notes]
    old = project / "first.apkg"
    content = DeckContent(
        deck.deck_name,
        first,
        {note.guid: 1 for note in first},
        {note.notetype.id: 1_767_225_600 for note in first},
    )
    old.write_bytes(package_bytes(content))
    collection = anki_collection()
    import_apkg(collection, old)
    assert collection.models.by_name("deckgen Definition")["css"] == ".card { color: red; }"

    assert run("build").exit_code == 0
    new = project / "decks" / "01-introduction-to-ml-infrastructure.apkg"
    log = import_apkg(collection, new).log
    # Template text and CSS are not the note type's schema: the notes stay matched, no conflict.
    assert len(log.updated) == len(deck.notes) and not log.conflicting and not log.new
    diff = json.loads(run("diff", str(old), str(new), "--format", "json").stdout)
    assert diff["breaking"] == []
    collection.models._clear_cache()  # the import ran in Anki's backend, behind this cache
    for notetype in NOTE_TYPES.values():
        stored = collection.models.by_name(notetype.name)
        assert stored["css"] == notetype.css
        assert [t["afmt"] for t in stored["tmpls"]] == [t.back for t in notetype.templates]
