"""The embedded store: pyoxigraph on disk (or in memory for tests).

A read-only store can also keep a copy of its default graph in memory: queries that read only the default graph (no
GRAPH, FROM or FROM NAMED, no dataset chosen by the request) are answered from it, measured 7-10x faster than from
disk on the saved queries at 1M triples; the others are answered from disk. The copy is read from the build's
N-Triples dump of the default graph (dumps/gpkg.nt next to the store) when there is one, else from the store.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, RdfFormat, Store as OxStore, parse

from ..sparql_text import reads_named_graphs
from . import QueryError, Result

MEMORY_PER_DUMP_BYTE = 3  # resident bytes of the in-memory copy per byte of N-Triples (measured 2.6 at 1M triples)


class EmbeddedStore:
    def __init__(self, store: OxStore, description: str, memory: OxStore | None = None):
        self._store = store
        self._memory = memory
        self.description = description

    @classmethod
    def open_read_only(cls, path: str | Path, in_memory: bool = False) -> "EmbeddedStore":
        path = Path(path)
        if not path.is_dir():
            raise FileNotFoundError(f"no store at {path}")
        store = OxStore.read_only(str(path))
        memory = None
        if in_memory:
            memory = OxStore()
            dump = default_graph_dump(path)
            memory.bulk_extend(parse(path=str(dump), format=RdfFormat.N_TRIPLES, lenient=True) if dump else
                               store.quads_for_pattern(None, None, None, DefaultGraph()))  # blank-node labels kept
        return cls(store, f"embedded store at {path}{' (default graph in memory)' if in_memory else ''}", memory)

    @classmethod
    def create(cls, path: str | Path) -> "EmbeddedStore":
        return cls(OxStore(str(path)), f"embedded store at {path}")

    @property
    def oxigraph(self) -> OxStore:
        return self._store

    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None) -> Result:
        options = {}
        try:
            default_nodes = [NamedNode(g) for g in default_graphs or ()]
            named_nodes = [NamedNode(g) for g in named_graphs or ()]
        except ValueError as exc:
            raise QueryError(f"invalid graph IRI: {exc}") from exc
        if default_graphs:  # otherwise the store's default graph: the union of its named graphs, written by the build
            options["default_graph"] = default_nodes
        if named_graphs:
            options["named_graphs"] = named_nodes
        store = self._store if options or self._memory is None or reads_named_graphs(sparql) else self._memory
        try:
            return store.query(sparql, **options)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc

    def triple_count(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(result))["n"].value)


def default_graph_dump(store: Path) -> Path | None:
    """The build's N-Triples dump of the store's default graph, if the store is a build's."""
    dump = store.parent / "dumps" / "gpkg.nt"
    return dump if store.name == "store" and dump.is_file() else None


def memory_estimate(store: Path) -> int:
    """Bytes an in-memory copy of the default graph would take (from the dump's size, else the store's)."""
    dump = default_graph_dump(store)
    if dump:
        return MEMORY_PER_DUMP_BYTE * dump.stat().st_size
    return sum(f.stat().st_size for f in store.iterdir() if f.is_file())
