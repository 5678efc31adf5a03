"""Extractors, one module per item kind, and the registry that runs them over a lesson."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from deckgen.config import ExtractConfig
from deckgen.diagnostics import Diagnostic
from deckgen.extract import comparisons, definitions, questions, salaries
from deckgen.items import Item, normalize_key
from deckgen.lesson import Lesson

Extractor = Callable[[Lesson, ExtractConfig], Iterator[Item]]

EXTRACTORS: dict[str, Extractor] = {
    "definition": definitions.extract,
    "comparison": comparisons.extract,
    "salary": salaries.extract,
    "question": questions.extract,
}


@dataclass(frozen=True)
class KeyedItem:
    """An item with its final identity key: unique within its lesson and kind."""

    item: Item
    identity: str


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
    return Extraction(lesson, _disambiguate(found, warnings), warnings)


def _disambiguate(items: list[Item], warnings: list[Diagnostic]) -> list[KeyedItem]:
    """Qualify a repeated key with its section path; drop a true duplicate, with a warning."""
    first_seen: dict[tuple[str, str], Item] = {}
    keyed: list[KeyedItem] = []
    for item in items:
        identity = normalize_key(item.key)
        earlier = first_seen.get((item.kind, identity))
        if earlier is not None:
            qualified = normalize_key(" › ".join((*item.source.section, item.key)))
            clash = first_seen.get((item.kind, qualified))
            path, line = item.source.path, item.source.line
            if clash is not None or qualified == identity:
                warnings.append(
                    Diagnostic(
                        path,
                        line,
                        (
                            f"duplicate {item.kind} '{item.key}' in the same section as line "
                            f"{(clash or earlier).source.line}; keeping the first, skipping this"
                        ),
                    )
                )
                continue
            warnings.append(
                Diagnostic(
                    path,
                    line,
                    (
                        f"{item.kind} '{item.key}' also appears at line {earlier.source.line}; "
                        f"this one is identified by its section path"
                    ),
                )
            )
            identity = qualified
        first_seen[(item.kind, identity)] = item
        keyed.append(KeyedItem(item, identity))
    return keyed
