"""Courses with module folders: mirrored decks, module deck names and tags, answer-key files."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.apkg import read_apkg

from .conftest import import_apkg

FILES = {
    "mod-101-basics/README.md": "# Module 101: Basics\n\nWhat this module covers.\n",
    "mod-101-basics/01-intro.md": "# Lesson 01: Intro\n\n## Tools\n\n- **Docker**: containers\n",
    "mod-101-basics/quizzes/quiz.md": (
        "# Quiz\n\n### Question 1\nWhat runs containers?\n\nA) Excel\nB) Docker\n"
    ),
    "mod-101-basics/quizzes/quiz-answers.md": "# Answers\n\n## Question 1\n**Answer:** B\n",
    "mod-101-basics/exercises/ex-01/README.md": "# Exercise 01\n\n- **Podman**: daemonless\n",
    "mod-101-basics/keys/notes-answers.md": "# Notes\n\n## Question 1\n**Answer:** C\n",
}


@pytest.fixture
def course(project: Path) -> Path:
    for name, text in FILES.items():
        path = project / "lessons" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return project


def test_decks_mirror_folders_and_skip_paired_keys(course: Path, run) -> None:
    result = run("build")
    assert result.exit_code == 0, result.output
    decks = sorted(p.relative_to(course / "decks").as_posix() for p in course.rglob("*.apkg"))
    assert decks == [
        "01-introduction-to-ml-infrastructure.apkg",
        "ai-infra-engineer.apkg",  # the course package
        "mod-101-basics/01-intro.apkg",
        "mod-101-basics/exercises/ex-01/README.apkg",  # alone in its folder: a lesson
        "mod-101-basics/quizzes/quiz.apkg",
    ]
    # An answer key with no quiz beside it is a lesson of its own, and so is a module's index
    # page; here neither has study items, so neither gets an (empty) deck.
    assert (
        "lessons/mod-101-basics/keys/notes-answers.md: no study items, no deck written\n"
        in result.stdout
    )
    assert "lessons/mod-101-basics/README.md: no study items, no deck written\n" in result.stdout


def test_a_module_index_page_with_key_concepts_is_a_lesson_in_the_module_deck(
    course: Path, run
) -> None:
    (course / "lessons" / "mod-101-basics" / "README.md").write_text(
        "# Module 101: Basics\n\n## Key concepts\n\n- **Image**: a read-only container template.\n"
    )
    result = run("build")
    assert result.exit_code == 0, result.output
    deck = course / "decks" / "mod-101-basics" / "README.apkg"
    assert read_apkg(deck).deck_names == ("AI Infrastructure Engineer::Module 101: Basics",)
    # Its notes sit in the module's own deck, above the lessons' decks, and the module still
    # names the lessons' decks.
    names = read_apkg(course / "decks" / "mod-101-basics" / "01-intro.apkg").deck_names
    assert "AI Infrastructure Engineer::Module 101: Basics::Lesson 01: Intro" in names


def test_module_titles_name_the_decks(course: Path, run) -> None:
    assert run("build").exit_code == 0
    names = {path.name: read_apkg(path).deck_names for path in (course / "decks").rglob("*.apkg")}
    assert (
        "AI Infrastructure Engineer::Module 101: Basics::Lesson 01: Intro" in names["01-intro.apkg"]
    )
    assert "AI Infrastructure Engineer::Module 101: Basics::quizzes::Quiz" in names["quiz.apkg"]
    assert (
        "AI Infrastructure Engineer::Module 101: Basics::exercises::Exercise 01"
        in names["README.apkg"]
    )


def test_answer_key_file_answers_the_quiz_in_real_anki(course: Path, run, anki_collection) -> None:
    assert run("build").exit_code == 0
    collection = anki_collection()
    import_apkg(collection, course / "decks" / "mod-101-basics" / "quizzes" / "quiz.apkg")
    (note_id,) = collection.find_notes("")
    note = collection.get_note(note_id)
    # The options show below the question, as a list, so "B) Docker" means something.
    assert note["Question"] == (
        "<p>What runs containers?</p>\n<ul>\n<li>A) Excel</li>\n<li>B) Docker</li>\n</ul>"
    )
    assert note["Answer"] == "B) Docker"
    assert "deckgen::module::mod-101-basics::quizzes" in note.tags


def test_excluded_files_are_not_built(course: Path, run) -> None:
    config = course / "deckgen.yaml"
    config.write_text(config.read_text() + "files:\n  exclude: ['*/exercises/*']\n")
    assert run("build").exit_code == 0
    assert not (course / "decks" / "mod-101-basics" / "exercises").exists()


def test_broken_markdown_warns_with_file_and_line_and_still_builds(course: Path, run) -> None:
    lesson = course / "lessons" / "mod-101-basics" / "02-broken.md"
    lesson.write_text(
        "# Broken\n\n- **Helm**: packages charts\n\n```markdown\n```bash\nls\n```\n\n"
        "```python\nprint('open')\n"
    )
    result = run("build")
    assert result.exit_code == 0, result.output
    warnings = result.stderr.splitlines()
    assert len(warnings) == 2, result.stderr
    assert warnings[0].endswith(
        "02-broken.md:6: warning: code fence inside the code fence of line 5: "
        "its closing ``` ends the outer one early (use a longer outer fence)"
    )
    assert warnings[1].endswith(
        "02-broken.md:10: warning: code fence is never closed: the rest of the file is read as code"
    )
    assert "02-broken.md: 1 definition" in result.stdout


def test_an_edited_module_title_renames_the_deck_and_no_heading_means_the_folder_name(
    course: Path, run
) -> None:
    assert run("build").exit_code == 0
    (course / "lessons" / "mod-101-basics" / "README.md").write_text("No heading here.\n")
    assert run("build").exit_code == 0
    deck = course / "decks" / "mod-101-basics" / "01-intro.apkg"
    assert (
        read_apkg(deck).deck_names[-1]
        == "AI Infrastructure Engineer::mod-101-basics::Lesson 01: Intro"
    )


def test_a_second_build_in_one_process_sees_files_added_deep_in_the_tree(course: Path, run) -> None:
    """A build lists each folder once, and forgets the lists when it ends: adding a file to a
    subfolder does not change its parent's mtime, so a list kept longer would go stale."""
    assert run("build").exit_code == 0
    module = course / "lessons" / "mod-101-basics"
    # A quiz beside the lone answer key pairs them; a second page makes the README an index.
    (module / "keys" / "notes.md").write_text(
        "# Notes Quiz\n\n### Question 1\nWhat runs pods?\n\nA) Excel\nC) Kubernetes\n"
    )
    (module / "exercises" / "ex-01" / "steps.md").write_text("# Steps\n\n- **Buildah**: images\n")

    assert run("build").exit_code == 0
    decks = course / "decks" / "mod-101-basics"
    (quiz,) = read_apkg(decks / "keys" / "notes.apkg").notes.values()
    assert quiz.fields[:2] == ("What runs pods?", "C) Kubernetes")
    (steps,) = read_apkg(decks / "exercises" / "ex-01" / "steps.apkg").deck_names
    assert steps.endswith("::exercises::Exercise 01::Steps")


def test_a_module_page_that_lists_pay_bands_is_a_lesson_for_them(course: Path, run) -> None:
    index = course / "lessons" / "mod-101-basics" / "README.md"
    deck = course / "decks" / "mod-101-basics" / "README.apkg"
    # A price range is no band: such a page stays the module's title page.
    index.write_text("# Module 101: Basics\n\n- **Budget**: $8,000-$9,000/month\n")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert not deck.exists()
    index.write_text(
        "# Module 101: Basics\n\n## Careers\n\n- **Cloud Engineer** (networks) ($95k-$140k)\n"
        "- **Budget**: $8,000-$9,000/month\n"
    )
    result = run("build")
    assert result.exit_code == 0, result.output
    (note,) = read_apkg(deck).notes.values()
    assert note.fields[:3] == ("Cloud Engineer", "Careers", "$95,000 – $140,000 USD")
