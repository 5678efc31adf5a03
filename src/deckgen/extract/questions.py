"""Self-check questions, with the lesson's answer when it has one.

Questions are the items of a list under a "Self-Check Questions" (or kin) heading or bold label,
numbered quiz headings (`### Question 3`, `### Q3. What is ...?`), labelled or numbered
questions (and numbered headings) above an `A)`-`E)` option list or the author's answer
anywhere, those of a lesson titled as a quiz, and `What is X?` / `Why ...?` headings; a quiz
with no heading but its title is read under it. A question's options show on its card and are
never questions. Its answer, when the lesson gives one, comes from a `<details>` block, an
`**Answer:** B` line (with the option's text), an answer key (a section, a `<details>` block, a
`1-b, 2-c` line, a table, or a file next to a quiz), or, for a heading, its own section's first
prose. A question with no answer points at the section that answers it
(`deckgen.extract.pointers`), and makes no card when no excerpt of it can stand as the answer.
Every candidate is kept or dropped with its reason: see docs/extraction.md.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from deckgen.config import ExtractConfig
from deckgen.defaults import alternatives, defaults
from deckgen.diagnostics import Diagnostic
from deckgen.extract.answers import (
    ASKING_OPENER,
    OPTION,
    answer_key,
    blocks_as_section,
    close_of,
    key_file_answers,
    opening_prose,
    restated_answers,
    scope_end,
)
from deckgen.extract.challenges import CHALLENGE, challenge_questions
from deckgen.extract.common import (
    CODE_BLOCKS,
    LIST_CLOSE,
    LIST_OPEN,
    QUESTION_HEADING,
    TASK_OPENING,
    bold_lead,
    is_question_scope,
    is_skipped,
    matches_any,
    names_questions,
    source_ref,
    undecorated,
    within,
    within_each,
)
from deckgen.extract.defined_terms import DefinedTerm, DefinedTerms
from deckgen.extract.evidence import Candidate, Signal, drop, keep
from deckgen.extract.marked_prompts import marked_questions
from deckgen.extract.pointers import (
    ANSWER_CONFIDENCE,
    HERE_DOCUMENT,
    SectionIndex,
    unfit_excerpt,
)
from deckgen.extract.question_blocks import (
    OVER_OPTIONS,
    details_question,
    heading_of_questions,
    heading_question,
    list_questions,
    paragraph_questions,
)
from deckgen.extract.question_parts import (
    DASH_RUN,
    OPTION_LINE,
    Question,
    choice_lines,
    ticked_answer,
    with_numbered_option,
    with_option_text,
)
from deckgen.extract.question_tables import table_questions
from deckgen.identity import normalize_key
from deckgen.items import SelfCheckQuestion
from deckgen.lesson import Lesson, Section, plain_text

if TYPE_CHECKING:  # the parser is imported on first use: a no-op build never needs it
    pass

# A question the lesson cannot answer: it hands the learner material the card cannot hold.
_EXTERNAL = re.compile(
    r"\b(?:attached|accompanying|provided|linked|given|following)\s+(?:\w+\s+)?"
    r"(?:data\s*set|dataset|spreadsheet|csv|file|form|notebook|worksheet|template|screenshot)s?\b"
    r"|\bfill\s+(?:in|out)\s+the\b",
    re.I,
)
# `Am I ...?`, `Which platform am I most comfortable with?`: a reflection about the learner.
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|[Mm]e|[Mm]y|[Mm]yself)\b")
# `What is X?`, `What are X?`, `Why ...?` headings: a question the section answers itself.
_ASKING_HEADING = re.compile(r"^(?:what\s+(?:is|are)\s+\S.*|why\s+\S.*)\?$", re.I)


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
    if OPTION_LINE.search(lesson.text) is None:
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
        between = _blocks_before_options(lesson, question.line) if choices else []
        between = [] if question.body else between  # the body holds them already
        if between:
            signals.append(Signal("code-before-options", 1, str(len(between))))
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
            elif (numbered := with_numbered_option(answer, question.options)) != answer:
                answer = numbered
                signals.append(Signal("numbered-option", 1, answer.partition(")")[0]))
            answered = SelfCheckQuestion(
                source=source, question=shown, question_text=question_text, answer=answer
            )
            yield keep(answered, question.shape, *signals, Signal("author-answer", 1))
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
    if written == HERE_DOCUMENT or (written and _is_step(section)):
        # `cat > Dockerfile << 'EOF'` and the script an exercise step has the learner write
        # (`# Create a script: sets.py`) are the exercise's material: their comments say what
        # the next lines of that file do, not what a reflection question asks.
        return Signal("excerpt-is-written-file", -1, written), "no-answer-found"
    if not code and _is_step(section) and ASKING_OPENER.match(excerpt):
        # `### Task 2.1: Set up LFS` opening `Configure LFS for model files.` tells the learner
        # what to do next: it says neither why nor how LFS differs from DVC, and the how is in
        # the commands below it, which a prose excerpt leaves out (read from code, the commands
        # are the excerpt, and answer a question that asks how).
        return Signal("excerpt-gives-steps", -1), "no-answer-found"
    confidence, missing = answerable.confidence(question, section)
    if confidence < ANSWER_CONFIDENCE:
        lacks = f"lacks {', '.join(missing)}" if missing else "asks about no topic word"
        return Signal("low-answer-confidence", -1, f"{confidence:.2f}, {lacks}"), "answer-uncertain"
    return None, f"{confidence:.2f}, read from code" if code else f"{confidence:.2f}"


def _is_step(section: Section) -> bool:
    """A section under a numbered step of an exercise: `## Part 3: ...`, `### Task 2.1: ...`."""
    return any(_NUMBERED_STEP.match(heading) for heading in section.path)


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


def _blocks_before_options(lesson: Lesson, line: int) -> list[str]:
    """The code blocks between the stem of a question with options (on `line`) and its first
    option: `**What is the output?**`, a fence, then `A) 2`. Whatever the stem's words, the
    question is about that code, and its card is unanswerable without it."""
    tokens = lesson.tokens
    stems = ("paragraph_open", "heading_open")
    start = next(
        (n for n, t in enumerate(tokens) if t.type in stems and t.map and t.map[0] == line - 1),
        None,
    )
    if start is None:
        return []
    blocks: list[str] = []
    for token in tokens[start + 1 :]:
        if token.type == "inline" and OPTION_LINE.search(token.content):
            return blocks  # the first option (in the stem's own paragraph: no block between)
        if token.type in ("heading_open", "hr"):
            break
        if token.type in CODE_BLOCKS and token.map:
            blocks.append(_block_text(lesson, token.map))
    return []


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
    """Quiz headings, the items of lists under question headings or bold question labels,
    labelled or numbered questions above an option list, and `What is X?` headings."""
    tokens = lesson.tokens
    in_key = within_each(lesson.sections, config.answer_key_headings)
    # Reading every paragraph and list of a lesson for a question above options costs; a lesson
    # with no line shaped like an option has no such question.
    choices = OPTION_LINE.search(lesson.text) is not None or DASH_RUN.search(lesson.text)
    # ...nor one without an answer (`**Answer:**`, `<summary>Show answer</summary>`) nor a
    # quiz's title a question that only asks.
    quiz = _quiz_title(lesson, config)
    answered = quiz is not None or _MAY_ANSWER.search(lesson.text) is not None
    numbering = _Numbering(quiz)
    # First: a question another shape finds inside a challenge is the challenge's, and a
    # question's line is read once (`_candidates`).
    yield from challenge_questions(lesson)
    sections = list(zip(lesson.sections, in_key, strict=True))
    preamble = _preamble(lesson)
    if preamble is not None:
        sections.insert(0, (preamble, False))
    for section, answers in sections:
        if answers:
            continue
        numbered = QUESTION_HEADING.match(section.title)
        if numbered:
            question = heading_question(lesson, section, numbered)
            if question is not None:
                yield question
        elif matches_any(section.title, config.question_headings):
            end = _before_heading_questions(lesson, section)
            listed = list_questions(lesson, section, section.start_token + 3, end)
            yield from _unless_topics(listed)
            yield from paragraph_questions(lesson, section, faq=True)
        elif within(section, config.question_headings):
            if undecorated(section.title).endswith("?"):
                yield heading_of_questions(lesson, section)
        elif _FAQ_HEADING.match(undecorated(section.title)):
            yield heading_of_questions(lesson, section, "q-heading")
        elif is_skipped(section, config):
            continue
        elif (named := _named_questions(lesson, section, config)) is not None:
            yield from named
        elif (quiz := _numbered_quiz_heading(lesson, section)) is not None:
            yield quiz
        elif not is_question_scope(section, config):
            if choices or answered:
                yield from _choice_questions(lesson, section, numbering)
            if _ASKING_HEADING.match(undecorated(section.title)):
                yield _asking_heading(lesson, section, config)
    yield from table_questions(lesson, config, _quiz_title(lesson, config))
    for index, _, section in lesson.walk("html_block"):
        if section is not None and not within(section, config.answer_key_headings):
            hidden = details_question(lesson, index, section)
            if hidden is not None:
                yield hidden
    # `**Reflection Questions**` (alone in a paragraph or a list item) above a list. Lists are
    # far fewer than inline tokens; no heading can start between a list and the label.
    for index, _, section in lesson.walk(*LIST_OPEN):
        label = tokens[index - 2] if index >= 2 else None
        if section is None or label is None or label.type != "inline":
            continue
        if within(section, config.answer_key_headings):
            continue
        named = _label_of_questions(label.content, config)
        if named == "exact":
            yield from list_questions(lesson, section, index, close_of(tokens, index))
        elif named:
            found = list_questions(lesson, section, index, close_of(tokens, index))
            yield from _when_asking(found, label.content) or ()
    yield from marked_questions(lesson, config)


def _preamble(lesson: Lesson) -> Section | None:
    """What stands under the lesson's title before its first other heading, as a section
    named by the title, with no path; None when nothing does. A quiz file often has no
    heading but its title (`# Module 3 Quiz`, then `**Question 1:** ...`): its questions are
    there."""
    tokens = lesson.tokens
    end = lesson.sections[0].start_token if lesson.sections else len(tokens)
    titled = bool(tokens) and tokens[0].type == "heading_open" and tokens[0].tag == "h1"
    first = 3 if titled else 0  # past the title's heading
    if first >= end:
        return None
    return blocks_as_section(lesson.title if titled else "", 1, first, end)


def _label_of_questions(content: str, config: ExtractConfig) -> str:
    """`exact` for a bold label that is a question heading (`**Reflection Questions**`),
    `phrase` for one that holds one (`**Reflection questions for this week:**`), else ``."""
    if not content.rstrip(" :").endswith(("**", "__")):
        return ""  # a label is all bold: nothing but spaces and colons after its bold
    lead = bold_lead(content)
    if lead is None or lead.rest.strip(" :"):
        return ""
    if matches_any(lead.term_text, config.question_headings):
        return "exact"
    return "phrase" if names_questions(lead.term_text, config.question_headings) else ""


def _named_questions(
    lesson: Lesson, section: Section, config: ExtractConfig
) -> list[Question | Candidate] | None:
    """The questions of a section whose heading holds a question heading as a phrase
    (`## Reflection Questions for Week 3`, `## 🧠 Knowledge Check: Docker`), when most of its
    items ask; None when the heading names none, or its items are not questions."""
    if not names_questions(section.title, config.question_headings):
        return None
    found: list[Question | Candidate] = [
        *list_questions(lesson, section, section.start_token + 3, section.end_token),
        *paragraph_questions(lesson, section),
    ]
    return _when_asking(found, section.title)


def _when_asking(
    found: list[Question | Candidate], label: str
) -> list[Question | Candidate] | None:
    """The items under a heading or label that only holds a question heading's phrase, with
    the signal, when at least half of them ask (end in `?`): a list of tasks or notes under
    `## Questions and Tasks` is no question list. Items that do not ask (`Explain ...`) are
    questions too when their siblings ask."""
    asked = [question for question in found if isinstance(question, Question)]
    asking = [q for q in asked if plain_text(q.content).rstrip().endswith("?")]
    if not asking or 2 * len(asking) < len(asked):
        return None
    names = Signal("heading-names-questions", 1, undecorated(plain_text(label)))
    siblings = Signal("siblings-ask", 1, f"{len(asking)} of {len(asked)}")
    for question in asked:
        question.signals = (*question.signals, names, siblings)
    return found


def _unless_topics(found: list[Question | Candidate]) -> list[Question | Candidate]:
    """The items of a list under a question heading, marked `list-names-topics` when none of
    them asks: no `?`, no options, no blank to fill, none opening with a verb that asks the
    learner to do or say something (`instruction_verbs`, `task_verbs`). `- Security best
    practices` and `- Service selection scenarios` under `### Knowledge Checks` name what an
    assessment covers; unless an answer key answers them, they are topics, not questions."""
    asked = [question for question in found if isinstance(question, Question)]
    if not asked or any(_may_ask(question) for question in asked):
        return found
    topics = Signal(TOPICS, -1, f"{len(asked)} items, none asks")
    for question in asked:
        question.signals = (*question.signals, topics)
    return found


TOPICS = "list-names-topics"


def _may_ask(question: Question) -> bool:
    text = plain_text(question.content).strip()
    return (
        text.endswith("?")
        or "__" in text
        or question.answer is not None
        or bool(question.options)
        or ASKING_OPENER.match(text) is not None
    )


def _before_heading_questions(lesson: Lesson, section: Section) -> int:
    """Where a question section's own lists end: at its first subsection whose heading asks
    (`### Do I need a GPU?` under `## FAQ`), whose lists are that question's answer."""
    tokens = lesson.tokens
    for position in range(section.start_token + 3, section.end_token):
        token = tokens[position]
        if token.type == "heading_open" and tokens[position + 1].content.rstrip().endswith("?"):
            return position
    return section.end_token


