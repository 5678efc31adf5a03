"""Helpers every extractor shares: skipping, source references, the leading bold term."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache

from deckgen.config import ExtractConfig
from deckgen.items import SourceRef, normalize_key
from deckgen.lesson import Lesson, Section, inline_children, text_of


@lru_cache(maxsize=64)
def _normalized(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalize_key(name) for name in names)


def matches_any(text: str, names: tuple[str, ...]) -> bool:
    return normalize_key(text) in _normalized(names)


def is_skipped(section: Section | None, config: ExtractConfig) -> bool:
    """True inside a section the config says holds nothing to study."""
    if section is None:
        return False
    return any(matches_any(title, config.skip_sections) for title in section.path)


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


# The definition and salary extractors both ask about every bold-led line of a lesson.
@lru_cache(maxsize=1 << 12)
def bold_lead(content: str) -> BoldLead | None:
    """Split `🐳 **Docker:** text` into term and rest, or None when no bold term leads."""
    prefix = _DECORATION.match(content)
    start = prefix.end() if prefix else 0
    marker = content[start : start + 2]
    if marker not in ("**", "__"):
        return None
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
