"""Extractors, one module per item kind, and the registry that runs them over a lesson."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from deckgen.config import Config, ExtractConfig, did_you_mean
from deckgen.diagnostics import ConfigError, Diagnostic
from deckgen.extract import comparisons, definitions, questions, salaries
from deckgen.extract.evidence import Candidate
from deckgen.extract.skips import apply_skips, skips_written
from deckgen.identity import KeyedItem, disambiguate
from deckgen.items import Item
from deckgen.lesson import Lesson
from deckgen.reflinks import resolve

Extractor = Callable[[Lesson, ExtractConfig], Iterator[Candidate]]

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


@dataclass
class Extraction:
    lesson: Lesson
    items: list[KeyedItem]
    warnings: list[Diagnostic]
    candidates: list[Candidate]  # every candidate, kept or dropped, in lesson order


def extract_lesson(
    lesson: Lesson,
    config: ExtractConfig,
    skip: Mapping[str, tuple[str, ...]] | None = None,
    dropped: bool = True,
) -> Extraction:
    """Run every enabled extractor, leave out what the author skipped (`Config.skip`, and skip
    comments), and give each item a unique identity within the lesson. Without `dropped`
    (a build: it reads only the items and the warnings), the candidates may leave out some
    that are dropped whatever their evidence says: only `list --why` shows those."""
    # A skip that matches only such a candidate must still not warn that it matches nothing.
    dropped = dropped or skips_written(lesson, skip or {})
    candidates: list[Candidate] = []
    for kind in config.kinds:
        if kind == "definition":
            candidates.extend(definitions.extract(lesson, config, dropped))
        else:
            candidates.extend(EXTRACTORS[kind](lesson, config))
    # After extraction: extractors may note what they had to give up on (limits hit).
    warnings: list[Diagnostic] = list(lesson.warnings)
    order = {kind: number for number, kind in enumerate(EXTRACTORS)}
    candidates.sort(key=lambda candidate: (candidate.source.line, order[candidate.kind]))
    candidates = apply_skips(candidates, lesson, skip or {}, warnings)
    found: list[Item] = [candidate.item for candidate in candidates if candidate.item is not None]
    keyed = disambiguate(found, warnings)
    # Keyed first: an item's identity is its text as written, with or without a definition.
    # An answer from an answer key's file uses that page's definitions.
    references = lesson.references
    if lesson.answer_key is not None and lesson.answer_key.references:
        references = {**lesson.answer_key.references, **references}
    keyed = [KeyedItem(resolve(entry.item, references), entry.identity) for entry in keyed]
    return Extraction(lesson, keyed, warnings, candidates)
