"""Questions of the Learn platform's challenge blocks (`learn-challenge`), each answered by its
`!answer` and `!explanation`.

Separate from the other question finders because it reads a format of its own: the blocks
`deckgen.learn` finds on the lesson's lines (and `deckgen.lesson` blanks, so that no other
finder reads their parts), each part parsed on its own. Docs: docs/extraction.md,
`learn-challenge`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from deckgen.extract.answers import ASKING_OPENER, blocks_as_section
from deckgen.extract.common import LIST_OPEN, source_ref
from deckgen.extract.evidence import Candidate, Signal, drop
from deckgen.extract.question_parts import Question, listed_options
from deckgen.learn import Challenge
from deckgen.lesson import Lesson, Section, parse_lesson

LEARN = "learn-challenge"
# Programming tasks, checked by the platform's tests (`!setup`, `!tests`): no recall question.
_CODE_TYPES = frozenset({"code-snippet", "testable-project", "project", "custom-snippet"})
_CODE_PARTS = ("setup", "tests")
# Types whose `!options` the learner picks from (or puts in order): shown on the card.
_OPTION_TYPES = frozenset({"multiple-choice", "checkbox", "ordering"})
# Free text, answered by no `!answer`: its `!explanation`, when that answers, is the back.
_FREE_TEXT = "paragraph"
# `* Adds a row`: an answer of one bullet, the option's text.
_ONE_BULLET = re.compile(r"^[*+-][ \t]+(\S.*)$")


def learn_questions(lesson: Lesson) -> Iterator[Question | Candidate]:
    """Each challenge block of the lesson (`Lesson.learn_challenges`) as one question: its
    stem the `!question` part (code included), its options the `!options` list, its answer the
    `!answer` part (the option's text, the lines of several, a short answer or a number)
    followed by the `!explanation`. A code task (`code-snippet`, `!tests`) asks nothing to
    recall: dropped, named. The `!hint` and `!placeholder` never show, nor does the title."""
    for challenge in lesson.learn_challenges:
        stem = challenge.parts.get("question")
        line = challenge.line + 1
        section = _section_of(lesson, line)
        kind = challenge.type or "no type"
        block = Signal("challenge-block", 1, f"learn {kind}")
        code = next((part for part in _CODE_PARTS if part in challenge.parts), None)
        if challenge.type in _CODE_TYPES or code is not None:
            against = Signal("code-challenge", -1, kind if challenge.type in _CODE_TYPES else code)
            title = challenge.fields.get("title", "") or (stem.text if stem else kind)
            source = source_ref(lesson, line, section)
            yield drop("question", source, title, LEARN, "task-not-question", block, against)
            continue
        if stem is None or not stem.text.strip():
            source = source_ref(lesson, line, section)
            title = challenge.fields.get("title", "") or kind
            missing = Signal("no-question-part", -1)
            yield drop("question", source, title, LEARN, "no-question", block, missing)
            continue
        signals = [block]
        answer = _answer(lesson, challenge, signals)
        options = _options(lesson, challenge) if challenge.type in _OPTION_TYPES else {}
        yield Question(
            _stem_text(lesson, stem.text),
            line,
            section,
            None,
            answer,
            options,
            LEARN,
            tuple(signals),
            lettered=False,
            body=stem.text,
            answer_as_written=True,
        )


def _section_of(lesson: Lesson, line: int) -> Section:
    """The innermost section holding `line`, or, above every heading, the lesson as a section of
    no heading (a quiz file of challenges under its title alone)."""
    found = None
    for section in lesson.sections:
        if section.line > line:
            break
        found = section
    return found or blocks_as_section(lesson.title, 1, 3, len(lesson.tokens))


def _parsed(lesson: Lesson, text: str) -> Lesson:
    return parse_lesson(text, lesson.path, lesson.slug)


def _stem_text(lesson: Lesson, text: str) -> str:
    """The stem's words, its key: its prose (paragraphs, list items, headings), not its code,
    as any question's code shows on the card but is no part of its key. A stem of code only is
    its own key."""
    prose = [
        token.content
        for token in _parsed(lesson, text).tokens
        if token.type == "inline" and token.content.strip()
    ]
    return "\n".join(prose) if prose else text


def _options(lesson: Lesson, challenge: Challenge) -> dict[str, str]:
    part = challenge.parts.get("options")
    if part is None:
        return {}
    tokens = _parsed(lesson, part.text).tokens
    first = next((n for n, t in enumerate(tokens) if t.type in LIST_OPEN and t.level == 0), None)
    return listed_options(tokens, first) if first is not None else {}


def _answer(lesson: Lesson, challenge: Challenge, signals: list[Signal]) -> str | None:
    """The back: the `!answer` part (one bullet, an option's text, as its text alone), then
    the `!explanation`; for free text (`paragraph`), the explanation alone when it answers (a
    statement, not an instruction nor a question: `Discuss with a partner.`)."""
    answer = challenge.parts.get("answer")
    explanation = challenge.parts.get("explanation")
    written = answer.text.strip() if answer else ""
    said = explanation.text.strip() if explanation else ""
    if written:
        bullet = _ONE_BULLET.match(written)
        written = bullet.group(1).strip() if bullet and "\n" not in written else written
        return "\n\n".join(part for part in (written, said) if part)
    if challenge.type != _FREE_TEXT or not said:
        return None
    tokens = _parsed(lesson, said).tokens
    prose = " ".join(t.content for t in tokens if t.type == "inline").strip()
    instructs = ASKING_OPENER.match(prose)
    if instructs is not None or prose.endswith("?") or not prose:
        detail = instructs.group(0).strip(" *_") if instructs else "no statement"
        signals.append(Signal("explanation-answers-nothing", -1, detail))
        return None
    signals.append(Signal("explanation-answers", 1))
    return said
