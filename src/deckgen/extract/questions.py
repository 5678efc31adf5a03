"""Self-check questions, with the lesson's answer when it has one: the `question` kind.

The finders say where questions stand: `quizzes` (question sections and labels, quiz
headings, stems over options or over their answer, a quiz title, `<details>` blocks that ask;
each block read by `question_blocks`, its stem by `question_stems`, tables by
`question_tables`), `challenges` (Carpentries challenges) and `marked_prompts` (`✅ ...?` in
running text); `question_parts` holds the record they fill and a question's options. This
module runs them and decides each question: its answer is the author's (a `<details>` block,
an `**Answer:** B` line with the option's text, a ticked option) or an answer key's (a
section, a `<details>` block, a `1-b, 2-c` line, a table, or a file next to a quiz:
`deckgen.extract.answers`); with none, it points at the section that answers it
(`deckgen.extract.pointers`), and makes no card when no excerpt of it can stand as the answer,
nor when no card can hold one (a task, a question about the learner, external material).
Every candidate is kept or dropped with its reason: see docs/extraction.md.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator

from deckgen.config import ExtractConfig
from deckgen.defaults import alternatives, defaults
from deckgen.diagnostics import Diagnostic
from deckgen.extract.admonition_questions import admonition_questions
from deckgen.extract.answers import (
    ASKING_OPENER,
    OPTION,
    answer_key,
    close_of,
    key_file_answers,
    restated_answers,
)
from deckgen.extract.challenges import CHALLENGE, challenge_questions
from deckgen.extract.common import (
    CODE_BLOCKS,
    LIST_CLOSE,
    LIST_OPEN,
    TASK_OPENING,
    source_ref,
    within,
)
from deckgen.extract.defined_terms import DefinedTerm, DefinedTerms
from deckgen.extract.evidence import Candidate, Signal, drop, keep
from deckgen.extract.learn_challenges import learn_questions
from deckgen.extract.marked_prompts import marked_questions
from deckgen.extract.pointers import (
    ANSWER_CONFIDENCE,
    HERE_DOCUMENT,
    SectionIndex,
    repeated_field,
    unfit_excerpt,
)
from deckgen.extract.question_blocks import hides_answer, past_code_and_hint
from deckgen.extract.question_parts import (
    OPTION_LINE,
    Question,
    choice_lines,
    holds_option_line,
    ticked_answer,
    with_numbered_option,
    with_option_text,
)
from deckgen.extract.quizzes import TOPICS, quiz_questions
from deckgen.identity import normalize_key
from deckgen.items import SelfCheckQuestion
from deckgen.lesson import Lesson, Section, plain_text

# A question the lesson cannot answer: it hands the learner material the card cannot hold.
_EXTERNAL = re.compile(
    r"\b(?:attached|accompanying|provided|linked|given|following)\s+(?:\w+\s+)?"
    r"(?:data\s*set|dataset|spreadsheet|csv|file|form|notebook|worksheet|template|screenshot)s?\b"
    r"|\bfill\s+(?:in|out)\s+the\b",
    re.I,
)
# `Am I ...?`, `Which platform am I most comfortable with?`: a reflection about the learner.
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|[Mm]e|[Mm]y|[Mm]yself)\b")


def extract(lesson: Lesson, config: ExtractConfig) -> Iterator[Candidate]:
    read = False  # a question found, kept or dropped (`--why` says why)
    for candidate in _candidates(lesson, config):
        read = read or candidate.shape != "list-item"
        yield candidate
    if not read:
        _warn_if_quiz(lesson)


# How many lists of lettered options make a file look like a quiz.
_QUIZ_LIKE = 2


def _warn_if_quiz(lesson: Lesson) -> None:
    """Warn, at its first question, when a lesson looks like a quiz (two lists of lettered
    options under a line that asks: `...?`, then `A)`, then `B)`) and yet no question is found
    in it: its format is one deckgen does not read, and the author should know rather than find
    the deck empty. Numbered questions alone say less (lessons end with reflection questions no
    card answers), and so do lettered steps (`a. Pull the image`) under a line that asks nothing."""
    if not holds_option_line(lesson.text):
        return  # most lessons: no line shaped like an option
    stems: list[int] = []
    asking = 0  # the line of the last line that asks, until an option or other text follows
    following = ""  # the letter the last option line calls for next
    for number, line in enumerate(lesson.lines, start=1):
        if not line.strip():
            continue
        match = OPTION.match(line)
        letter = (match.group(1) or match.group(2)).upper() if match else ""
        if letter == "B" and following == "B":
            stems.append(asking)
        following = "B" if letter == "A" and asking else ""
        if not match:
            asking = number if line.rstrip(" *_").endswith("?") else 0
    if len(stems) >= _QUIZ_LIKE:
        message = (
            f"looks like a quiz ({len(stems)} questions over lettered options) but no question "
            "is found in it: its format is not one deckgen reads (docs/extraction.md, Questions)"
        )
        lesson.warnings.append(Diagnostic(lesson.path, stems[0], message))


def _candidates(lesson: Lesson, config: ExtractConfig) -> Iterator[Candidate]:
    found = list(_questions(lesson, config))
    if not found:
        return
    keyed, key_line = answer_key(lesson, config)
    if lesson.answer_key is not None:
        keyed = {**key_file_answers(lesson.answer_key, config), **keyed}
    restated = restated_answers(lesson, config)
    answerable: SectionIndex | None = None
    defined: DefinedTerms | None = None
    seen: set[int] = set()  # a question two shapes found (a label's list in a quiz section)
    for question in found:
        if isinstance(question, Candidate):
            yield question
            continue
        # A challenge may ask two things on one line (`What goes wrong? Why?`): two questions.
        if question.line in seen and question.shape != CHALLENGE:
            continue
        seen.add(question.line)
        question_text = plain_text(question.content)
        source = source_ref(lesson, question.line, question.section)
        signals = list(question.signals)
        # A key answers the questions above it: a list of questions after it (`## Reflection`
        # below `## Answer Key`, numbered from 1 again) is another list.
        number = question.number if question.line < key_line else None
        again = restated.get(normalize_key(question_text)) if question.answer is None else None
        answered = question.answer is not None or number in keyed or again is not None
        unaskable = _not_askable(question_text, answered)
        if unaskable is None and not answered:
            topics = [signal for signal in signals if signal.name == TOPICS]
            unaskable = ("topic-not-question", topics.pop()) if topics else None
            signals = [signal for signal in signals if signal.name != TOPICS]
        if unaskable is not None:
            reason, against = unaskable
            yield drop("question", source, question_text, question.shape, reason, *signals, against)
            continue
        # The marker (`[SELECT ALL]`) tells the learner how to answer: on the card, not in the key.
        shown = f"{question.marker} {question.content}" if question.marker else question.content
        shown = question.body or shown
        choices = choice_lines(question.options, question.lettered)
        between = _blocks_before(lesson, question.line, options=bool(choices))
        between = [] if question.body else between  # the body holds them already
        if between:
            name = "code-before-options" if choices else "code-before-answer"
            signals.append(Signal(name, 1, str(len(between))))
            shown = "\n\n".join([shown, *between])
        refers = None if between or question.body else _BLOCK_REFERENCE.search(question_text)
        if refers is not None:
            block = _adjacent_block(lesson, question.line)
            if block is None:
                missing = Signal("refers-to-block", -1, refers.group(0))
                reason = "refers-to-missing-block"
                yield drop(
                    "question", source, question_text, question.shape, reason, *signals, missing
                )
                continue
            signals.append(Signal("shows-block", 1, refers.group(0)))
            shown = f"{shown}\n\n{block}"
        if choices:
            signals.append(Signal("option-list", 0, f"{len(choices)} options"))
            # An option that is code shows as a block inside its item, indented under it.
            listed = (f"- {choice}".replace("\n", "\n  ") for choice in choices)
            shown = f"{shown}\n\n" + "\n".join(listed)
        answer = question.answer
        if answer is None and number in keyed:
            answer = keyed[number]
            signals.append(Signal("answer-key", 1, f"number {number}"))
        elif answer is None and again is not None:
            answer = again
            signals.append(Signal("answer-key", 1, "the question restated"))
        ticked = ticked_answer(lesson, question) if answer is None and choices else ""
        if ticked:
            answer = ticked
            signals.append(Signal("ticked-option", 1, ticked))
        if answer is not None:
            if question.lettered:  # `B` names an option only when the author lettered them
                answer = with_option_text(answer, question.options)
            elif (
                # An answer that is an option's own text (`2` the option `2`) names none.
                not question.answer_as_written
                and (numbered := with_numbered_option(answer, question.options)) != answer
            ):
                answer = numbered
                signals.append(Signal("numbered-option", 1, answer.partition(")")[0]))
            answered = SelfCheckQuestion(
                source=source, question=shown, question_text=question_text, answer=answer
            )
            yield keep(answered, question.shape, *signals, Signal("author-answer", 1))
            continue
        if question.shape == CHALLENGE:
            # A challenge with no solution is an exercise on its own code, options or data
            # (`In what order does ls -R -t display things?`): the lesson's text teaches what
            # it applies but answers none of it. On the Carpentries sets every pointer such a
            # question got was graded JUNK.
            unsolved = Signal("challenge-unsolved", -1)
            yield drop(
                "question",
                source,
                question_text,
                question.shape,
                "no-answer-found",
                *signals,
                unsolved,
            )
            continue
        answerable = answerable or SectionIndex(lesson, config)
        defined = defined or DefinedTerms(lesson, config)
        by_terms = _defined_answer(defined, answerable, question_text)
        if by_terms is not None:
            terms, excerpt, confidence = by_terms
            pointer = SelfCheckQuestion(
                source=source,
                question=shown,
                question_text=question_text,
                answer_section=terms[0].section.path,
                excerpt=excerpt,
            )
            named = Signal("lesson-defines-term", 1, ", ".join(term.term for term in terms))
            answers = Signal("excerpt-answers", 1, f"{confidence:.2f}")
            yield keep(pointer, question.shape, *signals, named, answers)
            continue
        named = answerable.named_section(question_text, exclude=question.section)
        if named is not None and _pointer_verdict(answerable, question_text, named)[0] is None:
            best: Section | None = named
            signals.append(Signal("question-names-section", 1, named.title))
        else:
            best = answerable.best_section(
                question_text, exclude=question.section, line=question.line
            )
        if best is None:
            signals.append(Signal("no-answer-section", -1))
            yield drop(
                "question", source, question_text, question.shape, "no-answer-found", *signals
            )
            continue
        signals.append(Signal("answer-section-found", 0, " › ".join(best.path)))
        against, verdict = _pointer_verdict(answerable, question_text, best)
        if against is not None:
            yield drop(
                "question", source, question_text, question.shape, verdict, *signals, against
            )
            continue
        pointer = SelfCheckQuestion(
            source=source,
            question=shown,
            question_text=question_text,
            answer_section=best.path,
            excerpt=answerable.excerpt(best),
        )
        yield keep(pointer, question.shape, *signals, Signal("excerpt-answers", 1, verdict))


def _pointer_verdict(
    answerable: SectionIndex, question: str, section: Section
) -> tuple[Signal | None, str]:
    """Why the section's excerpt cannot stand as the question's answer (the evidence and the
    reason to drop), or None and the excerpt's confidence when it can."""
    excerpt = answerable.excerpt(section)
    unfit = unfit_excerpt(excerpt, question, section.path)
    if unfit is not None:
        return unfit, "no-answer-found"
    code = answerable.reads_code(section)
    explain = _EXPLAIN.search(question)
    if explain is not None and code:
        # Commands show how X is done, not why, nor how X differs from Y: `gunicorn
        # --worker-class uvicorn...` names both servers and compares nothing.
        return Signal("code-cannot-explain", -1, explain.group(0)), "no-answer-found"
    written = answerable.written_file(section)
    if written == HERE_DOCUMENT or (written and _is_step(section, answerable.lesson.sections)):
        # `cat > Dockerfile << 'EOF'` and the script an exercise step has the learner write
        # (`# Create a script: sets.py`) are the exercise's material: their comments say what
        # the next lines of that file do, not what a reflection question asks.
        return Signal("excerpt-is-written-file", -1, written), "no-answer-found"
    tasks = answerable.config.instruction_sections
    if (
        not code
        and (_is_step(section, answerable.lesson.sections) or within(section, tasks))
        and _gives_steps(excerpt)
    ):
        # `### Task 2.1: Set up LFS` opening `Configure LFS for model files.` tells the learner
        # what to do next: it says neither why nor how LFS differs from DVC, and the how is in
        # the commands below it, which a prose excerpt leaves out (read from code, the commands
        # are the excerpt, and answer a question that asks how).
        return Signal("excerpt-gives-steps", -1), "no-answer-found"
    field = repeated_field(excerpt)
    if field is not None and answerable.coverage(question, " ".join(section.path))[0] < (
        ANSWER_CONFIDENCE
    ):
        # `Problem: ...; Solution: ...; Problem: ...` under `Troubleshooting`, for "Why use
        # virtual environments?": records answer what their section's heading names (`Career
        # Path` over roles' pay and focus), not a question the heading does not name.
        return Signal("excerpt-lists-records", -1, field), "no-answer-found"
    confidence, missing = answerable.confidence(question, section)
    if confidence < ANSWER_CONFIDENCE:
        lacks = f"lacks {', '.join(missing)}" if missing else "asks about no topic word"
        return Signal("low-answer-confidence", -1, f"{confidence:.2f}, {lacks}"), "answer-uncertain"
    return None, f"{confidence:.2f}, read from code" if code else f"{confidence:.2f}"


