"""Helpers every extractor shares: skipping, source references, the leading bold term."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from deckgen import shortcuts
from deckgen.config import ExtractConfig
from deckgen.defaults import alternatives, defaults
from deckgen.identity import normalize_key
from deckgen.items import SourceRef
from deckgen.lesson import Lesson, Section, inline_children, one_line, text_of

if TYPE_CHECKING:  # the parser is imported on first use: a no-op build never needs it
    from markdown_it.token import Token


# `A100`, `t3.micro`, `GPT-3`, `ResNet-50`, `ubuntu:22.04`, `MLflow`, `DVC`: a word shaped like a
# name (capitals in a row or inside a word, letters beside digits), not a word of plain English.
NAME_SHAPE = re.compile(r"[A-Z]{2}|[a-z][A-Z]|[A-Za-z][:-]?\d|\d[A-Za-z]")


class LineStart:
    """A pattern that must open a line (`^` under re.M), searched for in a whole lesson:
    `search(text)` is `re.compile("^(?:" + body + ")", flags | re.M).search(text) is not
    None`. Anchored so, the pattern is tried at every character of the text; here it is tried
    only where `^` can match, the text's start and after each "\\n", which the regex engine
    finds as a literal. `body` must not look behind its own start. tests/test_extract_caches.py
    holds the two equal."""

    def __init__(self, body: str, flags: int = 0) -> None:
        self.anchored = re.compile(f"^(?:{body})", flags | re.M)  # what `search` answers as
        self._first = re.compile(f"(?:{body})", flags | re.M)
        self._later = re.compile(f"\n(?:{body})", flags | re.M)

    def search(self, text: str) -> bool:
        return self._first.match(text) is not None or self._later.search(text) is not None


@lru_cache(maxsize=64)
def singular(word: str) -> str:
    """`Data lakes` -> `Data lake`, `policies` -> `policy`, `CPUs` -> `CPU`, while `status`,
    `class` and `analysis` stay: the plural and the singular name one subject. Case decides
    whether a final `us` is a plural (`GPUs`), so callers lower-case after this, not before."""
    if _ACRONYM_PLURAL.search(word):
        return word[:-1]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


_ACRONYM_PLURAL = re.compile(r"(?<![a-z])[A-Z0-9]*[A-Z][A-Z0-9]*s$")


# Callers pass the same few configured name lists (`ExtractConfig`'s tuples) for every token.
@lru_cache(maxsize=256)
def _normalized(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalize_key(name) for name in names)


# `- `, `* `, `3. `, `2) `: the marker opening a list item's line.
LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
# markdown-it's tokens opening and closing a list, bulleted or numbered.
LIST_OPEN = ("bullet_list_open", "ordered_list_open")
LIST_CLOSE = ("bullet_list_close", "ordered_list_close")
# markdown-it's code blocks: fenced and indented.
CODE_BLOCKS = ("fence", "code_block")

# `## 🧠 9. Self-Check Questions`: emoji and section numbers decorate a heading, not name it.
_DECORATED = re.compile(r"^[^\w]*(?:\d+(?:\.\d+)*[.)]?\s+)?")


# Extractors ask about every token's section and its parents: the same few headings each time.
@lru_cache(maxsize=4096)
def _heading_key(text: str) -> str:
    return normalize_key(_DECORATED.sub("", text, count=1))


# Arrows, technical and geometric symbols, dingbats (`✅`, `❌`, `⚠`, `✓`), emoji, and what joins
# and varies them; not letters, figures, math operators or units (`°`, `≤`).
_MARK = (
    "\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2900-\u297f\u2b00-\u2bff"
    "\U0001f000-\U0001faff\u200d\ufe0f"
)
_WORD_CHAR = re.compile(r"\w")
# `✅ The term ...`, `💡 Tip: ...`: a check mark or emoji opening a line marks it.
LEADING_MARK = re.compile(rf"^\s*[{_MARK}]+\s*")
_EDGE_MARKS = re.compile(rf"^[{_MARK}]+\s*(?=\S)|(?<=\S)\s*[{_MARK}]+$")


def without_edge_marks(text: str) -> str:
    """`✅ Drops stale messages`, `**Burst queue ✅**`: a check mark, warning or emoji at either
    end marks the line in its list (done, avoid, beware); on a card, away from the list, it
    says nothing the words do not. Text that is only marks keeps them, and text of several
    lines (a list, each item with its mark) is left whole."""
    if "\n" in text:
        return text
    stripped = _EDGE_MARKS.sub("", text)
    return stripped if _WORD_CHAR.search(stripped) else text


def undecorated(title: str) -> str:
    """A heading without its emoji and section number: `## 🧠 1.2 What is X?` -> `What is X?`."""
    return _DECORATED.sub("", title, count=1).strip()


def matches_any(text: str, names: tuple[str, ...]) -> bool:
    """True when the text, without its decoration, is one of these names (case-insensitive)."""
    return _heading_key(text) in _normalized(names)


_PHRASE_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def _phrase(text: str) -> str:
    return " ".join(_PHRASE_WORD.findall(text.lower()))


@lru_cache(maxsize=64)
def _phrases(names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names of several words, padded, and the names of one word."""
    phrases = [phrase for phrase in map(_phrase, names) if phrase]
    return (
        tuple(f" {phrase} " for phrase in phrases if " " in phrase),
        tuple(phrase for phrase in phrases if " " not in phrase),
    )


