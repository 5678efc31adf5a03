"""Self-check questions, with the lesson's answer when it has one.

Questions are the items of a list under a "Self-Check Questions" (or kin) heading or bold label,
and numbered quiz headings (`### Question 3`, `### Q3. What is ...?`). Their answer, when the
lesson gives one, comes from a `<details>` block, an `**Answer:** B` line (with the option's
text), an answer key section of the same file, or an answer key file next to a quiz. A question
with no answer points at the section that answers it, chosen by weighted word overlap between
the question and each section's heading and text.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import filterfalse
from typing import TYPE_CHECKING

from deckgen.config import ExtractConfig
from deckgen.defaults import alternatives, defaults
from deckgen.diagnostics import Diagnostic
from deckgen.extract.common import (
    QUESTION_HEADING,
    block_source,
    bold_lead,
    is_question_scope,
    is_skipped,
    matches_any,
    source_ref,
    within,
    within_each,
)
from deckgen.extract.evidence import Candidate, Signal, keep
from deckgen.items import SelfCheckQuestion
from deckgen.lesson import Lesson, Section, line_of, plain_text

if TYPE_CHECKING:  # the parser is imported on first use: a no-op build never needs it
    from markdown_it.token import Token

_WORD = re.compile(r"[a-z0-9][a-z0-9+#.-]*[a-z0-9+#]|[a-z0-9]")
_STOPWORDS = frozenset(defaults().stopwords)
_EXCERPT_CHARS = 240
_HEADING_WEIGHT = 3.0
# A question word no section uses still makes the question less like every section.
_UNSEEN_IDF = 1.0
# Matching compares every question with every section: fine for a lesson, quadratic for a
# pathological one (a 50 MB file of repeated lessons). Past this many comparisons the remaining
# questions get no answer section, with a warning, so a build stays linear in the lesson's size.
MAX_MATCH_COMPARISONS = 200_000

_LIST_OPEN = ("bullet_list_open", "ordered_list_open")
# `A) text`, `b. text`, `(C) text`: a multiple-choice option.
_OPTION = re.compile(r"^\s*(?:[-*]\s+)?\(?([A-Ha-h])[).:]\s+(\S.*)$")
# An answer that only names options: `B`, `a, c`, `A, B, C, E`.
_LETTERS = re.compile(r"^\s*[A-Ha-h](?:\s*(?:,|and|&)\s*[A-Ha-h])*\s*\.?\s*$")
# `**Question 3: B**`, `**Q3. C**`, `**3. B**` in an answer key.
_KEYED = re.compile(r"^(?:(?:question|q)\s*)?#?(\d+)\s*[:.)\-–—]\s*(.*)$", re.I)
# `1. B   2. C   3. True`: a compact key, several answers to a line.
_COMPACT = re.compile(r"(?:^|\s)(\d+)[.)]\s+(\S+(?:\s\S+)*?)(?=\s{2,}|\s+\d+[.)]\s|$)")
# `**[Short Answer]**`, `[Multiple Choice]`: a marker line above the question.
_MARKER = re.compile(r"^\s*(?:\*\*|__)?\[[^\]]*\](?:\*\*|__)?\s*$")
# What a compact key's entries look like: an option letter or a truth value.
_SHORT_ANSWER = re.compile(r"^(?:[A-Ha-h](?:\W|$)|true\b|false\b)", re.I)
# `**Q:**`, `**Q1:**`, `**Question 4:**`: a label before the question's text.
_QUESTION_LABEL = re.compile(r"^(?:q|question)\s*#?\d*\s*[:.)]?$", re.I)


def _opens_with(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Text that opens with one of the phrases, any white space between their words."""
    return re.compile(rf"^(?:{alternatives(phrases)})\b", re.I)


_EXPLANATION_LABEL = _opens_with(defaults().explanation_labels)
_ANSWER_LABEL = _opens_with(defaults().answer_labels)
_DETAILS_END = "</details>"
_HINT = re.compile(r"<summary>[^<]*\bhints?\b", re.I)