@dataclass
class _Numbering:
    """The number of the last numbered question found outside question sections, in lesson
    order: a numbered item that comes next (`3.` after `2.`) continues the quiz. And the
    lesson's title when it names a quiz (`# Week 3 Quiz`): its questions need no options."""

    quiz: str | None = None
    last: int | None = None


# A lesson that never says `answer` (nor `Correct:`, `Ans:`) gives none below a question.
_MAY_ANSWER = re.compile(
    r"\banswer|^\s*(?:(?:\*\*|__)?A(?:\*\*|__)?\s*:|→|=>)|"
    rf"^\s*(?:\*\*|__)?(?:{alternatives(defaults().option_answer_labels)})\s*:",
    re.I | re.M,
)


def _quiz_title(lesson: Lesson, config: ExtractConfig) -> str | None:
    """The lesson's title when it names a quiz or a question list anywhere (`# Chapter 2
    Quiz`, `# Networking Review Questions`): the whole file is a quiz."""
    title = lesson.title
    return title if names_questions(title, config.question_headings, anywhere=True) else None


def _choice_questions(
    lesson: Lesson, section: Section, numbering: _Numbering
) -> Iterator[Question | Candidate]:
    """Outside question sections, a numbered or labelled question is one when options follow it:
    `**Question 2**: ...`, `**Q1.1:** ...` paragraphs and `1. ...?` items, each above `A)`-`E)`.
    A numbered item without options is one when its number continues the numbering of those
    questions (`3. UDP retransmits lost packets. (True/False)` under `## Part 2: True or
    False`, after questions 1 and 2): the quiz goes on in another part."""
    end = scope_end(lesson, section)
    found: list[Question | Candidate] = [
        *paragraph_questions(lesson, section),
        *list_questions(lesson, section, section.start_token + 3, end),
    ]
    found.sort(key=lambda q: q.line if isinstance(q, Question) else q.source.line)
    asked: list[Question] = []
    for question in found:
        if not isinstance(question, Question):
            continue
        number = int(question.number) if (question.number or "").isdigit() else None
        if choice_lines(question.options):
            question.shape = "choice-question"
            if not any(signal.name == OVER_OPTIONS for signal in question.signals):
                question.signals = (*question.signals, Signal("question-label", 1))
        elif number is not None and numbering.last is not None and number == numbering.last + 1:
            question.shape = "numbered-question"
            previous = Signal("continues-numbering", 1, f"after {numbering.last}")
            question.signals = (*question.signals, previous)
        elif question.answer is not None and _asks(question) and not question.bold_answered:
            # `**2.** UDP retransmits lost datagrams. (True/False)` over `**Answer:** False`:
            # a question the author answers right below needs no options.
            question.shape = "answered-question"
            question.signals = (*question.signals, Signal("answer-below", 1))
        elif numbering.quiz is not None and _asks(question):
            question.shape = "quiz-question"
            question.signals = (*question.signals, Signal("title-names-quiz", 1, numbering.quiz))
        else:
            continue
        asked.append(question)
        numbering.last = number
    if not asked:
        return
    yield from asked
    yield from (c for c in found if isinstance(c, Candidate) and c.reason == "option-of-question")


