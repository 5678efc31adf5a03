"""Small helpers for extractor tests: a lesson from a Markdown string, and its items."""

from __future__ import annotations

import textwrap
from pathlib import Path

from deckgen.config import ExtractConfig
from deckgen.extract import extract_lesson
from deckgen.items import Item
from deckgen.lesson import Lesson, parse_lesson


def lesson_of(markdown: str, name: str = "lesson.md") -> Lesson:
    return parse_lesson(textwrap.dedent(markdown).lstrip("\n"), Path(name), Path(name).stem)


def items_of(markdown: str, kind: type[Item], config: ExtractConfig | None = None) -> list:
    lesson = lesson_of(markdown)
    found = extract_lesson(lesson, config or ExtractConfig()).items
    return [keyed.item for keyed in found if isinstance(keyed.item, kind)]
