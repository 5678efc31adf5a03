"""`map` over a pool of worker processes, in order: how `--jobs` shares a build's lessons out.

The pool is the standard library's `concurrent.futures.ProcessPoolExecutor`, so it runs
wherever Python does. What it needs of its caller: `work` is a module-level function (or a
`functools.partial` of one) and the items and results pickle, since every start method sends
them to the workers and back.

How workers start: `fork` where it is safe, `spawn` elsewhere (`start_method`). A forked worker
starts with what this process already loaded (deckgen, markdown-it, genanki and their caches);
a spawned one is a fresh interpreter that imports them all again. Time to the first result of a
one-worker pool on a 2-core Linux machine shared with other work (medians of 9 fresh
processes): for a trivial task, fork 15 ms, spawn 315 ms, forkserver 532 ms; for a lesson,
after this process has built one, fork 46 ms, spawn 1.2 s, forkserver 0.9 s. A whole build of
the vendored corpus takes about 0.7 s at `--jobs 2`, so only fork is worth a second process
there. Fork is not safe where this process runs other threads (one may hold a lock that the
child then waits on forever: why Python 3.14 stops defaulting to it on Linux), nor on macOS,
whose system frameworks are not fork-safe (why Python 3.8 made spawn its default there); there,
spawn, which every platform has. Spawned workers cost their start-up in full: this process
waits meanwhile.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

T = TypeVar("T")
R = TypeVar("R")


def start_method() -> str:
    """`fork` where it is offered, safe and not macOS; else `spawn` (see the module's doc)."""
    import multiprocessing

    forks = "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"
    return "fork" if forks and threading.active_count() == 1 else "spawn"


def map_in_order(
    work: Callable[[T], R],
    items: Sequence[T],
    jobs: int,
    *,
    first: int = 0,
    context: BaseContext | None = None,
) -> Iterator[R]:
    """`map(work, items)` spread over `jobs` worker processes, started as `context` says
    (by default as `start_method` says).

    `items[first]` is done here before any worker starts, so that what it loads (modules,
    caches) is loaded once, and forked workers inherit it. Results come in item order, and an
    error is the first failing item's, however the items were shared out. Closing the iterator
    (or an error) cancels the items not yet started and waits for the workers to end.
    """
    jobs = min(jobs, len(items))
    if jobs <= 1:
        yield from map(work, items)
        return
    # Imported here: a build with one lesson or less to share out (`--jobs 1`, an edit) starts
    # no pool, and importing the pool's modules costs 15-20 ms.
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing.reduction import ForkingPickler

    # The pool pickles `work` (for a build, its whole config) in a thread of its own, and a
    # failure there can leave `shutdown` waiting forever (seen on CPython 3.11 with a config
    # that held a mappingproxy): pickle it here first, where a failure is an error in order.
    ForkingPickler.dumps(work)
    here: Future[R] = Future()
    try:
        here.set_result(work(items[first]))
    except Exception as error:
        here.set_exception(error)
    # After a failing item, no item is needed: its error is raised once those before it are in.
    end = first + 1 if here.exception() is not None else len(items)
    pool = ProcessPoolExecutor(
        jobs,
        mp_context=context or multiprocessing.get_context(start_method()),
        initializer=_start_worker,
        initargs=(gc.get_threshold(),),
    )
    rest = [item for index, item in enumerate(items[:end]) if index != first]
    try:
        # In order, as `map` does; the pool's own items in chunks (see `_chunk_size`).
        theirs = pool.map(work, rest, chunksize=_chunk_size(len(rest), jobs))
        for index in range(end):
            try:
                yield here.result() if index == first else next(theirs)
            except BrokenProcessPool:
                raise RuntimeError(
                    f"a --jobs worker ended before sending item {index}'s result"
                ) from None
    finally:
        # Workers finish the item they are on (a lesson takes milliseconds) and end, before
        # the caller goes on to clean up: none is left to write a file after that.
        pool.shutdown(wait=True, cancel_futures=True)


def _chunk_size(items: int, jobs: int) -> int:
    """Items sent to a worker at a time: up to 4, while each worker still gets several turns
    (else one left with the last chunk keeps the others waiting).

    Each turn costs both processes a round trip, and the worker a fresh copy of `work` (for a
    build, its whole config): chunks of 4 cut the CPU time of a `--jobs 2` build of the corpus
    by a tenth (medians of 4 on a loaded machine: 3.18 s one at a time, 2.84 s in chunks; the
    hand-made pool before this one, 2.79 s). If an item fails, the results of those before it
    in its chunk are lost: the error is raised all the same, in its turn.
    """
    return max(1, min(4, items // (4 * jobs)))


def _start_worker(gc_threshold: tuple[int, ...]) -> None:
    """Set up a worker process before its first item."""
    # Collect garbage at this process's pace, whatever the start method.
    gc.set_threshold(*gc_threshold)
    # Ctrl-C reaches every process of the terminal: the build stops, and it ends its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()


def _end_with(parent_sentinel: int) -> None:
    """End this worker as soon as the process that started it is gone (killed, say): no one
    is left to want its results, and it would otherwise wait for work forever."""
    from multiprocessing.connection import wait

    wait([parent_sentinel])
    os._exit(1)
