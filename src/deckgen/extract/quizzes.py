"""Where a lesson's quiz and self-check questions stand, and which of the blocks there count
as questions: the lists and paragraphs of a question section (`## Review Questions`, `## FAQ`)
or below a bold label of one, numbered quiz headings, stems over options or over their answer
anywhere (`choice-question`, `answered-question`), a quiz's numbering carried into its later
parts (`numbered-question`), a lesson titled as a quiz (`quiz-question`), `What is X?`
headings, tables of questions, `<details>` blocks that ask, and numbered lists above a
`<details>` block that hides their key (`key-below-list`).

Separate from `question_blocks`, which reads one block as a question: this module walks the
lesson's sections and labels and says which readers run where, and what makes their finds
questions (a heading that names questions, siblings that ask, a quiz title).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from deckgen.config import ExtractConfig
from deckgen.defaults import alternatives, defaults
from deckgen.extract.answers import (
    ASKING_OPENER,
    QUESTION_PREFIX,
    answer_in,
    blocks_as_section,
    close_of,
    key_below_list,
    opening_prose,
    scope_end,
)
from deckgen.extract.common import (
    LIST_OPEN,
    QUESTION_HEADING,
    LineStart,
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
from deckgen.extract.evidence import Candidate, Signal, drop
from deckgen.extract.question_blocks import (
    OVER_OPTIONS,
    details_question,
    heading_of_questions,
    heading_question,
    hides_answer,
    list_questions,
    paragraph_questions,
    past_code_and_hint,
)
from deckgen.extract.question_parts import DASH_RUN, Question, choice_lines, holds_option_line
from deckgen.extract.question_tables import table_questions
from deckgen.lesson import Lesson, Section, line_of, plain_text

# `What is X?`, `What are X?`, `Why ...?` headings: a question the section answers itself.
_ASKING_HEADING = re.compile(r"^(?:what\s+(?:is|are)\s+\S.*|why\s+\S.*)\?$", re.I)


def quiz_questions(lesson: Lesson, config: ExtractConfig) -> Iterator[Question | Candidate]:
    """Quiz headings, the items of lists under question headings or bold question labels,
    labelled or numbered questions above an option list, `What is X?` headings, tables of
    questions, `<details>` blocks that ask, and numbered lists that ask above a `<details>`
    block hiding their key."""
    keyed = _keyed_lists(lesson, config)
    if not keyed.answers:
        yield from _placed_questions(lesson, config)
        return
    found: set[int] = set()
    for question in _placed_questions(lesson, config):
        line = question.line if isinstance(question, Question) else question.source.line
        if any(line in hidden for hidden in keyed.hidden):
            continue  # the key's own items: answers, not questions
        if isinstance(question, Question):
            found.add(question.line)
            keyed.answer(question)
        yield question
    for index, close, section in keyed.lists:
        listed = list_questions(lesson, section, index, close)
        if all(question.line in found for question in listed if isinstance(question, Question)):
            continue  # a question section's list, answered above
        asked = [question for question in listed if isinstance(question, Question)]
        asking = [q for q in asked if plain_text(q.content).rstrip().endswith("?")]
        if not asking or 2 * len(asking) < len(asked):
            continue  # `For each algorithm, state ...` over `1. Insertion sort`: tasks
        siblings = Signal("siblings-ask", 1, f"{len(asking)} of {len(asked)}")
        for question in asked:
            keyed.answer(question)
            question.signals = (*question.signals, siblings)
        yield from listed


@dataclass
class _KeyedLists:
    """Numbered lists right above a `<details>` block whose summary names an answer key and
    whose numbered items answer every item of the list by number (`1. What ...?` / `2. Why
    ...?` over `<summary>Show answers</summary>` / `1. ...` / `2. ...`): a self-check with its
    key hidden below it, whatever the heading above says. Each item's answer by its line; the
    lines the key blocks span; and each list (its tokens, and its section)."""

    answers: dict[int, str] = field(default_factory=dict)
    hidden: list[range] = field(default_factory=list)
    lists: list[tuple[int, int, Section]] = field(default_factory=list)
    count: dict[int, int] = field(default_factory=dict)  # item line -> how many the key answers

    def answer(self, question: Question) -> None:
        """Give the question its answer from the key below its list (the key, not the whole
        block, which the list's last item would otherwise take as its own answer)."""
        answer = self.answers.get(question.line)
        if answer is not None:
            question.answer = answer
            below = Signal(KEY_BELOW_LIST, 1, f"{self.count[question.line]} answers")
            question.signals = (*question.signals, below)


KEY_BELOW_LIST = "key-below-list"
# Most lessons hold no `<details>` block: no list of theirs can stand over a hidden key.
_DETAILS = re.compile(r"<details", re.I)


def _keyed_lists(lesson: Lesson, config: ExtractConfig) -> _KeyedLists:
    keyed = _KeyedLists()
    if _DETAILS.search(lesson.text) is None:
        return keyed
    tokens = lesson.tokens
    preamble = _preamble(lesson)
    for index, token, section in lesson.walk("ordered_list_open"):
        section = section or preamble
        close = close_of(tokens, index)
        key = key_below_list(lesson, close, config)
        if key is None or section is None:
            continue
        answers, end = key
        items = [
            position
            for position in range(index + 1, close)
            if tokens[position].type == "list_item_open"
            and tokens[position].level == token.level + 1
        ]
        if len(items) < 2 or any(tokens[item].info not in answers for item in items):
            continue  # a key that does not answer every item by its number is another list's
        for item in items:
            line = line_of(tokens[item + 1]) if tokens[item + 1].map else line_of(tokens[item])
            keyed.answers[line] = answers[tokens[item].info]
            keyed.count[line] = len(answers)
        first, last = tokens[close + 1].map, tokens[end].map
        if first and last:
            keyed.hidden.append(range(first[0] + 1, last[1] + 1))
        keyed.lists.append((index, close, section))
    return keyed


def _placed_questions(lesson: Lesson, config: ExtractConfig) -> Iterator[Question | Candidate]:
    """The questions found where a lesson places them: its question sections and labels,
    quiz headings, stems over options or answers, tables and `<details>` blocks."""
    tokens = lesson.tokens
    in_key = within_each(lesson.sections, config.answer_key_headings)
    # Reading every paragraph and list of a lesson for a question above options costs; a lesson
    # with no line shaped like an option has no such question.
    choices = holds_option_line(lesson.text) or DASH_RUN.search(lesson.text)
    # ...nor one without an answer (`**Answer:**`, `<summary>Show answer</summary>`) nor a
    # quiz's title a question that only asks.
    quiz = _quiz_title(lesson, config)
    answered = quiz is not None or may_answer(lesson.text)
    numbering = _Numbering(quiz)
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
            hidden = _heading_over_hidden_answer(lesson, section)
            if hidden is not None:
                yield hidden
            if choices or answered:
                yield from _choice_questions(lesson, section, numbering)
            if hidden is None and _ASKING_HEADING.match(undecorated(section.title)):
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
# `may_answer` is `re.search(MAY_ANSWER, text, re.I | re.M)`, asked of every lesson's whole text
# the quick way: the word found as itself and its `\b` checked behind it (a pattern that opens
# on `\b` or `^` is tried at every character), the labels only at each line's start, where the
# white space before them is taken whole (no label opens with white space to give any back).
MAY_ANSWER = (
    r"\banswer|^\s*(?:(?:\*\*|__)?A(?:\*\*|__)?\s*:|→|=>)|"
    rf"^\s*(?:\*\*|__)?(?:{alternatives(defaults().option_answer_labels)})\s*:"
)
_ANSWER_WORD = re.compile(r"answer(?<!\w[\s\S]{6})", re.I)
_ANSWER_LINE = LineStart(
    r"(?>\s*)(?:(?:\*\*|__)?A(?:\*\*|__)?\s*:|→|=>"
    rf"|(?:\*\*|__)?(?:{alternatives(defaults().option_answer_labels)})\s*:)",
    re.I,
)


def may_answer(text: str) -> bool:
    return _ANSWER_WORD.search(text) is not None or _ANSWER_LINE.search(text)


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


def _heading_over_hidden_answer(lesson: Lesson, section: Section) -> Question | None:
    """`### Can a try block stand without a catch?` right above a `<details>` block that hides
    its answer (past the code the question asks about, or a hint): a question the author asks
    and answers behind a click, wherever it stands. A lecture's `## What is X?` titles its
    section; one whose section opens on a hidden answer asks. A heading that does not ask
    (`### Remove the package` over its command) sets a task."""
    title = undecorated(section.title)
    # Past the heading's three tokens, and the code the question asks about or a hint.
    first, _ = past_code_and_hint(lesson.tokens, section.start_token + 3)
    if not title.endswith("?") or first >= section.end_token:
        return None
    if not hides_answer(lesson.tokens[first]):
        return None
    answer = answer_in(lesson, first, scope_end(lesson, section))
    if answer is None:
        return None
    return Question(
        QUESTION_PREFIX.sub("", title, count=1),  # `### Q. Can you ...?`: `Q.` labels it
        section.line,
        section,
        None,
        answer,
        {},
        shape="answered-question",
        signals=(Signal(HIDDEN_ANSWER_BELOW, 1),),
    )


HIDDEN_ANSWER_BELOW = "hidden-answer-below"


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
