"""Validation file by file, in parallel worker processes and with a cache, giving the report a whole-graph
validation gives (tests/test_filewise.py checks this on the real data and on every invalid fixture).

Each file is checked with its neighbourhood: what other files say about the nodes it mentions, HOPS steps out (a
value's type, scheme, date, case, a concept's stage), the class and concept hierarchies above them, and the triples
by which other data files point at the data nodes it mentions (another decision of the same case, written elsewhere)
with their neighbourhood. That is as far as shapes/gpkg-shapes.ttl look from a focus node. A problem is kept for
the file that owns its focus node: the first file, in build order, that describes it.

A file's problems are cached under a key made of the shapes and the files its check read (paths, hashes, order):
a file whose content, neighbours and shapes are unchanged since the last build is not checked again.

When a large part of the corpus needs checking, the shapes compiled to SPARQL (gpkg/precheck.py) first find, over
the whole graph at once, the focus nodes pyshacl could report; only the files owning one of them go to pyshacl.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from multiprocessing import get_context
from pathlib import Path

from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse, serialize

from .loading import ParsedFile, rdflib_term
from .precheck import suspects
from .processes import exit_with_parent
from .validation import UNOWNED, Problem, Report, PreparedQueryGraph, check, load_shapes

HOPS = 2
HIERARCHY = {NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
             NamedNode("http://www.w3.org/2004/02/skos/core#broader"),
             NamedNode("http://www.w3.org/2002/07/owl#equivalentClass")}
KEY_VERSION = "1"
CHUNK_TRIPLES = 50_000  # own triples per pyshacl run in a worker (each run re-checks the shared neighbourhood)
POOL_TRIPLES = 40_000  # fewer triples to check than this: check them in this process (a pool costs ~1 s to start)
FILE_GRAPH = "urn:gpkg:file:"
PRECHECK_SHARE = 20  # run the precheck when the files to check hold at least 1/20 of all triples (measured at 1M
# triples: 14 s for the whole graph, where pyshacl takes about 0.25 ms per triple and core)


class Corpus:
    """All parsed files, indexed by subject and (for data files) by IRI object."""

    def __init__(self, files: list[ParsedFile], context: set[Path]):
        self.files = files
        self.is_context = [pf.path in context for pf in files]
        self.by_subject: dict = defaultdict(list)
        self.incoming: dict = defaultdict(list)
        self._memo: list[dict] = [{} for _ in range(HOPS + 1)]
        for i, pf in enumerate(files):
            for t in pf.triples:
                self.by_subject[t.subject].append((i, t))
                if not self.is_context[i] and type(t.object) is NamedNode:
                    self.incoming[t.object].append((i, t))

    def neighbourhood(self, u: int) -> dict:
        """Triples of other files that checking file `u` needs, as {(file index, triple): None} (ordered set)."""
        picked: dict = {}
        own = self.files[u].triples
        seen = {t.subject for t in own} | {t.object for t in own if type(t.object) is not OxLiteral}
        for node in [n for n in seen if type(n) is NamedNode and self._owned_by_data(n)]:
            for i, t in self.incoming.get(node, ()):
                if i != u:
                    picked[(i, t)] = None
                    seen.add(t.subject)
        frontier = set(seen)
        for _ in range(HOPS):
            frontier = self._step(u, frontier, picked, seen, None)
        while frontier:
            frontier = self._step(u, frontier, picked, seen, HIERARCHY)
        return picked

    def involved(self, u: int) -> set[int]:
        """File `u` and the files whose triples neighbourhood(u) picks, found without collecting the triples: the
        reach of each node is computed once (memoised by the distance at which it is met) and shared by all files."""
        own = self.files[u].triples
        sources = {t.subject for t in own} | {t.object for t in own if type(t.object) is not OxLiteral}
        files = {u}
        for node in [n for n in sources if type(n) is NamedNode and self._owned_by_data(n)]:
            for i, t in self.incoming.get(node, ()):
                files.add(i)
                sources.add(t.subject)
        for node in sources:
            files |= self._reach(node, 0)
        return files

    def _reach(self, node, distance: int) -> frozenset:
        """Files of the triples met from `node` at `distance`: all its triples and onwards below HOPS, then only the
        hierarchy above it."""
        memo = self._memo[distance]
        if (found := memo.get(node)) is None:
            if distance < HOPS:
                found = frozenset({i for i, _ in self.by_subject.get(node, ())}).union(
                    *(self._reach(t.object, distance + 1) for _, t in self.by_subject.get(node, ())
                      if type(t.object) is not OxLiteral))
            else:
                files, seen, frontier = set(), {node}, [node]
                while frontier:
                    reached = []
                    for n in frontier:
                        for i, t in self.by_subject.get(n, ()):
                            if t.predicate in HIERARCHY:
                                files.add(i)
                                if type(t.object) is not OxLiteral and t.object not in seen:
                                    seen.add(t.object)
                                    reached.append(t.object)
                    frontier = reached
                found = frozenset(files)
            memo[node] = found
        return found

    def _owned_by_data(self, node) -> bool:
        described = self.by_subject.get(node)
        return bool(described) and not self.is_context[described[0][0]]

    def _step(self, u, frontier, picked, seen, predicates) -> set:
        reached = set()
        for node in frontier:
            for i, t in self.by_subject.get(node, ()):
                if predicates is not None and t.predicate not in predicates:
                    continue
                if i != u:
                    picked[(i, t)] = None
                if type(t.object) is not OxLiteral and t.object not in seen:
                    seen.add(t.object)
                    reached.add(t.object)
        return reached


def validate_files(files: list[ParsedFile], shape_files: list[Path], context: set[Path], cache: Path | None = None,
                   workers: int | None = None, precheck: bool | None = None, merged: Store | None = None) -> Report:
    """Check every file as described above; `context` are the files nothing else points into (ontology,
    vocabularies, reference data); `cache` is a JSON file kept between builds; `precheck` forces the compiled
    precheck on or off (default: by PRECHECK_SHARE); `merged` is a store holding the files' triples in its default
    graph, if the caller has one (the precheck runs on it)."""
    corpus = Corpus(files, context)
    shapes_hash = _hash(*(p.read_bytes() for p in shape_files))
    hashes = [pf.sha256 for pf in files]
    previous = _read_cache(cache)
    keys, needs, results = [], set(), {}
    for u, pf in enumerate(files):
        key = _hash(KEY_VERSION, shapes_hash, pf.path,
                    *(f"{files[i].path}\0{hashes[i]}" for i in sorted(corpus.involved(u))))
        keys.append(key)
        if key in previous:
            results[u] = [Problem(**p) for p in previous[key]]
        else:
            needs.add(u)
    to_check, everything = sum(len(files[u].triples) for u in needs), sum(len(pf.triples) for pf in files)
    cleared = 0
    if needs and (precheck if precheck is not None else to_check * PRECHECK_SHARE >= everything):
        flagged = _flagged_files(corpus, load_shapes(shape_files), merged)
        for u in needs - flagged:
            results[u] = []
            cleared += 1
        needs &= flagged
    needs = {u: corpus.neighbourhood(u) for u in sorted(needs)}
    prefixes = _prefix_order(files)
    for chunk_results in _run(_chunks(corpus, needs), shape_files, prefixes, workers):
        results.update(chunk_results)
    if cache is not None:
        _write_cache(cache, {keys[u]: [asdict(p) for p in results[u]] for u in range(len(files))})
    return Report(sorted({p for problems in results.values() for p in problems}), checked=len(needs),
                  cached=len(files) - len(needs) - cleared, cleared=cleared)


def _flagged_files(corpus: Corpus, shapes, store: Store | None) -> set[int]:
    """Files owning a focus node the precheck flags (the first file describing it; for a node no file describes,
    every file mentioning it), as the per-file check would attribute its problems."""
    if store is None:
        store = Store()
        store.bulk_extend(t for pf in corpus.files for t in pf.triples)  # default-graph quads already
    flagged, undescribed = set(), set()
    for node in suspects(store, shapes):
        if described := corpus.by_subject.get(node):
            flagged.add(described[0][0])
        else:
            undescribed.add(node)
    if undescribed:
        flagged.update(i for i, pf in enumerate(corpus.files)
                       if any(t.subject in undescribed or t.object in undescribed for t in pf.triples))
    return flagged


def _chunks(corpus: Corpus, needs: dict) -> list[dict]:
    """Group the files to check into payloads of about CHUNK_TRIPLES own triples each."""
    chunks, current, size = [], {}, 0
    for u, nb in needs.items():
        current[u] = nb
        size += len(corpus.files[u].triples)
        if size >= CHUNK_TRIPLES:
            chunks.append(current)
            current, size = {}, 0
    if current:
        chunks.append(current)
    return [_payload(corpus, chunk) for chunk in chunks]


def _payload(corpus: Corpus, chunk: dict) -> dict:
    quads: dict = {}
    for u, nb in chunk.items():
        for t in corpus.files[u].triples:
            quads[Quad(t.subject, t.predicate, t.object, NamedNode(f"{FILE_GRAPH}{u}"))] = None
        for i, t in nb:
            quads[Quad(t.subject, t.predicate, t.object, NamedNode(f"{FILE_GRAPH}{i}"))] = None
    units = {u: (str(corpus.files[u].path), corpus.files[u].text, corpus.files[u].prefixes) for u in chunk}
    return {"nquads": serialize(quads, format=RdfFormat.N_QUADS), "units": units}


def _run(payloads: list[dict], shape_files: list[Path], prefixes: list, workers: int | None):
    if not payloads:
        return
    own = sum(len(p["nquads"]) for p in payloads) // 200  # about 200 bytes per N-Quads line
    workers = min(workers or os.cpu_count() or 1, len(payloads))
    if workers < 2 or own < POOL_TRIPLES:
        _init(shape_files, prefixes)
        for payload in payloads:
            yield _check(payload)
        return
    with ProcessPoolExecutor(workers, mp_context=get_context("fork"), initializer=_init,
                             initargs=(shape_files, prefixes, os.getpid())) as pool:
        yield from pool.map(_check, payloads)


_worker: dict = {}


def _init(shape_files: list[Path], prefixes: list, parent: int | None = None) -> None:
    if parent is not None:  # in a worker process
        exit_with_parent(parent)
    _worker["shapes"] = load_shapes(shape_files)
    _worker["prefixes"] = prefixes


def _check(payload: dict) -> dict[int, list[Problem]]:
    """Check one payload (in a worker): its files' triples and neighbourhoods, in one pyshacl run."""
    data = PreparedQueryGraph()
    for prefix, ns in _worker["prefixes"]:
        data.bind(prefix, ns, override=False)
    owner_index: dict = {}
    mentions: dict = defaultdict(set)
    units = {u: ParsedFile(Path(path), text, [], prefixes) for u, (path, text, prefixes) in payload["units"].items()}
    triples = []
    for q in parse(payload["nquads"], format=RdfFormat.N_QUADS):
        i = int(q.graph_name.value[len(FILE_GRAPH):])
        s, p, o = rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object)
        triples.append((s, p, o, data))
        owner_index[s] = min(owner_index.get(s, i), i)
        if i in units:
            mentions[s].add(i)
            mentions[o].add(i)
    data.addN(triples)

    def owner_of(node):
        if node in owner_index:
            return units.get(owner_index[node])
        return UNOWNED if node in mentions else None

    found: dict[int, list[Problem]] = {u: [] for u in units}
    for focus, problem in check(data, _worker["shapes"], owner_of):
        owners = mentions[focus] if problem.file == UNOWNED.path else {owner_index[focus]}
        for u in owners:
            found[u].append(problem)
    return found


def _prefix_order(files: list[ParsedFile]) -> list:
    """Prefix bindings in the order a whole-graph validation makes them, so that names are shortened alike."""
    return [(prefix, ns) for pf in files for prefix, ns in pf.prefixes.items()]


def _hash(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def _read_cache(path: Path | None) -> dict:
    if path is None or not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a damaged cache is only a slower build


def _write_cache(path: Path, entries: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(entries), encoding="utf-8")
    os.replace(tmp, path)

