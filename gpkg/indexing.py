"""The build's store and its N-Quads dump: every file in its named graph, the inferred graph, and (in the store)
their union, an RDF merge, as the default graph.

A child process writes them (StoreWriter) while the build reasons and writes the other dumps. A first build's store is
bulk-loaded. A rebuild starts from a checkpoint of the current build's store (RocksDB hard links: the published store
is only read) and rewrites just the graphs whose content changed, then the default-graph triples they added or were
the last to state. Blank nodes keep their labels while a file is unchanged (loading.stable_blank_nodes), so unchanged
graphs are already right; tests/test_build.py checks that the result equals a cold build's store, quad for quad.
"""

from __future__ import annotations

import time
from multiprocessing import Pipe
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, parse, serialize

from .loading import ParsedFile, parse_unchanged
from .namespaces import INFERRED_GRAPH
from .processes import Child


class StoreWriter:
    """Writes the store in `target` (updating `base`, (current store, graphs that changed), if given) and the N-Quads
    dump `nq` in a child process, for `files` given as (graph IRI, path, sha256 when the build started). With
    `parsed` (the files parsed, in that order) the child is forked and shares them; a process with more than one
    thread cannot fork safely (one that has opened a store runs RocksDB's threads, and a forked RocksDB hangs), so
    without `parsed` it is spawned and parses the files itself, failing if one changed since the build started."""

    def __init__(self, target: Path, nq: Path, base: tuple[Path, set[NamedNode]] | None,
                 files: list[tuple[str, Path, str]], parsed: list[ParsedFile] | None = None):
        self._inferred_path = target.parent / "inferred.nq"
        receiver, self._sender = Pipe(duplex=False)
        self._child = Child("gpkg store", _write, target, nq, base, files, parsed, receiver,
                            start="spawn" if parsed is None else "fork")

    def add_inferred(self, memory: Store) -> None:
        """Hand over the inferred graph of `memory` (as N-Quads, through a file: the writer may still be busy)."""
        serialize(memory.quads_for_pattern(None, None, None, NamedNode(INFERRED_GRAPH)), str(self._inferred_path),
                  format=RdfFormat.N_QUADS)
        self._sender.send(str(self._inferred_path))

    def result(self) -> tuple[int, float]:
        """Wait until the store and the dump are written; returns the graphs written and the writer's seconds."""
        return self._child.result()

    def cancel(self) -> None:
        self._child.cancel()


def _write(target: Path, nq: Path, base, files, parsed, inferred) -> tuple[int, float]:
    started = time.perf_counter()
    if parsed is None:
        parsed = [parse_unchanged(path, sha256) for _, path, sha256 in files]
    memory = Store()  # the named graphs in memory: the dump and an update come from it (7x faster than on disk)
    memory.bulk_extend(Quad(t.subject, t.predicate, t.object, graph) for (iri, _, _), pf in zip(files, parsed)
                       for graph in [NamedNode(iri)] for t in pf.triples)
    if base is None:
        store = Store(str(target))
        store.bulk_extend(memory)  # its quads: no second list of them (at 10M triples, memory is what runs out)
        store.bulk_extend(t for pf in parsed for t in pf.triples)  # in the default graph already
    path = Path(inferred.recv())
    quads = list(parse(path=str(path), format=RdfFormat.N_QUADS))  # parse() keeps blank-node labels
    path.unlink()
    memory.bulk_extend(quads)
    memory.dump(str(nq), format=RdfFormat.N_QUADS)
    if base is None:
        store.bulk_extend(quads)
        store.bulk_extend(Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in quads)
        store.flush()
        graphs = sum(1 for _ in memory.named_graphs())
    else:
        graphs = update_store(target, memory, *base)
    return graphs, time.perf_counter() - started


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
