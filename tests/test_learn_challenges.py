"""The Learn platform's challenge blocks (`learn-challenge`), through `deckgen list`'s API: each
block is one question, its stem the `!question` part, its options the `!options` list, its back
the `!answer` and `!explanation`; nothing else comes from the block. Made-up lessons of the
format's common shapes (docs/extraction.md, Questions)."""

from __future__ import annotations

from pathlib import Path

from deckgen.api import explain, items
from deckgen.items import Item, SelfCheckQuestion

from .helpers import lesson_file


def _items(tmp_path: Path, markdown: str) -> list[Item]:
    report = items([lesson_file(tmp_path, markdown)])
    assert report.error is None
    return [entry.item for part in report.lessons for entry in part.items]  # type: ignore[union-attr]


def _why(tmp_path: Path, markdown: str) -> list[str]:
    report = explain([lesson_file(tmp_path, markdown)], kinds=("question",))
    return [line.text for line in report.lines() if ": question: " in line.text]


def _options_on(card: SelfCheckQuestion) -> list[str]:
    return [line[2:] for line in card.question.split("\n") if line.startswith("- ")]


MULTIPLE_CHOICE = """
    # Storing Data

    ## Adding rows

    <!-- prettier-ignore-start -->
    ### !challenge

    * type: multiple-choice
    * id: 0c1d5e0a-1111-4a4a-9b9b-123456789abc
    * title: Appending records
    * points: 1
    * topics: storage

    ##### !question

    Which statement appends a record to a table?

    ```sql
    ??? INTO pets (name) VALUES ('Rex');
    ```

    ##### !end-question

    ##### !options

    * INSERT
    * DELETE
    * ALTER

    ##### !end-options

    ##### !answer

    * INSERT

    ##### !end-answer

    ##### !hint
    It puts something in.
    ##### !end-hint

    ##### !explanation

    INSERT adds one new row for each tuple of values.

    ##### !end-explanation

    ### !end-challenge
    <!-- prettier-ignore-end -->

    ## Removing rows

    - **Truncation**: removing every row of a table at once.
    """


def test_a_multiple_choice_challenge_is_one_question_with_options_and_explained_answer(
    tmp_path: Path,
) -> None:
    found = _items(tmp_path, MULTIPLE_CHOICE)
    questions = [item for item in found if isinstance(item, SelfCheckQuestion)]
    assert len(questions) == 1
    card = questions[0]
    assert card.question_text == "Which statement appends a record to a table?"
    assert card.question.startswith("Which statement appends a record to a table?\n\n```sql\n")
    assert "??? INTO pets (name) VALUES ('Rex');" in card.question  # the stem's code shows
    assert _options_on(card) == ["INSERT", "DELETE", "ALTER"]
    assert card.answer == "INSERT\n\nINSERT adds one new row for each tuple of values."
    assert "puts something in" not in card.question + card.answer  # the hint is no answer
    assert "Appending records" not in card.question  # nor is the title the question
    # No metadata bullet, option or answer line is another item; the marker headings are no
    # section: the question stands in `Adding rows`, the definition after it in its own.
    others = [item for item in found if item is not card]
    assert [item.key for item in others] == ["Truncation"]
    assert card.source.section == ("Adding rows",)
    assert others[0].source.section == ("Removing rows",)


def test_why_names_the_learn_challenge_shape(tmp_path: Path) -> None:
    kept = _why(tmp_path, MULTIPLE_CHOICE)
    assert len(kept) == 1
    assert "[learn-challenge; +challenge-block (learn multiple-choice);" in kept[0]


def test_a_checkbox_challenge_without_end_markers_answers_with_every_ticked_option(
    tmp_path: Path,
) -> None:
    """Metadata with no blank lines, end markers left out before the next marker, HTML comments
    around the block, markers at another level: still one question, answered by its lines."""
    found = _items(
        tmp_path,
        """
        # Shell Practice

        ## Listing files

        <!-- >>>>>> BEGIN CHALLENGE >>>>>> -->
        <!-- Question 2 -->
        ####!challenge
        * type: checkbox
        * id: 7f00aa10
        * title: Listing flags
        #### !question
        Which flags make `ls` show hidden files?
        #### !options
        * `-a`
        * `-l`
        * `-A`
        #### !answer
        * `-a`
        * `-A`
        #### !end-challenge
        <!-- <<<<<< END CHALLENGE <<<<<< -->
        """,
    )
    assert len(found) == 1
    card = found[0]
    assert isinstance(card, SelfCheckQuestion)
    assert card.question_text == "Which flags make ls show hidden files?"
    assert _options_on(card) == ["`-a`", "`-l`", "`-A`"]
    assert card.answer == "* `-a`\n* `-A`"


