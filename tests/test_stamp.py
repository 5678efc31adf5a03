"""The build stamp: a build with nothing to do is answered from it, and only then."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from deckgen import builder as build_module
from deckgen import stamp
from deckgen.config import load_config


def test_a_lesson_moved_to_another_folder_is_built_again(project: Path, run) -> None:
    # Same bytes, same file name: only its place under lessons/ tells the stamp it moved.
    lesson = Path("lessons/01-introduction-to-ml-infrastructure.md")
    assert run("build", "--jobs", "1").exit_code == 0
    moved = Path("lessons/mod-101/deeper") / lesson.name
    moved.parent.mkdir(parents=True)
    lesson.rename(moved)
    result = run("build", "--jobs", "1")
    assert result.exit_code == 0
    assert f"-> decks/mod-101/deeper/{lesson.stem}.apkg\n" in result.stdout
    assert Path("decks/mod-101/deeper", f"{lesson.stem}.apkg").is_file()


def test_a_stale_stamp_lends_its_fingerprint_to_the_build(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("build", "--jobs", "1").exit_code == 0
    lesson = Path("lessons/01-introduction-to-ml-infrastructure.md")
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n- **Okapi:** a striped animal\n")
    taken = []
    real = stamp._hash_inputs

    def spy(*inputs: Any) -> str:
        taken.append(inputs)
        return real(*inputs)

    monkeypatch.setattr(stamp, "_hash_inputs", spy)
    assert run("build", "--jobs", "1").exit_code == 0
    assert len(taken) == 1  # by the stamp check; the build took the same
    recorded = json.loads(Path(".deckgen-cache/build-stamp.json").read_bytes())["key"]
    # The fingerprint a build takes on its own, with the config it parsed.
    assert recorded == stamp.fingerprint(load_config(Path("deckgen.yaml")), (), False)
    assert len(taken) == 2

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("the stamp should have answered")

    monkeypatch.setattr(build_module, "build", no_build)
    assert run("build", "--jobs", "1").exit_code == 0
