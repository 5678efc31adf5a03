"""The build cache: a build with nothing to do is answered from it, and only then."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest

from deckgen import builder as build_module
from deckgen import reader as reader_module
from deckgen.config import Config
from deckgen.lesson import MAX_LESSON_BYTES


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


LESSON = Path("lessons/01-introduction-to-ml-infrastructure.md")
DECK = Path("decks/01-introduction-to-ml-infrastructure.apkg")
_HOUR_NS = 3600 * 10**9


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds run as if an hour after every file was written: each has settled, and the cache
    records its status with its digest."""
    real = reader_module.time_ns
    monkeypatch.setattr(reader_module, "time_ns", lambda: real() + _HOUR_NS)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the cache's reader opens, from now on."""
    names: list[str] = []
    read_bounded = reader_module.read_bounded

    def spy(name: str, *args: Any) -> Any:
        names.append(Path(name).name)
        return read_bounded(name, *args)

    monkeypatch.setattr(reader_module, "read_bounded", spy)
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
    assert LESSON.name in opened  # planning it
    # The decks the build wrote are read once, by the build after, which records them.
    assert run("build", "--jobs", "1").exit_code == 0
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
    # Seen, not taken from the cache: the damaged deck stops the build until it is replaced.
    result = run("build", "--jobs", "1")
    assert result.exit_code == 1 and "not a deck deckgen can read" in result.stderr
    result = run("build", "--jobs", "1", "--replace-unreadable")
    assert result.exit_code == 0 and f"{DECK} (unchanged)" not in result.stdout
    assert DECK.read_bytes() == built


