"""Worker processes that do not outlive the process that started them."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

from .errors import GpkgError


def exit_with_parent(parent: int) -> None:
    """Pool initializer (initargs: the pid of the process creating the pool): the worker exits as soon as that process
    is gone, so a killed build leaves no workers behind, even one killed while a spawned worker was still starting."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class Spawned:
    """`function(*args)` run in a spawned process (no thread is started here, so this process can still fork safely);
    `result()` waits for its return value or raises its exception. The child exits if this process dies."""

    def __init__(self, function, *args):
        context = multiprocessing.get_context("spawn")
        self._answer, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_spawned, args=(sender, os.getpid(), function, args), daemon=True)
        self._process.start()
        sender.close()

    def result(self):
        try:
            kind, value = self._answer.recv()
        except EOFError:
            self._process.join()
            raise GpkgError(f"a build process ended without an answer (exit code {self._process.exitcode})") from None
        self._process.join()
        if kind == "error":
            raise value
        return value

    def cancel(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


def _run_spawned(sender, parent: int, function, args) -> None:
    exit_with_parent(parent)
    try:
        sender.send(("ok", function(*args)))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        sender.send(("error", exc))
