"""`map` over forked processes, in order: how `--jobs` shares a build's lessons out.

This process works through the items too, and no thread of it hands work out or takes results
in: lessons are claimed from a pipe of indices by whichever process is free, and each worker
sends its results back through a pipe of its own, read between this process's own items.
(concurrent.futures' pool moves every item and result through threads of this process, whose
turns at the GIL cost a 2-process build of the corpus a tenth of its time.)
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pickle
import select
import signal
import struct
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_INDEX = struct.Struct("<I")  # one claim in the pipe of indices
_LENGTH = struct.Struct("<Q")  # the length of the message that follows it
_PIPE_CAPACITY = 1 << 16  # Linux's default: as much as one read can find waiting


def map_in_order(
    work: Callable[[T], R], items: Sequence[T], jobs: int, *, first: int = 0
) -> Iterator[R]:
    """`map(work, items)` spread over `jobs` processes: this one and `jobs - 1` forked ones.

    `items[first]` is done here before any worker starts, so that what it loads (modules,
    caches) is loaded once and inherited. Results come in item order, and an error is the
    first failing item's, however the items were shared out: once one is known, this process
    starts no more items, and the workers are ended when it is raised.
    """
    jobs = min(jobs, len(items))
    if jobs <= 1:
        yield from map(work, items)
        return
    results: dict[int, _Outcome[R]] = {first: _Outcome.of(work, items[first])}
    claims_out, claims_in = os.pipe()
    claims = os.fdopen(claims_out, "rb", buffering=0)
    workers: list[_Worker] = []
    # Started once no more processes are forked (a fork copies only the thread that calls it):
    # a pipe holds 16,384 claims, and a bigger course's wait for room to be made.
    hand_out = threading.Thread(
        target=_hand_out,
        args=(claims_in, [index for index in range(len(items)) if index != first]),
        daemon=True,
    )
    try:
        for _ in range(jobs - 1):
            workers.append(_Worker.fork(work, items, claims_out, claims_in, workers))
        hand_out.start()
        done = 0
        while not _failed(results) and (claim := claims.read(_INDEX.size)):
            (index,) = _INDEX.unpack(claim)
            results[index] = _Outcome.of(work, items[index])
            _collect(workers, results, wait=False)
            while done in results:
                yield results.pop(done).get()
                done += 1
        while done < len(items):
            if done in results:
                yield results.pop(done).get()
                done += 1
            elif any(worker.open for worker in workers):
                _collect(workers, results, wait=True)
            else:
                raise RuntimeError(f"a --jobs worker ended before sending item {done}'s result")
    finally:
        # Workers still at work (after an error) are killed; then no process reads the claims
        # and the hand-out, if still writing, ends.
        claims.close()
        for worker in workers:
            worker.stop()
        if hand_out.ident is None:  # never started: its end of the pipe is still to close
            os.close(claims_in)
        else:
            hand_out.join()


def _failed(results: dict[int, _Outcome[R]]) -> bool:
    """Whether an item not yet handed on failed: then this process starts no more."""
    return any(outcome.error is not None for outcome in results.values())


@dataclasses.dataclass(frozen=True)
class _Outcome(Generic[R]):
    """An item's result, or the error it raised, as `get` will give or raise it."""

    value: R | None = None
    error: BaseException | None = None
    # The traceback of an error raised in a worker, which pickling the error leaves behind.
    worker_traceback: str | None = None

    @classmethod
    def of(cls, work: Callable[[T], R], item: T) -> _Outcome[R]:
        try:
            return cls(work(item))
        except Exception as error:
            return cls(error=error)

    def get(self) -> R:
        if self.error is None:
            return self.value  # type: ignore[return-value]
        if self.worker_traceback is not None:
            # Shown as the error's cause, as concurrent.futures shows a worker's traceback.
            raise self.error from WorkerTraceback(self.worker_traceback)
        raise self.error


class WorkerTraceback(Exception):
    """Where in a worker process the error it caused was raised: the traceback, as text."""

    def __str__(self) -> str:
        return f"\n{self.args[0]}"


