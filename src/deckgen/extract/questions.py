"""Self-check questions: the list items under a "Self-Check Questions" (or kin) heading.

A question whose answer the lesson does not spell out points at the section that answers it,
chosen by weighted word overlap between the question and each section's heading and text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

from deckgen.config import ExtractConfig
from deckgen.extract.common import is_skipped, matches_any, source_ref
from deckgen.items import SelfCheckQuestion
from deckgen.lesson import Lesson, Section, plain_text

_WORD = re.compile(r"[a-z0-9][a-z0-9+#.-]*[a-z0-9+#]|[a-z0-9]")
_STOPWORDS = frozenset(
    """
    a an and are as at be by can do does for from how i in into is it its of on or our should
    that the their them these this those to we what when where which who why will with you your
    yours ll name list explain describe give three two four five key main
    """.split()
)
_EXCERPT_CHARS = 240
_HEADING_WEIGHT = 3.0
# A question word no section uses still makes the question less like every section.
_UNSEEN_IDF = 1.0


def extract(lesson: Lesson, config: ExtractConfig) -> Iterator[SelfCheckQuestion]:
    answerable: _Index | None = None  # built for the first question: most lessons have none
    tokens = lesson.tokens
    for index, token, section in lesson.walk():
        if token.type != "list_item_open" or section is None:
            continue
        if not matches_any(section.title, config.question_headings):
            continue
        if token.level != _first_list_level(lesson, section):
            continue  # a nested list belongs to the question above it
        paragraph = tokens[index + 1]
        if paragraph.type != "paragraph_open":
            continue
        content = tokens[index + 2].content.strip()
        text = plain_text(content)
        if not text:
            continue
        line = paragraph.map[0] + 1 if paragraph.map else 1
        answerable = answerable or _Index(lesson, config)
        best = answerable.best_section(text, exclude=section)
        yield SelfCheckQuestion(
            source=source_ref(lesson, line, section),
            question=content,
            question_text=text,
            answer_section=best.path if best else None,
            excerpt=answerable.excerpt(best) if best else "",
        )


def _first_list_level(lesson: Lesson, section: Section) -> int:
    for token in lesson.tokens[section.start_token : section.end_token]:
        if token.type == "list_item_open":
            return token.level
    return -1


def _words(text: str) -> list[str]:
    return [_stem(word) for word in _WORD.findall(text.lower()) if word not in _STOPWORDS]


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
    prose: list[str]  # inline Markdown of the section's first blocks

    @cached_property
    def excerpt(self) -> str:
        # Only the sections that answer a question need one: plain_text is not free.
        return _shorten(" ".join(p for p in map(plain_text, self.prose) if p))


class _Index:
    """Sections of a lesson as bags of words, weighted by how rare each word is in headings."""

    def __init__(self, lesson: Lesson, config: ExtractConfig) -> None:
        self.candidates: list[_Candidate] = []
        for section in lesson.sections:
            if is_skipped(section, config) or matches_any(section.title, config.question_headings):
                continue
            body = lesson.tokens[section.start_token + 3 : section.end_token]
            texts = [t.content for t in body if t.type in ("inline", "fence", "code_block")]
            prose = [t.content for t in body[:60] if t.type == "inline"]
            self.candidates.append(
                _Candidate(
                    section,
                    Counter(_words(section.title)),
                    Counter(_words(" ".join(texts))),
                    prose,
                )
            )
        count = len(self.candidates) or 1
        heading_df = Counter(word for c in self.candidates for word in c.heading)
        body_df = Counter(word for c in self.candidates for word in c.body)
        self.heading_idf = {w: math.log(1 + count / n) for w, n in heading_df.items()}
        self.body_idf = {w: math.log(1 + count / n) for w, n in body_df.items()}

    def best_section(self, question: str, exclude: Section) -> Section | None:
        words = set(_words(question))
        best, best_score = None, 0.0
        for candidate in self.candidates:
            if candidate.section is exclude:
                continue
            score = _HEADING_WEIGHT * _cosine(words, candidate.heading, self.heading_idf)
            score += _cosine(words, candidate.body, self.body_idf)
            if score > best_score:
                best, best_score = candidate.section, score
        return best

    def excerpt(self, section: Section) -> str:
        return next(c.excerpt for c in self.candidates if c.section is section)


def _cosine(words: set[str], bag: Counter[str], idf: dict[str, float]) -> float:
    """Cosine of idf-weighted vectors; repeats in a section count up to three times."""
    shared = sum(idf[w] * idf[w] * min(bag[w], 3) for w in words if w in bag)
    if not shared:
        return 0.0
    section_norm = math.sqrt(sum((idf[w] * min(n, 3)) ** 2 for w, n in bag.items()))
    question_norm = math.sqrt(sum(idf.get(w, _UNSEEN_IDF) ** 2 for w in words))
    return shared / (section_norm * question_norm)


def _shorten(text: str) -> str:
    if len(text) <= _EXCERPT_CHARS:
        return text
    cut = text.rfind(" ", 0, _EXCERPT_CHARS)
    return text[: cut if cut > 0 else _EXCERPT_CHARS].rstrip(",;:") + " …"
