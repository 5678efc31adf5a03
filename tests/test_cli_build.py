"""`deckgen build` through the real CLI: what it prints, and how a crash is reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deckgen import builder as build_module

from .conftest import edit_lesson


def test_an_internal_error_prints_a_traceback_only_when_asked(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(build_module, "plan_lesson", crash)
    quiet = run("build", "--jobs", "1")
    assert quiet.exit_code == 3
    assert quiet.stderr.splitlines() == [
        "deckgen: internal error: RuntimeError: disk on fire "
        "(set DECKGEN_DEBUG=1 for a traceback, and please report it)"
    ]
    monkeypatch.setenv("DECKGEN_DEBUG", "1")
    debug = run("build", "--jobs", "1")
    assert debug.exit_code == 3
    assert debug.stderr.startswith("Traceback (most recent call last):\n")
    assert "in crash\n" in debug.stderr
    assert debug.stderr.endswith(quiet.stderr)


SUMMARY = (
    "lessons/01-introduction-to-ml-infrastructure.md: 40 definitions, 6 comparisons, "
    "4 salary bands, 6 questions -> decks/01-introduction-to-ml-infrastructure.apkg"
)
# The course package's line: every lesson's items, in the one file learners import.
COURSE = (
    "lessons: 40 definitions, 6 comparisons, 4 salary bands, 6 questions "
    "-> decks/ai-infra-engineer.apkg"
)


def test_one_line_per_lesson_says_what_became_of_its_deck(project: Path, run) -> None:
    first = run("build", "--jobs", "1")
    assert (first.exit_code, first.stdout, first.stderr) == (0, f"{SUMMARY}\n{COURSE}\n", "")
    again = run("build", "--jobs", "1")
    assert again.stdout == f"{SUMMARY} (unchanged)\n{COURSE} (unchanged)\n"


def test_verbose_adds_the_cache_and_totals(project: Path, run) -> None:
    run("build", "--jobs", "1")
    result = run("build", "--jobs", "1", "--verbose")
    assert result.stdout == f"{SUMMARY} (unchanged) (cached)\n{COURSE} (unchanged)\n"
    assert re.fullmatch(
        r"1 lessons, 0 decks written, 1 lessons from the cache, in \d+\.\d\ds\n", result.stderr
    )


def test_quiet_prints_nothing_not_even_warnings(project: Path, run) -> None:
    Path("lessons/02-fences.md").write_text(
        "# Fences\n\n- **Helm:** charts\n\n```python\nprint('open')\n", encoding="utf-8"
    )
    assert "code fence is never closed" in run("build", "--jobs", "1").stderr
    Path("decks/02-fences.apkg").unlink()
    result = run("build", "--jobs", "1", "--quiet")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert Path("decks/02-fences.apkg").exists()


def test_retired_and_pruned_notes_are_counted(project: Path, run) -> None:
    run("build", "--jobs", "1")
    edit_lesson("- **Helm:** Kubernetes package management\n", "")
    retired = run("build", "--jobs", "1")
    assert retired.stdout.count(".apkg (1 retired)\n") == 2  # the lesson's and the course's
    pruned = run("build", "--jobs", "1", "--prune-retired")
    assert pruned.stdout.count(".apkg (1 pruned)\n") == 2
