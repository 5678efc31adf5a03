"""A question read from the block it stands in: a paragraph (`**1. What is ...?**`, a stem
over options or over its answer), a list item, a heading (`### Question 3`, `### Do I need a
GPU?` under `## FAQ`), a `<details>` block whose summary asks; with its options and the answer
the author writes beside it.

Separate from `quizzes`, which decides where in a lesson these readers run and which of what
they find count as questions (a question section, a quiz's numbering, a quiz title): this
module only reads one block, wherever it stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from deckgen.defaults import alternatives, defaults
from deckgen.extract.answers import (
    ANSWER_LABEL,
    ANSWER_LINE,
    HEADING_NUMBER,
    HINT_SUMMARY,
    LABEL_ASIDE,
    NUMBERED_QUESTION,
    OPTION,
    QUESTION_PREFIX,
    SUMMARY_TEXT,
    answer_in,
    close_of,
    details_close,
    details_text,
    is_key,
    label_value,
    opening_prose,
    opens_options,
    prose_below,
    scope_end,
)
from deckgen.extract.common import (
    CODE_BLOCKS,
    LIST_OPEN,
    block_source,
    bold_lead,
    matches_any,
    source_ref,
    undecorated,
)
from deckgen.extract.evidence import Candidate, Signal, drop
from deckgen.extract.pointers import CHECKBOX
from deckgen.extract.question_parts import (
    Question,
    add_option,
    choice_lines,
    dash_options,
    named_option,
    options_below_question,
    options_in,
    roman_options,
    unlettered_options,
)
from deckgen.extract.question_stems import (
    bold_question_answered,
    label_only,
    paragraph_answer,
    question_lines,
)
from deckgen.lesson import Lesson, Section, line_of, plain_text

if TYPE_CHECKING:  # the parser is imported on first use: a no-op build never needs it
    from markdown_it.token import Token


def paragraph_questions(lesson: Lesson, section: Section, faq: bool = False) -> Iterator[Question]:
    """`**1. What is a container?**` paragraphs (not in a list), each up to the next one. With
    `faq` (under a question heading), a paragraph all in bold that asks is answered by the
    paragraph right below it, as a FAQ heading is by its first prose."""
    tokens = lesson.tokens
    end = scope_end(lesson, section)
    starts: list[tuple[int, str | None, list[str], str]] = []
    plain_stems: set[int] = set()
    quoted = 0  # how deep in block quotes: `> **Q:** ...?` / `> **A:** ...` is a callout's
    for position in range(section.start_token + 3, end):
        token = tokens[position]
        quoted += {"blockquote_open": 1, "blockquote_close": -1}.get(token.type, 0)
        if token.type != "paragraph_open" or token.level != quoted:
            continue
        if starts and starts[-1][0] == position:
            continue  # the stem below a label paragraph, found with it
        content = tokens[position + 1].content
        label = label_only(content)
        stem = position + 3  # the paragraph after the label's
        if label is not None and stem < end and tokens[stem].type == "paragraph_open":
            lines, marker = question_lines(tokens[stem + 1].content, fields=True)
            if lines and not OPTION.match(lines[0]):
                starts.append((stem, label, lines, marker))
            continue
        first_line = content.split("\n")[0]
        numbered = NUMBERED_QUESTION.match(plain_text(first_line))
        lead = bold_lead(first_line)
        plain = not numbered and (lead is None or bool(lead.rest.strip()))
        over = plain and _over_options(tokens, position)
        if plain and not over and not _answered_below(tokens, position):
            continue  # neither numbered nor a bold question nor over options: not a question
        lines, marker = question_lines(content)
        if not lines:
            continue
        bold_question = lead is not None and not lead.rest.strip()
        asks = (plain or bold_question) and lines[-1].endswith("?")
        if over and asks:
            plain_stems.add(position)
        if numbered or asks:
            own_number = NUMBERED_QUESTION.match(lines[0])
            if own_number:
                lines[0] = lines[0][own_number.end() :]
            label = _PLAIN_LABEL.match(first_line) if "\n" in content else None
            own = numbered or label  # `Question 3` alone above its stem numbers it too
            labelled = next((group for group in own.groups() if group), None) if own else None
            starts.append((position, labelled, lines, marker))
    for number, (position, numbered, lines, marker) in enumerate(starts):
        stop = starts[number + 1][0] if number + 1 < len(starts) else end
        options = options_in(tokens[position:stop])
        unlettered = {} if options else unlettered_options(tokens, position + 3)
        unlettered = unlettered or ({} if options else roman_options(tokens[position:stop]))
        answer = paragraph_answer(tokens[position + 1].content) or answer_in(
            lesson, position + 3, stop
        )
        if answer is None and faq and not options and not unlettered:
            answer = prose_below(tokens, position, stop)
        yield Question(
            "\n".join(lines),
            line_of(tokens[position]),
            section,
            numbered,
            answer or named_option(tokens[position:stop], options),
            options or unlettered,
            signals=(Signal(OVER_OPTIONS, 1),) if position in plain_stems else (),
            marker=marker,
            lettered=not unlettered,
            bold_answered=bold_question_answered(tokens[position + 1].content.split("\n"))
            is not None,
        )


# `Question 3`, `Q3:` alone on the first line of a question's paragraph: its number.
_PLAIN_LABEL = re.compile(rf"^\s*(?:question|q)\s*#?(\d+){LABEL_ASIDE}\s*[:.)]?\s*$", re.I)
OVER_OPTIONS = "asks-over-options"


def _over_options(tokens: list[Token], position: int) -> bool:
    """The paragraph opened at `position` is followed by an option `A)`: on one of its own
    later lines, or opening the next block (`Which port does SSH use?` / `A) 22` / `B) 80`)."""
    lines = tokens[position + 1].content.split("\n")
    if any(_first_option(line) for line in lines[1:]) or dash_options("\n".join(lines[1:])):
        return True
    # The next block's text: a paragraph's (4 tokens on), or its list's first item's (6 on).
    following = next((t for t in tokens[position + 3 : position + 7] if t.type == "inline"), None)
    if following is None:
        return False
    return _first_option(following.content.split("\n", 1)[0]) or bool(
        dash_options(following.content)
    )


def _answered_below(tokens: list[Token], position: int) -> bool:
    """The paragraph opened at `position` asks (its last line before the answer ends in `?`),
    and its answer follows on a line opening `A:`, `→` or `=>`: in the paragraph, or opening
    the next one (`**Q:** What is a TTL?` / `**A:** How long ...`)."""
    lines = tokens[position + 1].content.split("\n")
    for number, line in enumerate(lines[1:], start=1):
        if ANSWER_LINE.match(line):
            return lines[number - 1].rstrip(" *_").endswith("?") and not opens_options(
                lines[number:]
            )
    after, _ = past_code_and_hint(tokens, position + 3)
    below = tokens[after] if after < len(tokens) else None
    if below is not None and below.type == "html_block":
        # `Why does the pod restart?` over `<details><summary>Answer</summary>`: answered; and
        # so is `What does this print?` over its code, or over a hint, then the answer.
        return lines[-1].rstrip(" *_").endswith("?") and hides_answer(below)
    if after != position + 3:
        return False  # code or a hint, then no hidden answer: not this shape
    following = tokens[position + 4] if position + 4 < len(tokens) else None
    if following is None or tokens[position + 3].type != "paragraph_open":
        return False
    after = following.content.split("\n")
    # `**Question:** What is a TTL?` / `**Answer:** How long ...`: an answer label says so too.
    labelled = ANSWER_LINE.match(after[0]) is not None or label_value(after[0]) is not None
    return lines[-1].rstrip(" *_").endswith("?") and labelled and not opens_options(after)


def past_code_and_hint(tokens: list[Token], index: int) -> tuple[int, list[int]]:
    """The first block from token `index` on that is neither a code block (the code a
    question asks about: `What does this print?` over a fence) nor a `<details>` block whose
    summary offers a hint: where the author's answer to the question above may stand; and
    the code blocks passed on the way (not those inside a hint)."""
    code: list[int] = []
    while index < len(tokens):
        token = tokens[index]
        if token.type in CODE_BLOCKS:
            code.append(index)
            index += 1
        elif token.type == "html_block" and HINT_SUMMARY.search(
            token.content.lstrip().lower().partition("</summary>")[0]
        ):
            index = details_close(tokens, index) + 1
        else:
            break
    return index, code


def hides_answer(token: Token) -> bool:
    """The HTML block `token` opens a `<details>` block that hides an answer: its summary
    neither offers a hint nor asks a question of its own (`details-question`)."""
    opening = token.content.lstrip().lower()
    head = opening.partition("</summary>")[0]
    return (
        token.type == "html_block"
        and opening.startswith("<details")
        and not HINT_SUMMARY.search(head)
        and _SUMMARY_ASKS.search(head) is None
    )


# A summary that asks a question of its own (`details-question`), not the one above it.
_SUMMARY_ASKS = re.compile(r"\?\s*(?:<[^>]*>\s*)*$")


def _first_option(line: str) -> bool:
    match = OPTION.match(line)
    return match is not None and (match.group(1) or match.group(2)).upper() == "A"


def heading_of_questions(
    lesson: Lesson, section: Section, shape: str = "heading-in-question-section"
) -> Question | Candidate:
    """`### Do I need a GPU?` under `## FAQ`, `### 4. What is X?` under `## Self-Check`: the
    heading is the question; its answer is a `<details>` block or `**Answer:**` line in its
    section, or else the section's first prose (a FAQ's answer)."""
    end = scope_end(lesson, section)
    number = HEADING_NUMBER.match(section.title)
    answer = answer_in(lesson, section.start_token + 3, end) or _answer_heading(
        lesson, section, end
    )
    # `### 1. Which port ...?` over `- a) 80` / `- b) 7070`: the options are the question's, the
    # answer is the author's or the key's, never the option list read as the section's prose.
    options = options_in(lesson.tokens[section.start_token + 3 : end])
    if answer is None and not choice_lines(options):
        prose = opening_prose(lesson, section, end, define=False)
        answer = "\n\n".join(prose) if prose else None
    return Question(
        QUESTION_PREFIX.sub("", undecorated(section.title), count=1),  # `Q: ` labels it
        section.line,
        section,
        number.group(1) if number else None,
        answer,
        options if choice_lines(options) else {},
        signals=(Signal(shape, 1),),
    )


def list_questions(
    lesson: Lesson, section: Section, start: int, end: int
) -> list[Question | Candidate]:
    """Items of the outermost lists in tokens [start, end); nested lists belong to a question.

    An item that is an option (`A) text`, `[ ] B) text`), or a paragraph of option lines
    between lists, belongs to the question above it: it is never a question of its own."""
    tokens = lesson.tokens
    found: list[Question | Candidate] = []
    last: Question | None = None
    level = None
    options_end = -1  # the close of a list of unlettered options below a question paragraph
    for position in range(start, end):
        token = tokens[position]
        if token.type == "paragraph_open" and level is not None and token.level == level - 1:
            lines = tokens[position + 1].content.split("\n")
            if last is not None and all(OPTION.match(line) for line in lines):
                for line in lines:
                    add_option(last.options, line)
            continue
        if token.type in LIST_OPEN and (level is None or token.level == level - 1):
            if options_below_question(tokens, position):
                options_end = close_of(tokens, position)
            continue
        if token.type != "list_item_open":
            continue
        level = token.level if level is None else level
        if token.level != level:
            continue
        content = (
            tokens[position + 2].content if tokens[position + 1].type == "paragraph_open" else ""
        )
        first_line = content.split("\n", 1)[0]
        source = source_ref(lesson, line_of(tokens[position]), section)
        if position < options_end:
            option = Signal("option-item", -1, f"below a question: {first_line.strip()[:40]}")
            text = plain_text(first_line)
            found.append(drop("question", source, text, "list-item", "option-of-question", option))
            continue
        if OPTION.match(first_line):
            if last is not None:
                add_option(last.options, first_line)
            option = Signal("option-item", -1, first_line.strip()[:40])
            text = plain_text(first_line)
            found.append(drop("question", source, text, "list-item", "option-of-question", option))
            continue
        if CHECKBOX.match(first_line):
            checkbox = Signal("checkbox", -1)
            text = plain_text(first_line)
            found.append(drop("question", source, text, "list-item", "checklist-item", checkbox))
            continue
        question = _item_question(lesson, section, position)
        if question is not None:
            found.append(question)
            last = question
    return found


def _item_question(lesson: Lesson, section: Section, index: int) -> Question | None:
    tokens = lesson.tokens
    item, paragraph = tokens[index], tokens[index + 1]
    if paragraph.type != "paragraph_open":
        return None
    lines, marker = question_lines(tokens[index + 2].content)
    if not lines or not plain_text(" ".join(lines)):
        return None
    end = close_of(tokens, index)
    answer = paragraph_answer(tokens[index + 2].content) or answer_in(lesson, index + 4, end)
    if answer is None and _details_follow(tokens, end):
        # `1. What is X?`, a blank line, then `<details>` unindented: the block ends the list,
        # and answers its last item.
        answer = answer_in(lesson, end + 2, scope_end(lesson, section))
    options = options_in(tokens[index:end])
    unlettered = {} if options else unlettered_options(tokens, index + 4)
    return Question(
        "\n".join(lines),
        line_of(paragraph),
        section,
        item.info or None,
        answer,
        options or unlettered,
        marker=marker,
        lettered=not unlettered,
        bold_answered=bold_question_answered(tokens[index + 2].content.split("\n")) is not None,
    )


def _details_follow(tokens: list[Token], close: int) -> bool:
    """The list item closed at token `close` is its list's last, and a `<details>` block
    opens right after the list."""
    after = close + 2  # list_item_close, then the list's close
    return (
        after < len(tokens)
        and tokens[close + 1].type in ("bullet_list_close", "ordered_list_close")
        and tokens[after].type == "html_block"
        and tokens[after].content.lstrip().lower().startswith("<details")
    )


# `Q1: `, `Question 2. ` opening a summary that asks: its label, and the number a key uses.
_SUMMARY_LABEL = re.compile(r"^(?:q|question)\s*#?(\d+)?\s*[:.)]\s*", re.I)


def details_question(lesson: Lesson, index: int, section: Section) -> Question | None:
    """`<details><summary>Why do queues need dead-letter topics?</summary>` and the answer
    inside: a card the author hid behind a click, its question the summary (when it asks),
    its answer the block's content."""
    tokens = lesson.tokens
    text = tokens[index].content
    if not text.lstrip().lower().startswith("<details") or tokens[index].map is None:
        return None
    summary = SUMMARY_TEXT.search(text)
    if summary is None:
        return None
    asked = " ".join(plain_text(re.sub(r"<[^>]+>", "", summary.group(1))).split())
    if not asked.endswith("?"):
        return None
    label = _SUMMARY_LABEL.match(asked)
    answer = details_text(lesson, index, scope_end(lesson, section))
    if answer is not None:
        opening = ANSWER_LINE.match(answer)
        value = label_value(answer.split("\n", 1)[0])
        if opening is not None:
            answer = answer[opening.end() :].strip()
        elif value is not None:
            answer = "\n".join([value, *answer.split("\n")[1:]]).strip()
    line = tokens[index].map[0] + 1 + text[: summary.start()].count("\n")
    return Question(
        asked[label.end() :] if label else asked,
        line,
        section,
        label.group(1) if label else None,
        answer or None,
        {},
        "details-question",
        (Signal("summary-asks", 1),),
    )


