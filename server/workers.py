"""Query workers: each query runs in a separate process, so a runaway query can really be stopped.

A pool of worker processes each opens the store (the current build, read-only, or a remote endpoint) and runs one
query at a time, serialising the result itself. With memory "auto" (the default) each worker of an embedded store
also copies the default graph into memory if the copies of all workers fit in half the memory available ("on":
always, "off": never); see gpkg.store.embedded. A request waits at most the query timeout for a free worker, then
at most the query timeout for the answer (time in the queue is not taken from the query's own); then the worker
is killed (its work ends with it), a replacement is started in the background, and the client gets 503. When a new
build becomes current, workers of the old build are replaced as they are next used, so requests keep being answered.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from gpkg.store import is_remote

log = logging.getLogger("gpkg.server")
_context = multiprocessing.get_context("spawn")
START_TIMEOUT = 900  # seconds a worker may take to open its store (an in-memory copy of 10M triples: about 80 s)


@dataclass(frozen=True)
class Job:
    query: str
    media_type: str
    limit: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


class QueryTimeout(Exception):
    pass


class WorkersBusy(Exception):
    pass


class StoreUnavailable(Exception):
    pass


class BadQuery(Exception):
    pass


def _worker_main(conn, location: str, in_memory: bool) -> None:  # runs in the child process
    from gpkg.prefixes import PREFIXES
    from gpkg.store import QueryError, open_store

    from .results import serialize_result

    try:
        store = open_store(location, in_memory)
    except Exception as exc:  # reported to the parent, which answers 503
        conn.send(("fatal", f"cannot open {location}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        job = conn.recv()
        if job is None:
            return
        try:
            result = store.query(job.query, default_graphs=list(job.default_graphs) or None,
                                 named_graphs=list(job.named_graphs) or None)
            conn.send(("ok", serialize_result(result, job.media_type, job.limit, PREFIXES)))
        except QueryError as exc:
            conn.send(("bad-query", str(exc)))
        except (ConnectionError, OSError) as exc:
            conn.send(("unavailable", str(exc)))
        except Exception as exc:  # noqa: BLE001 - anything else is reported, never raised in the child
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class _Worker:
    """A worker process; `started()` waits until it has opened the store (so several can start in parallel)."""

    def __init__(self, location: str, generation: str, in_memory: bool):
        self.generation, self.location = generation, location
        self.conn, child = _context.Pipe()
        self.process = _context.Process(target=_worker_main, args=(child, location, in_memory), daemon=True)
        self.process.start()
        child.close()

    def started(self) -> "_Worker":
        if not self.conn.poll(START_TIMEOUT):
            self.kill()
            raise StoreUnavailable(f"worker for {self.location} did not start")
        kind, message = self.conn.recv()
        if kind != "ready":
            self.process.join(5)
            raise StoreUnavailable(message)
        return self

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """`locate()` returns (generation, location): the current build (or the remote endpoint) to query."""

    def __init__(self, locate: Callable[[], tuple[str, str]], size: int, memory: str = "auto"):
        self._locate = locate
        self._size = size
        self._memory = memory
        self._decided: dict[str, bool] = {}
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self.restarts = 0
        generation, location = locate()
        self._starting = [self._worker(location, generation) for _ in range(size)]  # they start together

    def wait_started(self) -> None:
        """Wait until the first workers have opened the store (the app sets itself up meanwhile)."""
        while self._starting:
            self._idle.put(self._starting.pop().started())

    def _worker(self, location: str, generation: str) -> _Worker:
        return _Worker(location, generation, self.in_memory(location))

    def in_memory(self, location: str) -> bool:
        """Whether workers on `location` keep its default graph in memory (decided once per location, before its
        workers take memory: a replacement worker does as the others did)."""
        if location not in self._decided:
            self._decided[location] = self._fits_in_memory(location)
        return self._decided[location]

    def _fits_in_memory(self, location: str) -> bool:
        if self._memory == "off" or is_remote(location):
            return False
        if self._memory == "on":
            return True
        from gpkg.store.embedded import memory_estimate

        try:
            return memory_estimate(Path(location)) * self._size <= available_memory() // 2
        except OSError:
            return False

    def run(self, job: Job, timeout: float) -> "object":
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise WorkersBusy("all query workers are busy; try again shortly") from None
        generation, location = self._locate()
        if worker.generation != generation:  # a new build is current: serve it from a fresh worker
            worker.kill()
            worker = self._worker(location, generation).started()
        try:
            worker.conn.send(job)
            if not worker.conn.poll(timeout):
                raise QueryTimeout(f"the query did not finish within {timeout:g} s and was stopped")
            kind, payload = worker.conn.recv()
        except QueryTimeout:
            self._replace(worker)
            raise
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._replace(worker)
            raise StoreUnavailable(f"query worker failed: {exc}") from exc
        self._idle.put(worker)
        if kind == "ok":
            return payload
        if kind == "bad-query":
            raise BadQuery(payload)
        if kind == "unavailable":
            raise StoreUnavailable(payload)
        log.error("query failed in worker: %s", payload)
        raise RuntimeError(payload)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start another in the background, so the client is answered at once."""
        worker.kill()
        with self._lock:
            self.restarts += 1

        def start() -> None:
            while True:
                generation, location = self._locate()
                try:
                    self._idle.put(self._worker(location, generation).started())
                    return
                except StoreUnavailable as exc:
                    log.error("cannot start a query worker: %s", exc)
                    time.sleep(1)

        threading.Thread(target=start, daemon=True).start()

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return


def available_memory() -> int:
    """MemAvailable from /proc/meminfo, in bytes (0 if it does not say)."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    return 0