def _asking_heading(
    lesson: Lesson, section: Section, config: ExtractConfig
) -> Question | Candidate:
    """`## What is X?` / `## Why ...?` asks a question its section answers: the answer is the
    section's first prose, paragraphs and the list one of them introduces (or a list alone).
    Unless `extract.asking_headings` is on, such a heading titles its section: no card."""
    question = undecorated(section.title)
    source = source_ref(lesson, section.line, section)
    asks = Signal("question-heading", 1)
    if not config.asking_headings:
        title = Signal("lecture-heading", -1, "extract.asking_headings is off")
        return drop("question", source, question, "asking-heading", "heading-is-a-title", title)
    prose = opening_prose(lesson, section, scope_end(lesson, section))
    if isinstance(prose, str):
        # `**X** is ...` under `What is X?`: the definition's card says it already.
        defined = Signal("bold-term-opens-section", -1, prose)
        reason = "left-to-definition"
        return drop("question", source, question, "asking-heading", reason, asks, defined)
    if not prose:
        no_prose = Signal("no-prose", -1)
        reason = "no-prose-in-section"
        return drop("question", source, question, "asking-heading", reason, asks, no_prose)
    return Question(
        question,
        section.line,
        section,
        None,
        "\n\n".join(prose),
        {},
        shape="asking-heading",
        signals=(asks, Signal("section-prose", 1)),
    )


