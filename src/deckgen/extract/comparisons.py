"""Comparison-table rows: every body row of a Markdown table outside code fences is a candidate.

A table whose shape says it compares nothing (a schedule, rubric, tracker, worksheet, listing
of files or links, a sheet of measurements, a data sample or a program's printed result:
`deckgen.extract.table_signals`), or that sits in a skipped or answer-key section or has a
skipped header (`extract.skip_table_headers`), has each of its rows dropped with that reason;
so does a row with nothing to recall. Tables inside here-documents are code and make no
candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from deckgen.config import ExtractConfig
from deckgen.defaults import alternatives, defaults
from deckgen.extract.common import CODE_BLOCKS, matches_any, source_ref, table_rows, within
from deckgen.extract.evidence import Candidate, Signal, drop, keep
from deckgen.extract.table_signals import (
    Verdict,
    counted_list,
    overruled_header,
    table_verdict,
)
from deckgen.items import ComparisonRow
from deckgen.lesson import Lesson, Section, plain_text

# `## Docker vs VMs`: a heading that compares two sides.
_VERSUS = re.compile(rf"\b(?:{alternatives(defaults().versus_words)})\b", re.I)

# A first cell with no letter or digit (`...`, `—`) names nothing.
_NAMES_SOMETHING = re.compile(r"\w")


def extract(lesson: Lesson, config: ExtractConfig) -> Iterator[Candidate]:
    tokens = lesson.tokens
    for index, _, section in lesson.walk("table_open"):
        if index in lesson.code_tables:
            continue
        rows = table_rows(tokens, index)
        if not rows:
            continue
        (_, headers), body = rows[0], rows[1:]
        header_texts = tuple(plain_text(header) for header in headers)
        counted = counted_list(header_texts, body)
        if counted:
            # The count is no key: `# = 3` asks nothing. The row's entry (`Command = git stash`)
            # is, and the table is judged without the count.
            left_out = Signal("counted-rows", 0, f"'{header_texts[0]}' column left out")
            headers, header_texts = headers[1:], header_texts[1:]
            body = [(line, cells[1:]) for line, cells in body]
        shape = [Signal("columns", 0, str(len(headers)))]
        shape += [left_out] if counted else []
        verdict = _section_verdict(section, config) or _header_verdict(header_texts, config)
        above = tokens[index - 1].type if index else ""
        verdict = verdict or table_verdict(
            header_texts,
            body,
            header_cells=headers,
            after_code=above in CODE_BLOCKS,
        )
        two_sided = _is_two_sided(header_texts, section)
        shape += [Signal("two-sided", 0)] if two_sided else []
        overruled = overruled_header(header_texts)
        shape += [overruled] if overruled else []
        for line, cells in body:
            key_text = plain_text(cells[0]) if cells else ""
            source = source_ref(lesson, line, section)
            if verdict is not None:
                reason, signals = verdict.reason, verdict.signals
                yield drop("comparison", source, key_text, "table-row", reason, *signals)
                continue
            if not _NAMES_SOMETHING.search(key_text) or not any(cells[1:]):
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
            yield keep(row, "table-row", *shape)


def _section_verdict(section: Section | None, config: ExtractConfig) -> Verdict | None:
    """Tables in a skipped section, one the config names, or an answer key make no cards."""
    names = (*config.skip_sections, *config.skip_table_sections, *config.answer_key_headings)
    if section is None or not within(section, names):
        return None
    heading = next(title for title in section.path if matches_any(title, names))
    return Verdict.of("excluded-section", Signal("excluded-section", -1, heading))


def _header_verdict(header_texts: tuple[str, ...], config: ExtractConfig) -> Verdict | None:
    """A header cell the config lists (`Do` / `Don't`, `Salary`) marks advice or a pay table
    (whose rows become salary bands), whatever the table's shape."""
    for text in header_texts:
        if matches_any(text, config.skip_table_headers):
            return Verdict.of("skipped-header", Signal("skipped-header", -1, text))
    return None


def _is_two_sided(headers: tuple[str, ...], section: Section | None) -> bool:
    """Both directions make sense only for "A vs B" tables, not for "Term | Description" lists."""
    if len(headers) != 2 or not all(headers):
        return False
    if section is not None and _VERSUS.search(section.title):
        return True
    # "Traditional Infrastructure | ML Infrastructure": two variants of one thing.
    left, right = (set(header.lower().split()) for header in headers)
    return bool(left & right)
