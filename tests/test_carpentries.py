"""Carpentries episodes (made-up text in both of the format's syntaxes): a challenge that asks
is a question card whose answer is its solution block, a challenge that sets a task is none,
and no marker of the format (`{: .challenge}`, `::::` lines, `## Solution`) reaches a card."""

from __future__ import annotations

import io
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from deckgen.config import ExtractConfig
from deckgen.extract import extract_lesson
from deckgen.items import Definition, SelfCheckQuestion

from .helpers import items_of, lesson_of

EPISODES = Path(__file__).resolve().parent / "fixtures" / "carpentries"
KRAMDOWN = (EPISODES / "01-kramdown.md").read_text(encoding="utf-8")
WORKBENCH = (EPISODES / "02-workbench.md").read_text(encoding="utf-8")
MARKERS = ("{:", ":::", "## Solution", "> >", "\n> ")


def _asked(markdown: str) -> list[tuple[int, str, str | None]]:
    return [
        (q.source.line, q.question_text, q.answer) for q in items_of(markdown, SelfCheckQuestion)
    ]


def test_kramdown_challenges_that_ask_are_questions_answered_by_their_solution() -> None:
    assert _asked(KRAMDOWN) == [
        (
            22,
            "A jar holds 3 red pebbles and 4 blue pebbles. How many marks does the tally "
            "have after counting the whole jar?",
            "The tally has 7 marks, one for each pebble.",
        ),
        (
            33,
            "Which of the following tallies counts five pebbles?",
            "Option 2 is right: it has one mark per pebble.",
        ),
        (47, "What is the output of the following code?", "~~~\n3\n~~~"),
    ]


def test_workbench_challenges_that_ask_are_questions_answered_by_their_solution() -> None:
    assert _asked(WORKBENCH) == [
        (
            33,
            "A shell passes the coarse sieve and stops on the fine one. What can you say "
            "about its size?",
            "It is smaller than the coarse mesh and larger than the fine mesh.",
        ),
        (
            50,
            "Which of the following sieves keeps a 4 mm shell?",
            "a) the 2 mm mesh: the shell is wider than its holes.",
        ),
    ]


def test_a_challenges_options_and_code_show_on_its_card() -> None:
    by_line = {q.source.line: q.question for q in items_of(KRAMDOWN, SelfCheckQuestion)}
    assert by_line[33] == (
        "Which of the following tallies counts five pebbles?\n\n- `||||`\n- `|||||`\n- `||||||`"
    )
    assert by_line[47] == (
        'What is the output of the following code?\n\n~~~\nmarks = "||"\n'
        'print(len(marks + "|"))\n~~~'
    )
    lettered = {q.source.line: q.question for q in items_of(WORKBENCH, SelfCheckQuestion)}
    assert lettered[50].endswith("\n\n- A) a 2 mm mesh\n- B) a 6 mm mesh\n- C) a 9 mm mesh")


@pytest.mark.parametrize("markdown", [KRAMDOWN, WORKBENCH], ids=["kramdown", "workbench"])
def test_no_marker_of_the_format_reaches_an_item(markdown: str) -> None:
    found = extract_lesson(lesson_of(markdown), ExtractConfig()).items
    assert found
    for keyed in found:
        for name, value in vars(keyed.item).items():
            text = "\n".join(value) if isinstance(value, tuple) else str(value)
            assert not any(marker in text for marker in MARKERS), (name, value)


@pytest.mark.parametrize(
    ("markdown", "line"), [(KRAMDOWN, 63), (WORKBENCH, 68)], ids=["kramdown", "workbench"]
)
def test_a_challenge_that_sets_a_task_is_no_question(markdown: str, line: int) -> None:
    extraction = extract_lesson(lesson_of(markdown), ExtractConfig())
    challenges = [c for c in extraction.candidates if c.shape == "challenge-question"]
    (task,) = [c for c in challenges if c.item is None]
    assert (task.source.line, task.reason) == (line, "task-not-question")
    assert [s.name for s in task.signals] == ["sets-a-task"]


def test_a_challenge_heading_is_no_question_without_the_block() -> None:
    plain = "# L\n\n## Crates\n\nA crate holds 3 pebbles.\nHow many pebbles are in 2 crates?\n"
    assert items_of(plain, SelfCheckQuestion) == []
    quoted = "# L\n\n> ## Crates\n>\n> How many pebbles are in 2 crates?\n{: .callout}\n"
    assert items_of(quoted, SelfCheckQuestion) == []


def test_the_front_matter_is_no_heading_of_the_items_below_it() -> None:
    (sieve,) = items_of(WORKBENCH, Definition)[:1]
    assert sieve.key == "sieve" and sieve.source.section == ()


def test_a_fence_closed_inside_a_block_quote_is_closed() -> None:
    warnings = [d.message for d in lesson_of(KRAMDOWN).warnings]
    assert not any("never closed" in message for message in warnings)


def _fronts(deck: Path) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(deck.read_bytes())) as archive:
        data = archive.read("collection.anki2")
    connection = sqlite3.connect(":memory:")
    connection.deserialize(data)
    fields = [row[0] for row in connection.execute("SELECT flds FROM notes")]
    connection.close()
    return fields


def test_a_deck_built_from_carpentries_episodes_holds_the_cards_and_no_marker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run
) -> None:
    shutil.copytree(EPISODES, tmp_path / "lessons")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    listed = run("list", "--kind", "question")
    assert listed.exit_code == 0 and listed.stderr == ""
    assert [line.split(": ", 1)[0] for line in listed.stdout.splitlines()] == [
        "lessons/01-kramdown.md:22",
        "lessons/01-kramdown.md:33",
        "lessons/01-kramdown.md:47",
        "lessons/02-workbench.md:33",
        "lessons/02-workbench.md:50",
    ]
    why = run("list", "--why").stdout
    assert "+challenge-block (kramdown)" in why and "+challenge-block (workbench)" in why
    assert "dropped, task-not-question" in why
    built = run("build")
    assert built.exit_code == 0, built.output
    for name, cards in (("01-kramdown", 3 + 1), ("02-workbench", 2 + 2)):
        fields = _fronts(Path("decks") / f"{name}.apkg")
        assert len(fields) == cards  # its questions, and its definitions (tally; sieve, mesh size)
        for text in fields:
            assert "{:" not in text and ":::" not in text and "Solution" not in text, text
            assert "title:" not in text, text


def test_markers_without_blank_lines_around_them_still_split_question_and_solution() -> None:
    compact = "# L\n\n::: challenge\n## Sum\nWhat is 2 + 2?\n::: solution\nIt is 4.\n:::\n:::\n"
    assert _asked(compact) == [(5, "What is 2 + 2?", "It is 4.")]
    lazy = (
        "# L\n\n> ## Sum\n> What is 2 + 2?\n> > ## Solution\n> > It is 4.\n"
        "> {: .solution}\n{: .challenge}\n"
    )
    assert _asked(lazy) == [(4, "What is 2 + 2?", "It is 4.")]
