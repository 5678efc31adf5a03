"""deckgen.parallel: `map` over a process pool, results and errors in order, any start method."""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.context import BaseContext
from pathlib import Path

import pytest

from deckgen import parallel
from deckgen.parallel import map_in_order

# Every start method this platform has: fork (Linux's default up to Python 3.13), spawn (macOS
# and Windows) and forkserver (Linux's default from 3.14).
METHODS = multiprocessing.get_all_start_methods()


@pytest.fixture(params=METHODS)
def context(request: pytest.FixtureRequest) -> BaseContext:
    return multiprocessing.get_context(request.param)


# The work is module-level, as the pool requires: a spawned worker imports it by name.
def _with_pid(item: int) -> tuple[int, int]:
    return item, os.getpid()


def _children_then(item: int) -> tuple[int, list[int]]:
    return os.getpid(), [child.pid for child in multiprocessing.active_children()]


def _fail_at_7_late_and_30_at_once(item: int) -> int:
    """Item 30's error comes first in time, item 7's first in order."""
    if item == 7:
        time.sleep(1)
        raise ValueError("item 7 is bad")
    if item == 30:
        raise ValueError("item 30 is bad")
    return item


def _die_in_a_worker(item: int) -> int:
    if multiprocessing.parent_process() is not None:
        os._exit(7)
    return item


def _unpicklable(item: int) -> Callable[[], int]:
    return lambda: item


def _record_then_sleep(folder: str) -> None:
    """In a worker: leave its process id in `folder`, then take a while."""
    if multiprocessing.parent_process() is not None:
        Path(folder, str(os.getpid())).touch()
        time.sleep(float(os.environ["SLEEP"]))


# A process whose workers sleep: the tests below stop it from outside.
_SLEEPERS = """
import multiprocessing, sys
from deckgen.parallel import map_in_order
from tests.test_parallel import _record_then_sleep
context = multiprocessing.get_context(sys.argv[1])
try:
    list(map_in_order(_record_then_sleep, [sys.argv[2]] * 4, jobs=3, context=context))
except KeyboardInterrupt:
    print("interrupted; workers left:", len(multiprocessing.active_children()))
"""


def _start_sleepers(folder: Path, method: str, sleep: float) -> tuple[subprocess.Popen, list[int]]:
    """The process, once both its workers are at work, and their process ids."""
    process = subprocess.Popen(
        [sys.executable, "-c", _SLEEPERS, method, str(folder)],
        cwd=Path(__file__).parent.parent,
        env={**os.environ, "SLEEP": str(sleep)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives a command
    )
    deadline = time.monotonic() + 60
    while len(workers := [int(path.name) for path in folder.iterdir()]) < 2:
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.01)
    return process, workers


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_results_come_in_order_from_several_processes(context: BaseContext) -> None:
    results = list(map_in_order(_with_pid, range(60), jobs=3, context=context))
    assert [item for item, _ in results] == list(range(60))
    processes = {pid for _, pid in results}
    assert results[0][1] == os.getpid() and len(processes) >= 2
    assert multiprocessing.active_children() == [], "a worker was left running or unreaped"


def test_the_first_item_is_built_here_before_any_worker(context: BaseContext) -> None:
    results = list(map_in_order(_children_then, range(5), jobs=2, first=3, context=context))
    assert results[3] == (os.getpid(), [])
    assert all(pid != os.getpid() for pid, _ in results[:3] + results[4:])


def test_an_error_is_the_first_in_order_with_the_workers_traceback(context: BaseContext) -> None:
    work = _fail_at_7_late_and_30_at_once
    with pytest.raises(ValueError, match=r"^item 7 is bad$") as raised:
        list(map_in_order(work, range(40), jobs=2, context=context))
    # Where the worker raised it, shown as its cause (as a traceback shows it: DECKGEN_DEBUG=1).
    cause = str(raised.value.__cause__)
    assert "in _fail_at_7_late_and_30_at_once" in cause
    assert 'raise ValueError("item 7 is bad")' in cause
    assert multiprocessing.active_children() == []


def test_an_error_of_the_item_built_here_waits_for_its_turn(context: BaseContext) -> None:
    """Item 30 fails here before any worker starts; item 7, built by a worker, comes first."""
    results = []
    with pytest.raises(ValueError, match=r"^item 7 is bad$"):
        for result in map_in_order(
            _fail_at_7_late_and_30_at_once, range(40), jobs=2, first=30, context=context
        ):
            results.append(result)
    # Those before it come first (but for any sent to a worker with it, in one chunk).
    assert results == list(range(len(results))) and len(results) < 7


def test_a_worker_that_dies_is_an_error_not_a_hang(context: BaseContext) -> None:
    with pytest.raises(RuntimeError, match=r"worker ended before sending item \d+'s result"):
        list(map_in_order(_die_in_a_worker, range(40), jobs=2, context=context))
    assert multiprocessing.active_children() == []


