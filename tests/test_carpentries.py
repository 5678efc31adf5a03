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

from deckgen.config import Config, ExtractConfig
from deckgen.extract import extract_lesson
from deckgen.items import Definition, SelfCheckQuestion
from deckgen.lesson import lesson_title
from deckgen.lint import lint_lesson

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
        # The statement above the question is its context, shown on the card, not its key.
        (
            23,
            "How many marks does the tally have after counting the whole jar?",
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
            34,
            "What can you say about its size?",
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


def _query(deck: Path, sql: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(deck.read_bytes())) as archive:
        data = archive.read("collection.anki2")
    connection = sqlite3.connect(":memory:")
    connection.deserialize(data)
    rows = [row[0] for row in connection.execute(sql)]
    connection.close()
    return rows


def _fronts(deck: Path) -> list[str]:
    return _query(deck, "SELECT flds FROM notes")


def test_a_deck_built_from_carpentries_episodes_holds_the_cards_and_no_marker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run
) -> None:
    shutil.copytree(EPISODES, tmp_path / "lessons")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    listed = run("list", "--kind", "question")
    assert listed.exit_code == 0 and listed.stderr == ""
    assert [line.split(": ", 1)[0] for line in listed.stdout.splitlines()] == [
        "lessons/01-kramdown.md:23",
        "lessons/01-kramdown.md:33",
        "lessons/01-kramdown.md:47",
        "lessons/02-workbench.md:34",
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
    (decks,) = _query(Path("decks") / "01-kramdown.apkg", "SELECT decks FROM col")
    assert "::01 Counting Pebbles" in decks


def test_markers_without_blank_lines_around_them_still_split_question_and_solution() -> None:
    compact = "# L\n\n::: challenge\n## Sum\nWhat is 2 + 2?\n::: solution\nIt is 4.\n:::\n:::\n"
    assert _asked(compact) == [(5, "What is 2 + 2?", "It is 4.")]
    lazy = (
        "# L\n\n> ## Sum\n> What is 2 + 2?\n> > ## Solution\n> > It is 4.\n"
        "> {: .solution}\n{: .challenge}\n"
    )
    assert _asked(lazy) == [(4, "What is 2 + 2?", "It is 4.")]


def test_an_episode_is_named_by_its_front_matter_title() -> None:
    """Jekyll names the page by `title:`; deckgen named its deck after the file name or the
    page's first section heading."""
    assert lesson_of(KRAMDOWN).title == lesson_title(KRAMDOWN) == "Counting Pebbles"
    quoted = "---\ntitle: 'Sieves: *Mesh* Sizes'\nteaching: 5\n---\n\nText.\n"
    assert lesson_of(quoted).title == lesson_title(quoted) == "Sieves: Mesh Sizes"
    headed = "---\ntitle: Front\n---\n\n## Heading\n\nText.\n"
    assert lesson_of(headed).title == lesson_title(headed) == "Front"
    crlf = quoted.replace("\n", "\r\n")
    assert lesson_of(crlf).title == lesson_title(crlf) == "Sieves: Mesh Sizes"
    assert lesson_of("Text.\n\ntitle: Not front matter\n", "plain.md").title == "plain"


def test_lint_names_no_empty_question_section_for_a_challenge_that_sets_a_task() -> None:
    """`list --why` gives the task's reason; lint said "has no list items", which misleads."""
    task = (
        "# L\n\n> ## Check Your Understanding\n>\n> Draw the jar after each step.\n{: .challenge}\n"
    )
    empty = "# L\n\n## Check Your Understanding\n\nSee the slides.\n"
    config = Config()
    assert _lint(task, config) == []
    assert [d.message for d in _lint(empty, config)] == [
        "question section 'Check Your Understanding' has no list items: no question extracted"
    ]


def _lint(markdown: str, config: Config) -> list:
    return lint_lesson(extract_lesson(lesson_of(markdown), config.extract), config)


# A challenge in either syntax, from its own lines and its solutions' (`("solution", [...])`).
def _challenge(syntax: str, *parts: str | tuple[str, list[str]]) -> str:
    lines = ["# Pebbles", "", "Some prose about pebbles.", ""]
    quote = "> " if syntax == "kramdown" else ""
    lines += ["> ## Counting", ">"] if quote else ["::::: challenge", "", "## Counting", ""]
    for part in parts:
        if isinstance(part, str):
            lines += [f"{quote}{line}".rstrip() for line in part.split("\n")] + [quote.rstrip()]
            continue
        _, answer = part
        if quote:
            lines += ["> > ## Solution", "> >", *[f"> > {line}".rstrip() for line in answer]]
            lines += ["> {: .solution}", ">"]
        else:
            lines += ["::: solution", "", *answer, "", ":::", ""]
    lines += ["{: .challenge}"] if quote else [":::::", ""]
    return "\n".join(lines) + "\n"


SYNTAXES = pytest.mark.parametrize("syntax", ["kramdown", "workbench"])
# The signals of a question among others, answered by its part of the solution.
SPLIT = ["challenge-block", "answer-part", "question-sentence"]


def _why(markdown: str) -> list[tuple[str, list[str]]]:
    extraction = extract_lesson(lesson_of(markdown), ExtractConfig())
    return [
        (c.item.question_text, [s.name for s in c.signals])
        for c in extraction.candidates
        if c.shape == "challenge-question" and c.item is not None
    ]


@SYNTAXES
def test_each_sentence_that_asks_is_a_question_keyed_by_itself(syntax: str) -> None:
    text = _challenge(
        syntax,
        "A bag holds 5 pebbles.\nHow many are left after you take 2?\nAnd after you take 4?",
        ("solution", ["3 are left.", "", "1 is left."]),
    )
    asked = [(text, answer) for _, text, answer in _asked(text)]
    assert asked == [
        ("How many are left after you take 2?", "3 are left."),
        ("And after you take 4?", "1 is left."),
    ]
    assert all("question-sentence" in names for _, names in _why(text))
    # Each card shows the whole challenge, the question it asks in bold.
    fronts = [q.question for q in items_of(text, SelfCheckQuestion)]
    assert "**How many are left after you take 2?**\nAnd after you take 4?" in fronts[0]
    assert "How many are left after you take 2?\n**And after you take 4?**" in fronts[1]
    # A sibling's edit leaves the other question's key, which its GUID derives from, as it was.
    edited = text.replace("And after you take 4?", "And after you take all 5?")
    before = {q.key: q.source.line for q in items_of(text, SelfCheckQuestion)}
    after = {q.key: q.source.line for q in items_of(edited, SelfCheckQuestion)}
    assert before.keys() - after.keys() == {"And after you take 4?"}
    assert (
        after["How many are left after you take 2?"]
        == before["How many are left after you take 2?"]
    )


@SYNTAXES
def test_a_question_going_on_on_the_same_line_follows_it_up(syntax: str) -> None:
    text = _challenge(
        syntax,
        "Which pile is larger? Why do you think so?\nWhat would make them equal?",
        ("solution", ["The left one: it has 6 pebbles.", "", "Moving one pebble."]),
    )
    assert [(text, names) for text, names in _why(text)] == [
        (
            "Which pile is larger? Why do you think so?",
            [SPLIT[0], "follow-up-question", *SPLIT[1:], "author-answer"],
        ),
        ("What would make them equal?", [*SPLIT, "author-answer"]),
    ]


@SYNTAXES
def test_a_challenge_that_asks_answers_and_asks_again_answers_each_from_its_solution(
    syntax: str,
) -> None:
    text = _challenge(
        syntax,
        "How many pebbles fit in a cup?",
        ("solution", ["About twenty, depending on their size."]),
        "If the pebbles were half as wide, how many would fit?",
        ("solution", ["About eight times as many."]),
        "Now sort the pebbles by colour.",
    )
    assert [(text, answer) for _, text, answer in _asked(text)] == [
        ("How many pebbles fit in a cup?", "About twenty, depending on their size."),
        ("If the pebbles were half as wide, how many would fit?", "About eight times as many."),
    ]
    assert all("solution-after-question" in names for _, names in _why(text))


@SYNTAXES
def test_a_solution_split_as_the_questions_are_answers_each_with_its_part(syntax: str) -> None:
    lines = _challenge(
        syntax,
        "What is the first pebble?\nWhat is the last one?",
        ("solution", ["~~~", "granite", "quartz", "~~~"]),
    )
    assert [answer for *_, answer in _asked(lines)] == ["~~~\ngranite\n~~~", "~~~\nquartz\n~~~"]
    listed = _challenge(
        syntax,
        "What is the first pebble?\nWhat is the last one?",
        ("solution", ["1. Granite, the grey one.", "2. Quartz, the white one."]),
    )
    assert [answer for *_, answer in _asked(listed)] == [
        "Granite, the grey one.",
        "Quartz, the white one.",
    ]
    # Split another way (one paragraph for two questions): each gets the whole solution.
    whole = _challenge(
        syntax,
        "What is the first pebble?\nWhat is the last one?",
        ("solution", ["Granite first and quartz last."]),
    )
    assert [answer for *_, answer in _asked(whole)] == ["Granite first and quartz last."] * 2


@SYNTAXES
def test_a_sentence_that_asks_about_the_code_below_it_is_a_question(syntax: str) -> None:
    text = _challenge(
        syntax,
        "What will the tally show if you now run:",
        "~~~\ncount pebbles.txt\n~~~",
        ("solution", ["It shows 7 marks."]),
    )
    assert _why(text) == [
        (
            "What will the tally show if you now run:",
            ["challenge-block", "asks-before-code", "author-answer"],
        )
    ]
    # A task's colon asks nothing, nor does a question word's colon above prose.
    task = _challenge(syntax, "Count the pebbles with:", "~~~\ncount pebbles.txt\n~~~")
    assert _why(task) == []
    prose = _challenge(syntax, "What the tally shows depends on this:", "It counts marks.")
    assert _why(prose) == []
    # `When` and `where` opening a clause of time or place state; in a question's order they ask.
    statement = _challenge(
        syntax,
        "When counting you can skip the grey ones:",
        "~~~\ncount --skip grey\n~~~",
        ("solution", ["~~~\n5\n~~~"]),
    )
    assert _why(statement) == []
    for asking in ("When does the tally stop:", "When it stops, what does the tally show:"):
        text = _challenge(syntax, asking, "~~~\ncount pebbles.txt\n~~~", ("solution", ["At 7."]))
        assert [key for key, _ in _why(text)] == [asking]


@SYNTAXES
def test_a_sentence_that_asks_for_an_answer_in_words_is_a_question(syntax: str) -> None:
    text = _challenge(
        syntax,
        "The tally counts pebbles:",
        "~~~\ncount --all pebbles.txt\n~~~",
        "Using the manual, explain what `--all` changes.",
        ("solution", ["It counts the hidden pebbles too."]),
    )
    assert _why(text) == [
        (
            "Using the manual, explain what --all changes.",
            ["challenge-block", "asks-in-words", "author-answer"],
        )
    ]
    assert [answer for *_, answer in _asked(text)] == ["It counts the hidden pebbles too."]
    # A list item that opens with the verb asks too; a task (`Sort ...`) still asks nothing.
    item = _challenge(
        syntax,
        "1. Predict what each line of the tally prints.",
        ("solution", ["Seven, then three."]),
    )
    assert [key for key, _ in _why(item)] == ["Predict what each line of the tally prints."]
    task = _challenge(syntax, "Sort the pebbles by size.", ("solution", ["~~~\nsort\n~~~"]))
    assert _why(task) == []


@SYNTAXES
def test_a_solution_split_as_the_paragraphs_that_ask_answers_each_paragraphs_questions(
    syntax: str,
) -> None:
    text = _challenge(
        syntax,
        "What does the scale show?\nWhy does it not show zero?",
        "~~~\nweigh(bag)\n~~~",
        "Given that, what does an empty bag weigh?",
        ("solution", ["It shows 2 kg, the bag and its pebbles.", "", "The bag alone: 0.1 kg."]),
    )
    first, second = "It shows 2 kg, the bag and its pebbles.", "The bag alone: 0.1 kg."
    assert [answer for *_, answer in _asked(text)] == [first, first, second]
    assert [names for _, names in _why(text)][2] == [*SPLIT, "author-answer"]


@SYNTAXES
def test_numbered_sub_questions_are_questions_answered_by_the_item_numbered_alike(
    syntax: str,
) -> None:
    text = _challenge(
        syntax,
        "Weigh the bag of pebbles.\n\n1. How heavy is the bag?\n2. Sort the pebbles by size.\n"
        "3. Which pebble is the heaviest?",
        ("solution", ["1. About 2 kg.", "2. Largest first.", "3. The granite one."]),
    )
    assert [(text, answer) for _, text, answer in _asked(text)] == [
        ("How heavy is the bag?", "About 2 kg."),
        ("Which pebble is the heaviest?", "The granite one."),
    ]
    assert all("asking-item" in names and "answer-part" in names for _, names in _why(text))


def _code_options(syntax: str) -> str:
    """A challenge whose options are numbered items holding only code (kramdown names each
    code block's language on the line under it), its solution walking through them."""
    code = ["~~~", "$ weigh bag.txt", "~~~"], ["~~~", "$ tare scale", "$ weigh bag.txt", "~~~"]
    marked = "\n   {: .language-bash}" if syntax == "kramdown" else ""
    items = "\n".join(
        f"{number}. \n" + "\n".join(f"   {line}" for line in lines) + marked
        for number, lines in enumerate(code, start=1)
    )
    return _challenge(
        syntax,
        "Which command would record the weight of `bag.txt`?",
        items,
        ("solution", ["1. Would weigh the scale too.", "2. Is correct: tare first, then weigh."]),
    )


@SYNTAXES
def test_options_that_are_code_show_their_code_and_no_attribute_list(syntax: str) -> None:
    (question,) = items_of(_code_options(syntax), SelfCheckQuestion)
    assert "{:" not in question.question
    shown = [line.strip() for line in question.question.split("\n")]
    assert shown.count("$ weigh bag.txt") == 2 and "$ tare scale" in shown
    assert (
        question.answer == "1. Would weigh the scale too.\n2. Is correct: tare first, then weigh."
    )


@SYNTAXES
def test_no_attribute_list_after_code_reaches_a_front_or_an_answer(syntax: str) -> None:
    output = "\n{: .output}" if syntax == "kramdown" else ""
    text = _challenge(
        syntax,
        "What does this print?",
        "~~~\nprint(len('pebbles'))\n~~~" + ("\n{: .python}" if output else ""),
        ("solution", ["~~~", "7", "~~~", *output.split("\n")[1:], "", "Seven letters."]),
    )
    text = text.replace("> > {: .output}", '> > {:.output title="out"}')
    (question,) = items_of(text, SelfCheckQuestion)
    assert "{:" not in question.question and "{:" not in (question.answer or "")
    assert question.answer == "~~~\n7\n~~~\n\nSeven letters."


@SYNTAXES
def test_a_challenge_without_a_solution_is_not_answered_by_the_next_ones(syntax: str) -> None:
    unanswered = _challenge(syntax, "How many pebbles are in the jar?")
    answered = _challenge(
        syntax,
        "Which pebble is the heaviest?",
        ("solution", ["The granite pebbles in the jar are the heaviest ones."]),
    )
    text = unanswered + "\n" + answered.split("\n", 4)[4].replace("Counting", "Sorting")
    extraction = extract_lesson(lesson_of(text), ExtractConfig())
    asked = [c for c in extraction.candidates if c.shape == "challenge-question"]
    assert [(c.item.question_text, c.item.answer) for c in asked if c.item] == [
        ("Which pebble is the heaviest?", "The granite pebbles in the jar are the heaviest ones.")
    ]
    (dropped,) = [c for c in asked if c.item is None]
    assert (dropped.reason, dropped.signals[-1].name) == ("no-answer-found", "challenge-unsolved")


@pytest.mark.parametrize("kind", ["instructor", "callout", "testimonial", "spoiler"])
def test_a_div_line_right_under_a_heading_is_no_definition(kind: str) -> None:
    text = (
        "# Pebbles\n\nBasalt is named in passing; Basalt again.\n\n### Granite Pebbles\n\n"
        "Granite pebbles are speckled.\n\n### Basalt Pebbles\n"
        f":::::::::::::::: {kind}\n\nSome words.\n\n::::::::::::::::\n\n"
        f"## Sieve: A Mesh Sorter\n:::::::::::::::: {kind}\n\nMore words.\n\n::::::::::::::::\n"
    )
    extraction = extract_lesson(lesson_of(text), ExtractConfig())
    bodies = [c.item.body for c in extraction.candidates if isinstance(c.item, Definition)]
    assert bodies and not any(":::" in body for body in bodies), bodies
    (basalt,) = [c for c in extraction.candidates if c.text == "Basalt Pebbles"]
    assert basalt.item is None and basalt.signals[0].name == "body-is-div-line"


def test_no_attribute_list_line_reaches_a_definitions_back() -> None:
    text = (
        "# Pebbles\n\n**Scale**: a device that weighs pebbles.\n{: .output}\n\n"
        "- **Sieve**: a mesh that sorts pebbles\n  {: .language-bash}\n"
        "- **Tare**: the weight of the empty bag\n"
    )
    bodies = {d.key: d.body for d in items_of(text, Definition)}
    assert bodies == {
        "Scale": "a device that weighs pebbles.",
        "Sieve": "a mesh that sorts pebbles",
        "Tare": "the weight of the empty bag",
    }


@SYNTAXES
def test_a_bullet_list_of_questions_and_tasks_asks_each_question_keyed_without_its_code(
    syntax: str,
) -> None:
    text = _challenge(
        syntax,
        "Try these on the bag of pebbles.\n\n"
        "- `bag.size` Take note of its output - what unit does it count in?\n"
        "- `bag.weigh()` Also, what does `bag.weigh(2)` do?\n"
        "- Sort the pebbles by colour.",
        ("solution", ["- It counts pebbles.", "- It weighs two pebbles.", "- Grey, then white."]),
    )
    # Each asking bullet is a question, answered by the bullet in the same place; the task
    # bullet between is none. The code opening a bullet names what it is about: the card shows
    # it (the whole challenge), the key is the question alone.
    assert [(text, answer) for _, text, answer in _asked(text)] == [
        ("Take note of its output - what unit does it count in?", "It counts pebbles."),
        ("Also, what does bag.weigh(2) do?", "It weighs two pebbles."),
    ]
    assert next(names for _, names in _why(text)) == [
        "challenge-block",
        "item-label",
        "asking-item",
        "answer-part",
        "question-sentence",
        "author-answer",
    ]
    fronts = [q.question for q in items_of(text, SelfCheckQuestion)]
    assert "`bag.size` **Take note of its output - what unit does it count in?**" in fronts[0]


@SYNTAXES
def test_a_questions_card_shows_the_challenge_up_to_the_next_paragraph_that_asks(
    syntax: str,
) -> None:
    text = _challenge(
        syntax,
        "Given the tally:",
        "~~~\ntally(jar)\n~~~",
        "What does the tally print?",
        "1. `7`\n2. `9`",
        "Given that, what does this print?",
        "~~~\ntally(bag)\n~~~",
        ("solution", ["It prints 7.", "", "It prints 2."]),
    )
    first, second = (q.question for q in items_of(text, SelfCheckQuestion))
    # The first card: its context, its question and its options; the later question, its
    # code and its options would read as the first one's.
    assert "**What does the tally print?**" in first and "- `7`\n- `9`" in first
    assert "Given that" not in first and "tally(bag)" not in first
    # The later card shows all that comes before it: the first question is its context.
    assert "tally(jar)" in second and "**Given that, what does this print?**" in second