@lru_cache(maxsize=4096)
def names_questions(text: str, names: tuple[str, ...], anywhere: bool = False) -> bool:
    """True when the text holds one of these names of several words as a run of whole words,
    whatever stands around it (`Reflection Questions for Week 3`, `🧠 Knowledge Check: Docker`),
    or opens with a name of one word (`Quiz: Docker Basics`). A word alone elsewhere says less:
    `Evaluation Questions` heads a rubric; but, with `anywhere`, a lesson's title says what the
    whole file is (`# Module 3 Quiz`)."""
    phrase = _phrase(text)
    several, single = _phrases(names)
    words = phrase.split(" ") if anywhere else phrase.split(" ", 1)[:1]
    return any(word in single for word in words) or any(name in f" {phrase} " for name in several)


def within(section: Section | None, names: tuple[str, ...]) -> bool:
    """True when the section or one of its parents has one of these headings."""
    return section is not None and not _path_keys(section.path).isdisjoint(_normalized(names))


def within_each(sections: list[Section], names: tuple[str, ...]) -> list[bool]:
    """`within(section, names)` for each of a lesson's sections, in one pass: a section is
    within when its parent is or its own heading is one of the names. The parent is the last
    section before it one level up its path (sections come in document order), so a stack
    by depth holds each ancestor's answer. tests/test_fast_paths.py compares it with within."""
    wanted = _normalized(names)
    answers: list[bool] = []
    by_depth: list[bool] = []
    for section in sections:
        depth = len(section.path)
        inside = (depth > 1 and by_depth[depth - 2]) or _heading_key(section.title) in wanted
        del by_depth[depth - 1 :]
        by_depth.append(inside)
        answers.append(inside)
    return answers


# A lesson's tokens share a few hundred section paths, and extractors ask about each often.
@lru_cache(maxsize=4096)
def _path_keys(path: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_heading_key(title) for title in path)


class PerSection:
    """A verdict about sections, judged once per section while walking a lesson.

    `Lesson.walk` yields a section for run after run of its tokens (sections follow one
    another in token order), so remembering the last section's verdict spares asking the
    same question of every paragraph in it.
    """

    def __init__(self, judge: Callable[[Section | None], bool]) -> None:
        self._judge = judge
        self._section: Section | None = None
        self._verdict = judge(None)

    def __call__(self, section: Section | None) -> bool:
        if section is not self._section:
            self._section, self._verdict = section, self._judge(section)
        return self._verdict


def is_skipped(section: Section | None, config: ExtractConfig) -> bool:
    """True inside a section the config says holds nothing to study."""
    return within(section, config.skip_sections)


# `### Question 3`, `### Question 3 (True/False)`, `## Q1. What is ...?`, `### Q12: ...`; a
# bare `Q` needs punctuation after its number: `### Q4 Roadmap` is a quarter, not a question.
QUESTION_HEADING = re.compile(
    r"^(?:question\s*#?|q#?(?=\d+(?:[.:)\-–—]|\s*$)))(\d+)\b[\s.:)\-–—]*(.*)$", re.I
)