def extract(lesson: Lesson, config: ExtractConfig) -> Iterator[Candidate]:
    found = list(_questions(lesson, config))
    if not found:
        return
    keyed = _answer_key(lesson, config)
    if lesson.answer_key is not None:
        keyed = {**_key_file_answers(lesson.answer_key, config), **keyed}
    answerable: _Index | None = None
    for question in found:
        question_text = plain_text(question.content)
        answer = question.answer
        if answer is None and question.number in keyed:
            answer = keyed[question.number]
        if answer is not None:
            answer = _with_option_text(answer, question.options)
            answered = SelfCheckQuestion(
                source=source_ref(lesson, question.line, question.section),
                question=question.content,
                question_text=question_text,
                answer=answer,
            )
            yield keep(answered, "question", Signal("author-answer", 1))
            continue
        answerable = answerable or _Index(lesson, config)
        best = answerable.best_section(question_text, exclude=question.section, line=question.line)
        pointer = SelfCheckQuestion(
            source=source_ref(lesson, question.line, question.section),
            question=question.content,
            question_text=question_text,
            answer_section=best.path if best else None,
            excerpt=answerable.excerpt(best) if best else "",
        )
        found_section = Signal("answer-section-found" if best else "no-answer-section", 0)
        yield keep(pointer, "question", found_section)


@dataclass
class _Question:
    content: str  # inline Markdown
    line: int
    section: Section
    number: str | None  # the number a quiz's answer key refers to it by
    answer: str | None
    options: dict[str, str]  # option letter (upper case) -> its Markdown


def _questions(lesson: Lesson, config: ExtractConfig) -> Iterator[_Question]:
    """Quiz headings, and the items of lists under question headings or bold question labels."""
    tokens = lesson.tokens
    in_key = within_each(lesson.sections, config.answer_key_headings)
    for section, answers in zip(lesson.sections, in_key, strict=True):
        if answers:
            continue
        numbered = QUESTION_HEADING.match(section.title)
        if numbered:
            question = _heading_question(lesson, section, numbered)
            if question is not None:
                yield question
        elif matches_any(section.title, config.question_headings):
            yield from _list_questions(lesson, section, section.start_token + 3, section.end_token)
            yield from _paragraph_questions(lesson, section)
    # `**Reflection Questions**` (alone in a paragraph or a list item) above a list. Lists are
    # far fewer than inline tokens; no heading can start between a list and the label.
    for index, _, section in lesson.walk(*_LIST_OPEN):
        label = tokens[index - 2] if index >= 2 else None
        if section is None or label is None or label.type != "inline":
            continue
        if _is_label(label.content, config) and not within(section, config.answer_key_headings):
            yield from _list_questions(lesson, section, index, _close_of(tokens, index))


# `1. What is ...?` / `Q1: ...` / `Question 1. ...` at the start of a question paragraph.
_NUMBERED = re.compile(r"^(?:(?:question|q)\s*)?#?(\d+)\s*[.):]\s+(?=\S)", re.I)


def _paragraph_questions(lesson: Lesson, section: Section) -> Iterator[_Question]:
    """`**1. What is a container?**` paragraphs (not in a list), each up to the next one."""
    tokens = lesson.tokens
    end = _scope_end(lesson, section)
    starts: list[tuple[int, re.Match[str] | None, list[str]]] = []
    for position in range(section.start_token + 3, end):
        token = tokens[position]
        if token.type != "paragraph_open" or token.level != 0:
            continue
        content = tokens[position + 1].content
        first_line = content.split("\n")[0]
        numbered = _NUMBERED.match(plain_text(first_line))
        lead = bold_lead(first_line)
        if not numbered and (lead is None or lead.rest.strip()):
            continue  # neither numbered nor a bold question: no need to read its lines
        lines = _question_lines(content)
        if not lines:
            continue
        asks = lead is not None and not lead.rest.strip() and lines[-1].endswith("?")
        if numbered or asks:
            own_number = _NUMBERED.match(lines[0])
            if own_number:
                lines[0] = lines[0][own_number.end() :]
            starts.append((position, numbered, lines))
    for number, (position, numbered, lines) in enumerate(starts):
        stop = starts[number + 1][0] if number + 1 < len(starts) else end
        yield _Question(
            "\n".join(lines),
            line_of(tokens[position]),
            section,
            numbered.group(1) if numbered else None,
            _answer_in(lesson, position + 3, stop),
            _options(tokens[position:stop]),
        )


def _is_label(content: str, config: ExtractConfig) -> bool:
    if not content.rstrip(" :").endswith(("**", "__")):
        return False  # a label is all bold: nothing but spaces and colons after its bold
    lead = bold_lead(content)
    return (
        lead is not None
        and not lead.rest.strip(" :")
        and matches_any(lead.term_text, config.question_headings)
    )


