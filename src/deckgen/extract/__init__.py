"""Extractors, one module per item kind, and the registry that runs them over a lesson."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from deckgen.config import Config, ExtractConfig, did_you_mean
from deckgen.diagnostics import ConfigError, Diagnostic
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


def check_kinds(config: Config) -> None:
    """Refuse a `kinds:` entry no extractor has, naming its file and line: it is a typo."""
    known = tuple(EXTRACTORS)
    for index, kind in enumerate(config.extract.kinds):
        if kind not in known:
            key = f"extract.kinds[{index}]"
            hint = did_you_mean(kind, known)
            message = f"{key}: unknown value '{kind}'{hint}; known: {', '.join(known)}"
            raise ConfigError(*config.where(key), message)


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
