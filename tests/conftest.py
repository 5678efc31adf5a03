"""Shared fixtures: a throwaway course project, and real Anki collections."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from deckgen.cli import cli

REPO = Path(__file__).resolve().parent.parent
# Real lessons copied into the repo (see tests/corpus/README.md): no test reads outside it.
CORPUS = REPO / "tests" / "corpus" / "ai-infra-engineer-learning"
LESSON_01 = REPO / "lessons" / "01-introduction-to-ml-infrastructure.md"
# Lesson 01 and its deck inside `project`, relative to its root.
LESSON = Path("lessons") / LESSON_01.name
DECK_KEY = "01-introduction-to-ml-infrastructure.apkg"
DECK = Path("decks") / DECK_KEY


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A course project in a temp dir with lesson 01 and this repo's config; cwd is its root."""
    (tmp_path / "lessons").mkdir()
    shutil.copy(LESSON_01, tmp_path / "lessons" / LESSON_01.name)
    shutil.copy(REPO / "deckgen.yaml", tmp_path / "deckgen.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    return tmp_path


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run the real CLI in-process; stderr is kept apart from stdout."""

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke


def edit_lesson(old: str, new: str) -> None:
    """Replace the one occurrence of `old` in the project's lesson 01."""
    text = LESSON.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    LESSON.write_text(text.replace(old, new), encoding="utf-8")


def git(*args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
    )


def commit_all() -> None:
    git("add", "-A")
    git("commit", "-qm", "snapshot")


@pytest.fixture
def repo(project: Path, run: Callable[..., Result]) -> Path:
    """The project as a git repository whose first commit holds built decks."""
    assert run("build").exit_code == 0
    git("init", "-q")
    commit_all()
    return project


@pytest.fixture
def anki_collection(tmp_path: Path) -> Iterator[Callable[[], object]]:
    """Open fresh real Anki collections; all are closed after the test."""
    from anki.collection import Collection

    opened: list[Collection] = []

    def open_new() -> Collection:
        collection = Collection(str(tmp_path / f"collection-{len(opened)}.anki2"))
        opened.append(collection)
        return collection

    yield open_new
    for collection in opened:
        collection.close()


def import_apkg(collection: object, path: Path) -> object:
    """Import with Anki's default options (update notes: if newer; no note-type merge)."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(
        package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=False)
    )
    return collection.import_anki_package(request)  # type: ignore[attr-defined]


def review_every_card(collection: object, deck_name: str) -> int:
    """Study a deck and its subdecks, answering Good; with no learning steps each card leaves
    the queue. The number of cards reviewed."""
    deck_id = collection.decks.id_for_name(deck_name)  # type: ignore[attr-defined]
    config = collection.decks.config_dict_for_deck_id(deck_id)  # type: ignore[attr-defined]
    config["new"]["perDay"] = 9999
    config["new"]["delays"] = []
    collection.decks.update_config(config)  # type: ignore[attr-defined]
    collection.decks.select(deck_id)  # type: ignore[attr-defined]
    reviewed = set()
    while (card := collection.sched.getCard()) is not None:  # type: ignore[attr-defined]
        assert card.id not in reviewed
        collection.sched.answerCard(card, 3)  # type: ignore[attr-defined]
        reviewed.add(card.id)
    return len(reviewed)