def _list_questions(lesson: Lesson, section: Section, start: int, end: int) -> Iterator[_Question]:
    """Items of the outermost lists in tokens [start, end); nested lists belong to a question."""
    tokens = lesson.tokens
    level = None
    for position in range(start, end):
        token = tokens[position]
        if token.type != "list_item_open":
            continue
        level = token.level if level is None else level
        if token.level == level:
            question = _item_question(lesson, section, position)
            if question is not None:
                yield question


def _item_question(lesson: Lesson, section: Section, index: int) -> _Question | None:
    tokens = lesson.tokens
    item, paragraph = tokens[index], tokens[index + 1]
    if paragraph.type != "paragraph_open":
        return None
    lines = _question_lines(tokens[index + 2].content)
    if not lines or not plain_text(" ".join(lines)):
        return None
    end = _close_of(tokens, index)
    answer = _answer_in(lesson, index + 4, end)
    return _Question(
        "\n".join(lines),
        line_of(paragraph),
        section,
        item.info or None,
        answer,
        _options(tokens[index:end]),
    )


def _heading_question(
    lesson: Lesson, section: Section, numbered: re.Match[str]
) -> _Question | None:
    """`### Q3. What is ...?` holds its question; `### Question 3` has it in the next paragraph."""
    tokens = lesson.tokens
    end = _scope_end(lesson, section)
    first = section.start_token + 3  # heading_open, inline, heading_close
    heading_text = numbered.group(2).strip()
    if heading_text and not _is_topic(heading_text, tokens, first, end):
        content = tokens[section.start_token + 1].content
        match = QUESTION_HEADING.match(content)
        lines = [match.group(2).strip() if match else content]
        line = section.line
        body = first
    else:
        if first >= end or tokens[first].type != "paragraph_open":
            return None  # a rubric or an answer under a numbered heading, not a question
        lines = _question_lines(tokens[first + 1].content)
        line = line_of(tokens[first])
        body = first + 3
        if not lines and body < end and tokens[body].type == "paragraph_open":
            lines = _question_lines(tokens[body + 1].content)  # after a `**[Short Answer]**`
            line, body = line_of(tokens[body]), body + 3
        if not lines:
            return None
        if lines[-1].rstrip().endswith(":") and body < end and tokens[body].type in _LIST_OPEN:
            # `Match correctly:` and a list of the things to match: part of the question.
            listing = tokens[body]
            if listing.map:
                lines.append(lesson.source(*listing.map).strip())
            body = _close_of(tokens, body) + 1
    return _Question(
        "\n".join(lines),
        line,
        section,
        numbered.group(1),
        _answer_in(lesson, body, end),
        _options(tokens[first:end]),
    )


def _is_topic(heading_text: str, tokens: list[Token], first: int, end: int) -> bool:
    """`Question 3 (True/False)`, `Question 1: GPU Architecture` above the real question."""
    if re.fullmatch(r"\(.*\)", heading_text):
        return True
    if heading_text.rstrip().endswith("?") or first >= end:
        return False
    if tokens[first].type != "paragraph_open":
        return False
    lines = tokens[first + 1].content.split("\n")
    return not _OPTION.match(lines[0]) and not _labelled(lines[0])


def _labelled(line: str) -> bool:
    lead = bold_lead(line)
    return lead is not None and _ANSWER_LABEL.match(lead.term_text) is not None


def _question_lines(content: str) -> list[str]:
    """The question's own lines: no marker lines, no `**Q:**` label, no options after it."""
    lines: list[str] = []
    for line in content.split("\n"):
        if _MARKER.match(line):
            continue
        if _OPTION.match(line) and lines:
            break
        lead = bold_lead(line)
        if lead is not None and _ANSWER_LABEL.match(lead.term_text):
            break
        if lead is not None and _QUESTION_LABEL.match(lead.term_text):
            line = lead.rest.strip().lstrip(":").strip()
        elif lead is not None and not lead.rest.strip():
            line = lead.term  # `**What is ...?**`: the whole question in bold
        lines.append(line.strip())
    return [line for line in lines if line]


