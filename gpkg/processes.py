"""Worker processes that do not outlive the process that started them."""

from __future__ import annotations

import os
import threading
import time


def exit_with_parent(parent: int) -> None:
    """Pool initializer (initargs: the pid of the process creating the pool): the worker exits as soon as that process
    is gone, so a killed build leaves no workers behind, even one killed while a spawned worker was still starting."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
