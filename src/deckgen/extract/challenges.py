"""Questions a Carpentries challenge asks (`challenge-question`), each answered by the
solution block after it.

Separate from the other question finders because it reads a format of its own: the challenge
and solution blocks `carpentries` finds on the lines, not the token tree alone, and a challenge
is read as a whole (its context, code and sibling questions show on each card, and its
solutions are split among its questions). Docs: docs/extraction.md, `challenge-question`.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

from deckgen.defaults import alternatives, defaults
from deckgen.extract import carpentries
from deckgen.extract.answers import OPTION, close_of
from deckgen.extract.common import CODE_BLOCKS, LIST_OPEN, source_ref
from deckgen.extract.evidence import Candidate, Signal, drop
from deckgen.extract.prose import sentences
from deckgen.extract.question_parts import (
    ASKING_SENTENCE,
    Question,
    options_in,
    unlettered_options,
)
from deckgen.lesson import Lesson, line_of, plain_text

CHALLENGE = "challenge-question"
# `What will happen if you now execute:` above a code block: a sentence that opens with a word
# that asks and hands over to the block below it asks about that block. `When` and `where` also
# open a clause of time or place (`When committing you can name ...:`, `Where reasonable, X
# converts ...:`, a statement): they ask only in a question's word order, an auxiliary right
# after them (`When does ...`), or when the clause after their comma opens with a word that asks.
_ASKS_ABOUT_BELOW = re.compile(
    r"^(?:(?:what|which|how|why|who)\b"
    r"|(?:when|where)\s+(?:do|does|did|is|are|was|were|will|would|can|could|should)\b"
    r"|(?:when|where)\b[^,?]*,\s*(?:what|which|how|why|who)\b)[^?]*:$",
    re.I,
)
# `Explain why this is wrong.`, `Given those answers, explain what ...`: a challenge that
# asks for an answer in words (`recall_verbs`), the verb opening the sentence or the clause
# after a lead-in closed by a comma, asks though no `?` ends it (`asks-in-words`).
_ASKS_IN_WORDS = re.compile(
    rf"^(?:[^,.:;?]*,\s*)?({alternatives(defaults().recall_verbs)})\b", re.I
)


@dataclass
class _Asked:
    """One question a challenge asks: its own sentence, where it stands, and its options."""

    sentence: str
    line: int
    index: int  # its paragraph's token
    shown: int  # its paragraph's place among the blocks the card shows
    offset: int  # where the sentence starts in its paragraph's text
    signals: list[Signal]
    options: dict[str, str]
    lettered: bool = True
    item: tuple[int, int, int] | None = None  # a list item's: (list token, its number, items)


def challenge_questions(lesson: Lesson) -> Iterator[Question | Candidate]:
    """A Carpentries challenge (`deckgen.extract.carpentries`) that asks: each sentence that
    asks is a question keyed by that sentence alone (`question-sentence`: a sibling's edit moves
    no other key, and a statement around it is no part of it); the challenge around it (context,
    code, its siblings, the asked one in bold) shows on the card, its options are those of any
    question above options, and its answer is the solution block after it (the challenge may
    ask, answer, and ask again: `solution-after-question`), or that solution's part in the same
    place when it is split the same way (`answer-part`). A challenge that only sets a task
    (`Write a loop that ...`) is an exercise, not a question (GUIDE.md): dropped, with its
    title."""
    if "{:" not in lesson.text and ":::" not in lesson.text:
        return  # neither syntax anywhere: most lessons
    found = carpentries.blocks(lesson.lines)
    for challenge in (block for block in found if block.kind == "challenge"):
        inner = [
            block
            for block in found
            if challenge.start <= block.start and block.end <= challenge.end and block != challenge
        ]
        # The blocks right inside the challenge (a solution, a hint), not those inside them:
        # the challenge's own text runs between them.
        direct = [
            block
            for block in inner
            if not any(o != block and o.start <= block.start and block.end <= o.end for o in inner)
        ]
        solutions = [block for block in direct if block.kind == "solution"]
        edges = [
            challenge.start,
            *(line for b in direct for line in (b.start, b.end)),
            challenge.end,
        ]
        syntax = "kramdown" if challenge.depth else "workbench"
        block_signal = Signal("challenge-block", 1, syntax)
        shown: list[str] = []
        title = ""
        asked: list[tuple[_Asked, str | None, int]] = []  # question, answer, blocks shown
        for start, end in zip(edges[::2], edges[1::2], strict=True):
            texts = _block_texts(lesson, start, end, challenge.depth)
            here, title = _asked_in(lesson, texts, shown, title)
            solution = next((block for block in solutions if block.start >= end), None)
            for question, answer in _answered(lesson, here, solution, len(solutions)):
                asked.append((question, answer, len(shown)))
        if not asked:
            first = _block_texts(lesson, challenge.start, edges[1], challenge.depth)[:1]
            section = lesson.section_at(first[0][0]) if first else None
            if section is not None:
                index = first[0][0]
                source = source_ref(lesson, line_of(lesson.tokens[index]), section)
                against = Signal("sets-a-task", -1, "no sentence asks")
                yield drop("question", source, title, CHALLENGE, "task-not-question", against)
            continue
        for number, (question, answer, seen) in enumerate(asked, start=1):
            section = lesson.section_at(question.index)
            if section is None:
                continue
            signals = [block_signal, *question.signals]
            # Up to the next block that asks: a later question's text, code and options
            # (`Given that, what does this print?` over `1. ...`) would read as this one's.
            later = (other.shown for other, _, _ in asked if other.shown > question.shown)
            body = shown[: min([seen, *later])]
            if len(asked) > 1:
                signals.append(Signal("question-sentence", 0, f"{number} of {len(asked)}"))
                body[question.shown] = _stressed(body[question.shown], question)
            yield Question(
                question.sentence,
                question.line,
                section,
                None,
                answer,
                question.options,
                CHALLENGE,
                tuple(signals),
                lettered=question.lettered,
                body="\n\n".join(body),
            )


def _asked_in(
    lesson: Lesson, texts: list[tuple[int, str]], shown: list[str], title: str
) -> tuple[list[_Asked], str]:
    """The questions a run of a challenge's own blocks asks (the text between its solutions),
    each sentence that asks one; the blocks a card shows are added to `shown`, and the
    challenge's title kept (the first heading)."""
    here: list[_Asked] = []
    last: list[_Asked] = []  # the questions of the last paragraph that asked
    held: tuple[dict[str, str], bool] | None = None  # options above any question
    for position, (index, text) in enumerate(texts):
        token = lesson.tokens[index]
        if token.type == "heading_open":
            title = title or plain_text(lesson.tokens[index + 1].content).strip()
            continue
        # Options, lettered or a list below the question, show as every question's do
        # (`question_blocks`, a list item's: the letters the author wrote first).
        lettered = options_in(lesson.tokens[index : close_of(lesson.tokens, index) + 1])
        listed = {} if lettered else unlettered_options(lesson.tokens, index)
        if token.type == "paragraph_open":
            text = "\n".join(line for line in text.split("\n") if not OPTION.match(line))
            following = texts[position + 1][0] if position + 1 < len(texts) else None
            before_code = following is not None and lesson.tokens[following].type in CODE_BLOCKS
            asking = _asking_sentences(lesson, index, text, len(shown), before_code)
            if text:
                shown.append(text)
            if asking:
                last = asking
                here.extend(asking)
                if held is not None:
                    for question in asking:
                        question.options, question.lettered = held
                    held = None
        elif not (listed or lettered):
            if token.type in LIST_OPEN:  # `1. How many ...?` / `2. What is ...?`: each asks
                asking = _asking_items(lesson, index, len(shown))
                last, here = asking or last, here + asking
            shown.append(text)  # code, or a list the question is about
        choices = lettered or listed
        if choices:
            owners = [question for question in last if not question.options]
            for question in owners:
                question.options, question.lettered = choices, not listed
            if not owners and held is None and not here:
                held = (choices, not listed)
    return here, title