def test_a_number_answer_is_the_number_not_the_option_it_would_count_to(tmp_path: Path) -> None:
    """A Learn answer is an option's own text: `2` is the option `2`, never the second option
    (`11`), as a numbered answer names one in other quizzes."""
    found = _items(
        tmp_path,
        """
        # Counting

        ### !challenge
        * type: multiple-choice
        * id: a1
        * title: Sum
        ##### !question
        What is `1 + 1`?
        ##### !end-question
        ##### !options
        * 4
        * 11
        * 2
        ##### !end-options
        ##### !answer
        * 2
        ##### !end-answer
        ### !end-challenge

        ### !challenge
        * type: number
        * id: a2
        * title: Product
        ##### !question
        What is `3 * 4`?
        ##### !end-question
        ##### !answer
        12
        ##### !end-answer
        ### !end-challenge

        ### !challenge
        * type: short-answer
        * id: a3
        * title: Keyword
        ##### !question
        Which keyword defines a function in Python?
        ##### !end-question
        ##### !answer
        def
        ##### !end-answer
        ### !end-challenge
        """,
    )
    assert [(item.key, item.answer) for item in found] == [  # type: ignore[attr-defined]
        ("What is 1 + 1?", "2"),
        ("What is 3 * 4?", "12"),
        ("Which keyword defines a function in Python?", "def"),
    ]


def test_a_code_task_makes_no_card_and_says_why(tmp_path: Path) -> None:
    markdown = """
        # Functions

        ## Writing one

        ### !challenge
        * type: code-snippet
        * language: python3.6
        * id: c1
        * title: Doubling
        ##### !question
        Write a function `double` that returns twice its argument.
        ##### !end-question
        ##### !setup
        ```python
        def double(n):
            pass
        ```
        ##### !end-setup
        ##### !tests
        ```python
        assert double(2) == 4
        ```
        ##### !end-tests
        ### !end-challenge
        """
    assert _items(tmp_path, markdown) == []
    lines = _why(tmp_path, markdown)
    assert len(lines) == 1
    assert "dropped, task-not-question [learn-challenge;" in lines[0]
    assert "-code-challenge (code-snippet)" in lines[0]


def test_a_paragraph_challenge_is_answered_by_its_explanation_only(tmp_path: Path) -> None:
    """Free text: its explanation, when it says something, is the back; with none (a
    placeholder only) it is a question with no written answer, which no excerpt of this
    lesson answers: no card. The placeholder never shows."""
    markdown = """
        # Transactions

        ## Grouping statements

        ### !challenge
        * type: paragraph
        * id: p1
        * title: Why group
        ##### !question
        Why would you wrap two updates in a transaction?
        ##### !end-question
        ##### !placeholder
        Write your answer here
        ##### !end-placeholder
        ##### !explanation
        So that both updates succeed or neither does.
        ##### !end-explanation
        ### !end-challenge

        ### !challenge
        * type: paragraph
        * id: p2
        * title: Your plans
        ##### !question
        Which project of yours could use a message broker?
        ##### !end-question
        ##### !placeholder
        Describe it
        ##### !end-placeholder
        ### !end-challenge
        """
    found = _items(tmp_path, markdown)
    assert len(found) == 1
    card = found[0]
    assert isinstance(card, SelfCheckQuestion)
    assert card.question_text == "Why would you wrap two updates in a transaction?"
    assert card.answer == "So that both updates succeed or neither does."
    assert "Write your answer" not in card.question
    lines = _why(tmp_path, markdown)
    assert "+explanation-answers" in lines[0]
    assert "Which project of yours could use a message broker?: dropped" in lines[1]


def test_a_block_shown_in_a_code_fence_is_text_and_a_real_one_ends_at_the_next_heading(
    tmp_path: Path,
) -> None:
    """A lesson about the format shows a block in a fence: no question. A real block whose
    last part and `!end-challenge` are left out ends at the next heading, whose definition
    stays the lesson's."""
    found = _items(
        tmp_path,
        """
        # Authoring Quizzes

        ## The syntax

        ```md
        ### !challenge
        * type: short-answer
        ##### !question
        What is shown here?
        ```

        ### !challenge
        * type: short-answer
        * id: s1
        * title: Port
        ##### !question
        Which port does HTTPS use by default?
        ##### !answer
        443

        ## Ports

        - **Port**: a number naming one service on a host.
        """,
    )
    assert [(type(item).__name__, item.key) for item in found] == [
        ("SelfCheckQuestion", "Which port does HTTPS use by default?"),
        ("Definition", "Port"),
    ]
    assert found[0].answer == "443"  # type: ignore[attr-defined]
    assert found[1].source.section == ("Ports",)


def test_a_skip_comment_above_a_challenge_skips_its_question(tmp_path: Path) -> None:
    """`<!-- deckgen: skip -->` on the line before `### !challenge` drops that challenge's card
    (the block's lines are blank when the comment's target is looked for), and only that one."""
    lesson = """
        # Quiz

        ## Checks

        <!-- deckgen: skip -->

        ### !challenge
        * type: short-answer
        * title: First
        ##### !question
        Which command lists files?
        ##### !end-question
        ##### !answer
        ls
        ##### !end-answer
        ### !end-challenge

        ### !challenge
        * type: short-answer
        ##### !question
        Which command prints the working directory?
        ##### !end-question
        ##### !answer
        pwd
        ##### !end-answer
        ### !end-challenge
        """
    questions = [i for i in _items(tmp_path, lesson) if isinstance(i, SelfCheckQuestion)]
    assert [q.question for q in questions] == ["Which command prints the working directory?"]
    why = _why(tmp_path, lesson)
    assert any(
        "Which command lists files" in line and "skipped by the comment on line 5" in line
        for line in why
    ), why
