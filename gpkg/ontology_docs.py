"""The ontology's documentation page (dumps/ontology.html), generated from the ontology itself by pyLODE in its own
process while the build goes on, and kept in the cache by the ontology's hash (pyLODE takes a few seconds)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

from .errors import GpkgError
from .processes import Program


class OntologyDocs:
    """Started at once; `wait()` writes the page to `out` and gives the seconds pyLODE ran (0 if it was cached)."""

    def __init__(self, ontology: Path, out: Path, cache: Path):
        self._ontology, self._out = ontology, out
        self._cached = cache / f"ontology-{hashlib.sha256(ontology.read_bytes()).hexdigest()}.html"
        self._tmp = self._cached.with_name(f".{os.getpid()}-{self._cached.name}")
        self._program = None
        if not self._cached.is_file():
            cache.mkdir(parents=True, exist_ok=True)
            self._program = Program([sys.executable, "-m", "pylode", str(ontology), "-o", str(self._tmp)], self._tmp)

    def wait(self) -> float:
        seconds = 0.0
        if self._program is not None:
            code, out, err, seconds = self._program.wait()
            if code != 0 or not self._tmp.is_file():
                raise GpkgError(f"pyLODE could not document {self._ontology}: {(err or out).strip()[-500:]}")
            os.replace(self._tmp, self._cached)
            for old in self._cached.parent.glob("ontology-*.html"):
                if old != self._cached:
                    old.unlink(missing_ok=True)
        shutil.copyfile(self._cached, self._out)
        return seconds

    def cancel(self) -> None:
        if self._program is not None:
            self._program.cancel()
            self._tmp.unlink(missing_ok=True)
