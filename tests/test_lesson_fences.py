"""Code fences whose here-documents hold fences of their own, read as the author meant."""

from __future__ import annotations

import re

import pytest

from deckgen import fences
from deckgen import lesson as lesson_module
from deckgen.items import Definition

from .helpers import items_of, lesson_of
from .pathological import shift_operators

# An exercise writes a README from the shell. The document's own ```json block would end the
# outer ```bash fence at its first closing line under plain CommonMark.
WRITES_A_README = """\
# Exercise

## Part 1: Document the API

```bash
cat > README.md << 'EOF'
## Endpoints

**Response:**
```json
{"status": "ok"}
```
EOF

# Commit the documentation
git add README.md
```

## Terms

- **Health endpoint**: a URL that says whether the service is up
"""


def test_a_here_document_keeps_its_fences_inside_the_code_block() -> None:
    lesson = lesson_of(WRITES_A_README)
    assert [section.title for section in lesson.sections] == [
        "Part 1: Document the API",
        "Terms",
    ]
    (block,) = [token for token in lesson.tokens if token.type == "fence"]
    assert block.map == [4, 17]
    assert "# Commit the documentation" in block.content
    assert '```json\n{"status": "ok"}\n```\n' in block.content


def test_the_lessons_lines_keep_their_numbers_and_the_author_hears_about_the_fence() -> None:
    lesson = lesson_of(WRITES_A_README)
    (definition,) = items_of(WRITES_A_README, Definition)
    assert (definition.term_text, definition.source.line) == ("Health endpoint", 21)
    assert lesson.lines[20].startswith("- **Health endpoint**")
    (warning,) = lesson.warnings
    assert warning.line == 5
    assert "here-document" in warning.message and "longer outer fence" in warning.message


def test_nothing_inside_the_written_file_becomes_a_card() -> None:
    markdown = WRITES_A_README.replace('{"status": "ok"}', "- **Status**: the service's state")
    assert [item.term_text for item in items_of(markdown, Definition)] == ["Health endpoint"]


def test_a_shift_operator_opens_no_here_document() -> None:
    # `x << y` reads like `<< y`; without a line `y` to end it, nothing may change.
    markdown = (
        "# L\n\n```python\nmask = 1 << shift\n```\n\n- **Bitmask**: an integer used as flags\n"
    )
    lesson = lesson_of(markdown)
    assert lesson.warnings == []
    assert [item.term_text for item in items_of(markdown, Definition)] == ["Bitmask"]


def test_reading_fences_looks_at_each_line_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`std::cout << value;` reads like a here-document that never ends. Searching the rest of
    the file for its end from every fence made a lesson of 4,000 such fences take seconds."""
    calls = 0
    fence = fences.FENCE

    class CountedFence:
        def match(self, line: str) -> re.Match[str] | None:
            nonlocal calls
            calls += 1
            return fence.match(line)

    # The lesson's readers and the closing test they share (`deckgen.fences`) count alike.
    counted = CountedFence()
    monkeypatch.setattr(lesson_module, "FENCE", counted)
    monkeypatch.setattr(fences, "FENCE", counted)
    text = shift_operators(2_000)
    lesson = lesson_of(text)
    assert [token.type for token in lesson.tokens].count("fence") == 2_000
    assert calls <= 5 * text.count("\n")
