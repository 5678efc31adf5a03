"""Comparison-table rows: every body row of a Markdown table outside code fences.

Rubric and schedule tables (by header or section, configurable), answer-key tables, worksheets
(a column left blank to fill in) and tables inside here-documents make no cards.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from deckgen.config import ExtractConfig
from deckgen.defaults import alternatives, defaults
from deckgen.extract.common import is_skipped, matches_any, source_ref, table_rows, within
from deckgen.extract.evidence import Candidate, Signal, drop, keep
from deckgen.items import ComparisonRow
from deckgen.lesson import Lesson, Section, plain_text

# `## Docker vs VMs`: a heading that compares two sides.
_VERSUS = re.compile(rf"\b(?:{alternatives(defaults().versus_words)})\b", re.I)


def extract(lesson: Lesson, config: ExtractConfig) -> Iterator[Candidate]:
    tokens = lesson.tokens
    for index, _, section in lesson.walk("table_open"):
        if index in lesson.code_tables:
            continue
        if is_skipped(section, config) or within(
            section, (*config.skip_table_sections, *config.answer_key_headings)
        ):
            continue
        rows = table_rows(tokens, index)
        if not rows:
            continue
        (_, headers), body = rows[0], rows[1:]
        header_texts = tuple(plain_text(header) for header in headers)
        if any(matches_any(text, config.skip_table_headers) for text in header_texts):
            continue
        worksheet = _is_worksheet(body)
        two_sided = _is_two_sided(header_texts, section)
        for line, cells in body:
            key_text = plain_text(cells[0]) if cells else ""
            source = source_ref(lesson, line, section)
            if worksheet:
                blank = Signal("blank-column", -1, "a column left blank in every row")
                yield drop("comparison", source, key_text, "table-row", "worksheet", blank)
                continue
            if not key_text or not any(cells[1:]):
                empty = Signal("empty-cells", -1)
                yield drop("comparison", source, key_text, "table-row", "nothing to recall", empty)
                continue
            row = ComparisonRow(
                source=source,
                headers=tuple(headers),
                cells=tuple(cells),
                header_texts=header_texts,
                key_text=key_text,
                two_sided=two_sided,
            )
            yield (
                keep(row, "table-row", Signal("two-sided", 0))
                if two_sided
                else keep(row, "table-row")
            )


# `________%`, `?`, `TBD`: a blank for the learner to fill in.
_BLANK = re.compile(r"^\s*(?:\S*_{3,}\S*|\?+|tbd|todo|\[ \])?\s*$", re.I)


def _is_worksheet(body: list[tuple[int, list[str]]]) -> bool:
    """A table with a column left blank in every row (`| Build time | <10 min | ____ |`) is a
    form to fill in during an exercise; its rows hold targets, not facts to remember."""
    widths = {len(cells) for _, cells in body}
    if not body or len(widths) != 1:
        return False
    columns = range(1, widths.pop())
    return any(all(_BLANK.match(plain_text(cells[c])) for _, cells in body) for c in columns)


def _is_two_sided(headers: tuple[str, ...], section: Section | None) -> bool:
    """Both directions make sense only for "A vs B" tables, not for "Term | Description" lists."""
    if len(headers) != 2 or not all(headers):
        return False
    if section is not None and _VERSUS.search(section.title):
        return True
    # "Traditional Infrastructure | ML Infrastructure": two variants of one thing.
    left, right = (set(header.lower().split()) for header in headers)
    return bool(left & right)
