"""`gpkg build`: parse -> validate -> reason -> index -> dumps -> publish (atomic)."""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store

from . import __version__, builds
from .errors import GpkgError
from .knowledge import Knowledge
from .filewise import validate_files
from .indexing import StoreWriter
from .loading import parse_unchanged, union
from .ontology_docs import OntologyDocs
from .processes import Child, single_threaded
from .namespaces import INFERRED_GRAPH, PREFIXES
from .reasoning import OntologyCheck, reason
from .rules import infer

DUMPS = {"gpkg.ttl": RdfFormat.TURTLE, "gpkg.nt": RdfFormat.N_TRIPLES, "gpkg.jsonld": RdfFormat.JSON_LD}


class ValidationFailed(GpkgError):
    def __init__(self, report):
        self.report = report
        lines = [p.format() for p in report.violations]
        super().__init__("validation failed, nothing was published:\n" + "\n".join(lines))


@dataclass
class BuildResult:
    path: Path
    manifest: dict
    timings: dict = field(default_factory=dict)


STAGES = ("parse", "index", "reason", "dumps", "docs", "validate")
VALIDATION_NICENESS = 10  # validation yields the cores to the store's writer, the longest chain of a large build
# (measured at 1M triples on 2 cores: cold build 51-55 s instead of 58-61 s)
STORE_LAYOUT = 2  # named graphs + union default graph + stable blank-node labels; a rebuild updates only this layout


def build(knowledge: Knowledge, home: Path | None = None,
          progress: Callable[[str, float], None] = lambda stage, seconds: None, reasoner: str = "rules",
          workers: int | None = None, force: bool = False) -> BuildResult:
    """Run the pipeline; `progress(stage, seconds)` is called as each of STAGES finishes. If the current build was
    made from the same files, shapes, reasoner and gpkg version, it is returned as it is (unless `force`).

    The work is spread over processes (2 cores): validation and the store's writer (the named graphs, their N-Quads
    dump and the store on disk) run in child processes while this one reasons over the merged triples and writes the
    other dumps; HermiT's ontology check and pyLODE run in their own. Nothing is published unless validation passes.
    reasoner: "rules" (HermiT checks the ontology, vocabularies and reference data; SPARQL rules on the store give
    the memberships HermiT would infer and find members of disjoint classes) or "hermit" (HermiT on everything: full
    OWL consistency; measured 8 s on the real corpus, more than 9 minutes on 84k triples).
    Validation and the ontology check reuse what earlier builds found for unchanged inputs ($GPKG_HOME/cache)."""
    root = home or builds.home()
    cache = root / "cache"
    timings: dict[str, float] = {}

    def stage(name: str, started: float) -> None:
        timings[name] = round(time.perf_counter() - started, 3)
        progress(name, timings[name])

    inputs = {"files": {str(p.relative_to(knowledge.root)): _sha256(p) for p in knowledge.rdf_files()},
              "shapes": {p.name: _sha256(p) for p in knowledge.shape_files()}, "reasoner": reasoner,
              "gpkg_version": __version__, "store_layout": STORE_LAYOUT}
    if not force and (current := _up_to_date(root, inputs)):
        return current
    base = None if force else _store_base(root, inputs, knowledge)

    partial = builds.new_build_dir(root)
    (partial / "dumps").mkdir()
    files, context = knowledge.rdf_files(), set(knowledge.context_files())
    graphs = [(knowledge.graph_iri(p), p, inputs["files"][str(p.relative_to(knowledge.root))]) for p in files]
    started: list = []  # what runs beside this process; stopped if the build fails
    try:
        # pyLODE, HermiT's check of the ontology and, in a process that cannot fork safely, the store's writer start
        # first and run in their own processes while this one parses
        started.append(docs := OntologyDocs(knowledge.root / "ontology" / "gpkg.ttl", partial / "dumps" / "ontology.html",
                                            cache))
        nq, writer, ontology = partial / "dumps" / "gpkg.nq", None, None
        if not single_threaded():
            started.append(writer := StoreWriter(partial / "store", nq, base, graphs))
        t = time.perf_counter()
        first = {path: parse_unchanged(path, sha256) for _, path, sha256 in graphs if path in context}
        if reasoner == "rules":
            started.append(ontology := OntologyCheck(list(first.values()), cache))
        parsed = [first.get(path) or parse_unchanged(path, sha256) for _, path, sha256 in graphs]
        stage("parse", t)
        if writer is None:
            started.append(writer := StoreWriter(partial / "store", nq, base, graphs, parsed))

        t = time.perf_counter()
        merged = Store()  # the files' triples merged (RDF merge); the precheck, the rules and the other dumps use it
        merged.bulk_extend(t for pf in parsed for t in pf.triples)  # default-graph quads already
        index_seconds = time.perf_counter() - t
        # validation is forked (it shares `parsed` and `merged`) and runs while this one reasons and writes the dumps;
        # nothing is published unless it passes
        started.append(validation := Child("gpkg validate", _validate, parsed, knowledge.shape_files(), context,
                                           cache / "validation.json", workers, merged))
        timings.update(_reason_and_dump(merged, parsed, reasoner, writer, partial / "dumps",
                                        lambda: _passed(validation, block=False)))
        if ontology is not None:
            timings["reason"] = round(timings["reason"] + ontology.wait(), 3)  # its own time, overlapped
        timings["docs"] = round(docs.wait(), 3)
        timings["graphs"], writer_seconds = writer.result()
        timings["index"] = round(index_seconds + writer_seconds, 3)  # the writer's own time, overlapped
        for name in ("index", "reason", "dumps", "docs"):
            progress(name, timings[name])
        report, seconds = _passed(validation, block=True)
        timings["validate"] = round(seconds, 3)
        progress("validate", timings["validate"])
        manifest = {
            **inputs,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "knowledge_root": str(knowledge.root),
            "triples": timings.pop("triples"),
            "inferred_triples": timings.pop("inferred"),
            "warnings": len(report.warnings),
            "validation": {"checked_files": report.checked, "cached_files": report.cached,
                           "cleared_files": report.cleared},
            "store": {"from": str(base[0].parent.name) if base else None, "graphs_written": timings.pop("graphs")},
            "timings_s": timings,
        }
        final = builds.publish(partial, manifest, root)
    except BaseException:
        for child in started:
            child.cancel()
        builds.discard(partial)
        raise
    return BuildResult(final, manifest, timings)


