"""Child processes of a build: Python functions (Child) that do not outlive the build, and programs (Program)."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from .errors import GpkgError


def exit_with_parent(parent: int) -> None:
    """Pool initializer (initargs: the pid of the process creating the pool): the worker exits as soon as that process
    is gone, so a killed build leaves no workers behind, even one killed while a spawned worker was still starting."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class Child:
    """`function(*args)` run in a child process named `name` (seen in ps and top; Linux): "fork" shares this process's
    memory as it is now, "spawn" starts a fresh interpreter. No thread is started here, so this process can still
    fork safely afterwards. `result()` waits for its return value or raises its exception. The child exits if this
    process dies."""

    def __init__(self, name: str, function, *args, start: str = "fork"):
        context = multiprocessing.get_context(start)
        self._answer, sender = context.Pipe(duplex=False)
        self._outcome = None
        self._process = context.Process(target=_run_child, args=(sender, os.getpid(), name, function, args),
                                        daemon=True)
        self._process.start()
        sender.close()

    def done(self) -> bool:
        return self._outcome is not None or self._answer.poll()

    def result(self):
        if self._outcome is None:
            try:
                self._outcome = self._answer.recv()
            except EOFError:
                self._process.join()
                raise GpkgError(f"a build process ended without an answer (exit code {self._process.exitcode})") \
                    from None
            self._process.join()
        kind, value = self._outcome
        if kind == "error":
            raise value
        return value

    def cancel(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


def _run_child(sender, parent: int, name: str, function, args) -> None:
    exit_with_parent(parent)
    try:
        with open("/proc/self/comm", "w", encoding="utf-8") as comm:
            comm.write(name[:15])
    except OSError:
        pass  # not Linux: the child keeps its parent's name
    try:
        sender.send(("ok", function(*args)))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        sender.send(("error", exc))


def single_threaded() -> bool:
    """Whether this process has one thread (so a forked child cannot inherit a lock or a pool whose threads are gone,
    such as RocksDB's once any store was opened here). False where it cannot be told (no /proc)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


class Program:
    """A command started at once in its own process, its output going to files (so it never waits for this process
    to read it). `wait()` gives its exit code, output, error output and the seconds from its start to its last
    output (to its files or to `output`)."""

    def __init__(self, command: list[str], output: Path | None = None):
        self._files = [tempfile.TemporaryFile("w+", encoding="utf-8") for _ in range(2)]
        self._output = output
        self._started = time.time()
        self._process = subprocess.Popen(command, stdout=self._files[0], stderr=self._files[1], text=True)

    def wait(self) -> tuple[int, str, str, float]:
        code = self._process.wait()
        ended = [os.fstat(f.fileno()).st_mtime for f in self._files]
        if self._output is not None and self._output.is_file():
            ended.append(self._output.stat().st_mtime)
        texts = []
        for f in self._files:
            f.seek(0)
            texts.append(f.read())
            f.close()
        return code, texts[0], texts[1], max(0.0, max(ended) - self._started)

    def cancel(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for f in self._files:
            f.close()