def heading_question(lesson: Lesson, section: Section, numbered: re.Match[str]) -> Question | None:
    """`### Q3. What is ...?` holds its question; `### Question 3` has it in the next paragraph."""
    tokens = lesson.tokens
    end = scope_end(lesson, section)
    first = section.start_token + 3  # heading_open, inline, heading_close
    heading_text = numbered.group(2).strip()
    if heading_text and not _is_topic(heading_text, tokens, first, end):
        content = tokens[section.start_token + 1].content
        match = numbered.re.match(content)
        lines, marker = [match.group(2).strip() if match else content], ""
        line = section.line
        body = first
    else:
        if first >= end or tokens[first].type != "paragraph_open":
            return None  # a rubric or an answer under a numbered heading, not a question
        lines, marker = question_lines(tokens[first + 1].content, fields=True)
        line = line_of(tokens[first])
        body = first + 3
        if not lines and body < end and tokens[body].type == "paragraph_open":
            # after a `**[Short Answer]**` marker, or a `**Points:** 2` paragraph
            lines, marker = question_lines(tokens[body + 1].content, fields=True)
            line, body = line_of(tokens[body]), body + 3
        if not lines:
            return None
        if lines[-1].rstrip().endswith(":") and body < end and tokens[body].type in LIST_OPEN:
            # `Match correctly:` and a list of the things to match: part of the question.
            listing = tokens[body]
            if listing.map:
                lines.append(lesson.source(*listing.map).strip())
            body = close_of(tokens, body) + 1
    return Question(
        "\n".join(lines),
        line,
        section,
        numbered.group(1),
        answer_in(lesson, body, end) or _answer_heading(lesson, section, end),
        options_in(tokens[first:end]),
        marker=marker,
    )