def _gives_steps(excerpt: str) -> bool:
    """Whether an excerpt is instructions: it opens with a verb of doing (`Configure LFS for
    model files.`), or half of its sentences do (`Manage dependencies as submodules. Update to
    the latest version.`: a step's tasks, the first one's verb a rarer one)."""
    sentences = [s for s in _SENTENCE.split(excerpt) if s.strip()]
    instructions = sum(1 for sentence in sentences if ASKING_OPENER.match(sentence))
    return bool(ASKING_OPENER.match(excerpt)) or 2 * instructions >= len(sentences) > 1


# Where a sentence ends: its full stop (or `!`, `?`) before a space.
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _is_step(section: Section, sections: list[Section]) -> bool:
    """A section under a numbered step of an exercise: `## Part 3: ...`, `### Task 2.1: ...`,
    or a heading that a word and a number open, as they open a sibling's (`### Challenge 1:
    ...`, `### Challenge 2: ...`): numbered alike, the siblings are an exercise's steps or
    challenges, whatever the word."""
    return any(_NUMBERED_STEP.match(heading) for heading in section.path) or any(
        _numbered_among_siblings(section.path[: depth + 1], sections)
        for depth in range(len(section.path))
    )


def _numbered_among_siblings(path: tuple[str, ...], sections: list[Section]) -> bool:
    numbered = _LABEL_NUMBER.match(path[-1])
    if numbered is None:
        return False
    label = numbered.group(1).lower()
    return any(
        len(other.path) == len(path)
        and other.path[:-1] == path[:-1]
        and other.path[-1] != path[-1]
        and (sibling := _LABEL_NUMBER.match(other.path[-1])) is not None
        and sibling.group(1).lower() == label
        for other in sections
    )


