"""Comparison rows: tables of 2 to 8 columns; code, rubrics and schedules make no cards."""

from __future__ import annotations

import pytest

from deckgen.config import ExtractConfig
from deckgen.items import ComparisonRow

from .helpers import items_of, lesson_of


def _table(columns: int, first_cell: str = "Docker") -> str:
    header = "| " + " | ".join(["Tool", *(f"Column {n}" for n in range(2, columns + 1))]) + " |"
    rule = "|" + "---|" * columns
    row = "| " + " | ".join([first_cell, *(f"value {n}" for n in range(2, columns + 1))]) + " |"
    return f"# L\n\n## Tools\n\n{header}\n{rule}\n{row}\n"


@pytest.mark.parametrize("columns", range(2, 9))
def test_tables_of_two_to_eight_columns(columns: int) -> None:
    (row,) = items_of(_table(columns), ComparisonRow)
    assert row.key_text == "Docker"
    assert len(row.cells) == len(row.header_texts) == columns
    assert row.cells[-1] == f"value {columns}"


@pytest.mark.parametrize(
    ("cell", "key"),
    [("**Docker**", "Docker"), ("[Docker](https://docker.com)", "Docker"), ("`docker`", "docker")],
)
def test_bold_linked_or_code_first_cells(cell: str, key: str) -> None:
    (row,) = items_of(_table(3, cell), ComparisonRow)
    assert row.key_text == key
    assert row.key == f"Tool = {key}"


def test_versus_tables_are_two_sided() -> None:
    markdown = (
        "# L\n\n## Docker vs VMs\n\n| Docker | VMs |\n|---|---|\n| shares kernel | own kernel |\n"
    )
    (row,) = items_of(markdown, ComparisonRow)
    assert row.two_sided


def test_tables_inside_code_fences_are_not_tables() -> None:
    assert items_of("# L\n\n```\n| A | B |\n|---|---|\n| x | y |\n```\n", ComparisonRow) == []


def test_rubric_and_schedule_tables_are_skipped_by_header() -> None:
    markdown = "# L\n\n| Task | Points | Criteria |\n|---|---|---|\n| Setup | 10 | Works |\n"
    assert items_of(markdown, ComparisonRow) == []


def test_tables_are_skipped_by_section_when_configured() -> None:
    markdown = _table(2).replace("## Tools", "## Course Map")
    assert items_of(markdown, ComparisonRow) != []
    skipped = ExtractConfig(skip_table_sections=("Course Map",))
    assert items_of(markdown, ComparisonRow, skipped) == []


def test_answer_key_tables_make_no_cards() -> None:
    markdown = "# Quiz\n\n## Answer Key\n\n| Question | Answer |\n|---|---|\n| 1 | B |\n"
    assert items_of(markdown, ComparisonRow) == []


def test_a_table_inside_a_here_document_is_code_with_a_warning() -> None:
    markdown = (
        "# L\n\n```bash\ncat > notes.md << 'EOF'\n```\n\n"
        "| A | B |\n|---|---|\n| x | y |\n\n```\nEOF\n```\n"
    )
    lesson = lesson_of(markdown)
    assert items_of(markdown, ComparisonRow) == []
    assert [(w.line, "here-document" in w.message) for w in lesson.warnings] == [(7, True)]


@pytest.mark.parametrize("blank", ["________%", "", "TBD", "?"])
def test_a_worksheet_with_a_column_to_fill_in_makes_no_cards(blank: str) -> None:
    markdown = (
        "# Exercise\n\n## Expected Results\n\n| Metric | Target | Measured |\n|---|---|---|\n"
        f"| **Build Time** | <10min | {blank} |\n| **Test Coverage** | >80% | {blank} |\n"
    )
    assert items_of(markdown, ComparisonRow) == []


def test_a_table_with_some_empty_cells_is_still_a_comparison() -> None:
    markdown = (
        "# L\n\n## Tools\n\n| Tool | Async | Notes |\n|---|---|---|\n"
        "| FastAPI | yes | |\n| Flask | no | needs an extension |\n"
    )
    assert [row.key_text for row in items_of(markdown, ComparisonRow)] == ["FastAPI", "Flask"]
