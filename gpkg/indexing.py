"""The build's on-disk store: every file in its named graph, the inferred graph, and their union (an RDF merge) as
the default graph.

A first build bulk-loads the dumps. A rebuild starts from a checkpoint of the current build's store (RocksDB hard
links: the published store is only read) and rewrites just the graphs whose content changed, then the default-graph
triples they added or were the last to state. Blank nodes keep their labels while a file is unchanged
(loading.stable_blank_nodes), so unchanged graphs are already right; tests/test_build.py checks that the result
equals a cold build's store, quad for quad.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, Store


def write_store(target: Path, memory: Store, base: Path | None = None, changed: set[NamedNode] = frozenset()) -> int:
    """Write the store for `memory` (named graphs only) into `target`; with `base` (the current build's store, whose
    graphs other than `changed` hold what `memory` holds), update a checkpoint of it. Returns the graphs written."""
    if base is None:
        store = Store(str(target))  # from the quads, not the dumps: loading a file would relabel blank nodes
        store.bulk_extend(memory)
        store.bulk_extend(Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in memory)
        store.flush()
        return len(list(memory.named_graphs()))
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
