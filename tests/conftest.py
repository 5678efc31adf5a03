"""Shared fixtures: a throwaway course project, and real Anki collections."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from deckgen.cli import cli

REPO = Path(__file__).resolve().parent.parent
# Real lessons copied into the repo (see tests/corpus/README.md): no test reads outside it.
CORPUS = REPO / "tests" / "corpus" / "ai-infra-engineer-learning"
LESSON_01 = REPO / "lessons" / "01-introduction-to-ml-infrastructure.md"


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
