"""One store interface for the CLI and the server: the embedded pyoxigraph store or a remote SPARQL 1.1 endpoint.

Both answer `query(sparql)` with pyoxigraph objects (QuerySolutions, QueryBoolean, or an iterable of Triples for
CONSTRUCT/DESCRIBE), so callers iterate and serialize results the same way whichever store answers. The default graph is the union of all graphs.
"""

from __future__ import annotations

from typing import Iterable, Protocol

from pyoxigraph import QueryBoolean, QuerySolutions, Triple

Result = QuerySolutions | QueryBoolean | Iterable[Triple]


class Store(Protocol):
    description: str

    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None) -> Result:
        """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query. Raises QueryError for a malformed query."""

    def triple_count(self) -> int:
        """Number of triples in the union of all graphs."""


class QueryError(ValueError):
    """A malformed query or a query the store refused; the message says why (and where)."""


def is_remote(location: str) -> bool:
    """Whether a store location is a remote endpoint's URL (else an embedded store directory)."""
    return location.startswith(("http://", "https://"))


def open_store(location: str, in_memory: bool = False) -> Store:
    """A remote endpoint for an http(s) URL, otherwise an embedded store directory opened read-only (`in_memory`:
    with its default graph copied into memory)."""
    if is_remote(location):
        from .remote import RemoteStore

        return RemoteStore(location)
    from .embedded import EmbeddedStore

    return EmbeddedStore.open_read_only(location, in_memory)
