"""Small helpers for tests: a lesson from a Markdown string and its items, and deckgen run as a
process of its own."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from deckgen.config import ExtractConfig
from deckgen.extract import extract_lesson
from deckgen.items import Item
from deckgen.lesson import Lesson, parse_lesson


def lesson_of(markdown: str, name: str = "lesson.md") -> Lesson:
    return parse_lesson(textwrap.dedent(markdown).lstrip("\n"), Path(name), Path(name).stem)


def lesson_file(directory: Path, markdown: str) -> Path:
    """The lesson `lesson.md` in `directory`, written from `markdown` (dedented)."""
    lesson = directory / "lesson.md"
    lesson.write_text(textwrap.dedent(markdown).lstrip("\n"), encoding="utf-8")
    return lesson


def items_of(markdown: str, kind: type[Item], config: ExtractConfig | None = None) -> list:
    lesson = lesson_of(markdown)
    found = extract_lesson(lesson, config or ExtractConfig()).items
    return [keyed.item for keyed in found if isinstance(keyed.item, kind)]


# A command that hangs (a FIFO opened for reading) fails its test instead of stalling the suite.
WATCHDOG_SECONDS = 300


def deckgen_process(cwd: Path, *args: str, **options: object) -> subprocess.CompletedProcess[str]:
    """`python -m deckgen ARGS` in `cwd`, as a user's shell runs it: its own process, real
    streams and exit code."""
    return subprocess.run(  # type: ignore[call-overload]
        [sys.executable, "-m", "deckgen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=WATCHDOG_SECONDS,
        check=False,
        **options,
    )