def test_a_file_changed_in_the_tick_the_build_read_it_is_read_again(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file system clock too coarse to tell the edit from the build: both happen in the tick
    # in which the build starts, and leave every file's status as it was (its mtime put back
    # to an hour before by `touch -d`).
    tick = reader_module.time_ns()
    real = reader_module._status

    def coarse(info: os.stat_result) -> list[int] | None:
        status = real(info)
        return None if status is None else [status[0], tick - _HOUR_NS, tick, *status[3:]]

    monkeypatch.setattr(reader_module, "time_ns", lambda: tick)
    monkeypatch.setattr(reader_module, "_status", coarse)
    assert run("build", "--jobs", "1").exit_code == 0
    _same_size_edit(LESSON, b"orchestration at scale", b"orchestration at SCALE")
    result = run("build", "--jobs", "1")
    assert result.exit_code == 0 and "(unchanged)" not in result.stdout


def test_a_new_kind_of_file_read_while_planning_is_an_input_of_the_plan(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever planning reads through its reader, the cache keys the plan on: a file read by
    planning in a way the cache's code has never heard of invalidates it all the same."""
    glossary = project / "glossary.txt"
    glossary.write_text("okapi\n", encoding="utf-8")
    planned: list[str] = []
    real = build_module.plan_lesson

    def reading_more(path: Path, *args: Any, reader: Any, **kwargs: Any) -> Any:
        planned.append(path.name)
        with contextlib.suppress(FileNotFoundError):
            reader.read(glossary, 1024)  # a new kind of input, read as planning reads any file
        return real(path, *args, reader=reader, **kwargs)

    monkeypatch.setattr(build_module, "plan_lesson", reading_more)
    assert run("build", "--jobs", "1").exit_code == 0
    assert planned == [LESSON.name]
    planned.clear()
    nothing_changed = run("build", "--jobs", "1")
    assert planned == [] and "(unchanged)" in nothing_changed.stdout
    Path("decks", f"{LESSON.stem}.apkg").unlink()  # no whole-build answer: the row decides
    assert run("build", "--jobs", "1").exit_code == 0
    assert planned == []
    glossary.write_text("zebra\n", encoding="utf-8")
    assert run("build", "--jobs", "1").exit_code == 0
    assert planned == [LESSON.name]
    planned.clear()
    glossary.unlink()  # gone is a change too
    assert run("build", "--jobs", "1").exit_code == 0
    assert planned == [LESSON.name]


def test_a_cache_key_names_every_setting(tmp_path: Path) -> None:
    from deckgen.config import Config, CourseConfig, ExtractConfig, FilesConfig

    config = Config(root=tmp_path)
    assert config.cache_key() == Config(root=tmp_path).cache_key()  # stable
    changed = [
        dataclasses.replace(config, course=CourseConfig(id="other")),
        dataclasses.replace(config, lessons="src"),
        dataclasses.replace(config, decks="out"),
        dataclasses.replace(config, extract=ExtractConfig(kinds=("definition",))),
        dataclasses.replace(config, files=FilesConfig(exclude=("*/drafts/*",))),
        dataclasses.replace(config, aliases={"new": "old"}),
        dataclasses.replace(config, prune_retired=True),
        dataclasses.replace(config, root=tmp_path / "elsewhere"),
    ]
    keys = [other.cache_key() for other in changed]
    assert len({config.cache_key(), *keys}) == len(changed) + 1
    # Every field of the config and of its parts is in the key.
    named = json.loads(config.cache_key())
    for part in (config, config.course, config.extract, config.files):
        fields = {f.name for f in dataclasses.fields(part) if f.compare}
        holder = named if part is config else named[_field_of(config, part)]
        assert fields == set(holder)


def _field_of(config: Any, part: Any) -> str:
    return next(f.name for f in dataclasses.fields(config) if getattr(config, f.name) is part)


def test_a_plan_comes_back_from_the_cache_as_it_was_made(tmp_path: Path) -> None:
    from deckgen.builder import plan_lesson
    from deckgen.codec import Damaged
    from deckgen.plan import dumps_plan, loads_plan, notes_digest
    from deckgen.reader import Reader
    from tests.conftest import CORPUS

    config = Config(root=CORPUS)
    lessons = sorted((CORPUS / "lessons").rglob("*.md"))[:40]
    image = tmp_path / "lessons" / "pic.png"
    image.parent.mkdir()
    image.write_bytes(b"\x89PNG not really")
    drawn = tmp_path / "lessons" / "drawn.md"
    drawn.write_text("# Drawn\n\n- **Okapi:** ![an okapi](pic.png) a striped animal\n")
    decks = [plan_lesson(path, config) for path in lessons]
    decks.append(plan_lesson(drawn, Config(root=tmp_path)))
    assert decks[-1].media and any(deck.items for deck in decks)
    kinds = {keyed.item.kind for deck in decks for keyed in deck.items}
    assert kinds == {"definition", "comparison", "salary", "question"}
    read = {str(image)}
    for deck in decks:
        # Its notes by their digest: they are rendered again from its items when it is used.
        stored = dumps_plan(deck)
        assert loads_plan(stored, Reader(), read) == (
            dataclasses.replace(deck, notes=()),
            notes_digest(deck.notes),
        )
    with pytest.raises(Damaged):  # an image the plan's planning did not read
        loads_plan(dumps_plan(decks[-1]), Reader(), ())
    image.write_bytes(b"\x89PNG another picture")
    assert loads_plan(dumps_plan(decks[-1]), Reader(), read) is None  # not what it packed


def test_a_plan_keeps_only_the_digest_of_its_notes(tmp_path: Path) -> None:
    from deckgen.builder import plan_lesson
    from deckgen.codec import Damaged
    from deckgen.plan import dumps_plan, loads_plan, notes_digest
    from deckgen.reader import Reader

    lesson = tmp_path / "lessons" / "a.md"
    lesson.parent.mkdir()
    lesson.write_text("# A\n\n## Pods\n\n- **Pod:** the *smallest* unit\n- **Node:** a machine\n")
    deck = plan_lesson(lesson, Config(root=tmp_path))
    note = deck.notes[0]
    assert "<em>smallest</em>" in note.fields[1]
    stored = json.loads(dumps_plan(deck))
    assert stored["notes"] == [] and "<em>" not in json.dumps(stored)
    # Any change to a note (text, tags, identity, source, order) changes the digest.
    changed = [
        dataclasses.replace(note, fields=(note.fields[0] + " ", *note.fields[1:])),
        dataclasses.replace(note, tags=(*note.tags, "x")),
        dataclasses.replace(note, guid=note.guid + "x"),
        dataclasses.replace(note, source=None),
        dataclasses.replace(
            note, source=dataclasses.replace(note.source, line=note.source.line + 1)
        ),
    ]
    digests = {notes_digest(deck.notes), notes_digest(deck.notes[::-1])}
    digests |= {notes_digest((other, *deck.notes[1:])) for other in changed}
    assert len(digests) == 2 + len(changed)
    # A plan that holds notes, or no digest, is not one deckgen stores.
    with pytest.raises(Damaged):
        loads_plan(json.dumps({**stored, "notes": [{"@": "Note"}]}), Reader(), ())
    with pytest.raises(Damaged):
        loads_plan(
            json.dumps({k: v for k, v in stored.items() if k != "notes_digest"}), Reader(), ()
        )


def _build_three_more_lessons(project: Path, run) -> None:
    for name in "abc":
        text = f"# Lesson {name}\n\n- **Term {name}:** text\n"
        (project / "lessons" / f"{name}.md").write_text(text, encoding="utf-8")
    assert run("build", "--jobs", "1").exit_code == 0


def test_a_rebuild_after_one_edit_loads_no_other_lessons_plan(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The course package needs every lesson's notes: see the test after this one.
    Path("deckgen.yaml").write_text("packages: [lessons]\n", encoding="utf-8")
    _build_three_more_lessons(project, run)
    loaded: list[str] = []
    real = build_module.loads_plan

    def spy(text: str, *args: Any) -> Any:
        deck, digest = real(text, *args)
        loaded.append(deck.source.name)
        return deck, digest

    monkeypatch.setattr(build_module, "loads_plan", spy)
    Path("lessons/b.md").write_text("# Lesson b\n\n- **Term b:** more text\n", encoding="utf-8")
    result = run("build", "--jobs", "1", "--verbose")
    assert result.exit_code == 0
    assert "3 lessons from the cache" in result.stderr and loaded == []
    Path("decks/c.apkg").unlink()  # its plan stands: it is loaded to package it again
    assert run("build", "--jobs", "1").exit_code == 0
    assert loaded == ["c.md"]


def test_a_rebuild_of_the_course_package_parses_no_other_lesson(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build_three_more_lessons(project, run)
    parsed: list[str] = []
    real = build_module.plan_lesson

    def spy(path: Path, *args: Any, **kwargs: Any) -> Any:
        parsed.append(path.name)
        return real(path, *args, **kwargs)

    packaged: list[str] = []
    real_package = build_module.package_bytes

    def package_spy(content: Any) -> bytes:
        packaged.append(content.deck_name)
        return real_package(content)

    monkeypatch.setattr(build_module, "plan_lesson", spy)
    monkeypatch.setattr(build_module, "package_bytes", package_spy)
    Path("lessons/b.md").write_text("# Lesson b\n\n- **Term b:** more text\n", encoding="utf-8")
    result = run("build", "--jobs", "1", "--verbose")
    assert result.exit_code == 0
    # The others' plans come from the cache, to give their notes to the course package; their
    # own packages, intact on disk, are not made again.
    assert parsed == ["b.md"] and "3 lessons from the cache" in result.stderr
    assert packaged == ["AI Infrastructure Engineer::Lesson b"]
    assert "decks/ai-infra-engineer.apkg\n" in result.stdout  # written again


def test_after_one_edit_only_that_lesson_goes_to_the_workers(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build_three_more_lessons(project, run)
    shared: list[list[str]] = []
    real = build_module.map_in_order

    def spy(work: Any, items: Any, *args: Any, **kwargs: Any) -> Any:
        shared.append([lesson[0].name for lesson in items])
        return real(work, items, *args, **kwargs)

    monkeypatch.setattr(build_module, "map_in_order", spy)
    before = {path.name: path.read_bytes() for path in Path("decks").iterdir()}
    Path("lessons/b.md").write_text("# Lesson b\n\n- **Term b:** more text\n", encoding="utf-8")
    result = run("build", "--jobs", "2")
    assert result.exit_code == 0
    # The others give the course package their notes from here: no worker is worth starting.
    assert shared == [["b.md"]]
    after = {path.name: path.read_bytes() for path in Path("decks").iterdir()}
    assert {name for name in after if after[name] != before.get(name)} == {
        "b.apkg",
        "ai-infra-engineer.apkg",
    }


def test_a_reader_goes_to_a_worker_without_what_it_remembers(project: Path) -> None:
    import pickle  # how a spawned `--jobs` worker would get it

    from deckgen.cache import Cache

    cache = Cache.load(project)
    cache.reader.read(LESSON, MAX_LESSON_BYTES)
    cache.reader.listing(LESSON.parent)
    copy = pickle.loads(pickle.dumps(cache.reader))
    assert len(pickle.dumps(cache.reader)) < 200
    assert copy.listing(LESSON.parent) == cache.reader.listing(LESSON.parent)
    assert copy.read(LESSON, MAX_LESSON_BYTES) == LESSON.read_bytes()


def test_check_warns_of_a_damaged_cache_and_still_checks(project: Path, run) -> None:
    assert run("build", "--jobs", "1").exit_code == 0
    database = project / ".deckgen-cache" / "cache-v1.sqlite"
    database.write_bytes(b"\0" * 4096)
    result = run("check")
    assert result.exit_code == 0
    assert result.stderr.count("build cache is damaged and was ignored") == 1
    assert "deckgen check: up to date (2 decks)" in result.stderr


def test_a_tampered_plan_cannot_send_a_deck_elsewhere(project: Path, run) -> None:
    import sqlite3

    assert run("build", "--jobs", "1").exit_code == 0
    deck = Path("decks", f"{LESSON.stem}.apkg")
    before = deck.read_bytes()
    connection = sqlite3.connect(project / ".deckgen-cache" / "cache-v1.sqlite")
    with connection:
        connection.execute("UPDATE lessons SET plan = replace(plan, '/decks/', '/elsewhere/')")
    connection.close()
    deck.unlink()  # its plan is wanted
    result = run("build", "--jobs", "1")
    assert result.exit_code == 0
    assert result.stderr.count("build cache is damaged and was ignored") == 1
    assert deck.read_bytes() == before and not Path("elsewhere").exists()


@pytest.mark.parametrize("change", ["drop", "add"])
def test_a_stored_instance_with_other_fields_is_damaged(change: str) -> None:
    from deckgen.codec import Codec, Damaged
    from deckgen.diagnostics import Diagnostic

    codec = Codec([Diagnostic])
    stored = codec.encode(Diagnostic(Path("a.md"), 3, "text"))
    assert codec.decode(stored, Diagnostic) == Diagnostic(Path("a.md"), 3, "text")
    if change == "drop":
        del stored["line"]
    else:
        stored["extra"] = 1
    with pytest.raises(Damaged, match="not the fields of a Diagnostic"):
        codec.decode(stored, Diagnostic)