# A table's first cell that counts questions: `1`, `Q1`, `#2`, `Question 3.` (the number).
QUESTION_COUNT = re.compile(r"^(?:q(?:uestion)?\s*)?#?(\d+)[.):]?$", re.I)


def is_question_scope(section: Section | None, config: ExtractConfig) -> bool:
    """Inside a question list, one numbered question, or an answer key: no definitions there."""
    return (
        within(section, config.question_headings)
        or within(section, config.answer_key_headings)
        or (section is not None and _numbered_question_in(section.path))
    )


@lru_cache(maxsize=4096)
def _numbered_question_in(path: tuple[str, ...]) -> bool:
    return any(QUESTION_HEADING.match(title) for title in path)


def table_rows(tokens: list[Token], index: int) -> list[tuple[int, list[str]]]:
    """The rows (1-based line, cells as inline Markdown) of the table opened at `index`."""
    rows: list[tuple[int, list[str]]] = []
    position = index + 1
    while position < len(tokens) and tokens[position].type != "table_close":
        current = tokens[position]
        if current.type == "tr_open":
            rows.append((current.map[0] + 1 if current.map else 0, []))
        elif current.type == "inline" and rows:
            rows[-1][1].append(current.content.strip())
        position += 1
    return rows


def source_ref(lesson: Lesson, line: int, section: Section | None) -> SourceRef:
    return SourceRef(str(lesson.path), line, section.path if section else ())


def block_source(lesson: Lesson, start: int, end: int) -> str:
    """Lines [start, end) dedented, so a nested list reads as a list of its own."""
    return textwrap.dedent(lesson.source(start, end)).strip("\n")


@dataclass(frozen=True)
class BoldLead:
    """An inline line that opens with a bold span: `**term** rest`."""

    term: str  # Markdown inside the bold markers
    term_text: str  # plain text of the term
    rest: str  # Markdown after the closing marker


# Before the bold term only decoration may stand: emoji, bullets, spaces.
_DECORATION = re.compile(r"^[^\w`*_\[]*")


# Several extractors ask about the same lines; the inline parse is the expensive part.
@lru_cache(maxsize=4096)
def bold_lead(content: str) -> BoldLead | None:
    """Split `🐳 **Docker:** text` into term and rest, or None when no bold term leads."""
    prefix = _DECORATION.match(content)
    start = prefix.end() if prefix else 0
    marker = content[start : start + 2]
    if marker not in ("**", "__"):
        return None
    return _plain_bold_lead(content, start, marker) or _parsed_bold_lead(content, start, marker)


def _plain_bold_lead(content: str, start: int, marker: str) -> BoldLead | None:
    """The bold lead deckgen.shortcuts reads without the parser, or None."""
    plain = shortcuts.bold_lead(content, start, marker)
    if plain is None:
        return None
    term, joined, rest = plain
    return BoldLead(term=term, term_text=one_line(joined), rest=rest)


def _parsed_bold_lead(content: str, start: int, marker: str) -> BoldLead | None:
    # The parser decides whether this really is strong emphasis (and not, say, `** x`).
    children = inline_children(content[start:])
    if not children or children[0].type != "strong_open":
        return None
    depth = 0
    for index, child in enumerate(children):
        if child.type == "strong_open":
            depth += 1
        elif child.type == "strong_close":
            depth -= 1
            if depth == 0:
                term_tokens = children[1:index]
                break
    else:
        return None
    close = content.find(marker, start + 2)
    while close != -1 and content[close + 2 : close + 3] == marker[0]:
        close += 1  # `**term***` : the closing run is the last two markers
    if close == -1:
        return None
    return BoldLead(
        term=content[start + 2 : close],
        term_text=text_of(term_tokens),
        rest=content[close + 2 :],
    )


# `Write a script that ...`, `Set up a ...`, `Create a repository with:`: a sentence that asks
# the learner to make something (`task_verbs`).
TASK_OPENING = re.compile(rf"^\W*(?:{alternatives(defaults().task_verbs)})\b", re.I)
