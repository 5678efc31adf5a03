"""The config object itself: what the build cache keys on."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from deckgen.config import Config


def test_asking_for_its_folders_changes_neither_repr_nor_equality(tmp_path: Path) -> None:
    config = Config(root=tmp_path, decks="out")
    before = repr(config)
    assert (config.lessons_dir, config.decks_dir) == (tmp_path / "lessons", tmp_path / "out")
    assert repr(config) == before
    assert config == Config(root=tmp_path, decks="out")


def test_a_changed_copy_has_its_own_folders(tmp_path: Path) -> None:
    config = Config(root=tmp_path)
    assert config.lessons_dir == tmp_path / "lessons"  # worked out before the copy
    moved = dataclasses.replace(config, root=tmp_path / "elsewhere", lessons="src")
    assert moved.lessons_dir == tmp_path / "elsewhere" / "src"
    assert moved.decks_dir == tmp_path / "elsewhere" / "decks"