def _scope_end(lesson: Lesson, section: Section) -> int:
    """A numbered question ends at the next heading of any level."""
    tokens = lesson.tokens
    for position in range(section.start_token + 3, section.end_token):
        if tokens[position].type == "heading_open":
            return position
    return section.end_token


def _close_of(tokens: list[Token], index: int) -> int:
    """Index of the token closing the block opened at `index`."""
    opener = tokens[index]
    closing = opener.type.replace("_open", "_close")
    for position in range(index + 1, len(tokens)):
        if tokens[position].type == closing and tokens[position].level == opener.level:
            return position
    return len(tokens) - 1


def _answer_in(lesson: Lesson, start: int, end: int) -> str | None:
    """A `<details>` block or an `**Answer:**` paragraph between tokens `start` and `end`."""
    tokens = lesson.tokens
    for position in range(start, min(end, len(tokens))):
        token = tokens[position]
        # Only an HTML block can open `<details>`: lower-casing every fence on the way is not free.
        opening = token.content.lstrip().lower() if token.type == "html_block" else ""
        if opening.startswith("<details"):
            if _HINT.search(opening.partition("</summary>")[0]):
                continue  # a hint is not the answer; the answer may follow
            return _details(lesson, position, end)
        if token.type == "inline" and tokens[position - 1].type == "paragraph_open":
            answer = _labelled_answer(lesson, position, end)
            if answer is not None:
                return answer
    return None


def _details(lesson: Lesson, index: int, end: int) -> str | None:
    """What a `<details>` block holds after its `<summary>`, up to `</details>`."""
    tokens = lesson.tokens
    opening = tokens[index]
    text = opening.content
    summary = text.lower().find("</summary>")
    head = text[summary + len("</summary>") :] if summary != -1 else ""
    closing = head.lower().find(_DETAILS_END)
    if closing != -1:
        return head[:closing].strip() or None
    parts = [head.strip()]
    for position in range(index + 1, min(end, len(tokens))):
        token = tokens[position]
        if token.type == "html_block" and _DETAILS_END in token.content.lower():
            before = token.content[: token.content.lower().find(_DETAILS_END)]
            parts.append(before.strip())
            if opening.map and token.map:
                parts[1:] = [block_source(lesson, opening.map[1], token.map[0]), before.strip()]
            break
    answer = "\n\n".join(part for part in parts if part)
    return answer or None


def _labelled_answer(lesson: Lesson, index: int, end: int) -> str | None:
    """`**Answer:** B` (and any list it introduces), or `**Answer:**` over the blocks below."""
    tokens = lesson.tokens
    content = tokens[index].content
    for offset, line in enumerate(content.split("\n")):
        lead = bold_lead(line)
        if lead is None or not _ANSWER_LABEL.match(lead.term_text):
            continue
        # `**Answer:** B`, or the letter inside the bold: `**Answer: B**`.
        inside = lead.term_text.partition(":")[2].strip()
        value = f"{inside} {lead.rest.strip().lstrip(':').strip()}".strip()
        rest = "\n".join(content.split("\n")[offset + 1 :])
        answer = f"{value}\n{rest}".strip()
        following = index + 2  # inline, paragraph_close
        if (not answer or answer.endswith(":")) and following < end:
            blocks = tokens[following]
            stop = _answer_blocks_end(tokens, following, end)
            if blocks.map and stop > following:
                last = tokens[stop - 1]
                finish = last.map[1] if last.map else blocks.map[1]
                below = block_source(lesson, blocks.map[0], finish)
                answer = f"{answer}\n\n{below}".strip()
                following = stop
        if not answer:
            return None
        explanation = _explanation(tokens, following, end)
        return f"{answer}\n\n{explanation}" if explanation else answer
    return None


def _explanation(tokens: list[Token], start: int, end: int) -> str:
    """The `**Explanation:**` paragraph after an answer line, up to the next rule or heading."""
    for position in range(start, min(end, len(tokens))):
        token = tokens[position]
        if token.type in ("hr", "heading_open"):
            break
        if token.type != "inline" or tokens[position - 1].type != "paragraph_open":
            continue
        lead = bold_lead(token.content)
        if lead is not None and _EXPLANATION_LABEL.match(lead.term_text):
            return lead.rest.strip().lstrip(":").strip()
    return ""


