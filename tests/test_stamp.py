"""The build stamp: a build with nothing to do is answered from it, and only then."""

from __future__ import annotations

import json
import os
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


LESSON = Path("lessons/01-introduction-to-ml-infrastructure.md")
DECK = Path("decks/01-introduction-to-ml-infrastructure.apkg")
_HOUR_NS = 3600 * 10**9


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds run as if an hour after every file was written: each has settled, and the stamp
    records its status with its digest."""
    real = stamp.time_ns
    monkeypatch.setattr(stamp, "time_ns", lambda: real() + _HOUR_NS)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the stamp reads to hash them, from now on."""
    names: list[str] = []

    def spy(name: str, *args: Any) -> Any:
        names.append(Path(name).name)
        return open(name, *args)

    monkeypatch.setattr(stamp, "open", spy, raising=False)
    return names


def _same_size_edit(path: Path, old: bytes, new: bytes) -> None:
    """Edit `path` in place without changing its size, then put its mtime back (`touch -d`)."""
    before = path.stat()
    data = path.read_bytes()
    assert len(old) == len(new) and data.count(old) == 1
    with path.open("r+b") as file:
        file.write(data.replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )


def test_a_no_op_build_reads_no_file_whose_status_is_unchanged(
    project: Path, run, later: None, opened: list[str]
) -> None:
    assert run("build", "--jobs", "1").exit_code == 0
    assert LESSON.name in opened  # taking the fingerprint
    opened.clear()
    replayed = run("build", "--jobs", "1")
    assert replayed.exit_code == 0 and "(unchanged)" in replayed.stdout
    assert opened == []
    # The lesson's status changes (and, with it, the content the next build would see).
    LESSON.write_text(LESSON.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert run("build", "--jobs", "1").exit_code == 0
    assert opened == [LESSON.name]


def test_a_same_size_edit_with_its_mtime_put_back_is_built(project: Path, run, later: None) -> None:
    assert run("build", "--jobs", "1").exit_code == 0
    before = DECK.read_bytes()
    _same_size_edit(LESSON, b"orchestration at scale", b"orchestration at SCALE")
    result = run("build", "--jobs", "1")
    assert result.exit_code == 0 and "(unchanged)" not in result.stdout
    assert DECK.read_bytes() != before


def test_a_deck_changed_in_place_with_its_mtime_put_back_is_rebuilt(
    project: Path, run, later: None
) -> None:
    assert run("build", "--jobs", "1").exit_code == 0
    built = DECK.read_bytes()
    middle = built[len(built) // 2 : len(built) // 2 + 8]
    _same_size_edit(DECK, middle, bytes(255 - b for b in middle))
    result = run("build", "--jobs", "1")
    assert result.exit_code == 0 and "(unchanged)" not in result.stdout
    assert DECK.read_bytes() == built


def test_a_file_changed_in_the_tick_the_build_read_it_is_read_again(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file system clock too coarse to tell the edit from the build: both happen in the tick
    # in which the build starts, and leave every file's status as it was (its mtime put back
    # to an hour before by `touch -d`).
    tick = stamp.time_ns()
    real = stamp._status

    def coarse(info: os.stat_result) -> list[int] | None:
        status = real(info)
        return None if status is None else [status[0], tick - _HOUR_NS, tick, *status[3:]]

    monkeypatch.setattr(stamp, "time_ns", lambda: tick)
    monkeypatch.setattr(stamp, "_status", coarse)
    assert run("build", "--jobs", "1").exit_code == 0
    _same_size_edit(LESSON, b"orchestration at scale", b"orchestration at SCALE")
    result = run("build", "--jobs", "1")
    assert result.exit_code == 0 and "(unchanged)" not in result.stdout
