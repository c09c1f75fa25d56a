"""Answers to identical GET queries, kept in memory; the key includes the build, so a new build invalidates them."""

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

    def get(self, key):
        with self._lock:
            value = self._entries.get(key)
            if value is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return value[0]

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
