"""Extractors, one module per item kind, and the registry that runs them over a lesson."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from deckgen.config import ExtractConfig
from deckgen.diagnostics import Diagnostic
from deckgen.extract import comparisons, definitions, questions, salaries
from deckgen.identity import KeyedItem, disambiguate
from deckgen.items import Item
from deckgen.lesson import Lesson

Extractor = Callable[[Lesson, ExtractConfig], Iterator[Item]]

EXTRACTORS: dict[str, Extractor] = {
    "definition": definitions.extract,
    "comparison": comparisons.extract,
    "salary": salaries.extract,
    "question": questions.extract,
}


@dataclass
class Extraction:
    lesson: Lesson
    items: list[KeyedItem]
    warnings: list[Diagnostic]


def extract_lesson(lesson: Lesson, config: ExtractConfig) -> Extraction:
    """Run every enabled extractor and give each item a unique identity within the lesson."""
    found: list[Item] = []
    for kind in config.kinds:
        found.extend(EXTRACTORS[kind](lesson, config))
    # After extraction: extractors may note what they had to give up on (limits hit).
    warnings: list[Diagnostic] = list(lesson.warnings)
    order = {kind: number for number, kind in enumerate(EXTRACTORS)}
    found.sort(key=lambda item: (item.source.line, order[item.kind]))
    return Extraction(lesson, disambiguate(found, warnings), warnings)
