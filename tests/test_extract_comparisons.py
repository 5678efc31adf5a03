"""Comparison rows as config and warnings shape them; cases are in fixtures/extract/comparison."""

from __future__ import annotations

from deckgen.config import ExtractConfig
from deckgen.items import ComparisonRow

from .helpers import items_of, lesson_of


def _table(columns: int, first_cell: str = "Docker") -> str:
    header = "| " + " | ".join(["Tool", *(f"Column {n}" for n in range(2, columns + 1))]) + " |"
    rule = "|" + "---|" * columns
    row = "| " + " | ".join([first_cell, *(f"value {n}" for n in range(2, columns + 1))]) + " |"
    return f"# L\n\n## Tools\n\n{header}\n{rule}\n{row}\n"


def test_tables_are_skipped_by_section_when_configured() -> None:
    markdown = _table(2).replace("## Tools", "## Course Map")
    assert items_of(markdown, ComparisonRow) != []
    skipped = ExtractConfig(skip_table_sections=("Course Map",))
    assert items_of(markdown, ComparisonRow, skipped) == []


def test_a_table_inside_a_here_document_is_code_with_a_warning() -> None:
    markdown = (
        "# L\n\n```bash\ncat > notes.md << 'EOF'\n```\n\n"
        "| A | B |\n|---|---|\n| x | y |\n\n```\nEOF\n```\n"
    )
    lesson = lesson_of(markdown)
    assert items_of(markdown, ComparisonRow) == []
    assert [(w.line, "here-document" in w.message) for w in lesson.warnings] == [(7, True)]