# A code span opening a list item, then a sentence opening with a capital on the same line.
_ITEM_LABEL = re.compile(r"^\s*`([^`\n]+)`[ \t]+(?=[A-Z])")


def _asking_items(lesson: Lesson, index: int, shown: int) -> list[_Asked]:
    """The sentences that ask in the items of the list opened at token `index` (numbered
    sub-questions, `asking-item`), each a question of its own."""
    found: list[_Asked] = []
    level = lesson.tokens[index].level + 1
    items = [
        position
        for position in range(index + 1, close_of(lesson.tokens, index))
        if lesson.tokens[position].type == "list_item_open"
        and lesson.tokens[position].level == level
    ]
    for number, opened in enumerate(items, start=1):
        paragraph = opened + 1
        if lesson.tokens[paragraph].type != "paragraph_open":
            continue
        content = lesson.tokens[paragraph + 1].content
        text = carpentries.unmarked(content)
        # `- `df.shape` Take note of its output - what format ...?`: the code names what the
        # item is about, as a list of attributes to try does; the question is the sentence
        # after it. Blanked, not cut: the sentence keeps its place (its line, its offset).
        label = _ITEM_LABEL.match(text)
        if label is not None:
            text = " " * label.end() + text[label.end() :]
        for question in _asking_sentences(lesson, paragraph, text, shown, before_code=False):
            if label is not None and question.offset == label.end():
                question.signals.append(Signal("item-label", 0, label.group(1)))
            question.signals.append(Signal("asking-item", 0, f"item {number}"))
            question.item = (index, number, len(items))
            found.append(question)
    return found


