"""End to end: the real CLI builds decks, and the real Anki engine imports them."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import import_apkg

pytestmark = pytest.mark.slow  # `pytest -m "not slow"` leaves it out of the quick loop

DECK = Path("decks/01-introduction-to-ml-infrastructure.apkg")


def _notes_by_type(collection) -> dict[str, int]:
    return {
        m["name"]: collection.models.use_count(m)
        for m in collection.models.all()
        if m["name"].startswith("deckgen ")
    }


def test_build_then_import_into_real_anki(project: Path, run, anki_collection) -> None:
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "40 definitions, 6 comparisons, 4 salary bands, 6 questions" in result.output

    collection = anki_collection()
    log = import_apkg(collection, project / DECK).log
    assert len(log.new) == 56 and not log.duplicate and not log.conflicting

    assert _notes_by_type(collection) == {
        "deckgen Definition": 40,
        "deckgen Comparison": 6,
        "deckgen Salary Band": 4,
        "deckgen Self-Check": 6,
    }
    # Two-sided comparison rows get a reverse card each.
    assert collection.card_count() == 56 + 6
    names = {d.name for d in collection.decks.all_names_and_ids()}
    assert "AI Infrastructure Engineer::Lesson 01: Introduction to ML Infrastructure" in names

    mlflow = collection.get_note(collection.find_notes('"Term:MLflow"')[0])
    assert mlflow["Definition"] == "Experiment tracking and model registry"
    assert mlflow["Context"] == "MLOps Platforms"
    assert mlflow["Source"] == "Lesson 01 › Key Technologies You'll Learn › MLOps Platforms"
    assert set(mlflow.tags) == {
        "deckgen::lesson::01-introduction-to-ml-infrastructure",
        "deckgen::kind::definition",
    }

    band = collection.get_note(collection.find_notes('"Role:AI Infrastructure Architect"')[0])
    assert (band["Min"], band["Max"], band["Currency"]) == ("165000", "350000", "USD")

    question = collection.get_note(collection.find_notes('"Question:What is MLOps*"')[0])
    assert question["AnswerSection"] == "What is MLOps?"


def test_script_in_a_lesson_never_reaches_a_card(project: Path, run, anki_collection) -> None:
    lesson = project / "lessons" / "01-introduction-to-ml-infrastructure.md"
    text = lesson.read_text(encoding="utf-8").replace(
        "- **Docker:** Containerization of ML applications",
        "- **Docker:** Containerization <script>alert(1)</script> of ML applications "
        "<img src=x onerror=alert(2)> [click](javascript:alert(3))",
    )
    lesson.write_text(text, encoding="utf-8")
    assert run("build").exit_code == 0

    collection = anki_collection()
    import_apkg(collection, project / DECK)
    docker = collection.get_note(collection.find_notes('"Term:Docker"')[0])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in docker["Definition"]
    for note_id in collection.find_notes(""):
        for value in collection.get_note(note_id).values():
            lowered = value.lower()
            assert "<script" not in lowered and "<img" not in lowered
            assert "javascript:" not in lowered.replace("[click](javascript:", "")


def _imported_notes(tmp_path: Path, monkeypatch, run, anki_collection, name: str, text: str):
    """The notes a real Anki collection holds after importing the deck `deckgen build` makes of
    one lesson `name` written as `text` (no duplicate, no conflict on import)."""
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / f"{name}.md").write_text(text, encoding="utf-8")
    (tmp_path / "deckgen.yaml").write_text("lessons: lessons\ndecks: decks\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("build", "--jobs", "1")
    assert result.exit_code == 0, result.output
    collection = anki_collection()
    log = import_apkg(collection, tmp_path / "decks" / f"{name}.apkg").log
    assert not log.duplicate and not log.conflicting
    return [collection.get_note(nid) for nid in collection.find_notes("")]


def test_a_glossary_in_other_sites_markdown_arrives_in_real_anki(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run, anki_collection
) -> None:
    """Other sites' Markdown end to end: a Markdown definition list, a docs site's macro and
    MDN's own definition list reach Anki as cards, the macro as the text its page shows and a
    template placeholder in a sentence as written."""
    text = (
        "# Gears\n\n## Glossary\n\nsprocket\n:   A toothed wheel that drives a chain.\n\n"
        "## Parts\n\n- chainring\n  - : The toothed ring on the crank that drives the chain.\n\n"
        "## Shifting\n\n"
        'A **derailleur** is the {{Glossary("mechanism", "mechanism")}} that moves the chain'
        " between cogs.\n\nA **shift label** is a placeholder such as {{gear}} that a bike"
        " computer fills in.\n"
    )
    notes = _imported_notes(tmp_path, monkeypatch, run, anki_collection, "gears", text)
    fields = {note["Term"]: note["Definition"] for note in notes if "Term" in note}
    assert "toothed wheel that drives a chain" in fields["sprocket"]
    assert "ring on the crank" in fields["chainring"]
    assert "the mechanism that moves the chain" in fields["derailleur"]
    assert "{{Glossary" not in fields["derailleur"]
    assert "such as {{gear}} that" in fields["shift label"]


def test_spacing_tags_acronym_pairs_reference_links_and_hidden_answers_reach_real_anki(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run, anki_collection
) -> None:
    """Readings for other publishers' habits end to end: a heading right under a `<br />` line,
    a term a sentence names with its acronym after `called` (en dashes in the expansion), a
    reference-style link on a back, and a question a heading asks over a hidden answer."""
    text = (
        "# Looms\n\nA short preface.\n\n<br />\n## What is a heddle?\n"
        "A **heddle** is a loop that lifts one warp thread, made by the [Loom Guild][guild].\n\n"
        "## Weaving\n\nThe loom runs in what is called a Lift–Pass–Beat Cycle (LPBC).\n\n"
        "## Can a shuttle pass a closed shed?\n\n<details>\n<summary>Answer</summary>\n\n"
        "No: the shed must be open for the shuttle to pass.\n\n</details>\n\n"
        "[guild]: https://example.org/guild\n"
    )
    notes = _imported_notes(tmp_path, monkeypatch, run, anki_collection, "looms", text)
    terms = {note["Term"]: note["Definition"] for note in notes if "Term" in note}
    assert '<a href="https://example.org/guild">Loom Guild</a>' in terms["heddle"]
    assert "][guild]" not in terms["heddle"]
    assert "called a Lift–Pass–Beat Cycle (LPBC)" in terms["Lift–Pass–Beat Cycle (LPBC)"]
    questions = {note["Question"]: note["Answer"] for note in notes if "Question" in note}
    assert "the shed must be open" in questions["Can a shuttle pass a closed shed?"]


def test_a_learn_challenge_reaches_real_anki_as_one_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run, anki_collection
) -> None:
    """A Learn platform challenge block end to end: one Self-Check note whose Question field
    holds the stem, its code and the options, and whose Answer holds the option's text and the
    explanation; its metadata, hint and markers reach no note."""
    text = (
        "# Kilns\n\n## Firing\n\n<!-- prettier-ignore-start -->\n### !challenge\n\n"
        "* type: multiple-choice\n* id: 9e1f\n* title: Cone heat\n\n"
        "##### !question\n\nWhich firing comes first?\n\n```text\ncone 04 / cone 6\n```\n\n"
        "##### !end-question\n\n##### !options\n\n* Bisque\n* Glaze\n\n##### !end-options\n\n"
        "##### !answer\n\n* Bisque\n\n##### !end-answer\n\n"
        "##### !hint\nThink of raw clay.\n##### !end-hint\n\n"
        "##### !explanation\n\nBisque hardens the raw clay before glazing.\n\n"
        "##### !end-explanation\n\n### !end-challenge\n<!-- prettier-ignore-end -->\n"
    )
    notes = _imported_notes(tmp_path, monkeypatch, run, anki_collection, "kilns", text)
    assert len(notes) == 1
    note = notes[0]
    assert "Which firing comes first?" in note["Question"]
    assert "cone 04 / cone 6" in note["Question"]
    assert "<li>Bisque</li>" in note["Question"] and "<li>Glaze</li>" in note["Question"]
    assert "Bisque" in note["Answer"] and "hardens the raw clay" in note["Answer"]
    fields = " ".join(note.values())
    assert "Think of" not in fields  # the hint
    assert "!challenge" not in fields and "multiple-choice" not in fields
