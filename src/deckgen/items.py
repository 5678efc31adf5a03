"""Study items found in a lesson. Each knows the key its note's identity is derived from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class SourceRef:
    """Where an item came from: file, 1-based line, and the headings above it."""

    path: str
    line: int
    section: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    """One study item: its kind says which note type shows it."""

    kind: ClassVar[str]
    source: SourceRef

    @property
    def key(self) -> str:
        """What the item is about, in the author's words (the basis of its note's GUID)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Definition(Item):
    """A term and what the lesson says it is."""

    kind: ClassVar[str] = "definition"
    term: str  # inline Markdown
    body: str  # Markdown: the explanation, possibly with a list
    term_text: str  # the term as plain text
    # The label or bullet it is nested under (`Leadership` above `- **Vision**: ...`): shown in
    # the card's context, never part of its key.
    parent: str = ""

    @property
    def key(self) -> str:
        return self.term_text


@dataclass(frozen=True)
class ComparisonRow(Item):
    """One row of a comparison table, with the table's headers."""

    kind: ClassVar[str] = "comparison"
    headers: tuple[str, ...]  # inline Markdown, one per column
    cells: tuple[str, ...]  # inline Markdown, one per column
    header_texts: tuple[str, ...]
    key_text: str  # first cell as plain text
    two_sided: bool  # a true "A vs B" table: cards in both directions

    @property
    def key(self) -> str:
        return f"{self.header_texts[0]} = {self.key_text}"


@dataclass(frozen=True)
class SalaryBand(Item):
    """A role's pay range, from a salary table or bullet."""

    kind: ClassVar[str] = "salary"
    level: str
    role: str
    min: int
    max: int | None
    currency: str
    open_ended: bool
    band_text: str  # the band as the lesson wrote it
    focus: str = ""  # inline Markdown
    skills: str = ""  # inline Markdown

    @property
    def key(self) -> str:
        return self.role


@dataclass(frozen=True)
class SelfCheckQuestion(Item):
    """A self-check question, with its answer or the section that answers it."""

    kind: ClassVar[str] = "question"
    question: str  # inline Markdown
    question_text: str
    answer: str | None = None  # Markdown, when the lesson gives one
    answer_section: tuple[str, ...] | None = None  # else: the section that answers it
    excerpt: str = ""  # a short plain-text excerpt of that section

    @property
    def key(self) -> str:
        return self.question_text
