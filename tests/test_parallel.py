"""deckgen.parallel: `map` over forked processes, results and errors in order."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from deckgen.parallel import WorkerTraceback, map_in_order


def _shared(tmp_path: Path, in_worker: Callable[[int], object]) -> Callable[[int], object]:
    """Work whose items this process builds only once a worker has taken one, so that every
    test sees a worker at work however the processes are scheduled."""
    parent, started = os.getpid(), tmp_path / "a-worker-started"

    def work(item: int) -> object:
        if os.getpid() != parent:
            started.touch()
            return in_worker(item)
        deadline = time.monotonic() + 60  # against a hang only: no test is about speed
        while item and not started.exists():
            assert time.monotonic() < deadline, "no worker took an item"
            time.sleep(0.001)
        return item, parent

    return work


def test_results_come_in_order_from_every_process(tmp_path: Path) -> None:
    work = _shared(tmp_path, lambda item: (item, os.getpid()))
    results = list(map_in_order(work, range(60), jobs=3))
    assert [item for item, _ in results] == list(range(60))
    processes = {pid for _, pid in results}
    assert os.getpid() in processes and len(processes) >= 2
    for pid in processes - {os.getpid()}:
        assert not Path(f"/proc/{pid}").exists(), "a worker was left running or unreaped"


def test_the_first_item_is_built_here_before_any_worker() -> None:
    here = os.getpid()

    def workers_at_work(item: int) -> tuple[int, list[str]]:
        """Who builds the item, and the workers this process had forked by then."""
        children = Path(f"/proc/{here}/task/{here}/children").read_text().split()
        return os.getpid(), children if os.getpid() == here else []

    assert list(map_in_order(workers_at_work, range(5), jobs=2, first=3))[3] == (here, [])


def test_an_error_in_a_worker_is_raised_here_in_order(tmp_path: Path) -> None:
    def fail_in_the_worker(item: int) -> object:
        raise ValueError(f"item {item} is bad")

    with pytest.raises(ValueError, match=r"^item \d+ is bad$") as raised:
        list(map_in_order(_shared(tmp_path, fail_in_the_worker), range(40), jobs=2))
    # Where the worker raised it, as a traceback shows it (DECKGEN_DEBUG=1).
    cause = raised.value.__cause__
    assert isinstance(cause, WorkerTraceback)
    assert "in fail_in_the_worker" in str(cause) and 'raise ValueError(f"item' in str(cause)


def test_a_worker_that_dies_is_an_error_not_a_hang(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=r"worker ended before sending item \d+'s result"):
        list(map_in_order(_shared(tmp_path, lambda item: os._exit(7)), range(40), jobs=2))


def test_a_result_that_cannot_be_sent_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=r"worker could not send item \d+"):
        list(map_in_order(_shared(tmp_path, lambda item: lambda: item), range(40), jobs=2))


def test_more_items_than_a_pipe_holds_claims_for() -> None:
    """A pipe holds 16,384 claims; the rest are handed out as room is made."""
    assert list(map_in_order(abs, range(-40_000, 0), jobs=2)) == list(range(40_000, 0, -1))


@pytest.mark.parametrize("jobs", [1, 2])
def test_no_items_and_one_item(jobs: int) -> None:
    assert list(map_in_order(abs, [], jobs=jobs)) == []
    assert list(map_in_order(abs, [-1], jobs=jobs)) == [1]
