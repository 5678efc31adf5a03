"""Candidates, evidence and decisions: every place a lesson may hold a study item, and why
deckgen kept or dropped it.

An extractor yields one `Candidate` per place whose *shape* could make an item (a bold lead in a
bullet, a table row, a question line). Each carries the *evidence* that decided it, as named
`Signal`s, and the *decision*: the item it became, or the reason it was dropped. `deckgen list
--why` prints them all, so an author can see why a card exists or not, and so can we when a rule
misfires on a course we never saw.
"""

from __future__ import annotations

from dataclasses import dataclass

from deckgen.items import Item, SourceRef


@dataclass(frozen=True)
class Signal:
    """One piece of evidence. Names are stable kebab-case (`label-has-number`, `in-glossary`):
    authors read them, and tests and the docs refer to them."""

    name: str
    weight: int  # > 0 speaks for the item, < 0 against it, 0 only describes the shape
    detail: str = ""  # what in the text showed it, when the name alone does not say

    def __str__(self) -> str:
        sign = "+" if self.weight > 0 else "-" if self.weight < 0 else "·"
        detail = f" ({self.detail})" if self.detail else ""
        return f"{sign}{self.name}{detail}"


@dataclass(frozen=True)
class Candidate:
    """A place that could make a study item, the evidence about it, and the decision."""

    kind: str
    source: SourceRef
    text: str  # plain text: what the candidate is about (its key, when kept)
    shape: str  # how it is written: `bold-lead-bullet`, `table-row`, `question-line`, ...
    signals: tuple[Signal, ...]
    item: Item | None  # the item it became; None when dropped
    reason: str  # the decision, in a few words

    @property
    def kept(self) -> bool:
        return self.item is not None


def keep(item: Item, shape: str, *signals: Signal, reason: str = "kept") -> Candidate:
    return Candidate(item.kind, item.source, item.key, shape, signals, item, reason)


def drop(
    kind: str, source: SourceRef, text: str, shape: str, reason: str, *signals: Signal
) -> Candidate:
    return Candidate(kind, source, text, shape, signals, None, reason)
