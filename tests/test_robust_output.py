"""A failed, killed or concurrent build never leaves a broken or half-written deck behind."""

from __future__ import annotations

import contextlib
import errno
import itertools
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from filelock import FileLock

from deckgen import atomic
from deckgen import builder as build_module
from deckgen import package as package_module
from deckgen.apkg import read_apkg
from deckgen.atomic import TEMP_SUFFIX
from deckgen.builder import BUILD_LOCK
from deckgen.cache import CACHE_DIR
from deckgen.config import load_config

from .conftest import LESSON_01

ADDED = "\n\n## Late Addition\n\n- **Zebra Term:** a definition added after the first build\n"


def _snapshot(decks: Path) -> dict[str, bytes]:
    return {str(p.relative_to(decks)): p.read_bytes() for p in sorted(decks.rglob("*.apkg"))}


def _temps(decks: Path) -> list[Path]:
    return sorted(decks.rglob(f"*{TEMP_SUFFIX}"))


def _add_lessons(project: Path, count: int, repeat: int = 1) -> list[Path]:
    text = LESSON_01.read_text(encoding="utf-8")
    paths = []
    for number in range(count):
        path = project / "lessons" / f"copy-{number:02}.md"
        path.write_text(text.replace("# Lesson 01", f"# Lesson C{number}") * repeat, "utf-8")
        paths.append(path)
    return paths


def _edit_all(project: Path) -> None:
    for lesson in (project / "lessons").glob("*.md"):
        lesson.write_text(lesson.read_text(encoding="utf-8") + ADDED, encoding="utf-8")


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []  # the process is gone


def _build_process(project: Path, *args: str, new_session: bool = False) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "deckgen", "build", "--quiet", *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=new_session,
    )


