"""Shared by the benchmarks: loopback servers started and stopped by id, the memory of their process trees, and
concurrent HTTP clients running a request mix for a fixed time.

Only for scripts in benchmarks/ (they import it as `load_clients`, their own folder being first on sys.path).
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

PAGE = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- memory of a process tree, from /proc


def process_children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (pages shared between them are counted in each)."""
    tree, total, todo = process_children(), 0, [pid]
    while todo:
        p = todo.pop()
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        todo.extend(tree.get(p, ()))
    return total


class RssSampler:
    """Samples the summed RSS of some process trees every `interval` seconds in a background thread."""

    def __init__(self, *pids: int, interval: float = 0.5):
        self.pids, self.interval = list(pids), interval
        self.samples: list[tuple[float, int]] = []  # (seconds since start, bytes)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._t0 = time.monotonic()

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                return

    def sample(self) -> int:
        rss = sum(tree_rss(p) for p in self.pids)
        self.samples.append((time.monotonic() - self._t0, rss))
        return rss

    def start(self) -> "RssSampler":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak(self) -> int:
        return max((rss for _, rss in self.samples), default=0)


# ---------------------------------------------------------------- servers


class Server:
    """A server subprocess in its own process group (stopped as a group, by its id), stderr kept in a file."""

    def __init__(self, name: str, command: list[str], env: dict | None = None):
        self.name = name
        self.log = tempfile.NamedTemporaryFile(prefix="bench-server-", suffix=".log", delete=False)
        self.started = time.monotonic()
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=self.log,
                                        start_new_session=True)
        self.rss = RssSampler(self.process.pid).start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, chars: int = 2000) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-chars:]

    def wait_ready(self, url: str, timeout: float = 120) -> float:
        """Wait until `url` answers (any status); return seconds since start. Raises RuntimeError otherwise."""
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with code {self.process.returncode}: {self.log_tail()}")
            try:
                requests.get(url, timeout=5)
                return time.monotonic() - self.started
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer {url} within {timeout:g} s")

    def stop(self) -> None:
        self.rss.stop()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the group this object started, by its id
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(15)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# ---------------------------------------------------------------- clients


@dataclass(frozen=True)
class Call:
    """One request of a mix: GET with `params`, or POST with `data` (a form dict or raw bytes)."""
    label: str
    params: dict | None = None
    data: dict | bytes | None = None
    headers: dict = field(default_factory=dict)
    expect: frozenset = frozenset({200})


def query_calls(queries: list[str], accept: str = "application/sparql-results+json") -> list[Call]:
    """The saved-query mix as the benchmarks send it: GET, one Accept type."""
    return [Call(f"query {i}", params={"query": q}, headers={"Accept": accept}) for i, q in enumerate(queries)]


@dataclass
class MixResult:
    latencies: list[float]  # seconds, every request that got an answer or failed
    statuses: Counter  # status code, or "timeout" / "connection" for requests without an answer
    unexpected: Counter  # label -> answers with a status outside the call's `expect` (not 5xx)
    ok: int  # answers with an expected status
    wall: float

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        """5xx answers, timeouts and connection errors."""
        return sum(n for s, n in self.statuses.items() if not isinstance(s, int) or s >= 500)

    @property
    def ok_rps(self) -> float:
        return self.ok / self.wall if self.wall else 0.0

    def percentile_ms(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def median_ms(self) -> float:
        return 1000 * statistics.median(self.latencies) if self.latencies else float("nan")


def run_mix(url: str, calls: list[Call], clients: int, seconds: float, timeout: float = 60.0) -> MixResult:
    """`clients` threads, each cycling through `calls` from its own offset, starting requests for `seconds`;
    requests under way at the end are waited for (at most `timeout`). Nothing raised by a request stops a client."""
    latencies: list[float] = []
    statuses: Counter = Counter()
    unexpected: Counter = Counter()
    ok = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        nonlocal ok
        session = requests.Session()
        i = n
        while time.monotonic() < stop_at:
            call = calls[i % len(calls)]
            i += 1
            started = time.perf_counter()
            try:
                if call.data is None:
                    response = session.get(url, params=call.params, headers=call.headers, timeout=timeout)
                else:
                    response = session.post(url, params=call.params, data=call.data, headers=call.headers,
                                            timeout=timeout)
                status: int | str = response.status_code
            except requests.Timeout:
                status = "timeout"
            except requests.RequestException:
                status = "connection"
                session = requests.Session()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1
                if status in call.expect:
                    ok += 1
                elif isinstance(status, int) and status < 500:
                    unexpected[call.label] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return MixResult(latencies, statuses, unexpected, ok, time.monotonic() - started)
