"""The lesson's own definitions of the terms a question names: the answer to a question the
author left unanswered, when the lesson defines what it asks about.

"What's the difference between an image and a container?" is answered by the lesson's
`**Image**: Read-only template ...` and `**Container**: Running instance of an image` lines, and
by no section whose words it shares best ("Building an Image" holds only commands). A term is
defined where a bold term leads a line with text after it (`**X**: ...`, `**X** - ...`,
`**X** is ...`) or where it is the first cell of a table row (the row's other cells, under their
headers, describe it). A question names a term when the term's words stand together in it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING

from deckgen.config import ExtractConfig
from deckgen.defaults import alternatives, defaults
from deckgen.extract.common import (
    LIST_OPEN,
    bold_lead,
    is_question_scope,
    is_skipped,
    matches_any,
    table_rows,
    within,
)
from deckgen.extract.pointers import EXCERPT_CHARS, join_prose, shorten, text_words
from deckgen.lesson import Lesson, Section, line_of, plain_text

if TYPE_CHECKING:
    from markdown_it.token import Token

# Between two terms a question names as two: separators, joining words, articles.
_JOINED = re.compile(
    rf"^(?:[\s,/&;]|\b(?:{alternatives(defaults().coordinators)})\b\.?|\b(?:a|an|the)\b)*$",
    re.I,
)
_RAW_WORD = re.compile(r"\S+")
# The share of the question's topic weight the terms must hold for the question to be about
# them, and the share of the rest their definitions must hold.
TERM_SHARE = 0.5
# A defined term longer than this is a phrase or a sentence, not a name a question would use.
_MAX_TERM_WORDS = 5
# At most this many terms make one answer: "the difference between X, Y and Z".
_MAX_TERMS = 3
_SEPARATORS = " :-–—"


# `SectionIndex.coverage`: the share of a question's topic weight a text holds, and what it lacks.
Coverage = Callable[[str, str], tuple[float, list[str]]]


@dataclass(frozen=True)
class DefinedTerm:
    words: tuple[str, ...]  # the term's words as the pointer reads them (stemmed, no stopwords)
    term: str  # plain text
    body: str  # plain text: what the lesson says it is
    section: Section
    line: int

    @property
    def text(self) -> str:
        return f"{self.term}: {self.body}"


class DefinedTerms:
    """Every term a lesson defines, read once, when a question first needs them."""

    def __init__(self, lesson: Lesson, config: ExtractConfig) -> None:
        self.lesson = lesson
        self.config = config

    @cached_property
    def terms(self) -> list[DefinedTerm]:
        found: list[DefinedTerm] = []
        tokens = self.lesson.tokens
        for index, token, section in self.lesson.walk("inline", "table_open"):
            if section is None or is_skipped(section, self.config):
                continue
            if is_question_scope(section, self.config):
                continue  # a question's own list or its answer key defines nothing here
            if within(section, self.config.instruction_sections):
                continue  # steps and takeaways: `**Volumes**: named volumes vs bind mounts`
            if token.type == "table_open":
                if index not in self.lesson.code_tables:
                    found += _table_terms(tokens, index, section)
            elif tokens[index - 1].type == "paragraph_open":
                found += self._line_terms(index, section)
        return found

    def _line_terms(self, index: int, section: Section) -> list[DefinedTerm]:
        """`**X**: ...` lines of the paragraph at token `index`, or `**X**` alone above a
        list, whose items say what X is."""
        tokens = self.lesson.tokens
        token = tokens[index]
        found: list[DefinedTerm] = []
        for offset, line in enumerate(token.content.split("\n")):
            lead = bold_lead(line)
            if lead is None:
                continue
            term = _ASIDE.sub("", lead.term_text.strip().rstrip(":").strip())
            body = plain_text(lead.rest).strip().lstrip(_SEPARATORS).strip()
            if not body and "\n" not in token.content:
                body = _list_below(tokens, index + 2)
            if not body or not _is_name(term) or matches_any(term, self.config.metadata_labels):
                continue
            found.append(
                DefinedTerm(tuple(text_words(term)), term, body, section, line_of(token) + offset)
            )
        return [term for term in found if term.words]

    @cached_property
    def _first_by_head(self) -> dict[str, list[tuple[int, DefinedTerm]]]:
        """Each term where the lesson first defines it, with its place in the lesson, under its
        first word: a question is matched against the terms whose first word it holds, not
        against every term (a long lesson has thousands)."""
        by_head: dict[str, list[tuple[int, DefinedTerm]]] = {}
        seen: set[tuple[str, ...]] = set()
        for order, term in enumerate(self.terms):
            if term.words not in seen:
                seen.add(term.words)
                by_head.setdefault(term.words[0], []).append((order, term))
        return by_head

    def named_in(self, question: str) -> list[DefinedTerm]:
        """The defined terms whose words stand together in the question, in the question's
        order: the longest where two overlap, each term once (where the lesson first defines
        it). Several terms must be joined as a list is (`X and Y`, `X vs Y`, `X, Y, and Z`):
        `X for Y` or `X of Y` is one topic, which no definition of X or of Y answers. None when
        more than `_MAX_TERMS` are named (a question about everything)."""
        asked = _positions(question)
        stems = [stem for stem, _, _ in asked]
        spans: list[tuple[int, int, DefinedTerm]] = []
        heads = {stem for stem, _, _ in asked}
        for _, term in sorted(
            entry for head in heads for entry in self._first_by_head.get(head, ())
        ):
            start = _find(stems, term.words)
            if start >= 0:
                spans.append((start, start + len(term.words), term))
            elif (start := _elided(asked, question, term.words)) >= 0:
                spans.append((start, start + 1, term))  # its head is the next term's
        spans.sort(key=lambda span: (span[0], -(span[1] - span[0])))
        chosen: list[tuple[int, int, DefinedTerm]] = []
        for span in spans:
            if not chosen or span[0] >= chosen[-1][1]:
                chosen.append(span)
            elif span[1] > chosen[-1][1]:
                return []  # two terms cross: the question's words do not say which it names
        if len(chosen) > _MAX_TERMS:
            return []
        for before, after in pairwise(chosen):
            gap = question[asked[before[1] - 1][2] : asked[after[0]][1]]
            if not _JOINED.match(gap):
                return []
        return [term for _, _, term in chosen]

    def answer(self, question: str, coverage: Coverage) -> tuple[list[DefinedTerm], str] | None:
        """The lesson's definitions of the terms the question names, and their excerpt, when
        the question is about those terms (they and their sections' headings hold at least half
        of its topic weight) and
        the definitions hold at least half of what it asks beyond them."""
        terms = self.named_in(question)
        if not terms:
            return None
        named = " ".join(f"{' '.join(term.section.path)} {term.term}" for term in terms)
        about, _ = coverage(question, named)  # a term in its context: `CUDA Images › runtime`
        if about < TERM_SHARE:
            return None  # `How do you tag an image for ECR?` is not about what an image is
        excerpt = answer_text(terms)
        rest = " ".join(
            word for word in text_words(question) if all(word not in t.words for t in terms)
        )
        if rest:
            held, _ = coverage(rest, " ".join(term.body for term in terms))
            if held < TERM_SHARE and coverage(rest, rest)[0] > 0:
                return None  # `What's the format for port mapping?`: the body says no format
        return terms, excerpt


def answer_text(terms: list[DefinedTerm]) -> str:
    """`Image: Read-only template ...; Container: Running instance of an image`, each term's
    definition shortened to its share of an excerpt, so that the last is not cut away."""
    share = EXCERPT_CHARS // len(terms)
    return join_prose(shorten(term.text, share) for term in terms)


def _list_below(tokens: list[Token], index: int) -> str:
    """The first lines of the items of the list opened at token `index` (if one is), joined:
    `**Vertical Scaling**` above `- Increase instance size` / `- Requires restart`."""
    if index >= len(tokens) or tokens[index].type not in LIST_OPEN:
        return ""
    level = tokens[index].level + 3  # list, item, paragraph, then the item's text
    items: list[str] = []
    for token in tokens[index + 1 :]:
        if token.level < level - 2:
            break  # the list's close
        if token.type == "inline" and token.level == level:
            items.append(plain_text(token.content.split("\n", 1)[0]))
    return "; ".join(item for item in items if item)


# `Vertical Scaling (Scale Up)`: the aside is no part of the name a question uses.
_ASIDE = re.compile(r"\s*\([^()]*\)$")


def _is_name(term: str) -> bool:
    return 0 < len(term.split()) <= _MAX_TERM_WORDS and not term.endswith("?")


def _positions(text: str) -> list[tuple[str, int, int]]:
    """The text's words as the pointer reads them (stem, no stopwords), each with where it
    stands in the text: start and end offsets."""
    found: list[tuple[str, int, int]] = []
    for match in _RAW_WORD.finditer(text.lower()):
        for stem in text_words(match.group(0)):
            found.append((stem, match.start(), match.end()))
    return found


def _elided(asked: list[tuple[str, int, int]], question: str, words: tuple[str, ...]) -> int:
    """Where a term of several words stands in the question with its head shared by the next
    term (`vertical and horizontal scaling` holds *vertical scaling*): its first word, a
    joining word, one other word, then the rest of the term. -1 when it does not."""
    stems = [stem for stem, _, _ in asked]
    if len(words) < 2:
        return -1
    for start in range(len(stems) - len(words)):
        if stems[start] != words[0]:
            continue
        if tuple(stems[start + 2 : start + 1 + len(words)]) != words[1:]:
            continue
        gap = question[asked[start][2] : asked[start + 1][1]]
        if gap.strip() and _JOINED.match(gap):
            return start
    return -1


def _find(words_: list[str], part: tuple[str, ...]) -> int:
    """Where `part` starts in `words_` as a run of whole words, or -1."""
    width = len(part)
    for start in range(len(words_) - width + 1):
        if tuple(words_[start : start + width]) == part:
            return start
    return -1


def _table_terms(tokens: list[Token], index: int, section: Section) -> list[DefinedTerm]:
    """Each body row of a table: its first cell the term, its other cells (under their
    headers) what the lesson says of it."""
    rows = table_rows(tokens, index)
    if len(rows) < 2:
        return []
    headers = [plain_text(cell) for cell in rows[0][1]]
    found: list[DefinedTerm] = []
    for line, cells in rows[1:]:
        if len(cells) < 2:
            continue
        term = plain_text(cells[0]).strip()
        described = described_row(headers, cells)
        term_words = tuple(text_words(term))
        if term_words and described and _is_name(term):
            found.append(DefinedTerm(term_words, term, described, section, line))
    return found


def described_row(headers: list[str], cells: list[str]) -> str:
    """What a table row says of its first cell: `Training: Hours/Days, Serving: Milliseconds`."""
    return ", ".join(
        f"{header}: {plain_text(cell)}" if header else plain_text(cell)
        for header, cell in zip(headers[1:], cells[1:], strict=False)
        if plain_text(cell).strip()
    )
