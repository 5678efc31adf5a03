"""A cache is data, never code: a tampered or damaged `.deckgen-cache` is ignored with one
warning and rebuilt from the lessons, and nothing stored in it reaches a card."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from deckgen.apkg import read_apkg

from .conftest import DECK, LESSON
from .hostile_decks import watchdog
from .test_cache import later  # noqa: F401  (a fixture: every file has settled)

DATABASE = Path(".deckgen-cache/cache-v1.sqlite")
DAMAGED = "build cache is damaged and was ignored"
MLFLOW = "Experiment tracking and model registry"


def _tamper(*statements: str) -> None:
    connection = sqlite3.connect(DATABASE)
    with connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()


def _plan() -> str:
    connection = sqlite3.connect(DATABASE)
    (plan,) = connection.execute("SELECT plan FROM lessons").fetchone()
    connection.close()
    return plan


def _fields(path: Path) -> str:
    return "\n".join(field for note in read_apkg(path).notes.values() for field in note.fields)


@pytest.mark.parametrize(
    "injected",
    [
        # Only the stored note's HTML: its item still says what the lesson says.
        f"replace(plan, '\"{MLFLOW}\",', '\"{MLFLOW}<script>alert(1)</script>\",')",
        # The item's text and the note's HTML alike: the item would render escaped.
        f"replace(plan, '{MLFLOW}', '<img src=x onerror=alert(1)>')",
        # A breadcrumb's label: it is escaped when rendered.
        'replace(plan, \'"label":"Lesson 01"\', \'"label":"<b>Lesson 01</b>"\')',
    ],
)
def test_card_html_in_a_cached_plan_never_reaches_a_deck(project: Path, run, injected: str) -> None:
    assert run("build").exit_code == 0
    built = DECK.read_bytes()
    before = _plan()
    _tamper(f"UPDATE lessons SET plan = {injected}")
    assert _plan() != before
    DECK.unlink()  # its plan is wanted to package the deck again
    result = run("build")
    assert result.exit_code == 0
    assert result.stderr.count(DAMAGED) == 1
    assert "not what its items render to" in result.stderr
    assert DECK.read_bytes() == built
    assert "<script" not in _fields(DECK) and "<img" not in _fields(DECK)


@pytest.mark.usefixtures("later")
def test_check_ignores_a_tampered_plan_and_still_checks(project: Path, run) -> None:
    assert run("build").exit_code == 0
    _tamper(f"UPDATE lessons SET plan = replace(plan, '\"{MLFLOW}\",', '\"<i>x</i>\",')")
    # Named lessons are no replay of the last build: check takes their plans from the cache.
    result = run("check", str(project / LESSON))
    assert result.exit_code == 0
    assert result.stderr.count(DAMAGED) == 1
    assert "deckgen check: up to date (1 deck)" in result.stderr


def test_an_untampered_plan_is_used_without_a_warning(project: Path, run) -> None:
    assert run("build").exit_code == 0
    built = DECK.read_bytes()
    DECK.unlink()
    result = run("build")
    assert result.exit_code == 0 and DAMAGED not in result.stderr
    assert DECK.read_bytes() == built


@pytest.mark.parametrize(
    "statements",
    [
        ("UPDATE lessons SET summary = '{not json'",),
        ("UPDATE lessons SET prune_retired = 'yes'",),
        ("UPDATE lessons SET inputs = '[[1, 2, 3]]'",),
        ("UPDATE files SET entry = '[\"x\", 1]'",),
        ("UPDATE meta SET value = '{\"@\": \"BuildRecord\"}' WHERE name = 'record'",),
        ("UPDATE lessons SET summary = '" + "[" * 100_000 + "'",),
        ("UPDATE lessons SET output = CAST(output AS BLOB)",),
        ("CREATE TABLE extra (x)",),
        ("CREATE TRIGGER t AFTER INSERT ON files BEGIN DELETE FROM lessons; END",),
        (
            "ALTER TABLE files RENAME TO old_files",
            "CREATE VIEW files AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)"
            " SELECT 'p' || n AS path, '[]' AS entry FROM r",
        ),
    ],
    ids=lambda statements: statements[0][:40],
)
def test_a_damaged_cache_is_ignored_with_one_warning(
    project: Path, run, statements: tuple[str, ...]
) -> None:
    assert run("build").exit_code == 0
    built = DECK.read_bytes()
    _tamper(*statements)
    Path("lessons", "01-introduction-to-ml-infrastructure.md").touch()
    with watchdog(120):
        result = run("build")
    assert result.exit_code == 0, result.output
    assert result.stderr.count(DAMAGED) == 1
    assert DECK.read_bytes() == built
    with watchdog(120):
        again = run("build")  # the cache was rebuilt from the lessons
    assert again.exit_code == 0 and DAMAGED not in again.stderr