class _Worker:
    """A forked process that builds the items it claims, and this process's end of its pipe."""

    def __init__(self, pid: int, results: int) -> None:
        self.pid = pid
        self.results = results  # read end, non-blocking; -1 once the worker closed it
        self.received = bytearray()

    @classmethod
    def fork(
        cls,
        work: Callable[[T], R],
        items: Sequence[T],
        claims_out: int,
        claims_in: int,
        forked: list[_Worker],
    ) -> _Worker:
        results_out, results_in = os.pipe()
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                # Only this process's ends stay open, so that each pipe tells its reader when
                # its last writer is gone, and a worker whose build died ends at its next claim
                # or result.
                for fd in (results_out, claims_in, *(worker.results for worker in forked)):
                    os.close(fd)
                _serve(work, items, claims_out, results_in)
                status = 0
            finally:
                os._exit(status)  # never back into the build that forked it
        os.close(results_in)
        os.set_blocking(results_out, False)
        return cls(pid, results_out)

    @property
    def open(self) -> bool:
        return self.results >= 0

    def receive(self, results: dict[int, _Outcome[R]]) -> None:
        """Take in what the worker sent, up to its last whole message."""
        while True:
            try:
                chunk = os.read(self.results, _PIPE_CAPACITY)
            except BlockingIOError:
                break
            if not chunk:
                os.close(self.results)
                self.results = -1
                break
            self.received += chunk
        while len(self.received) >= _LENGTH.size:
            (length,) = _LENGTH.unpack_from(self.received)
            end = _LENGTH.size + length
            if len(self.received) < end:
                break
            index, outcome = pickle.loads(self.received[_LENGTH.size : end])
            del self.received[:end]
            results[index] = outcome

    def stop(self) -> None:
        """Close its pipe, and end and reap it: once all it sent is in, it has nothing to do."""
        if self.open:
            os.close(self.results)
            self.results = -1
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)


def _collect(workers: list[_Worker], results: dict[int, _Outcome[R]], wait: bool) -> None:
    """Take in the results the workers sent; with `wait`, wait until one sends something."""
    readable = [worker.results for worker in workers if worker.open]
    ready = set(select.select(readable, [], [], None if wait else 0)[0]) if readable else ()
    for worker in workers:
        if worker.results in ready:
            worker.receive(results)


def _serve(work: Callable[[T], R], items: Sequence[T], claims_out: int, results_in: int) -> None:
    """A worker's life: claim an index, build its item, send the outcome; until no index is
    left, or its own item failed."""
    with os.fdopen(claims_out, "rb", buffering=0) as claims, os.fdopen(results_in, "wb") as out:
        while claim := claims.read(_INDEX.size):
            (index,) = _INDEX.unpack(claim)
            outcome = _Outcome.of(work, items[index])
            if outcome.error is not None:
                import traceback  # an error's own cost: the build is about to stop

                text = "".join(traceback.format_exception(outcome.error))
                outcome = dataclasses.replace(outcome, worker_traceback=text)
            try:
                message = pickle.dumps((index, outcome), pickle.HIGHEST_PROTOCOL)
            except Exception as error:  # an unpicklable result or error: a bug, reported
                unsent = RuntimeError(f"a --jobs worker could not send item {index}: {error!r}")
                message = pickle.dumps((index, _Outcome(error=unsent)), pickle.HIGHEST_PROTOCOL)
            out.write(_LENGTH.pack(len(message)) + message)
            out.flush()
            if outcome.error is not None:
                return


def _hand_out(claims_in: int, indices: list[int]) -> None:
    """Write every index to the pipe of claims, then close it: once the claims are all taken,
    the processes reading it get to its end."""
    data = b"".join(_INDEX.pack(index) for index in indices)
    # Writes of at most PIPE_BUF bytes are atomic, so a reader never gets part of an index.
    step = select.PIPE_BUF - select.PIPE_BUF % _INDEX.size
    try:
        for start in range(0, len(data), step):
            os.write(claims_in, data[start : start + step])
    except BrokenPipeError:  # every process that could claim is gone
        pass
    finally:
        os.close(claims_in)
