"""`gpkg load --to URL`: copy a build into a remote store in bulk.

Every quad of the store (the named graph of each file, the inferred graph, and the default graph, which a build
fills with their union) travels as N-Quads to the store's dataset endpoint (Graph Store Protocol on the whole
dataset, as Oxigraph's `/store` implements it). Request bodies are streamed, serialised `CHUNK` quads at a time, so
the client never holds a request in memory.

Blank nodes: a blank node label only names the same node within one document, i.e. one request (Oxigraph, like the
N-Quads specification, gives each request's labels fresh nodes). So the quads without blank nodes go in batches of
`batch` quads, which can be cut anywhere, and every quad with a blank node goes in one last request, whatever its
size (spooled to a temporary file while the others are sent: the store is read once). 10 million quads at the
default batch are about 20 requests.

Replacing: the first request is a PUT, which replaces the target's whole dataset (so also graphs of files deleted
since); every further request is a POST, which adds. After a load the target holds exactly the build. Each request
is one transaction on Oxigraph (unless the URL asks for its bulk loader with `?no_transaction`), but the load as a
whole is not: until the last request the target holds part of the build. A failed load raises GpkgError saying how
far it got, and should be run again; it starts over with the PUT. To switch without a gap, load into a fresh store,
then point `gpkg serve --endpoint` at it.
"""

from __future__ import annotations

import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from itertools import chain, islice
from typing import BinaryIO, Iterable, Iterator

from pyoxigraph import BlankNode, Quad, RdfFormat, Triple, serialize

from .errors import GpkgError
from .store.embedded import EmbeddedStore

BATCH = 500_000  # quads per request, for those without blank nodes
CHUNK = 50_000  # quads serialised at a time while a request body is streamed
N_QUADS = "application/n-quads"


@dataclass(frozen=True)
class Request:
    """One request of a load, once the target has stored it."""
    number: int
    method: str
    quads: int
    bytes: int
    seconds: float
    blank_nodes: bool  # the (last) request holding every quad with a blank node


def has_blank_node(quad: Quad) -> bool:
    """True if the quad names a blank node (a quoted triple counts: it may hold one)."""
    return any(isinstance(term, (BlankNode, Triple)) for term in (quad.subject, quad.object, quad.graph_name))


def plan(store: EmbeddedStore, spool: BinaryIO, batch: int = BATCH
         ) -> Iterator[tuple[str, Iterable[bytes], bool]]:
    """(method, N-Quads body chunks, with blank nodes) per request, reading the store once: POSTs of at most `batch`
    quads without blank nodes, the first a PUT, then one request with every quad with a blank node, written to
    `spool` meanwhile (a PUT if it is the only request: even an empty one replaces the dataset). Each body must be
    used up before the next item is asked for."""
    held: list[Quad] = []

    def keep(quads: list[Quad]) -> None:
        spool.write(serialize(quads, format=RdfFormat.N_QUADS))
        quads.clear()

    def others() -> Iterator[Quad]:
        for quad in store.oxigraph.quads_for_pattern(None, None, None, None):
            if has_blank_node(quad):
                held.append(quad)
                if len(held) >= CHUNK:
                    keep(held)
            else:
                yield quad

    rest, method = others(), "PUT"
    while (first := next(rest, None)) is not None:
        yield method, _serialised(chain([first], islice(rest, batch - 1))), False
        method = "POST"
    keep(held)
    if spool.tell() or method == "PUT":
        spool.seek(0)
        yield method, iter(lambda: spool.read(1 << 20), b""), True


def _serialised(quads: Iterator[Quad]) -> Iterator[bytes]:
    while chunk := list(islice(quads, CHUNK)):
        yield serialize(chunk, format=RdfFormat.N_QUADS)


class _Body:
    """A request body streamed as N-Quads (chunked transfer), counting what it sent."""

    def __init__(self, chunks: Iterable[bytes]):
        self._chunks = chunks
        self.quads = self.bytes = 0

    def __iter__(self) -> Iterator[bytes]:
        for data in self._chunks:
            self.quads += data.count(b"\n")  # one quad a line: N-Quads escapes line breaks in literals
            self.bytes += len(data)
            yield data


def push(store: EmbeddedStore, target: str, batch: int = BATCH, timeout: float = 600.0) -> Iterator[Request]:
    """Replace the target dataset with the store's quads; yield each request once the target has stored it."""
    if batch <= 0:
        raise ValueError("batch must be positive")
    stored = 0
    with tempfile.TemporaryFile(prefix="gpkg-load-") as spool:
        for number, (method, chunks, blank) in enumerate(plan(store, spool, batch), start=1):
            body = _Body(chunks)
            request = urllib.request.Request(target, data=body, method=method, headers={"Content-Type": N_QUADS})
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    response.read()
            except (urllib.error.HTTPError, OSError) as exc:
                why = f"HTTP {exc.code} {exc.read()[:300]!r}" if isinstance(exc, urllib.error.HTTPError) else str(exc)
                raise GpkgError(f"{target}: request {number} ({method}) failed after sending {body.quads} quads: "
                                f"{why}; {stored} quads were stored before it — run the load again") from exc
            stored += body.quads
            yield Request(number, method, body.quads, body.bytes, time.perf_counter() - started, blank)
