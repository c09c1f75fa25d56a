"""The build's on-disk store: every file in its named graph, the inferred graph, and their union (an RDF merge) as
the default graph.

A first build writes the files' graphs in a spawned process (while the build reasons and writes the dumps), then adds
the inferred graph. A rebuild starts from a checkpoint of the current build's store (RocksDB hard
links: the published store is only read) and rewrites just the graphs whose content changed, then the default-graph
triples they added or were the last to state. Blank nodes keep their labels while a file is unchanged
(loading.stable_blank_nodes), so unchanged graphs are already right; tests/test_build.py checks that the result
equals a cold build's store, quad for quad.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, Store

from .errors import GpkgError
from .loading import parse_file
from .namespaces import INFERRED_GRAPH


def write_files(target: Path, files: list[tuple[str, Path, str]]) -> None:
    """A new store with each file's triples in its named graph and all of them in the default graph, for files given
    as (graph IRI, path, sha256 of the file when the build started). Runs in a spawned process (a forked one would
    inherit RocksDB's background threads as dead copies and hang), beside the build's own parse, so it parses the
    files itself, one at a time, and fails if one changed meanwhile. From the quads, not from the dumps: Oxigraph's
    loader would give blank nodes new labels."""
    def quads():
        for iri, path, sha256 in files:
            parsed = parse_file(path)
            if parsed.sha256 != sha256:
                raise GpkgError(f"{path} changed during the build; build again")
            graph = NamedNode(iri)
            for t in parsed.triples:
                yield Quad(t.subject, t.predicate, t.object, graph)
                yield t  # in the default graph already

    store = Store(str(target))
    store.bulk_extend(quads())
    store.flush()


def add_inferred(target: Path, memory: Store) -> int:
    """Add the inferred graph of `memory` to the store `write_files` made; returns the graphs the store holds."""
    store = Store(str(target))
    inferred = list(memory.quads_for_pattern(None, None, None, NamedNode(INFERRED_GRAPH)))
    store.bulk_extend(inferred)
    store.bulk_extend(Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in inferred)
    store.flush()
    return len(list(memory.named_graphs()))


def update_store(target: Path, memory: Store, base: Path, changed: set[NamedNode]) -> int:
    """Update a checkpoint of `base` (the current build's store, whose graphs other than `changed` hold what `memory`
    holds) into `target`; returns the graphs written."""
    Store.read_only(str(base)).backup(str(target))
    store = Store(str(target))
    dropped: set = set()
    for graph in changed:
        old = set(store.quads_for_pattern(None, None, None, graph))
        new = set(memory.quads_for_pattern(None, None, None, graph))
        if old - new:
            store.remove_graph(graph)  # then written again whole: simpler than quad removals, as fast
            dropped.update((q.subject, q.predicate, q.object) for q in old - new)
            store.extend(new)
        else:
            store.extend(new - old)
        store.extend(Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in new - old)
    for s, p, o in dropped:
        if next(memory.quads_for_pattern(s, p, o, None), None) is None:  # no graph states it any more
            store.remove(Quad(s, p, o, DefaultGraph()))
    store.flush()
    return len(changed)
