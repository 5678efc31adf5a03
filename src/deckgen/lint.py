"""`deckgen lint`: what looks like a study item but was not extracted, and why, and keys that
hide characters, with file:line."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from deckgen.config import Config
from deckgen.diagnostics import Diagnostic
from deckgen.extract import Extraction
from deckgen.extract.common import bold_lead, matches_any
from deckgen.identity import invisible_key_warning, normalize_key
from deckgen.items import Definition
from deckgen.layout import discover, draft_slug, lesson_extraction
from deckgen.lesson import Lesson, line_of
from deckgen.reader import Reader


def lint(paths: Sequence[Path], config: Config) -> list[Diagnostic]:
    """Every finding in the lessons under `paths` (or the lessons directory), in file order."""
    findings: list[Diagnostic] = []
    reader = Reader()
    found = discover(paths, config, reader)
    findings.extend(found.warnings)
    for path in found.lessons:
        # lint, like list, accepts files outside the lessons directory
        extraction = lesson_extraction(path, config, draft_slug(path, config, reader), reader)
        findings.extend(lint_lesson(extraction, config))
    return findings


def lint_lesson(extraction: Extraction, config: Config) -> list[Diagnostic]:
    lesson = extraction.lesson
    found = [
        *lesson.warnings,  # broken fences, tables in here-documents
        *_empty_question_sections(extraction, config),
        *_ragged_tables(lesson),
        *_empty_bold_bullets(lesson, config),
        *_duplicate_terms(extraction),
        *filter(None, (invisible_key_warning(keyed.item) for keyed in extraction.items)),
    ]
    return sorted(found, key=lambda d: (str(d.path), d.line or 0, d.message))


def _empty_question_sections(extraction: Extraction, config: Config) -> Iterator[Diagnostic]:
    """Question sections where nothing was even considered a question. A question candidate
    that was dropped (a challenge that sets a task) has its reason in `list --why` instead."""
    asked = {keyed.item.source.section for keyed in extraction.items} | {
        candidate.source.section
        for candidate in extraction.candidates
        if candidate.kind == "question"
    }
    for section in extraction.lesson.sections:
        if not matches_any(section.title, config.extract.question_headings):
            continue
        if not any(path[: len(section.path)] == section.path for path in asked):
            yield Diagnostic(
                extraction.lesson.path,
                section.line,
                f"question section '{section.title}' has no list items: no question extracted",
            )


def _ragged_tables(lesson: Lesson) -> Iterator[Diagnostic]:
    """Rows with more or fewer cells than the header: the parser pads or drops cells silently."""
    columns = 0
    for index, token in enumerate(lesson.tokens):
        if token.type == "table_open":
            columns = 0  # a table inside a here-document is code: nothing to check
            continue
        if token.type == "thead_open" and index - 1 not in lesson.code_tables and token.map:
            columns = _cell_count(lesson.lines[token.map[0]])
        elif token.type == "tr_open" and token.map and columns:
            cells = _cell_count(lesson.lines[token.map[0]])
            if cells != columns:
                yield Diagnostic(
                    lesson.path,
                    line_of(token),
                    f"table row has {cells} cells but the header has {columns}: "
                    "cells are dropped or left empty",
                )


def _cell_count(line: str) -> int:
    """Cells of a pipe-table row as written: `|` outside code spans and not escaped."""
    row = line.strip()
    separators, in_code, escaped = 0, False, False
    for char in row:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "`":
            in_code = not in_code
        elif char == "|" and not in_code:
            separators += 1
    edges = row.startswith("|") + (row.endswith("|") and len(row) > 1 and not row.endswith("\\|"))
    return separators + 1 - edges


def _empty_bold_bullets(lesson: Lesson, config: Config) -> Iterator[Diagnostic]:
    """`- **Term**:` with nothing after it and nothing nested: a definition left unwritten."""
    tokens = lesson.tokens
    for index, token in enumerate(tokens[:-3]):
        if token.type != "list_item_open" or tokens[index + 1].type != "paragraph_open":
            continue
        content = tokens[index + 2].content
        if "**" not in content and "__" not in content:
            continue
        lead = bold_lead(content)
        if lead is None or lead.rest.strip(" :–—-"):
            continue
        if not (lead.term_text.endswith(":") or lead.rest.strip()):
            continue  # a bold bullet with no separator is emphasis, not a term
        if tokens[index + 4].type != "list_item_close":
            continue  # a nested list or block explains it
        term = lead.term_text.rstrip(" :")
        if matches_any(term, config.extract.metadata_labels) or matches_any(
            term, config.extract.question_headings
        ):
            continue
        yield Diagnostic(
            lesson.path,
            line_of(tokens[index + 1]),
            f"bold term '{term}' has an empty explanation: no definition extracted",
        )


def _duplicate_terms(extraction: Extraction) -> Iterator[Diagnostic]:
    first: dict[str, int] = {}
    for keyed in extraction.items:
        item = keyed.item
        if not isinstance(item, Definition):
            continue
        key = normalize_key(item.term_text)
        if key in first:
            yield Diagnostic(
                item.source.path,
                item.source.line,
                f"term '{item.term_text}' is defined again (first at line {first[key]})",
            )
        else:
            first[key] = item.source.line