# `Challenge 2: ...`, `Drill 3`: a word, then a number.
_LABEL_NUMBER = re.compile(r"^\W*([^\W\d_]+)\s+\d")


_NUMBERED_STEP = re.compile(
    rf"^\W*(?:{alternatives((*defaults().sequence_labels, *defaults().pointers))})s?\s+\d", re.I
)


# `Why ...?`, `What's the difference between X and Y?`, `X vs Y`: a question that asks for a
# reason or a comparison, which a block of commands does not give.
_EXPLAIN = re.compile(
    rf"\b(?:{alternatives(defaults().reason_words + defaults().versus_words)})\b", re.I
)


def _defined_answer(
    defined: DefinedTerms, answerable: SectionIndex, question: str
) -> tuple[list[DefinedTerm], str, float] | None:
    """The lesson's definitions of the terms the question names, as its answer (the terms,
    the excerpt, its confidence), when they answer it."""
    found = defined.answer(question, answerable.coverage)
    if found is None:
        return None
    terms, excerpt = found
    if unfit_excerpt(excerpt, question, ()) is not None:
        return None
    confidence, _ = answerable.coverage(question, excerpt)
    return (terms, excerpt, confidence) if confidence >= ANSWER_CONFIDENCE else None


# `What does this code print?`, `the snippet above`, `this PromQL query`: the question is about
# a block of code (or a text diagram) that the card must show. `the previous command` is the
# shell's last command run (`$?`, `!!`), not a block.
_BLOCK_REFERENCE = re.compile(
    r"\b(?:this|these|the\s+(?:following|above|previous(?!\s+commands?\b)))\s+"
    r"(?:[\w./-]+\s+)?"
    r"(?:code|snippet|query|command|commands|output|script|program|function|dockerfile|"
    r"manifest|yaml|json|configuration|config|diagram)\b"
    r"|\b(?:code|snippet|query|command|output|script|diagram)\s+(?:above|below)\b",
    re.I,
)