def _answer_blocks_end(tokens: list[Token], start: int, end: int) -> int:
    """Blocks after an empty `**Answer:**` run to a rule, a heading or a labelled paragraph."""
    position = start
    while position < end:
        token = tokens[position]
        if token.type in ("hr", "heading_open"):
            break
        if token.type == "paragraph_open" and token.level == tokens[start].level:
            lead = bold_lead(tokens[position + 1].content)
            if lead is not None and lead.term_text.endswith(":"):
                break
        position = _close_of(tokens, position) + 1 if token.nesting == 1 else position + 1
    return position


def _options(tokens: list[Token]) -> dict[str, str]:
    options: dict[str, str] = {}
    for token in tokens:
        if token.type != "inline":
            continue
        for line in token.content.split("\n"):
            match = _OPTION.match(line)
            if match:
                options.setdefault(match.group(1).upper(), match.group(2).strip())
    return options


def _with_option_text(answer: str, options: dict[str, str]) -> str:
    """`B` -> `B) Object storage (S3, GCS)`; `A, C` -> the letters, then each option."""
    first, _, rest = answer.partition("\n")
    if not options or not _LETTERS.match(first):
        return answer
    letters = re.findall(r"[A-Ha-h]", first)
    known = [letter.upper() for letter in letters if letter.upper() in options]
    if not known:
        return answer
    if len(known) == 1:
        chosen = f"{known[0]}) {options[known[0]]}"
    else:
        listed = "\n".join(f"- {letter}) {options[letter]}" for letter in known)
        chosen = f"**{first.strip()}**\n\n{listed}"
    return f"{chosen}\n\n{rest.strip()}".strip()


def _answer_key(lesson: Lesson, config: ExtractConfig) -> dict[str, str]:
    """Answers by question number from the lesson's answer key sections."""
    answers: dict[str, str] = {}
    for section in lesson.sections:
        if matches_any(section.title, config.answer_key_headings):
            answers.update(_keyed_answers(lesson, section))
    return answers


def _key_file_answers(key: Lesson, config: ExtractConfig) -> dict[str, str]:
    """Answers by number from an answer key file: numbered sections and key sections."""
    answers: dict[str, str] = {}
    for section in key.sections:
        numbered = QUESTION_HEADING.match(section.title)
        if numbered:
            answer = _answer_in(key, section.start_token + 3, _scope_end(key, section))
            if answer is not None:
                answers.setdefault(numbered.group(1), answer)
    return {**answers, **_answer_key(key, config)}


def _keyed_answers(lesson: Lesson, section: Section) -> dict[str, str]:
    """`**Question 3: B**` paragraphs (with the explanation below) and `1. B  2. C` lists."""
    tokens = lesson.tokens
    answers: dict[str, str] = {}
    current: str | None = None  # the number whose explanation the next blocks continue
    position = section.start_token + 3
    while position < section.end_token:
        token = tokens[position]
        if token.type in ("hr", "heading_open"):
            numbered = QUESTION_HEADING.match(tokens[position + 1].content)
            current = None
            if token.type == "heading_open" and numbered:
                answer = _answer_in(lesson, position + 3, section.end_token)
                if answer is not None:
                    answers.setdefault(numbered.group(1), answer)
        elif token.type in _LIST_OPEN:
            close = _close_of(tokens, position)
            if current is not None and token.map:
                listing = block_source(lesson, *token.map)
                answers[current] = f"{answers[current]}\n\n{listing}".strip()
            else:
                answers = {**_compact_key(tokens[position:close]), **answers}
            position = close
        elif token.type == "inline" and tokens[position - 1].type == "paragraph_open":
            lead = bold_lead(token.content)
            keyed = _KEYED.match(lead.term_text) if lead is not None else None
            if lead is not None and keyed is not None and _is_key_entry(keyed):
                current = keyed.group(1)
                explanation = lead.rest.strip().lstrip(":").strip()
                answers[current] = f"{keyed.group(2).strip()}\n\n{explanation}".strip()
            elif current is not None:
                answers[current] = f"{answers[current]}\n\n{token.content}".strip()
        position += 1
    return answers


def _is_key_entry(keyed: re.Match[str]) -> bool:
    """`**Question 3: B**` or `**3. B**`; not `**1. Install Docker**` in a solutions section."""
    named = keyed.group(0).lstrip("#").lower().startswith("q")
    return named or bool(_SHORT_ANSWER.match(keyed.group(2)))


