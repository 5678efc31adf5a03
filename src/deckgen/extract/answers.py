"""Where a lesson writes a question's answer: an `Answer:` line or label, a `<details>` block,
the prose under a question heading, an answer key (a section, a `<details>` block, a `1-b, 2-c`
line, a table, or a file next to a quiz), and the option an answer names. `questions` finds the
questions; this module reads their answers.
"""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING

from deckgen.config import ExtractConfig
from deckgen.defaults import alternatives, defaults
from deckgen.extract.carpentries import dequote, quote_depth
from deckgen.extract.common import (
    CODE_BLOCKS,
    LIST_OPEN,
    QUESTION_COUNT,
    QUESTION_HEADING,
    block_source,
    bold_lead,
    matches_any,
    names_questions,
    table_rows,
    undecorated,
)
from deckgen.extract.pointers import (
    BOLD_LINE,
    EXCERPT_CHARS,
)
from deckgen.identity import normalize_key
from deckgen.lesson import Lesson, Section, close_of, line_of, plain_text

if TYPE_CHECKING:  # the parser is imported on first use: a no-op build never needs it
    from markdown_it.token import Token

# `A) text`, `b. text`, `(C) text`, `[ ] D) text`, `**B.** text`: a multiple-choice option
# (a bold `**A:**` is a FAQ's answer, not option A).
OPTION_SHAPE = (
    r"^\s*(?:[-*]\s+)?(?:\[[ xX]?\]\s*)?"
    r"(?:\(?([A-Ha-h])[).:]|(?:\*\*|__)\(?([A-Ha-h])[).](?:\*\*|__))\s+(\S.*)$"
)
OPTION = re.compile(OPTION_SHAPE)
# `**Question 3: B**`, `**Q3. C**`, `**3. B**` in an answer key.
_KEYED = re.compile(r"^(?:(?:question|q|answer)\s*)?#?(\d+)\s*[:.)\-–—]\s*(.*)$", re.I)
# `1. B   2. C   3. True`: a compact key, several answers to a line.
_COMPACT = re.compile(r"(?:^|\s)(\d+)[.)]\s+(\S+(?:\s\S+)*?)(?=\s{2,}|\s+\d+[.)]\s|$)")
# What a compact key's entries look like: an option letter or a truth value.
_SHORT_ANSWER = re.compile(r"^(?:[A-Ha-h](?:\W|$)|true\b|false\b)", re.I)
# `(2 points)`, `[Easy]` after a question's number: its weight or level, no part of it.
LABEL_ASIDE = r"(?:\s*(?:\([^()?]*\)|\[[^\]?]*\]))?"
# `1-b`, `2. C`, `Q3: A`, `Answer 4 - B`, `4) true`: one entry of an answer key written inline.
_KEY_ENTRY = re.compile(
    r"(?:\b(?:question|q|answer)\s*)?#?(?<![\d.])(\d+(?:\.\d+)*)\s*[-–—.:)=]\s*"
    r"\(?([A-Ha-h]|true|false)\)?(?![\w'])",
    re.I,
)
# A key entry's number is a digit in the line, or an entity's (`&#49;`) in its plain text.
_MAY_KEY = re.compile(r"[\d&]")
# What may stand between key entries: separators, `and`, a leading `Answers:`-like label.
_KEY_RESIDUE = re.compile(r"^(?:[^\d:]{0,40}:)?(?:[\s,;|/·•]|\band\b)*$", re.I)


