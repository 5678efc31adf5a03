"""A question's own lines in the paragraph that holds it: the stem without its label
(`**Q3:**`, `Question 1`), its kind marker (`[SELECT ALL]`), the fields above it
(`**Points:** 2`), its options, and the answer written on its lines (`A: ...`,
`**Answer:** B`, the text after a bold question).

Separate because a question in a paragraph, a list item or below a quiz heading has its stem
read the same way, and the rules for where a stem ends are many and hold wherever the question
stands.
"""

from __future__ import annotations

import re

from deckgen.defaults import alternatives, defaults
from deckgen.extract.answers import (
    ANSWER_LABEL,
    ANSWER_LINE,
    LABEL_ASIDE,
    OPTION,
    PLAIN_ANSWER,
    QUESTION_PREFIX,
    key_line,
    label_value,
    opens_options,
)
from deckgen.extract.common import bold_lead
from deckgen.extract.question_parts import DASH_RUN
from deckgen.lesson import plain_text

# `**[Short Answer]**`, `[Multiple Choice]`: a marker line above the question.
_MARKER = re.compile(r"^\s*(?:\*\*|__)?\[[^\]]*\](?:\*\*|__)?\s*$")
# `**Q:**`, `**Q1:**`, `**Question 4 (2 points):**`, `**3.**`: a label before the question's
# text (a bare number needs its punctuation: `**2024**` is no label).
_QUESTION_LABEL = re.compile(
    rf"^(?:(?:q|question)\s*#?(?:\d+(?:\.\d+)*)?{LABEL_ASIDE}\s*[:.)]?"
    rf"|\d+(?:\.\d+)*{LABEL_ASIDE}\s*[:.)]){LABEL_ASIDE}$",
    re.I,
)


def question_lines(content: str, fields: bool = False) -> tuple[list[str], str]:
    """The question's own lines: no marker lines, no `**Q:**` label, no options after it;
    with `fields` (under a numbered question heading), no `**Points:** 2` lines before it.
    And the marker that opened its first line (`[SELECT ALL]`), or ``."""
    lines: list[str] = []
    marker = ""
    dashed = DASH_RUN.search(content)  # `A - text` options below the stem: no part of it
    split = content[: dashed.start()].rstrip("\n").split("\n") if dashed else content.split("\n")
    for number, line in enumerate(split):
        if _MARKER.match(line):
            continue
        if not lines and number + 1 < len(split) and _QUESTION_LABEL.match(line.strip()):
            continue  # `Question 1` / `Q2` alone on its line, the stem on the next: no part of it
        if OPTION.match(line) and lines:
            break
        lead = bold_lead(line)
        if lead is not None and ANSWER_LABEL.match(lead.term_text):
            break
        if lines and (PLAIN_ANSWER.match(line) or label_value(line) is not None):
            break
        if fields and not lines and lead is not None and _is_field(lead.term_text, lead.rest):
            continue  # `**Difficulty:** Easy`, `**Points:** 2` above the question's stem
        if lines and ANSWER_LINE.match(line):
            break  # `A: No, ...` below `**Q: Do I need a GPU?**`
        if lead is not None and _QUESTION_LABEL.match(lead.term_text):
            line = lead.rest.strip().lstrip(":").strip()
            if _ASIDE_ONLY.match(plain_text(line)):
                line = ""  # `**Question 2:** (2 points)`: the question's weight, on its label
        elif lead is not None and not lines and bold_question_answered(split[number:]):
            # `**Do I need a GPU?** No, ...`: the bold asks, the text after it answers.
            lines.append(QUESTION_PREFIX.sub("", lead.term, count=1).strip())
            break
        elif lead is not None and not lead.rest.strip():
            # `**What is ...?**`: the whole question in bold; `**Q: ...?**` without its label.
            line = QUESTION_PREFIX.sub("", lead.term, count=1)
        elif lead is None and not lines:
            line = _BARE_LABEL.sub("", line, count=1)  # `Q: What is ...?` above `A: ...`
        opening = None if lines else _INLINE_MARKER.match(line.strip())
        if opening is not None:
            marker, line = opening.group(1), line.strip()[opening.end() :]
        same = None if lines else _same_line_answer(line)
        if same is not None:
            lines.append(same[0])  # `Which port? **Answer:** 9150`: the answer is no part of it
            break
        lines.append(line.strip())
    return [line for line in lines if line], marker


# `(2 points)`, `*Points: 1*` after a question's label: an aside about the question.
_ASIDE_ONLY = re.compile(r"^\([^()?]*\)$|^[^?]{0,20}\b(?:points?|pts|marks?)\b[^?]{0,10}$", re.I)


