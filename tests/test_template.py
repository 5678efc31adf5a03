"""Anki's template substitution in Python, checked by hand and against the real Anki engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.builder import plan_lesson
from deckgen.config import load_config
from deckgen.preview import note_cards
from deckgen.template import TemplateError, field_is_empty, render

from .conftest import import_apkg


def test_fields_and_front_side_are_substituted() -> None:
    assert render("<b>{{Term}}</b> — {{ Term }}?", {"Term": "MLflow"}) == "<b>MLflow</b> — MLflow?"
    assert render("{{FrontSide}}<hr>{{A}}", {"A": "yes"}, front_side="Q") == "Q<hr>yes"


def test_sections_show_on_non_empty_and_inverted_sections_on_empty() -> None:
    template = "{{#Level}}({{Level}}){{/Level}}{{^Level}}no level{{/Level}}"
    assert render(template, {"Level": "Mid-Level"}) == "(Mid-Level)"
    assert render(template, {"Level": ""}) == "no level"
    # Anki treats a field of blanks and line breaks as empty.
    assert render(template, {"Level": " <br> <div></div>&nbsp;"}) == "no level"


def test_nested_sections() -> None:
    template = "{{#A}}a{{#B}}b{{/B}}{{^B}}-{{/B}}{{/A}}"
    assert render(template, {"A": "1", "B": "1"}) == "ab"
    assert render(template, {"A": "1", "B": ""}) == "a-"
    assert render(template, {"A": "", "B": "1"}) == ""


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{Nope}}", "unknown field {{Nope}}"),
        ("{{#A}}x", "{{#A}} is never closed"),
        ("x{{/A}}", "{{/A}} closes no open section"),
        ("{{#A}}{{#B}}{{/A}}{{/B}}", "{{/A}} closes no open section"),
    ],
)
def test_broken_templates_are_refused(template: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message.replace("{", r"\{").replace("}", r"\}")):
        render(template, {"A": "1", "B": "1"})


def test_field_is_empty() -> None:
    assert field_is_empty("") and field_is_empty("  <br/>\n")
    assert not field_is_empty("0") and not field_is_empty("<b></b>")


def test_every_card_renders_as_real_anki_renders_it(project: Path, run, anki_collection) -> None:
    """The preview's cards are the package's cards, and each side is Anki's own rendering."""
    assert run("build").exit_code == 0
    collection = anki_collection()
    import_apkg(collection, project / "decks" / "01-introduction-to-ml-infrastructure.apkg")
    anki_cards = {}
    for card_id in collection.find_cards(""):
        card = collection.get_card(card_id)
        output = card.render_output()
        anki_cards[(card.note().guid, card.ord)] = (output.question_text, output.answer_text)

    lesson = project / "lessons" / "01-introduction-to-ml-infrastructure.md"
    deck = plan_lesson(lesson, load_config(project / "deckgen.yaml"))
    ours = {
        (card.note.guid, card.ordinal): (card.front, card.back)
        for note in deck.notes
        for card in note_cards(note)
    }
    assert len(anki_cards) == 62
    assert ours.keys() == anki_cards.keys()
    for key, (front, back) in anki_cards.items():
        assert ours[key] == (front, back), key