def _compact_key(tokens: list[Token]) -> dict[str, str]:
    """`1. B   2. C   3. True` items of an ordered list: one or more answers per item."""
    answers: dict[str, str] = {}
    for position, token in enumerate(tokens):
        if token.type == "list_item_open" and token.info and tokens[position + 2].type == "inline":
            line = tokens[position + 2].content.split("\n", 1)[0]
            for number, value in _COMPACT.findall(f"{token.info}. {line}"):
                if not _SHORT_ANSWER.match(value):
                    return {}  # a numbered list of something else (next steps, tips)
                answers.setdefault(number, value.strip())
    return answers


def _words(text: str) -> list[str]:
    # map and filterfalse step through a section's thousands of words in C.
    return list(map(_stem, filterfalse(_STOPWORDS.__contains__, _WORD.findall(text.lower()))))


@lru_cache(maxsize=1 << 14)  # a lesson's sections use the same few thousand words over again
def _stem(word: str) -> str:
    """Just enough stemming that "challenges" meets "Challenge" and "technologies" "Technology"."""
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("es", ""), ("s", ""), ("e", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: len(word) - len(suffix)] + replacement
    return word


@dataclass
class _Candidate:
    section: Section
    heading: Counter[str]
    body: Counter[str]
    prose: list[str]  # inline Markdown of the section's first paragraphs and list items
    heading_norm: float = 0.0
    body_norm: float = 0.0

    @cached_property
    def excerpt(self) -> str:
        # Only the sections that answer a question need one: plain_text is not free.
        return _shorten(_join_prose(p for p in map(plain_text, self.prose) if p))


class _Index:
    """Sections of a lesson as bags of words, weighted by how rare each word is in headings."""

    def __init__(self, lesson: Lesson, config: ExtractConfig) -> None:
        self.lesson = lesson
        self.budget = MAX_MATCH_COMPARISONS
        self.candidates: list[_Candidate] = []
        for section, body in zip(lesson.sections, _body_bags(lesson), strict=True):
            if is_skipped(section, config) or is_question_scope(section, config):
                continue
            prose = _first_prose(lesson.tokens, section.start_token + 3, section.end_token)
            self.candidates.append(_Candidate(section, Counter(_words(section.title)), body, prose))
        count = len(self.candidates) or 1
        # Each candidate's distinct words, in order, counted in C rather than word by word.
        heading_df: Counter[str] = Counter()
        body_df: Counter[str] = Counter()
        for candidate in self.candidates:
            heading_df.update(candidate.heading.keys())
            body_df.update(candidate.body.keys())
        self.heading_idf = {w: math.log(1 + count / n) for w, n in heading_df.items()}
        self.body_idf = {w: math.log(1 + count / n) for w, n in body_df.items()}
        for candidate in self.candidates:
            candidate.heading_norm = _norm(candidate.heading, self.heading_idf)
            candidate.body_norm = _norm(candidate.body, self.body_idf)

    def best_section(self, question: str, exclude: Section, line: int) -> Section | None:
        if self.budget < len(self.candidates):
            if self.budget >= 0:
                self.lesson.warnings.append(
                    Diagnostic(
                        self.lesson.path,
                        line,
                        f"too many questions and sections to match (over "
                        f"{MAX_MATCH_COMPARISONS:,} comparisons); this and later questions "
                        "get no answer section",
                    )
                )
                self.budget = -1
            return None
        self.budget -= len(self.candidates)
        # Distinct, in the question's order: summing floats in a set's order would change the
        # last bits between processes (string hashing is salted), and with them a tie's winner.
        words = tuple(dict.fromkeys(_words(question)))
        # The question's vector lengths depend on the idf alone: once per question, not per section.
        heading_norm = _question_norm(words, self.heading_idf)
        body_norm = _question_norm(words, self.body_idf)
        best, best_score = None, 0.0
        for candidate in self.candidates:
            if candidate.section is exclude:
                continue
            score = _HEADING_WEIGHT * _cosine(
                words, candidate.heading, candidate.heading_norm, self.heading_idf, heading_norm
            )
            score += _cosine(words, candidate.body, candidate.body_norm, self.body_idf, body_norm)
            if score > best_score:
                best, best_score = candidate.section, score
        return best

    def excerpt(self, section: Section) -> str:
        return next(c.excerpt for c in self.candidates if c.section is section)