# `### 1. Which policy ...?`: a numbered heading, its number, its text.
_NUMBERED_HEADING = re.compile(r"^\W*(\d+)[.)]\s+(\S.*)$")


def _numbered_quiz_heading(lesson: Lesson, section: Section) -> Question | None:
    """`### 1. Which policy evicts ...?` above lettered options or the author's answer: a
    quiz's question, as `### Question 1: ...` is. A numbered heading over neither titles a
    part of a lesson (`## 2. What is a Container?`)."""
    numbered = _NUMBERED_HEADING.match(section.title)
    if numbered is None:
        return None
    question = heading_question(lesson, section, numbered)
    if question is None:
        return None
    if choice_lines(question.options):
        question.shape = "choice-question"
        question.signals = (Signal("numbered-heading", 1, "options below"),)
    elif question.answer is not None and _asks(question):
        question.shape = "answered-question"
        question.signals = (Signal("numbered-heading", 1, "answer below"),)
    else:
        return None
    return question


# `(True/False)`, `True or False:`: a statement the learner judges.
_TRUE_FALSE = re.compile(r"\btrue\s*(?:/|or)\s*false\b", re.I)


def _asks(question: Question) -> bool:
    """The question asks (ends in `?`), or has the learner judge a statement true or false:
    not an exercise's task, whose `<details>` holds its solution."""
    text = plain_text(question.content).rstrip()
    return text.endswith("?") or _TRUE_FALSE.search(text) is not None


# `### Q: Do pods keep their IP?`: a heading labelled as a question asks it, whatever its parent.
_FAQ_HEADING = re.compile(r"^Q\d*\s*[:.]\s+\S.*\?$")