# `### Answer`, `#### Sample answer`, `### Answer 3:`: a heading that only labels an answer.
_ANSWER_HEADING = re.compile(
    rf"^(?:{alternatives(defaults().answer_labels)})(?:\s*#?\d+)?\s*:?$", re.I
)


def _answer_heading(lesson: Lesson, question: Section, index: int) -> str | None:
    """The answer under a heading that only labels it (`### Answer`, `#### Answer`), opened at
    token `index` right where the question heading's own blocks end (`### Question 1` and its
    stem): what stands under it, up to the next heading or rule. Not a heading above the
    question's level (`## Answers` after the last question heads the quiz's key), nor a key's
    name, nor one over the answers of several questions by number."""
    tokens = lesson.tokens
    if index + 1 >= len(tokens) or tokens[index].type != "heading_open" or not tokens[index].map:
        return None
    title = plain_text(undecorated(tokens[index + 1].content)).strip()
    if int(tokens[index].tag[1:]) < question.level or not _ANSWER_HEADING.match(title):
        return None
    if matches_any(title.rstrip(":"), defaults().answer_key_headings):
        return None
    last = len(lesson.lines)
    for token in tokens[index + 3 :]:
        if token.type in ("hr", "heading_open") and token.map:
            last = token.map[0]
            break
    answer = block_source(lesson, tokens[index].map[1], last).strip()
    return answer if answer and not is_key(answer) else None


def _is_topic(heading_text: str, tokens: list[Token], first: int, end: int) -> bool:
    """`Question 3 (True/False)`, `Question 1: GPU Architecture` above the real question."""
    if re.fullmatch(r"\(.*\)", heading_text):
        return True
    if heading_text.rstrip().endswith("?") or first >= end:
        return False
    if tokens[first].type != "paragraph_open":
        return False
    lines = tokens[first + 1].content.split("\n")
    return not OPTION.match(lines[0]) and not _labelled(lines[0])


def _labelled(line: str) -> bool:
    lead = bold_lead(line)
    return lead is not None and ANSWER_LABEL.match(lead.term_text) is not None
