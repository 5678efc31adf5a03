"""Definitions: `**Term** is ...` paragraphs and `- **Term**: explanation` bullets."""

from __future__ import annotations

import re
from collections.abc import Iterator

from deckgen.config import ExtractConfig
from deckgen.extract.common import (
    BoldLead,
    block_source,
    bold_lead,
    is_skipped,
    matches_any,
    source_ref,
)
from deckgen.items import Definition
from deckgen.lesson import Lesson, Section

# `**MLOps** (Machine Learning Operations) is the set of ...`
_DEFINING_VERB = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?,?\s*"
    r"(?:is|are|was|refers\s+to|means|describes|denotes|stands\s+for|represents|"
    r"is\s+defined\s+as|can\s+be\s+defined\s+as)\b",
    re.I,
)
_SEPARATOR = re.compile(r"^\s*(?::|\s[-–—]|[-–—]\s)\s*")
# `**Step 3:**`, `**Project 01:**`: numbered labels organise a lesson; they are not concepts.
_NUMBERED_LABEL = re.compile(r"^[\w-]+\s+#?\d+[a-z]?(?:\.\d+)*$", re.I)
_MAX_TERM_WORDS = 8


def extract(lesson: Lesson, config: ExtractConfig) -> Iterator[Definition]:
    tokens = lesson.tokens
    for index, token, section in lesson.walk():
        if token.type != "paragraph_open" or is_skipped(section, config):
            continue
        if section is not None and matches_any(section.title, config.question_headings):
            continue
        inline = tokens[index + 1]
        if "**" not in inline.content and "__" not in inline.content:
            continue
        in_item = index > 0 and tokens[index - 1].type == "list_item_open"
        first_line = token.map[0] if token.map else 0
        if in_item:
            yield from _from_bullet(lesson, config, index, section)
        else:
            for offset, line in enumerate(inline.content.split("\n")):
                definition = _from_line(
                    lesson, config, line, first_line + offset + 1, section, allow_dash=False
                )
                if definition is not None and definition.body:
                    yield _with_following_list(lesson, index, definition)


def _from_bullet(
    lesson: Lesson, config: ExtractConfig, index: int, section: Section | None
) -> Iterator[Definition]:
    """A list item whose first paragraph opens with a bold term; nested blocks join the body."""
    tokens = lesson.tokens
    paragraph, item = tokens[index], tokens[index - 1]
    content = tokens[index + 1].content
    line = paragraph.map[0] + 1 if paragraph.map else 1
    first_line, _, continuation = content.partition("\n")
    definition = _from_line(lesson, config, first_line, line, section, allow_dash=True)
    if definition is None:
        return
    body = definition.body
    if continuation:
        body = f"{body}\n{continuation}".strip()
    if item.map and paragraph.map and paragraph.map[1] < item.map[1]:
        nested = block_source(lesson, paragraph.map[1], item.map[1])
        body = f"{body}\n\n{nested}".strip() if nested else body
    if body:
        yield Definition(definition.source, definition.term, body, definition.term_text)


def _from_line(
    lesson: Lesson,
    config: ExtractConfig,
    content: str,
    line: int,
    section: Section | None,
    allow_dash: bool,
) -> Definition | None:
    lead = bold_lead(content)
    if lead is None:
        return None
    term_text = lead.term_text.rstrip(" :")
    if not _is_concept(term_text, config):
        return None
    body = _body(lead, content, allow_dash)
    if body is None:
        return None
    term = lead.term.rstrip().removesuffix(":").rstrip()
    return Definition(source_ref(lesson, line, section), term, body, term_text)


def _body(lead: BoldLead, content: str, allow_dash: bool) -> str | None:
    """The explanation after the term, or None when the line is not a definition."""
    if lead.term_text.endswith(":"):
        return lead.rest.strip()
    separator = _SEPARATOR.match(lead.rest)
    if separator and (allow_dash or lead.rest.lstrip().startswith(":")):
        return lead.rest[separator.end() :].strip()
    if _DEFINING_VERB.match(lead.rest):
        # Keep the whole sentence: "MLOps (Machine Learning Operations) is ..." reads best whole.
        return content.strip()
    return None


def _is_concept(term: str, config: ExtractConfig) -> bool:
    if not term or term.endswith("?") or len(term.split()) > _MAX_TERM_WORDS:
        return False
    if matches_any(term, config.metadata_labels):
        return False
    return not _NUMBERED_LABEL.match(term)


def _with_following_list(lesson: Lesson, index: int, definition: Definition) -> Definition:
    """`**X** is ... to:` followed by a list: the list is part of the definition."""
    if not definition.body.rstrip().endswith(":"):
        return definition
    tokens = lesson.tokens
    after = index + 3  # paragraph_open, inline, paragraph_close
    if after < len(tokens) and tokens[after].type in ("bullet_list_open", "ordered_list_open"):
        listing = tokens[after]
        if listing.map:
            items = block_source(lesson, listing.map[0], listing.map[1])
            body = f"{definition.body}\n\n{items}"
            return Definition(definition.source, definition.term, body, definition.term_text)
    return definition
