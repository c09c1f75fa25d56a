"""The embedded store: pyoxigraph on disk (or in memory for tests)."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode, Store as OxStore

from . import QueryError, Result


class EmbeddedStore:
    def __init__(self, store: OxStore, description: str):
        self._store = store
        self.description = description

    @classmethod
    def open_read_only(cls, path: str | Path) -> "EmbeddedStore":
        path = Path(path)
        if not path.is_dir():
            raise FileNotFoundError(f"no store at {path}")
        return cls(OxStore.read_only(str(path)), f"embedded store at {path}")

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
        try:
            return self._store.query(sparql, **options)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc

    def triple_count(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(result))["n"].value)
