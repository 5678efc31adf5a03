"""Reference lists named by numbers (ports, HTTP status codes, permission bits): an entry that
says what its number means is a definition; a year, a range or a count with its unit is not."""

from __future__ import annotations

from pathlib import Path

from deckgen.config import ExtractConfig
from deckgen.extract import extract_lesson
from deckgen.lesson import parse_lesson

LESSON = """# Networking basics

## Well-known ports

- **22**: SSH, the secure shell
- **443**: HTTPS, web traffic over TLS
- **404 Not Found**: the server has no such resource
- **755**: owner may write, everyone may read and run

## History

- **2024**: the year we moved to the cloud
- **10 points**: full marks for the lab
- **27-30**: an excellent score
"""


def test_a_number_naming_a_reference_entry_is_a_term_and_a_year_or_score_is_not() -> None:
    lesson = parse_lesson(LESSON, Path("lesson.md"), "lesson")
    candidates = [
        c for c in extract_lesson(lesson, ExtractConfig()).candidates if c.kind == "definition"
    ]
    kept = [c.text for c in candidates if c.kept]
    assert kept == ["22", "443", "404 Not Found", "755"]
    dropped = {c.text: c.reason for c in candidates if not c.kept}
    assert dropped == {
        "2024": "term-is-score",
        "10 points": "term-is-score",
        "27-30": "term-is-score",
    }
    signals = {s.name for c in candidates if c.kept for s in c.signals}
    assert "label-has-number" not in signals


def test_in_a_command_list_spaces_alone_may_part_an_option_from_its_meaning() -> None:
    markdown = (
        "# L\n\n## Options of cp\n\n- `-r`  recursive: copy folders too\n"
        "- `-f`\tforce, never ask\n- `-v` verbose\n"
    )
    lesson = parse_lesson(markdown, Path("lesson.md"), "lesson")
    items = {
        c.text: c.item
        for c in extract_lesson(lesson, ExtractConfig()).candidates
        if c.kind == "definition" and c.kept
    }
    assert list(items) == ["-r", "-f"]  # one space alone may be part of the command
    assert items["-r"].body == "recursive: copy folders too"
    assert items["-f"].body == "force, never ask"