def _adjacent_block(lesson: Lesson, line: int) -> str | None:
    """The source of the code block right above or right below the question's block (inside
    a list item's question, the item's own code), or None when none touches it."""
    tokens = lesson.tokens
    for index, token in enumerate(tokens):
        if token.nesting != 1 or not token.map or token.map[0] != line - 1:
            continue
        if token.type in LIST_OPEN:
            continue  # the list of the question's item starts on its line: the item follows
        close = close_of(tokens, index)
        inside = [t for t in tokens[index:close] if t.type in CODE_BLOCKS]
        above, below = index - 1, close + 1
        if token.type == "list_item_open":
            # An item at its list's edge touches the block beyond the list: `2. What does the
            # following command print?` closing a list, then the fence.
            above -= tokens[above].type in LIST_OPEN
            below += below < len(tokens) and tokens[below].type in LIST_CLOSE
        around = [tokens[position] for position in (above, below) if 0 <= position < len(tokens)]
        for block in inside[:1] or [t for t in around if t.type in CODE_BLOCKS]:
            if block.map:
                return _block_text(lesson, block.map)
        return None
    return None


def _block_text(lesson: Lesson, span: list[int]) -> str:
    return textwrap.dedent(lesson.source(*span)).strip()  # a block in a list item is indented


def _blocks_before(lesson: Lesson, line: int, options: bool) -> list[str]:
    """The code blocks between the stem of a question (on `line`) and its first option
    (`**What is the output?**`, a fence, then `A) 2`), or, for a question without options,
    the `<details>` block that hides its answer (`What does this print?`, a fence, then
    `<details><summary>Answer</summary>`). Whatever the stem's words, the question is about
    that code, and its card is unanswerable without it."""
    tokens = lesson.tokens
    if not options and _DETAILS_BLOCK.search(lesson.text) is None:
        return []  # most lessons: no hidden answer, so no code before one
    stems = ("paragraph_open", "heading_open")
    start = next(
        (n for n, t in enumerate(tokens) if t.type in stems and t.map and t.map[0] == line - 1),
        None,
    )
    if start is None:
        return []
    if not options:
        # Past the stem's three tokens: its code, then (past a hint) the hidden answer.
        after, code = past_code_and_hint(tokens, start + 3)
        if after >= len(tokens) or not hides_answer(tokens[after]):
            return []
        return [_block_text(lesson, tokens[n].map) for n in code if tokens[n].map]
    blocks: list[str] = []
    for token in tokens[start + 1 :]:
        if token.type == "inline" and OPTION_LINE.search(token.content):
            return blocks  # the first option (in the stem's own paragraph: no block between)
        if token.type in ("heading_open", "hr"):
            break
        if token.type in CODE_BLOCKS and token.map:
            blocks.append(_block_text(lesson, token.map))
    return []