def _asking_sentences(
    lesson: Lesson, index: int, text: str, shown: int, before_code: bool
) -> list[_Asked]:
    """Each sentence of the paragraph `text` (opened at token `index`) that asks: one closed by
    `?`, or its last sentence when it opens with a word that asks and ends in `:` over a code
    block (`What will happen if you now run:`, `asks-before-code`)."""
    first_line = line_of(lesson.tokens[index])
    found: list[_Asked] = []
    asked_last = 0  # the number of the last sentence that asked
    parts = list(sentences(text))
    for number, (offset, sentence) in enumerate(parts, start=1):
        said = sentence.strip()
        signals: list[Signal] = []
        if not ASKING_SENTENCE.search(plain_text(said) + " "):
            in_words = _ASKS_IN_WORDS.match(plain_text(said))
            if in_words is not None:
                signals.append(Signal("asks-in-words", 1, in_words.group(1).lower()))
            elif before_code and number == len(parts) and _ASKS_ABOUT_BELOW.match(said):
                signals.append(Signal("asks-before-code", 1, "ends in `:` over code"))
            else:
                continue
        lead = len(sentence) - len(sentence.lstrip())
        start = offset + lead
        previous = found[-1] if found and asked_last == number - 1 else None
        asked_last = number
        # `Which is printed? Why did you pick it?`: a question that goes on on the line the one
        # before it ends on follows it up (one thought, one card); one on a line of its own
        # (`What is s[-1]?` / `What is s[-2]?`) is a sibling.
        if (
            previous is not None
            and "\n" not in text[previous.offset + len(previous.sentence) : start]
        ):
            previous.sentence = text[previous.offset : start + len(said)]
            if not any(signal.name == "follow-up-question" for signal in previous.signals):
                previous.signals.append(Signal("follow-up-question", 0, "on the same line"))
            continue
        line = first_line + text[:start].count("\n")
        found.append(_Asked(said, line, index, shown, start, signals, {}))
    return found


def _stressed(paragraph: str, question: _Asked) -> str:
    """The paragraph with the asked sentence in bold: the card shows the whole challenge, and
    the learner must see which of its questions this card asks."""
    start = question.offset
    if paragraph[start : start + len(question.sentence)] != question.sentence:
        start = paragraph.find(question.sentence)  # a list item's, indented in the list
    end = start + len(question.sentence)
    if start < 0 or "**" in question.sentence:
        return paragraph  # wrapped otherwise in the source, or one bold already
    return f"{paragraph[:start]}**{question.sentence}**{paragraph[end:]}"


