"""Comparison rows as config and warnings shape them; cases are in fixtures/extract/comparison."""

from __future__ import annotations

from deckgen.config import ExtractConfig
from deckgen.extract import extract_lesson
from deckgen.identity import normalize_key
from deckgen.items import ComparisonRow
from deckgen.render import render_item

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
    # The here-document's fences no longer end the code block (tests/test_lesson_fences.py):
    # the warning is the fence's.
    assert [(w.line, "here-document" in w.message) for w in lesson.warnings] == [(3, True)]


def test_a_merge_conflict_or_a_here_string_opens_no_here_document() -> None:
    # `<<<<<<< HEAD` shown in a lesson about merges, and `<<< word`, hold `<< HEAD`, `<< word`:
    # read as here-documents, they never close, and every table below them is lost as code.
    for code in ("<<<<<<< HEAD\nx = 1\n=======\nx = 2\n>>>>>>> feature", "tr a-z A-Z <<< word"):
        markdown = f"# L\n\n```\n{code}\n```\n\n| A | B |\n|---|---|\n| x | y |\n"
        assert [row.key_text for row in items_of(markdown, ComparisonRow)] == ["x"]
        assert lesson_of(markdown).warnings == []


def test_a_header_word_the_shape_does_not_bear_out_shows_on_the_kept_rows() -> None:
    markdown = "# L\n\n| Option | Time | Space |\n|---|---|---|\n| A | O(n) | O(1) |\n"
    (row,) = [c for c in extract_lesson(lesson_of(markdown), ExtractConfig()).candidates]
    assert row.kept
    assert "·schedule-header (Time: its cells are no times)" in [str(s) for s in row.signals]


def _card(markdown: str) -> dict[str, str]:
    lesson = lesson_of(markdown)
    keyed = next(
        keyed
        for keyed in extract_lesson(lesson, ExtractConfig()).items
        if isinstance(keyed.item, ComparisonRow)
    )
    note = render_item(keyed, "course", "lesson", "Lesson")
    return dict(zip(note.notetype.fields, note.fields, strict=True))


def test_a_card_names_each_cell_by_its_header_and_keeps_its_markup() -> None:
    card = _card(
        "# L\n\n## Tools\n\n| Tool | Runs | Docs |\n|---|---|---|\n"
        "| **Docker** | `docker run` | [site](https://docs.docker.com) |\n"
    )
    assert (card["KeyHeader"], card["Key"]) == ("Tool", "<strong>Docker</strong>")
    assert card["AnswerHeader"] == "Runs, Docs"
    assert card["Answer"] == (
        '<dl class="cells"><dt>Runs</dt><dd><code>docker run</code></dd>'
        '<dt>Docs</dt><dd><a href="https://docs.docker.com">site</a></dd></dl>'
    )


def test_a_br_in_a_cell_breaks_the_line_on_the_card_but_not_inside_code() -> None:
    card = _card(
        "# L\n\n## Tools\n\n| Tool | Notes | Example |\n|---|---|---|\n"
        "| Docker | <br>one<BR/>two <br /> | `a<br>b` |\n"
    )
    assert "<dd>one<br />\ntwo</dd>" in card["Answer"]
    assert "<code>a&lt;br&gt;b</code>" in card["Answer"]


def test_a_kept_rows_key_is_its_header_and_first_cell_whatever_the_markup() -> None:
    # The key (and so the GUID) is the first cell's plain text: bold, code or a link around it
    # leave it alone, so restyling a table keeps every note.
    plain = "# L\n\n## Tools\n\n| Tool | Runs |\n|---|---|\n| {cell} | containers |\n"
    keys = {
        normalize_key(items_of(plain.format(cell=cell), ComparisonRow)[0].key)
        for cell in ("Docker", "**Docker**", "`Docker`", "[Docker](https://docker.com)")
    }
    assert keys == {normalize_key("Tool = Docker")}


def test_a_blank_corner_header_shows_the_section_on_the_card() -> None:
    card = _card(
        "# L\n\n## Cloud providers\n\n|  | AWS | GCP |\n|---|---|---|\n| GPUs | A100 | TPU |\n"
    )
    assert (card["KeyHeader"], card["Key"]) == ("Cloud providers", "GPUs")


def test_an_aspect_table_under_a_restating_section_names_the_subject_above_it() -> None:
    # `Strength: Speed` says whose strength only when the card names the section above
    # `### Strengths`; a section that names more than the header is context enough.
    lesson = (
        "# L\n\n## Redis\n\n### {title}\n\n| Strength | Why |\n|---|---|\n| Speed | In memory |\n"
    )
    assert _card(lesson.format(title="Main Strengths"))["Context"] == "Redis › Main Strengths"
    assert _card(lesson.format(title="Strengths of a cache"))["Context"] == "Strengths of a cache"


def test_an_attribute_list_under_a_table_is_markup_not_a_row() -> None:
    """markdown-it reads kramdown's `{: .table}` on the line under a table as one more row."""
    markdown = "# L\n\n| Sieve | Keeps |\n|---|---|\n| fine | sand |\n{: .table}\n"
    candidates = extract_lesson(lesson_of(markdown), ExtractConfig()).candidates
    assert [(c.source.line, c.kept) for c in candidates] == [(5, True)]