def test_exception_in_packaging_changes_no_deck(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_lessons(project, 2)
    assert run("build", "--quiet").exit_code == 0
    before = _snapshot(project / "decks")
    assert len(before) == 4  # three lessons' and the course's
    _edit_all(project)

    real_package = build_module.package_bytes
    calls = []

    def failing_on_the_second(content):
        calls.append(content.deck_name)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real_package(content)

    monkeypatch.setattr(build_module, "package_bytes", failing_on_the_second)
    result = run("build", "--quiet")
    assert result.exit_code == 3
    assert "internal error: RuntimeError: disk on fire" in result.stderr
    # The first lesson was packaged and staged, but nothing reached its deck.
    assert _snapshot(project / "decks") == before
    assert _temps(project / "decks") == []

    monkeypatch.setattr(build_module, "package_bytes", real_package)
    assert run("build", "--quiet").exit_code == 0
    after = _snapshot(project / "decks")
    assert after.keys() == before.keys()
    assert all(after[name] != before[name] for name in before)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_deck_is_on_disk_before_it_replaces_the_old_one(
    project: Path, run, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """Else a power cut just after the build could leave an empty deck (staged decks are
    flushed together at the end, by the building process, whoever wrote them)."""
    _add_lessons(project, 3)
    flushed: set[tuple[int, int]] = set()
    replaced: list[tuple[str, bool]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        real_fsync(fd)
        info = os.fstat(fd)
        flushed.add((info.st_dev, info.st_ino))

    def replace(source, destination) -> None:
        if str(destination).endswith(".apkg"):
            info = os.stat(source)
            replaced.append((Path(destination).name, (info.st_dev, info.st_ino) in flushed))
        real_replace(source, destination)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    assert run("build", "--quiet", "--jobs", jobs).exit_code == 0
    assert sorted(replaced) == [
        (LESSON_01.with_suffix(".apkg").name, True),
        ("ai-infra-engineer.apkg", True),  # the course package
        ("copy-00.apkg", True),
        ("copy-01.apkg", True),
        ("copy-02.apkg", True),
    ]


def test_leftover_temp_files_are_removed_by_the_next_build(project: Path, run) -> None:
    decks = project / "decks"
    (decks / "module").mkdir(parents=True)
    leftovers = [decks / f".a.apkg.x1{TEMP_SUFFIX}", decks / "module" / f".b.apkg.y{TEMP_SUFFIX}"]
    for leftover in leftovers:
        leftover.write_bytes(b"half a deck")
    unrelated = decks / "notes.txt"
    unrelated.write_text("mine")
    assert run("build", "--quiet").exit_code == 0
    assert _temps(decks) == []
    assert unrelated.read_text() == "mine"


def test_sigkill_during_a_large_build_leaves_decks_intact(project: Path, run) -> None:
    _add_lessons(project, 8, repeat=2)
    assert run("build", "--quiet").exit_code == 0
    decks = project / "decks"
    before = _snapshot(decks)
    _edit_all(project)

    process = _build_process(project, new_session=True)
    deadline = time.monotonic() + 120
    while not _temps(decks) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert process.poll() is None, "the build finished before it could be killed"
    # The whole process group: the build and its --jobs workers, all at once.
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    # Killed while staging: temp files remain, every deck is as the last good build left it.
    assert _temps(decks)
    assert _snapshot(decks) == before
    for path in decks.rglob("*.apkg"):
        read_apkg(path)  # a whole package, not a truncated one

    assert run("build", "--quiet").exit_code == 0
    assert _temps(decks) == []
    assert all(_snapshot(decks)[name] != before[name] for name in before)


def test_two_builds_at_once_give_the_same_decks_as_one(project: Path, run) -> None:
    _add_lessons(project, 6)
    reference = project.parent / "reference"
    shutil.copytree(project, reference)
    processes = [_build_process(project) for _ in range(2)]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr.decode()
    # SOURCE_DATE_EPOCH (set by the fixture) makes the lone build comparable byte for byte.
    sequential = _build_process(reference)
    assert sequential.wait(timeout=120) == 0
    assert _snapshot(project / "decks") == _snapshot(reference / "decks")
    assert _temps(project / "decks") == []


def test_a_build_waits_while_another_build_holds_the_lock(project: Path, run) -> None:
    decks = project / "decks"
    lock_file = project / CACHE_DIR / BUILD_LOCK
    lock_file.parent.mkdir()
    lock = FileLock(lock_file)
    lock.acquire()
    try:
        process = _build_process(project)
        # However long we hold the lock, the waiting build writes nothing.
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=2)
        assert not decks.exists() or list(decks.iterdir()) == []
    finally:
        lock.release()
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr.decode()
    assert len(_snapshot(decks)) == 2  # the lesson's and the course's


def test_a_build_its_caller_stops_ends_its_workers_before_cleaning_up(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopped from `on_lesson` (a progress display's Ctrl-C), the build ends its workers
    before it removes temp files: no worker is left to stage a deck after that."""
    _add_lessons(project, 8, repeat=2)
    events: list[str] = []
    for owner, name, event in [
        (package_module.DeckWriter, "_remove_temps", "temp files removed"),
        (ProcessPoolExecutor, "shutdown", "workers ended"),
    ]:
        real = getattr(owner, name)
        monkeypatch.setattr(
            owner,
            name,
            lambda self, *args, _real=real, _event=event, **kwargs: (
                events.append(_event),
                _real(self, *args, **kwargs),
            ),
        )

    def stop(result: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_module.build(config=load_config(project / "deckgen.yaml"), jobs=2, on_lesson=stop)
    assert events == ["temp files removed", "workers ended", "temp files removed"]
    # (Not this process's children: another test's forkserver, say, may still be there.)
    assert multiprocessing.active_children() == []
    assert _temps(project / "decks") == [] and _snapshot(project / "decks") == {}


def test_orphaned_workers_of_a_killed_build_do_not_block_the_next(project: Path) -> None:
    """Kill only the parent of a --jobs build: its workers must hold no lock, and must end."""
    _add_lessons(project, 8, repeat=2)
    decks = project / "decks"
    process = _build_process(project, "--jobs", "2", new_session=True)
    try:
        deadline = time.monotonic() + 120
        # The build forks its workers after building one lesson itself: wait for them.
        while not _children(process.pid) and process.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.005)
        assert process.poll() is None, "the build finished before it could be killed"
        workers = _children(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait()
        following = _build_process(project)
        _, stderr = following.communicate(timeout=120)  # hangs if a worker kept the lock
        assert following.returncode == 0, stderr.decode()
        assert len(_snapshot(decks)) == 10  # nine lessons' and the course's
        # Orphans end by themselves (a generous bound: this is about ending, not speed).
        while any(Path(f"/proc/{worker}").exists() for worker in workers):
            assert time.monotonic() < deadline, f"workers {workers} outlived their build"
            time.sleep(0.05)
    finally:
        with contextlib.suppress(ProcessLookupError):  # orphaned workers, if the test failed
            os.killpg(process.pid, signal.SIGKILL)


def test_decks_are_made_as_the_users_umask_says(project: Path, run) -> None:
    before = os.umask(0o027)
    try:
        assert run("build", "--quiet").exit_code == 0
    finally:
        os.umask(before)
    decks = list((project / "decks").rglob("*.apkg"))
    assert len(decks) == 2  # the lesson's and the course's
    assert all(deck.stat().st_mode & 0o777 == 0o640 for deck in decks)


def test_a_temp_file_left_with_the_same_name_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dead build's leftover may carry the name this process would pick next."""
    monkeypatch.setattr(atomic, "_temp_numbers", itertools.count(5))
    deck = tmp_path / "a.apkg"
    leftover = tmp_path / f".a.apkg.{os.getpid()}-5{TEMP_SUFFIX}"
    leftover.write_bytes(b"half a deck")
    staged = package_module.stage(deck, b"deck")
    assert staged == tmp_path / f".a.apkg.{os.getpid()}-6{TEMP_SUFFIX}"
    assert staged.read_bytes() == b"deck" and leftover.read_bytes() == b"half a deck"


def test_a_deck_the_disk_fails_to_flush_changes_no_deck(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_lessons(project, 11)  # more decks than flushing threads
    assert run("build", "--quiet").exit_code == 0
    decks = project / "decks"
    before = _snapshot(decks)
    _edit_all(project)
    real_fsync = os.fsync
    flushed: list[int] = []

    def fsync(fd: int) -> None:
        flushed.append(fd)
        if len(flushed) == 5:
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    result = run("build", "--quiet")
    assert (result.exit_code, result.stderr) == (1, "decks: cannot write: Input/output error\n")
    assert len(flushed) == len(before)  # the other threads flushed on
    assert _snapshot(decks) == before
    assert _temps(decks) == []
