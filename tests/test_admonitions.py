"""MkDocs (Material) admonitions (`deckgen.admonitions`), through `deckgen list`'s API: the body,
indented four spaces, is read as the Markdown it is, a callout (CommonMark alone reads it as a
code block); a `question` admonition is a question (`admonition-question`). Made-up lessons of
the format's common shapes (docs/extraction.md, Callouts and notes; Questions)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from deckgen.api import explain, items
from deckgen.items import Definition, Item, SelfCheckQuestion
from deckgen.lesson import parse_lesson

from .helpers import lesson_file


def _items(tmp_path: Path, markdown: str) -> list[Item]:
    report = items([lesson_file(tmp_path, markdown)])
    assert report.error is None
    return [entry.item for part in report.lessons for entry in part.items]  # type: ignore[union-attr]


def _questions(tmp_path: Path, markdown: str) -> list[SelfCheckQuestion]:
    return [item for item in _items(tmp_path, markdown) if isinstance(item, SelfCheckQuestion)]


def _terms(tmp_path: Path, markdown: str) -> dict[str, Definition]:
    found = _items(tmp_path, markdown)
    return {item.term: item for item in found if isinstance(item, Definition)}


INTRO = """
    # Spools

    This lesson is about spools, the queues a printer server keeps for its jobs.

    ## Keeping jobs

    A server keeps its jobs on disk until a printer takes them.

"""

FAQ = (
    INTRO
    + """
    ??? question "What does `spoolctl drain` do?"
        It hands every waiting job to the next free printer.

        Jobs that fail go back to the spool.

    The server logs each drain.
"""
)


def test_a_question_admonition_whose_title_asks_is_answered_by_its_body(tmp_path: Path) -> None:
    (card,) = _questions(tmp_path, FAQ)
    assert card.question == "What does `spoolctl drain` do?"
    assert card.answer == (
        "It hands every waiting job to the next free printer.\n\n"
        "Jobs that fail go back to the spool."
    )
    assert card.source.line == 10
    assert card.source.section == ("Keeping jobs",)


def test_why_names_the_admonition_question_shape(tmp_path: Path) -> None:
    report = explain([lesson_file(tmp_path, FAQ)], kinds=("question",))
    (kept,) = [line.text for line in report.lines() if ": question: " in line.text]
    assert "[admonition-question; +question-admonition (question); ·title-asks;" in kept


CHECK = (
    INTRO
    + """
    !!! question "Check yourself"
        Which command lists the jobs a spool holds?

        ```bash
        spoolctl ???
        ```

        ??? success "Answer"
            `spoolctl list`

    ## Printing

    A printer takes the oldest job first.
"""
)


def test_a_nested_success_admonition_is_the_answer_and_the_rest_of_the_body_the_question(
    tmp_path: Path,
) -> None:
    (card,) = _questions(tmp_path, CHECK)
    assert card.question_text == "Which command lists the jobs a spool holds?"
    assert card.question == (
        "Which command lists the jobs a spool holds?\n\n```bash\nspoolctl ???\n```"
    )
    assert card.answer == "`spoolctl list`"
    assert card.source.line == 11


def test_a_line_of_code_that_ends_in_a_question_mark_is_not_the_question(tmp_path: Path) -> None:
    """The body's first paragraph that asks is prose: `print(x)  # what?` in a fence above it
    is the question's code, shown on the card, not its stem."""
    lesson = (
        INTRO
        + """
    !!! question "Exercise 1"
        ```python
        print(spool)  # empty?
        ```

        What does this print for a spool with no jobs?

        ??? success "Answer"
            An empty list.
"""
    )
    (card,) = _questions(tmp_path, lesson)
    assert card.question_text == "What does this print for a spool with no jobs?"
    assert card.answer == "An empty list."


def test_a_titled_admonition_defines_the_term_its_title_names(tmp_path: Path) -> None:
    lesson = (
        INTRO
        + """
    !!! abstract "Backpressure"
        Backpressure is a signal a slow consumer sends to slow its producer down.

    The server applies it when the disk fills.
"""
    )
    terms = _terms(tmp_path, lesson)
    assert terms["Backpressure"].body.startswith("Backpressure is a signal")
    assert terms["Backpressure"].source.section == ("Keeping jobs",)


def test_a_definition_inside_an_untitled_admonition_in_a_list_item_is_read(
    tmp_path: Path,
) -> None:
    lesson = (
        INTRO
        + """
    1. Start the server.

        !!! note
            A *spool* is a directory that holds jobs until a printer is free,
        written to disk so that none is lost.

    2. Stop it.
"""
    )
    terms = _terms(tmp_path, lesson)
    assert terms["spool"].body == (
        "A *spool* is a directory that holds jobs until a printer is free,\n"
        "written to disk so that none is lost."
    )


def test_an_admonition_shown_in_a_code_fence_or_an_indented_code_block_is_text(
    tmp_path: Path,
) -> None:
    lesson = (
        INTRO
        + """
    ```markdown
    ??? question "What is a spool?"
        A queue of jobs kept on disk.
    ```

    Some text.

        ??? question "What is a printer?"
            A device that prints.

    !!! question "What is a tray?"
    A tray holds paper: with no body indented under it, the marker line is text.
"""
    )
    assert _questions(tmp_path, lesson) == []


def test_every_line_keeps_its_number_and_text_after_the_admonition_its_section() -> None:
    text = textwrap.dedent(FAQ).lstrip("\n")
    lesson = parse_lesson(text, Path("lesson.md"), "lesson")
    assert len(lesson.lines) == len(text.split("\n"))
    assert lesson.lines[9] == "> ###### What does `spoolctl drain` do?"
    (after,) = [
        index for index, token in enumerate(lesson.tokens) if "logs each drain" in token.content
    ]
    section = lesson.section_at(after)
    assert section is not None and section.title == "Keeping jobs"
    walked = {index: section for index, _, section in lesson.walk("inline")}
    assert walked[after] is section


def test_deckgen_build_makes_the_question_and_definition_cards(project: Path, run) -> None:
    lesson = project / "lessons" / "02-spools.md"
    lesson.write_text(
        textwrap.dedent(FAQ).lstrip("\n")
        + textwrap.dedent(
            """
            !!! tip "Backpressure"
                Backpressure is a signal a slow consumer sends to slow its producer down.
            """
        ),
        encoding="utf-8",
    )
    result = run("build", "lessons/02-spools.md")
    assert result.exit_code == 0, result.output
    assert "1 definition" in result.stdout and "1 question" in result.stdout