def test_a_result_that_cannot_be_sent_is_an_error(context: BaseContext) -> None:
    with pytest.raises(Exception, match=r"(?i)pickle"):
        list(map_in_order(_unpicklable, range(10), jobs=2, context=context))


def _record(item: int, done: list[int], unsendable: object) -> int:
    done.append(item)
    return item


def test_work_that_cannot_be_sent_fails_before_any_item(context: BaseContext) -> None:
    # Found by the pool's own feeder thread instead, such an error could leave the pool's
    # shutdown waiting forever (a whole build with an unpicklable config hung so).
    done: list[int] = []
    work = functools.partial(_record, done=done, unsendable=threading.Lock())
    with pytest.raises(TypeError, match="pickle"):
        list(map_in_order(work, range(40), jobs=2, context=context))
    assert done == []


def test_closing_early_ends_the_workers(context: BaseContext) -> None:
    """As when the caller stops (Ctrl-C in a progress display) after the first results."""
    results = map_in_order(_with_pid, range(200), jobs=2, context=context)
    assert next(results)[0] == 0 and next(results)[0] == 1
    results.close()
    assert multiprocessing.active_children() == []


def test_ctrl_c_ends_the_workers_quietly(context: BaseContext, tmp_path: Path) -> None:
    """Ctrl-C reaches the whole process group: the workers leave stopping to this process,
    which waits for their items (a lesson takes milliseconds) and ends them; none prints."""
    method = context.get_start_method()
    process, workers = _start_sleepers(tmp_path, method, sleep=1)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert stdout == "interrupted; workers left: 0\n"
    assert "Traceback" not in stderr
    assert not any(_running(worker) for worker in workers)


def test_workers_end_when_their_process_is_killed(context: BaseContext, tmp_path: Path) -> None:
    """Killed, the process cannot end its workers: they see it gone and end themselves."""
    process, workers = _start_sleepers(tmp_path, context.get_start_method(), sleep=600)
    try:
        process.kill()
        process.wait()
        deadline = time.monotonic() + 60  # against a hang only: in practice milliseconds
        while any(_running(worker) for worker in workers):
            assert time.monotonic() < deadline, f"workers {workers} outlived their process"
            time.sleep(0.01)
    finally:
        for worker in filter(_running, workers):
            os.kill(worker, signal.SIGKILL)


def test_items_go_to_workers_in_chunks_of_which_each_gets_several() -> None:
    assert parallel._chunk_size(168, 2) == 4  # the corpus at --jobs 2
    assert parallel._chunk_size(24, 2) == 3
    assert parallel._chunk_size(8, 4) == 1  # else two of four workers would have nothing


@pytest.mark.parametrize("jobs", [1, 2])
def test_no_items_and_one_item(jobs: int) -> None:
    assert list(map_in_order(abs, [], jobs=jobs)) == []
    assert list(map_in_order(abs, [-1], jobs=jobs)) == [1]


def test_fork_only_where_it_is_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: METHODS)
    monkeypatch.setattr(parallel.sys, "platform", "linux")
    assert parallel.start_method() == ("fork" if "fork" in METHODS else "spawn")
    monkeypatch.setattr(parallel.sys, "platform", "darwin")
    assert parallel.start_method() == "spawn"
    monkeypatch.setattr(parallel.sys, "platform", "linux")
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert parallel.start_method() == "spawn"  # fork would copy a lock another thread holds
    finally:
        release.set()
        other.join()
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert parallel.start_method() == "spawn"  # Windows


@pytest.mark.parametrize("method", METHODS)
def test_a_build_is_the_same_under_every_start_method(
    project: Path, run, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """The work, the config, the lessons' results and their errors all travel to and from
    the workers by pickle, whichever way they started."""
    lessons = project / "lessons"
    (lesson,) = lessons.iterdir()
    for number in range(4):
        text = lesson.read_text(encoding="utf-8").replace("# Lesson 01", f"# Lesson C{number}")
        (lessons / f"copy-{number}.md").write_text(text, encoding="utf-8")
    serial = run("build", "--jobs", "1")
    assert serial.exit_code == 0
    decks = {path: path.read_bytes() for path in sorted(project.rglob("*.apkg"))}
    assert len(decks) == 6  # five lessons' and the course's
    for path in decks:
        path.unlink()
    monkeypatch.setattr(parallel, "start_method", lambda: method)
    parallel_build = run("build", "--jobs", "2", "--force")
    assert (parallel_build.exit_code, parallel_build.stdout) == (0, serial.stdout)
    assert {path: path.read_bytes() for path in sorted(project.rglob("*.apkg"))} == decks
    # Larger than the lesson built here first: a worker builds it.
    (lessons / "broken.md").write_bytes(b"# Broken\n\n" + b"- **Term:** text\n" * 1000 + b"\xff")
    failed = run("build", "--jobs", "2", "--force")
    assert failed.exit_code == 1
    assert failed.stderr == "lessons/broken.md:1003: not valid UTF-8 at byte 17010\n"