_DETAILS_BLOCK = re.compile(r"<details", re.I)


def _not_askable(question: str, answered: bool) -> tuple[str, Signal] | None:
    """Why no card can hold this question's answer (a reason and its evidence), or None. A
    question about the learner (`Am I confident ...?`) has no answer in the lesson, unless the
    author wrote one: a FAQ's `Do I need a GPU?` with its `A: No, ...`."""
    external = _EXTERNAL.search(question)
    if external:
        return "needs-external-material", Signal("external-material", -1, external.group(0))
    person = _FIRST_PERSON.search(question)
    if person and not answered:
        return "asks-about-the-learner", Signal("first-person", -1, person.group(0))
    task = None if answered or question.rstrip().endswith("?") else TASK_OPENING.match(question)
    if task is not None:
        # `Write a script that ...`: a thing to make, not a fact to recall; no excerpt of the
        # lesson is its answer (its section's instructions would be the card's).
        return "task-not-question", Signal("task-prompt", -1, task.group(0))
    return None


def _questions(lesson: Lesson, config: ExtractConfig) -> Iterator[Question | Candidate]:
    """Every finder's questions, the challenges' first: a question another shape finds inside
    a challenge is the challenge's, and a question's line is read once (`_candidates`)."""
    yield from learn_questions(lesson)
    yield from admonition_questions(lesson)
    yield from challenge_questions(lesson)
    yield from quiz_questions(lesson, config)
    yield from marked_questions(lesson, config)