def label_only(content: str) -> str | None:
    """The number of a paragraph that is only a question's label, with at most an aside and
    fields (`**Question 1**` / `**Difficulty:** Easy`, `**Q3.** *Points: 1*`): its question
    is the next paragraph. None for any other paragraph."""
    first, *others = content.split("\n")
    lead = bold_lead(first)
    if lead is None or not _QUESTION_LABEL.match(lead.term_text):
        return None
    number = re.search(r"\d+", lead.term_text)
    rest = plain_text(lead.rest).strip().lstrip(":").strip()
    if number is None or (rest and not _ASIDE_ONLY.match(rest)):
        return None
    for line in others:
        field = bold_lead(line)
        if field is None or not _is_field(field.term_text, field.rest):
            return None
    return number.group(0)


def _is_field(label: str, rest: str) -> bool:
    """`**Points:** 2`, `**Difficulty:** Easy`: a label and a short value that describe the
    question (its weight, its level, its kind), not the question. A question's own label
    (`**Q3:**`) and a value that asks (`**Scenario:** Why ...?`) are no such field."""
    label = label.strip()
    value = plain_text(rest).strip().lstrip(":").strip()
    if _QUESTION_LABEL.match(label.rstrip(":").strip() + ":"):
        return False
    labelled = label.endswith(":") or rest.lstrip().startswith(":")
    name = plain_text(label).rstrip(":").strip()
    if not labelled or not value or "?" in name or len(name.split()) > _FIELD_WORDS:
        return False  # `**Which service is whose? Match correctly:**` is the question
    return len(value.split()) <= _FIELD_WORDS and not value.endswith("?")


# `Estimated time: 5 minutes`, `Type: Multiple choice (single)`: a field is a few words.
_FIELD_WORDS = 4


# `[Short Answer] Explain ...`, `[SELECT ALL] Which ...?`: the kind of question, or how to
# answer it, in brackets before it. No part of the question's key (its identity), but the card
# shows it: it tells the learner what answer is wanted (one option, or all that apply).
_INLINE_MARKER = re.compile(r"^(?:\*\*|__)?(\[[^\]?]*\])(?:\*\*|__)?\s+(?=\S)")
# `Q: ` or `Question: ` opening a plain question's line: a label, no part of the question.
_BARE_LABEL = re.compile(r"^\s*(?:q|question)\s*:\s+(?=\S)", re.I)


# `What is X? **Answer:** Y`, `Which port? *(Answer: 9150)*`: the answer on the question's line.
_SAME_LINE_ANSWER = re.compile(
    rf"^(?P<question>.*?\?)\s*(?P<open>[*_(\s]*)(?:{alternatives(defaults().answer_labels)})"
    rf"\s*[*_]*\s*:\s*[*_]*\s*(?P<answer>\S.*?)\s*$",
    re.I,
)


def _same_line_answer(line: str) -> tuple[str, str] | None:
    """The question and its answer when both stand on one line, the answer labelled after the
    `?`; a parenthesis or emphasis opened before the label closes after the answer."""
    match = _SAME_LINE_ANSWER.match(line)
    if match is None:
        return None
    answer = match.group("answer")
    if "(" in match.group("open"):
        answer = re.sub(r"\)\s*[*_]*$", "", answer)
    answer = answer.rstrip("*_ ").strip() if match.group("open").strip(" (") else answer
    return match.group("question").strip(), answer.strip()


def bold_question_answered(lines: list[str]) -> str | None:
    """What follows a bold question that opens a paragraph (`**Do I need a GPU?** No, a CPU is
    enough.`, on its line or the next ones), its answer; None when nothing follows, or when
    options do (`**Which ...?**` / `A) ...`)."""
    lead = bold_lead(lines[0]) if lines else None
    if lead is None or not lead.term_text.rstrip().endswith("?"):
        return None
    rest = [lead.rest.strip(), *lines[1:]]
    if any(OPTION.match(line) for line in rest) or DASH_RUN.search("\n".join(rest)):
        return None
    if any(plain_text(line).rstrip().endswith("?") for line in rest):
        return None  # `✅ **Is it training?**` / `✅ **What task is it?**`: questions, no answer
    answer = "\n".join(rest).strip()
    opening = ANSWER_LINE.match(answer)
    return (answer[opening.end() :] if opening else answer).strip() or None


def paragraph_answer(content: str) -> str | None:
    """The answer a question's own paragraph gives on an `A:` line, or on a later line opening
    with an answer label (`True or False: ...` / `**Answer:** False.`), with what follows it;
    or after a bold question opening it (`**Do I need a GPU?** No, ...`)."""
    lines = content.split("\n")
    bold = bold_question_answered(lines)
    if bold is not None:
        return label_value(bold) or bold
    same = _same_line_answer(lines[0])
    if same is not None:
        return "\n".join([same[1], *lines[1:]]).strip()
    for number, line in enumerate(lines[1:], start=1):
        match = ANSWER_LINE.match(line)
        if match and not opens_options(lines[number:]):
            return "\n".join([line[match.end() :], *lines[number + 1 :]]).strip() or None
        value = label_value(line) if lines[number - 1].strip() else None
        if value is not None and not key_line(value, least=2):
            return "\n".join([value, *lines[number + 1 :]]).strip() or None
    return None
