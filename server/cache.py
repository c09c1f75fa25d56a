"""Answers to identical GET queries, kept in memory; the key includes the build, so a new build invalidates them.
Identical queries asked while the first is still running wait for its answer (or its error) instead of running again:
with several clients asking the same slow question, one worker runs it once."""

from __future__ import annotations

import threading
from collections import OrderedDict


class ResultCache:
    def __init__(self, max_entries: int = 512, max_bytes: int = 64 * 1024 * 1024):
        self._entries: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.hits = self.misses = 0
        self._running: dict = {}  # key -> _Flight of the request computing it

    def answer(self, key, compute, size_of, wait: float):
        """The cached answer for `key`, else `compute()` run once for all requests asking meanwhile (they wait at
        most `wait` seconds for it, then compute it themselves); a failure is raised to every waiting request."""
        with self._lock:
            if (entry := self._entries.get(key)) is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[0]
            flight = self._running.get(key)
            leader = flight is None
            if leader:
                flight = self._running[key] = _Flight()
                self.misses += 1
            else:
                self.hits += 1
        if not leader:
            if not flight.done.wait(wait):
                return compute()
            if flight.error is not None:
                raise flight.error
            return flight.value
        try:
            flight.value = compute()
            self.put(key, flight.value, size_of(flight.value))
            return flight.value
        except Exception as exc:
            flight.error = exc
            raise
        finally:
            with self._lock:
                del self._running[key]
            flight.done.set()

    def put(self, key, value, size: int) -> None:
        if size > self.max_bytes or self.max_entries == 0:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (value, size)
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, old_size) = self._entries.popitem(last=False)
                self._bytes -= old_size

    def __len__(self) -> int:
        return len(self._entries)


class _Flight:
    def __init__(self):
        self.done = threading.Event()
        self.value = self.error = None