def _answered(
    lesson: Lesson, asked: list[_Asked], solution: carpentries.Block | None, solutions: int
) -> Iterator[tuple[_Asked, str | None]]:
    """Each question of a run of a challenge's text with its answer: the solution block after
    it, or that solution's part in the same place when the solution is split as many ways as
    the run asks (`answer-part`: its paragraphs, the items of its one list, or the lines of its
    one code block, `oxyg`/`en` under `What is s[:4]?`/`What about s[4:]?`), or as many ways
    as the run has paragraphs that ask (each paragraph's questions answered by one part)."""
    if solution is None:
        yield from ((question, None) for question in asked)
        return
    parts = _block_texts(lesson, solution.start, solution.end, solution.depth)
    texts = [(i, part) for i, part in parts if lesson.tokens[i].type != "heading_open"]
    whole = "\n\n".join(part for _, part in texts) or None
    paragraphs = list(dict.fromkeys(question.index for question in asked))
    lists = {question.item[0::2] if question.item else None for question in asked}
    # Which part answers each question: the item numbered as its own (numbered sub-questions
    # over a numbered solution, some of them tasks), else its own place, else its paragraph's.
    places = list(range(len(asked)))
    split = None
    if len(lists) == 1 and (numbered := lists.pop()) is not None and len(asked) > 1:
        split = _split_answer(lesson, texts, numbered[1])
        places = [question.item[1] - 1 for question in asked if question.item]
    elif len(asked) > 1:
        split = _split_answer(lesson, texts, len(asked))
    if split is None and len(paragraphs) > 1:
        grouped = _split_answer(lesson, texts, len(paragraphs))
        split = (f"{grouped[0]} by paragraph", grouped[1]) if grouped else None
        places = [paragraphs.index(question.index) for question in asked]
    if solutions > 1:
        place = Signal("solution-after-question", 0, f"{solutions} solutions")
        for question in asked:
            question.signals.append(place)
    for question, number in zip(asked, places, strict=True):
        if split is None:
            yield question, whole
            continue
        how, pieces = split
        detail = f"{number + 1} of {len(pieces)} {how}"
        question.signals.append(Signal("answer-part", 0, detail))
        yield question, pieces[number]


def _split_answer(
    lesson: Lesson, texts: list[tuple[int, str]], count: int
) -> tuple[str, list[str]] | None:
    """The solution in `count` parts, in order, when its author split it so: as many blocks
    (paragraphs), one list of as many items, or one code block of as many lines."""
    if len(texts) == count:
        return "blocks", [part for _, part in texts]
    if len(texts) != 1:
        return None
    index, text = texts[0]
    token = lesson.tokens[index]
    if token.type in LIST_OPEN:
        items = [
            _item_text(lesson, position)
            for position in range(index + 1, close_of(lesson.tokens, index))
            if lesson.tokens[position].type == "list_item_open"
            and lesson.tokens[position].level == token.level + 1
        ]
        return ("items", items) if len(items) == count else None
    if token.type in CODE_BLOCKS:
        fence = text.split("\n")
        lines = [line for line in fence[1:-1] if line.strip()] if token.type == "fence" else []
        if len(lines) == count:
            mark = fence[0]
            return "lines", [f"{mark}\n{line}\n{fence[-1]}" for line in lines]
    return None


def _item_text(lesson: Lesson, index: int) -> str:
    """A list item's inline Markdown (its first paragraph), without a marker of the format a
    lazy line carried into it (`> {: .solution}` right below the last item)."""
    content = next(
        (
            lesson.tokens[position].content
            for position in range(index, close_of(lesson.tokens, index))
            if lesson.tokens[position].type == "inline"
        ),
        "",
    )
    return carpentries.unmarked(content)


def _block_texts(lesson: Lesson, start: int, end: int, depth: int) -> list[tuple[int, str]]:
    """The outermost blocks opened between lines `start` and `end` (the quote around a
    kramdown block passed into): each one's token and its source without the quoting and
    without the markers of the format (`{: .language-python}`, `:::: solution`)."""
    found: list[tuple[int, str]] = []
    reached = start
    for index, token in enumerate(lesson.tokens):
        # A block may start on a marker's line (`::: solution` with no blank line below it
        # opens a paragraph that holds the answer): the block's lines inside the range count.
        if not token.map or token.map[1] <= reached:
            continue
        if token.map[0] >= end:
            break
        if token.type == "blockquote_open" or token.nesting == -1 or token.type == "inline":
            continue
        lines = [
            carpentries.dequote(line, depth)
            for line in lesson.lines[max(token.map[0], reached) : min(token.map[1], end)]
        ]
        text = carpentries.unmarked("\n".join(lines)).strip()
        reached = token.map[1]
        if text:
            found.append((index, textwrap.dedent(text)))
    return found