def _body_bags(lesson: Lesson) -> list[Counter[str]]:
    """Each section's body (the words of its inline, fence and code tokens, its subsections'
    headings included) as a bag of words, in the order of `lesson.sections`.

    A body holds its subsections' bodies: each section reads only its own tokens, before its
    first subsection, and appends its subsections' words, so that the text is read once and
    not once per enclosing section. The words are counted at the end, in C (adding up bags
    word by word in Python cost more than reading the text); counting the whole body keeps
    each word where it first occurs (the idf sums run in that order).
    """
    tokens, sections = lesson.tokens, lesson.sections
    starts = [section.start_token for section in sections]
    bags: list[Counter[str]] = [Counter() for _ in sections]
    # The words of the bodies not yet taken into their parent's: a body's list is let go
    # once copied, so that only a few are held at a time.
    bodies: dict[int, list[str]] = {}
    for number in reversed(range(len(sections))):  # subsections come after their section
        section = sections[number]
        subsections = range(number + 1, bisect_left(starts, section.end_token, number + 1))
        own_end = sections[subsections[0]].start_token if subsections else section.end_token
        body = _words(_text_of_blocks(tokens[section.start_token + 3 : own_end]))
        for child in subsections:
            if len(sections[child].path) == len(section.path) + 1:
                body += _words(tokens[sections[child].start_token + 1].content)
                body += bodies.pop(child)
        bags[number] = Counter(body)
        bodies[number] = body
    return bags


def _text_of_blocks(blocks: list[Token]) -> str:
    return " ".join(t.content for t in blocks if t.type in ("inline", "fence", "code_block"))


def _first_prose(tokens: list[Token], start: int, end: int) -> list[str]:
    """The first paragraphs of the body tokens [start, end) (list items hold paragraphs too),
    enough for an excerpt. Headings and table cells read out of their place make a run-on
    excerpt ("Tools Docker: ... Kubernetes: ..."), so a section of only tables and code has
    none. Read in place: a copy of a top section's body would copy most of the lesson."""
    prose: list[str] = []
    length = 0
    for position in range(start + 1, end):
        token = tokens[position]
        if token.type == "inline" and tokens[position - 1].type == "paragraph_open":
            prose.append(token.content)
            length += len(token.content)
            if length > _EXCERPT_CHARS:
                break
    return prose


def _norm(bag: Counter[str], idf: dict[str, float]) -> float:
    """A section's vector length: computed once, not once per question."""
    return math.sqrt(sum([(idf[w] * (n if n < 3 else 3)) ** 2 for w, n in bag.items()]))


def _question_norm(words: Sequence[str], idf: dict[str, float]) -> float:
    return math.sqrt(sum(idf.get(w, _UNSEEN_IDF) ** 2 for w in words))


def _cosine(
    words: Sequence[str],
    bag: Counter[str],
    section_norm: float,
    idf: dict[str, float],
    question_norm: float,
) -> float:
    """Cosine of idf-weighted vectors; repeats in a section count up to three times."""
    # A list, not a generator: summed in the same order, without a frame switch per word.
    shared = sum([idf[w] * idf[w] * min(bag[w], 3) for w in words if w in bag])
    if not shared:
        return 0.0
    return shared / (section_norm * question_norm)


_SENTENCE_END = re.compile(r"[.!?](?=\s)")
# A cut at a sentence end this early would leave too little to recognise the section by.
_MIN_SENTENCE_CUT = _EXCERPT_CHARS // 3


def _join_prose(pieces: Iterator[str]) -> str:
    """Paragraphs and list items in reading order; an item without its own full stop ends at a
    semicolon, so that `Docker: containers` and `Kubernetes: orchestration` stay apart."""
    text = ""
    for piece in pieces:
        if text and text[-1] not in ".!?:;":
            text += ";"
        text = f"{text} {piece}" if text else piece
    return text


def _shorten(text: str) -> str:
    """At most _EXCERPT_CHARS, cut after the last whole sentence that fits, else at a word."""
    if len(text) <= _EXCERPT_CHARS:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, _EXCERPT_CHARS + 1)]
    if ends and ends[-1] >= _MIN_SENTENCE_CUT:
        return text[: ends[-1]]
    cut = text.rfind(" ", 0, _EXCERPT_CHARS)
    return text[: cut if cut > 0 else _EXCERPT_CHARS].rstrip(",;:") + " …"