def _opens_with(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Text that opens with one of the phrases, any white space between their words."""
    return re.compile(rf"^(?:{alternatives(phrases)})\b", re.I)


_EXPLANATION_LABEL = _opens_with(defaults().explanation_labels)
ANSWER_LABEL = _opens_with(defaults().answer_labels)
# `Answer: B - because ...`: the label without bold, opening its line.
PLAIN_ANSWER = re.compile(rf"^\s*(?:{alternatives(defaults().answer_labels)})\s*:\s*", re.I)
# `Correct: B`, `**Ans:** C`, `Solution: (ii)`: a label that answers only when its value names an
# option (`_names_option`); its value follows the colon, in bold or not.
OPTION_ANSWER = re.compile(
    rf"^\s*(?:\*\*|__)?(?:{alternatives(defaults().option_answer_labels)})\s*:\s*(?:\*\*|__)?\s*",
    re.I,
)
# What names an option: its letter (`B`, `b)`, `A, C`), its number (`2`, `2)`) or its roman
# numeral (`(ii)`), alone or before the reason (`B - because ...`).
_NAMES_OPTION = re.compile(
    r"^(?:\*\*|__)?\(?(?:[A-Ha-h]|\d{1,2}|[ivx]{1,4})\)?(?:\*\*|__)?"
    r"(?:\s*(?:,|and|&)\s*\(?[A-Ha-h]\)?)*(?:\*\*|__)?(?:\s*[.:)]|\s+[-–—]\s|\s*$)",
    re.I,
)
_DETAILS_END = "</details>"
HINT_SUMMARY = re.compile(r"<summary>[^<]*\bhints?\b", re.I)


def blocks_as_section(title: str, line: int, first: int, end: int) -> Section:
    """Tokens [first, end) as a section of no heading (no path): the code that reads a
    section's blocks starts three tokens after its heading's opening, `start_token + 3`."""
    return Section(title, 1, line, (), first - 3, end)


# `1. What is ...?` / `Q1: ...` / `Question 1. ...` / `Question 1 - ...` at the start of a
# question paragraph (a dash only after a label: `2 - 3 retries` is no number).
NUMBERED_QUESTION = re.compile(
    rf"^(?:(?:question|q)\s*#?(\d+(?:\.\d+)*){LABEL_ASIDE}\s*(?:[.):]|\s[-–—])"
    rf"|#?(\d+(?:\.\d+)*){LABEL_ASIDE}\s*[.):])\s+(?=\S)",
    re.I,
)


def prose_below(tokens: list[Token], position: int, stop: int) -> str | None:
    """The paragraph right below the question paragraph opened at `position`, when the
    question is all in bold (`**Do I need a GPU?**`) and the paragraph answers: it does not
    ask, open with a verb telling the learner to do something (`Think about ...`), nor with a
    bold label (`**Hint:** ...`)."""
    content = tokens[position + 1].content
    lead = bold_lead(content)
    if lead is None or lead.rest.strip() or "\n" in content.strip():
        return None
    below = position + 3
    if below >= stop or tokens[below].type != "paragraph_open" or tokens[below].level != 0:
        return None
    text = tokens[below + 1].content.strip()
    if plain_text(text).rstrip().endswith("?") or ASKING_OPENER.match(plain_text(text)):
        return None
    return None if bold_lead(text) is not None else text or None


ASKING_OPENER = re.compile(
    rf"^\W*(?:{alternatives((*defaults().instruction_verbs, *defaults().task_verbs))})\b", re.I
)


# `### 4. What ...?`: the number an answer key refers to a question heading by.
HEADING_NUMBER = re.compile(r"^\W*(\d+)[.)]\s")


def opening_prose(
    lesson: Lesson, section: Section, end: int, define: bool = True
) -> list[str] | str:
    """A section's first prose, up to token `end`: paragraphs and the list one of them
    introduces (or a list alone), a code example before it passed over. With `define`, when
    the section opens with `**X** ...` and its heading names X, the bold term X instead."""
    tokens = lesson.tokens
    question = normalize_key(undecorated(section.title))
    prose: list[str] = []
    position = section.start_token + 3
    while position < end and sum(map(len, prose)) <= EXCERPT_CHARS:
        token = tokens[position]
        if token.type == "paragraph_open":
            content = tokens[position + 1].content.strip()
            after = close_of(tokens, position) + 1
            if BOLD_LINE.match(content):
                # `**Benefits:**` is prose with the list it heads; above code it titles an example.
                listing = tokens[after] if after < end else None
                if listing is not None and listing.type in LIST_OPEN and listing.map:
                    prose += [content, block_source(lesson, *listing.map)]
                    break
                if prose:
                    break
                position = after
                continue
            lead = bold_lead(content) if define and not prose else None
            if lead is not None and normalize_key(lead.term_text) in question:
                return lead.term_text
            prose.append(content)
        elif token.type in LIST_OPEN and token.map and (not prose or prose[-1].endswith(":")):
            prose.append(block_source(lesson, *token.map))
            break
        elif prose or token.type not in CODE_BLOCKS:
            break  # an example before the prose is passed over; after it, the answer ends
        position = close_of(tokens, position) + 1 if token.nesting == 1 else position + 1
    if prose and prose[-1].endswith(":"):
        prose[-1] = prose[-1][:-1] + "."  # what it announced (code, a table) is not on the card
    return prose


# `A: No, a CPU is enough.`, `**A:** ...`: a FAQ's answer below its `Q:` question.
# `→ Removing entries ...`, `=> 443`: an answer on the line after the question that asks it.
ANSWER_LINE = re.compile(r"^\s*(?:(?:\*\*|__)?A(?:\*\*|__)?\s*:(?:\*\*|__)?|→|=>)\s*(?=\S)")
# `Q: ` or `Q3: ` opening a bold question.
QUESTION_PREFIX = re.compile(r"^(?:q|question)\s*#?(?:\d+(?:\.\d+)*)?\s*[:.)]\s+", re.I)


def opens_options(lines: list[str]) -> bool:
    """`A: git fetch` then `B: git merge`: an `A:` line opening options, not a FAQ's answer."""
    second = OPTION.match(lines[1]) if len(lines) > 1 else None
    return second is not None and (second.group(1) or second.group(2)).upper() == "B"


def scope_end(lesson: Lesson, section: Section) -> int:
    """A numbered question ends at the next heading of any level."""
    tokens = lesson.tokens
    for position in range(section.start_token + 3, section.end_token):
        if tokens[position].type == "heading_open":
            return position
    return section.end_token


def answer_in(lesson: Lesson, start: int, end: int) -> str | None:
    """A `<details>` block or an `**Answer:**` paragraph between tokens `start` and `end`."""
    tokens = lesson.tokens
    for position in range(start, min(end, len(tokens))):
        token = tokens[position]
        # Only an HTML block can open `<details>`: lower-casing every fence on the way is not free.
        opening = token.content.lstrip().lower() if token.type == "html_block" else ""
        if opening.startswith("<details"):
            if HINT_SUMMARY.search(opening.partition("</summary>")[0]):
                continue  # a hint is not the answer; the answer may follow
            answer = details_text(lesson, position, end)
            if answer is not None and is_key(answer):
                continue  # the quiz's whole key (`1. B`, `2. C`), read by number
            if answer is not None:
                # `**Correct answer: B**` opening the block: its value names the option.
                first, _, rest = answer.partition("\n")
                value = label_value(first)
                answer = answer if value is None else f"{value}\n{rest}".strip()
            return answer
        if token.type == "inline" and tokens[position - 1].type == "paragraph_open":
            opening = ANSWER_LINE.match(token.content)
            if opening and not opens_options(token.content.split("\n")):
                return token.content[opening.end() :].strip()
            answer = _labelled_answer(lesson, position, end)
            if answer is not None:
                return answer
            if _asks_next(tokens, position):
                return None  # `1. Which built-in ...?` below: the answers on are its own
    return None


def _asks_next(tokens: list[Token], position: int) -> bool:
    """The paragraph at `position` (below a question) is another question: a numbered line or
    an ordered list's item that asks (`Q2: ...?`, `1. Which built-in ...?`)."""
    content = tokens[position].content
    if not content.rstrip(" *_").endswith("?"):
        return False
    item = tokens[position - 2] if position >= 2 else None
    in_ordered = item is not None and item.type == "list_item_open" and bool(item.info)
    return in_ordered or NUMBERED_QUESTION.match(plain_text(content)) is not None


def details_text(lesson: Lesson, index: int, end: int) -> str | None:
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
        value = label_value(line)
        if value is None:
            continue
        if key_line(value, least=2):
            return None  # `**Answers:** 1-b, 2-c`: the key of every question, not this one's
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


def label_value(line: str) -> str | None:
    """What an answer label gives on its line (`**Answer:** B`, the letter inside the bold,
    `**Answer: B**`, or a plain `Answer: B - why`), or None for a line with no such label."""
    by_option = OPTION_ANSWER.match(line)
    if by_option is not None:
        value = line[by_option.end() :].strip().lstrip(":").strip()
        return value if _NAMES_OPTION.match(value) else None
    lead = bold_lead(line)
    if lead is None:
        line = _unemphasised(_MARKS.sub("", line))  # `✅ Answer: B`: a mark, then the label
        plain = PLAIN_ANSWER.match(line)
        return line[plain.end() :].strip() if plain else None
    if not ANSWER_LABEL.match(lead.term_text):
        return None
    inside = lead.term_text.partition(":")[2].strip()
    return f"{inside} {lead.rest.strip().lstrip(':').strip()}".strip()


# `*Answer:* B`, `_Expected answer:_ ...`, `*Answer: It redelivers it.*`: an answer label in
# italics, its value after the emphasis or inside it.
_EMPHASISED = re.compile(r"^\s*([*_])(?![*_\s])([^*_]+?:[^*_]*?)(?<!\s)\1(?![*_])\s*(.*)$")


# Marks before a line's words (`✅`, `💡`, `👉`): decoration.
_MARKS = re.compile(r"^[^\w\s*_\[(`]+\s*")


def _unemphasised(line: str) -> str:
    """The line without the emphasis around its opening label (`*Answer:* B` -> `Answer: B`)."""
    match = _EMPHASISED.match(line)
    return f"{match.group(2)} {match.group(3)}".strip() if match else line


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
        position = close_of(tokens, position) + 1 if token.nesting == 1 else position + 1
    return position


def answer_key(lesson: Lesson, config: ExtractConfig) -> tuple[dict[str, str], int]:
    """Answers by question number from the lesson's answer key sections, and from any line
    that is nothing but key entries (`**Answers:** 1-b, 2-c, 3-a`) wherever it stands; and
    the line where the first of them starts (past the lesson's end when there is none)."""
    answers: dict[str, str] = {}
    first = len(lesson.lines) + 1
    tokens = lesson.tokens
    for index in lesson.positions("paragraph_open"):
        for line in tokens[index + 1].content.split("\n"):
            for number, value in key_line(line, least=2).items():
                answers.setdefault(number, value)
                first = min(first, line_of(tokens[index]))
    for section in lesson.sections:
        if _names_key(section.title, config):
            found = _keyed_answers(lesson, section)
            answers.update(found)
            first = min(first, section.line) if found else first
    for index in lesson.positions("table_open"):
        found = _headed_key(tokens, index)
        answers = {**found, **answers}
        first = min(first, line_of(tokens[index])) if found else first
    for index in lesson.positions("html_block"):
        found = _details_key(lesson, index, config)
        answers = {**found, **answers}
        first = min(first, line_of(tokens[index])) if found else first
    return answers, first


SUMMARY_TEXT = re.compile(r"<summary[^>]*>(.*?)</summary>", re.I | re.S)


def _names_key(title: str, config: ExtractConfig) -> bool:
    """`## Answers`, or a heading that names the key of the questions above it: one opening
    with an answer key's name (`## Answers to Review Questions`, `## Solutions: Week 2`),
    holding one of several words (`## Module 3 Answer Key`) or ending with one
    (`## Self-Check Answers`). Not `## Questions and Answers`: a FAQ, each answer under its
    question, which names no question by number."""
    if matches_any(title, config.answer_key_headings):
        return True
    if names_questions(title, config.answer_key_headings):
        return True
    words = plain_text(undecorated(title)).lower().replace("&", " and ").split()
    return (
        len(words) >= 2
        and words[-2] != "and"
        and matches_any(words[-1], config.answer_key_headings)
    )


def _key_summary(token: Token, config: ExtractConfig) -> re.Match[str] | None:
    """The summary of a `<details>` block opened by `token` when it names an answer key
    (`<summary>Answer Key</summary>`, `Show answers`): the block hides a key."""
    text = token.content
    if token.type != "html_block" or not text.lstrip().lower().startswith("<details"):
        return None
    summary = SUMMARY_TEXT.search(text)
    named = plain_text(summary.group(1)) if summary else ""
    if not named or not names_questions(named, config.answer_key_headings, anywhere=True):
        return None
    return summary


def details_close(tokens: list[Token], index: int) -> int:
    """Index of the HTML block that closes the `<details>` block opened at `index`: itself
    when it holds its `</details>` (a block written in one piece), the lesson's end when none
    does."""
    return next(
        (
            position
            for position in range(index, len(tokens))
            if tokens[position].type == "html_block"
            and _DETAILS_END in tokens[position].content.lower()
        ),
        len(tokens),
    )


def _details_key(lesson: Lesson, index: int, config: ExtractConfig) -> dict[str, str]:
    """The answers of a `<details>` block whose summary names an answer key (`<summary>Answer
    Key</summary>`, `Show answers`), read as a key section's: the key a quiz hides at its end."""
    tokens = lesson.tokens
    summary = _key_summary(tokens[index], config)
    if summary is None:
        return {}
    inside = tokens[index].content[summary.end() :]
    if _DETAILS_END in inside.lower():  # the key written inside the HTML block itself
        answers: dict[str, str] = {}
        for line in inside.split("\n"):
            answers = {**key_line(line, least=1), **answers}
        return answers
    named = plain_text(summary.group(1))
    close = details_close(tokens, index)
    return _keyed_answers(
        lesson, blocks_as_section(named, line_of(tokens[index]), index + 1, close)
    )


def key_below_list(
    lesson: Lesson, close: int, config: ExtractConfig
) -> tuple[dict[str, str], int] | None:
    """The key a `<details>` block right after the list closed at token `close` hides, when its
    summary names an answer key (`<summary>Show answers</summary>`): each numbered item it
    holds, whole (its own lists and code too), as the answer to that number; and the index of
    the block's closing token. None when no such block follows the list.

    Unlike a key section's reading (`_worded_key`), an item that opens with a verb of doing
    (`2. Return a string ...`) still answers: the numbered list above is what it answers."""
    tokens = lesson.tokens
    index = close + 1
    summary = _key_summary(tokens[index], config) if index < len(tokens) else None
    if summary is None:
        return None
    inside = tokens[index].content[summary.end() :]
    if _DETAILS_END in inside.lower():  # written inside the HTML block: no Markdown list
        return _numbered_lines(inside[: inside.lower().find(_DETAILS_END)]), index
    end = details_close(tokens, index)
    answers: dict[str, str] = {}
    level = None
    for position in range(index + 1, end):
        item = tokens[position]
        if item.type != "list_item_open" or not item.info or item.map is None:
            continue
        level = item.level if level is None else level
        if item.level == level:
            first, _, rest = _unquoted(lesson.source(*item.map)).partition("\n")
            answer = f"{_NUMBERED_LINE.sub('', first, count=1)}\n{textwrap.dedent(rest)}"
            answers.setdefault(item.info, answer.strip())
    return answers, end


# `1. text`, `2) text`: a numbered line of a key written inside an HTML block.
_NUMBERED_LINE = re.compile(r"^\s*(\d+)[.)]\s+")


def _unquoted(source: str) -> str:
    """Source lines without their block quote marks (`> 1. text`), dedented as a block."""
    if source.lstrip().startswith(">"):
        source = "\n".join(dequote(line, quote_depth(line)) for line in source.split("\n"))
    return textwrap.dedent(source).strip("\n")


def _numbered_lines(text: str) -> dict[str, str]:
    """`1. text` lines, each with the lines below it up to the next such line, by number."""
    answers: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in _unquoted(text).split("\n"):
        numbered = _NUMBERED_LINE.match(line)
        if numbered:
            current = answers.setdefault(numbered.group(1), [])
            line = line[numbered.end() :]
        if current is not None:
            current.append(line)
    return {number: "\n".join(lines).strip() for number, lines in answers.items()}


def is_key(text: str) -> bool:
    """Text whose lines give the answers of two questions or more by number: a key."""
    numbers = {number for line in text.split("\n") for number in key_line(line, least=1)}
    return len(numbers) >= 2


def key_line(line: str, least: int) -> dict[str, str]:
    """`1-b, 2-c`, `Q1: B`, `1. b`: the answers of a line made of key entries (at least
    `least` of them), by question number; empty when anything else stands in the line."""
    if not _MAY_KEY.search(line):
        return {}  # most lines: no entry without a digit (`plain_text` makes one of `&#49;`)
    text = plain_text(line)
    entries = list(_KEY_ENTRY.finditer(text))
    if len(entries) < least:
        return {}
    residue = "".join(
        text[(entries[n - 1].end() if n else 0) : entry.start()] for n, entry in enumerate(entries)
    )
    if not _KEY_RESIDUE.match(residue + text[entries[-1].end() :]):
        return {}
    return {entry.group(1): entry.group(2).strip() for entry in entries}


def _table_key(tokens: list[Token], index: int) -> dict[str, str]:
    """`| 1 | B |` rows (a question number, then its letter) of an answer key table."""
    answers: dict[str, str] = {}
    for _, cells in table_rows(tokens, index):
        if len(cells) >= 2:
            answers.update(key_line(f"{plain_text(cells[0])}. {plain_text(cells[1])}", least=1))
    return answers


# A key table's headers: `| Q | A |`, `| # | Answer |`, `| Question | Correct |`.
_NUMBER_HEADER = re.compile(r"^(?:#|q|q#|no\.?|number|question|questions)$", re.I)
ANSWER_HEADER = re.compile(
    rf"^(?:a|{alternatives((*defaults().answer_labels, *defaults().option_answer_labels))})$",
    re.I,
)


def _headed_key(tokens: list[Token], index: int) -> dict[str, str]:
    """The answers of a table headed `| Q | A |` or `| # | Answer |` whose every row opens
    with a question's number, wherever it stands: the key a quiz ends with, its answers given
    as letters or in words. Empty for any other table."""
    rows = table_rows(tokens, index)
    if len(rows) < 2 or len(rows[0][1]) < 2:
        return {}
    number, answer = (plain_text(cell).strip() for cell in rows[0][1][:2])
    if not _NUMBER_HEADER.match(number) or not ANSWER_HEADER.match(answer):
        return {}
    answers: dict[str, str] = {}
    for _, cells in rows[1:]:
        numbered = QUESTION_COUNT.match(plain_text(cells[0]).strip()) if len(cells) >= 2 else None
        if numbered is None or not cells[1].strip():
            return {}
        answers[numbered.group(1)] = cells[1].strip()
    return answers


def key_file_answers(key: Lesson, config: ExtractConfig) -> dict[str, str]:
    """Answers by number from an answer key file: numbered sections and key sections."""
    answers: dict[str, str] = {}
    for section in key.sections:
        numbered = QUESTION_HEADING.match(section.title)
        if numbered:
            answer = answer_in(key, section.start_token + 3, scope_end(key, section))
            if answer is not None:
                answers.setdefault(numbered.group(1), answer)
    return {**answers, **answer_key(key, config)[0]}


def _keyed_answers(lesson: Lesson, section: Section) -> dict[str, str]:
    """`**Question 3: B**` paragraphs (with the explanation below) and `1. B  2. C` lists."""
    tokens = lesson.tokens
    answers: dict[str, str] = {}
    current: str | None = None  # the number whose explanation the next blocks continue
    position = section.start_token + 3
    while position < section.end_token:
        token = tokens[position]
        if token.type in ("hr", "heading_open"):
            title = tokens[position + 1].content
            # `### Question 2`, or the question again: `### 2. Which port ...?` (a numbered
            # heading that does not ask, `### 1. Install Docker`, is a step of a solution).
            asks = title.rstrip(" *_").endswith("?")
            numbered = QUESTION_HEADING.match(title) or (asks and HEADING_NUMBER.match(title))
            current = None
            if token.type == "heading_open" and numbered:
                answer = answer_in(lesson, position + 3, section.end_token)
                answer = answer or _heading_prose(lesson, position)
                if answer is not None:
                    answers.setdefault(numbered.group(1), answer)
        elif token.type in LIST_OPEN:
            close = close_of(tokens, position)
            # `3) B - why` (an ordered item giving a letter) or `- Q3: B`: the key goes on.
            keys = any(
                (tokens[item].info and _SHORT_ANSWER.match(plain_text(tokens[item + 2].content)))
                or key_line(tokens[item + 2].content, least=1)
                for item in range(position, close)
                if tokens[item].type == "list_item_open" and tokens[item + 2].type == "inline"
            )
            if current is not None and token.map and not keys:
                listing = block_source(lesson, *token.map)
                answers[current] = f"{answers[current]}\n\n{listing}".strip()
            else:
                current = None
                answers = {**_compact_key(tokens[position:close]), **answers}
                for item in range(position, close):
                    if tokens[item].type == "inline":
                        answers = {**key_line(tokens[item].content, least=1), **answers}
            position = close
        elif token.type == "table_open":
            answers = {**_table_key(tokens, position), **answers}
        elif token.type == "inline" and tokens[position - 1].type == "paragraph_open":
            lead = bold_lead(token.content)
            keyed = _KEYED.match(lead.term_text) if lead is not None else None
            inline = key_line(token.content, least=1) if lead is None else {}
            rest = lead.rest.strip().lstrip(":").strip() if lead is not None else ""
            if lead is not None and keyed is not None and _is_key_entry(keyed):
                current = keyed.group(1)
                answers[current] = f"{keyed.group(2).strip()}\n\n{rest}".strip()
            elif keyed is not None and not keyed.group(2) and _SHORT_ANSWER.match(plain_text(rest)):
                # `**1.** B - why`, `**2.** **C**`: only the number in bold, the letter after it.
                current = keyed.group(1)
                answers[current] = rest
            elif inline:
                answers = {**inline, **answers}
                current = None
            elif current is not None:
                answers[current] = f"{answers[current]}\n\n{token.content}".strip()
        position += 1
    return answers


def restated_answers(lesson: Lesson, config: ExtractConfig) -> dict[str, str]:
    """Answers a key section gives under the question written again, without its number (its
    key, `normalize_key`, to the answer): a heading that asks (`### Which port ...?`) over its
    answer, or a paragraph all in bold that asks over the paragraph that answers it. A key
    that repeats the questions answers them by their text."""
    tokens = lesson.tokens
    answers: dict[str, str] = {}
    for section in lesson.sections:
        if not _names_key(section.title, config):
            continue
        for position in range(section.start_token + 3, section.end_token):
            token = tokens[position]
            text = tokens[position + 1].content if position + 1 < len(tokens) else ""
            asked = plain_text(text).strip()
            if not asked.endswith("?"):
                continue
            if token.type == "heading_open":
                answer = answer_in(lesson, position + 3, section.end_token)
                answer = answer or _heading_prose(lesson, position)
            elif token.type == "paragraph_open" and token.level == 0:
                answer = prose_below(tokens, position, section.end_token)
            else:
                continue
            question = HEADING_NUMBER.sub("", QUESTION_PREFIX.sub("", asked, count=1))
            if answer is not None:
                answers.setdefault(normalize_key(question), answer)
    return answers


def _heading_prose(lesson: Lesson, position: int) -> str | None:
    """The opening prose under the heading opened at token `position` of a key section
    (`### Question 2` / `**C)** 7070, the relay's port.`): that question's answer, written
    with no label, as the key's heading numbers it."""
    section = next((s for s in lesson.sections if s.start_token == position), None)
    if section is None:
        return None
    prose = opening_prose(lesson, section, scope_end(lesson, section), define=False)
    return "\n\n".join(prose) if prose else None


def _is_key_entry(keyed: re.Match[str]) -> bool:
    """`**Question 3: B**` or `**3. B**`; not `**1. Install Docker**` in a solutions section."""
    named = keyed.group(0).lstrip("#").lower().startswith(("q", "answer"))
    return named or bool(_SHORT_ANSWER.match(keyed.group(2)))


def _compact_key(tokens: list[Token]) -> dict[str, str]:
    """`1. B   2. C   3. True` items of an ordered list: one or more answers per item; or, in
    words, `1. ReplicaSet` / `2. A Service gives pods ...`: each item the answer to its number."""
    answers: dict[str, str] = {}
    items = [
        (token.info, tokens[position + 2].content)
        for position, token in enumerate(tokens)
        if token.type == "list_item_open" and token.info and tokens[position + 2].type == "inline"
    ]
    for info, content in items:
        for number, value in _COMPACT.findall(f"{info}. {content.split(chr(10), 1)[0]}"):
            if not _SHORT_ANSWER.match(value):
                return _worded_key(items)
            answers.setdefault(number, value.strip())
    return answers


def _worded_key(items: list[tuple[str, str]]) -> dict[str, str]:
    """Each numbered item of a key section as the answer to its number, unless one tells the
    learner to do something (`1. Install Docker` under `## Solutions`): steps, not a key."""
    if any(ASKING_OPENER.match(plain_text(content)) for _, content in items):
        return {}
    return {number: content.strip() for number, content in items}
