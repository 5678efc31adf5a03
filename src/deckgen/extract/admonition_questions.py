"""Questions a MkDocs `question` admonition asks (`admonition-question`), answered by its body
or by the `success` admonition nested in it.

Separate from the other question finders because the question is the admonition's title,
which `deckgen.admonitions` rewrote as a heading (a heading that asks titles a section, for
every other finder), and the answer is a block of the format: the admonitions it found on the
lesson's lines. Docs: docs/extraction.md, `admonition-question`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

from deckgen.admonitions import Admonition
from deckgen.extract.answers import blocks_as_section
from deckgen.extract.carpentries import dequote
from deckgen.extract.evidence import Signal
from deckgen.extract.question_parts import ASKING_SENTENCE, Question
from deckgen.fences import lines_outside_fences
from deckgen.lesson import Lesson, Section, plain_text

ADMONITION = "admonition-question"
# Python-Markdown's type words (and their aliases) for a question and for its answer.
QUESTION_KINDS = frozenset({"question", "help", "faq"})
ANSWER_KINDS = frozenset({"success", "check", "done", "answer"})


def admonition_questions(lesson: Lesson) -> Iterator[Question]:
    """Each `question` (`help`, `faq`) admonition that asks: its title when the title asks
    (`??? question "What does git add do?"`), else its body's first paragraph that asks. Its
    answer is a `success` (`check`, `done`, `answer`) admonition nested right in it, the rest
    of its body then being the question's (options, code: shown on the card); with no such
    admonition, a title that asks is answered by the whole body (a FAQ), and a body that asks
    by nothing written (the pointer rules decide)."""
    for admonition in lesson.admonitions:
        if admonition.kind not in QUESTION_KINDS:
            continue
        answer_block = next(
            (
                inner
                for inner in lesson.admonitions
                if inner.kind in ANSWER_KINDS
                and inner.depth == admonition.depth + 1
                and admonition.start <= inner.line < admonition.end
            ),
            None,
        )
        asked_end = answer_block.line if answer_block else admonition.end
        asked = _body(lesson, admonition.start, asked_end, admonition.depth)
        title = (admonition.title or "").strip()
        signals = [Signal("question-admonition", 1, admonition.kind)]
        if ASKING_SENTENCE.search(title + " "):
            stem, line, shown = title, admonition.line + 1, asked
            signals.append(Signal("title-asks", 0))
        else:
            found = _asking_paragraph(lesson, admonition.start, asked_end, admonition.depth)
            if found is None:
                continue  # a task or a note under a question's colours: nothing asked
            line, stem = found
            shown = asked if asked.strip() != stem.strip() else ""
        if answer_block is not None:
            answer = _body(lesson, answer_block.start, answer_block.end, answer_block.depth)
            signals.append(Signal("answer-admonition", 0, answer_block.kind))
            body = "\n\n".join((stem, shown)) if shown and stem == title else shown
        else:
            # A title that asks, over the body: a FAQ's question and its answer.
            answer = asked if stem == title else ""
            body = ""
        yield Question(
            stem,
            line,
            _section_of(lesson, admonition),
            None,
            answer.strip() or None,
            {},
            ADMONITION,
            tuple(signals),
            body=body,
        )


def _body(lesson: Lesson, start: int, end: int, depth: int) -> str:
    """Lines [start, end) of an admonition's body, unquoted: the Markdown its author wrote."""
    lines = [dequote(line, depth) for line in lesson.lines[start:end]]
    return textwrap.dedent("\n".join(lines)).strip("\n")


def _asking_paragraph(lesson: Lesson, start: int, end: int, depth: int) -> tuple[int, str] | None:
    """The first paragraph of body lines [start, end) that asks (ends with `?`): its line
    (1-based) and text."""
    paragraph: list[str] = []
    first = start
    body = [dequote(line, depth).strip() for line in lesson.lines[start:end]]
    # A fence ends a paragraph, and `print(x)  # what?` inside one asks nothing.
    prose = set(lines_outside_fences(body))
    for number in range(start, end + 1):
        line = body[number - start] if number - start in prose else ""
        if line and not line.startswith(">"):
            if not paragraph:
                first = number
            paragraph.append(line)
            continue
        text = " ".join(paragraph)
        if paragraph and ASKING_SENTENCE.search(plain_text(text) + " "):
            return first + 1, text
        paragraph = []
    return None


def _section_of(lesson: Lesson, admonition: Admonition) -> Section:
    """The innermost section holding the admonition (its block quote, not the section its own
    title heads); above every heading, the lesson as a section of no heading."""
    opened = next(
        (
            index
            for index in lesson.positions("blockquote_open")
            if (token := lesson.tokens[index]).map and token.map[0] == admonition.line
        ),
        None,
    )
    section = lesson.section_at(opened) if opened is not None else None
    return section or blocks_as_section(lesson.title, 1, 3, len(lesson.tokens))