def _up_to_date(root: Path, inputs: dict) -> BuildResult | None:
    try:
        path = builds.current(root)
        manifest = builds.manifest(path)
    except (GpkgError, OSError, ValueError):
        return None
    if all(manifest.get(key) == value for key, value in inputs.items()):
        return BuildResult(path, manifest, {})
    return None


def _store_base(root: Path, inputs: dict, knowledge: Knowledge) -> tuple[Path, set[NamedNode]] | None:
    """The current build's store and the graphs that differ from what `inputs` will give, if it can be updated
    (same knowledge root, reasoner, gpkg version and store layout); else None."""
    try:
        path = builds.current(root)
        manifest = builds.manifest(path)
    except (GpkgError, OSError, ValueError):
        return None
    same = ("reasoner", "gpkg_version", "store_layout")
    if manifest.get("knowledge_root") != str(knowledge.root) or any(manifest.get(k) != inputs[k] for k in same):
        return None
    old, new = manifest.get("files", {}), inputs["files"]
    changed = {NamedNode(knowledge.graph_iri(knowledge.root / rel)) for rel in old.keys() | new.keys()
               if old.get(rel) != new.get(rel)}
    return (path / "store", changed | {NamedNode(INFERRED_GRAPH)}) if (path / "store").is_dir() else None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _validate(parsed, shape_files, context, cache, workers, merged):
    os.nice(VALIDATION_NICENESS)
    started = time.perf_counter()
    return validate_files(parsed, shape_files, context, cache, workers, merged=merged), time.perf_counter() - started


def _passed(validation, block: bool):
    """The validation outcome if it is known (or `block`); raises ValidationFailed if it found violations."""
    if not block and not validation.done():
        return None
    report, seconds = validation.result()
    if not report.conforms:
        raise ValidationFailed(report)
    return report, seconds


def _reason_and_dump(merged: Store, parsed, reasoner: str, writer: StoreWriter, dumps: Path,
                     check_validation) -> dict:
    """The inferred graph (the rules on `merged`, or HermiT on everything), handed to the store's writer and added to
    the merge, then the merge's dumps; returns the stage timings, "triples" and "inferred"."""
    timings: dict = {}
    t = time.perf_counter()
    if reasoner == "hermit":
        reasoning = reason(union(parsed))
        if not reasoning.consistent:
            raise GpkgError(f"{reasoning.message}; nothing was published")
        merged.bulk_load(reasoning.inferred.serialize(format="nt", encoding="utf-8"), format=RdfFormat.N_TRIPLES,
                         to_graph=NamedNode(INFERRED_GRAPH))
    else:
        _, found = infer(merged)
        if found:
            raise GpkgError("members of disjoint classes, nothing was published:\n" + "\n".join(found))
    timings["reason"] = round(time.perf_counter() - t, 3)
    check_validation()

    t = time.perf_counter()
    writer.add_inferred(merged)
    inferred = list(merged.quads_for_pattern(None, None, None, NamedNode(INFERRED_GRAPH)))
    merged.extend(Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in inferred)
    for name, fmt in DUMPS.items():
        merged.dump(str(dumps / name), format=fmt, from_graph=DefaultGraph(),
                    **({"prefixes": PREFIXES} if fmt is RdfFormat.TURTLE else {}))
    timings["inferred"], timings["triples"] = len(inferred), len(merged) - len(inferred)
    timings["dumps"] = round(time.perf_counter() - t, 3)
    check_validation()
    return timings
