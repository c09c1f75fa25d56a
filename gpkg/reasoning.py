"""OWL reasoning with HermiT: consistency of ontology + data, and the class memberships it infers.

HermiT is the one owlready2 ships; it is run with `-c -I` (classify classes, realise individuals). owlready2's
sync_reasoner_hermit always adds property classification (-O -D), which took 72 of 78 seconds on the corpus, so the
jar is called directly on an N-Triples copy of the graph.

HermiT accepts only the OWL 2 datatype map, so literals of other datatypes (xsd:date, xsd:gYear...) are left out of
the copy that is reasoned over; blank nodes are skolemised so that every individual has an IRI.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from rdflib import OWL, RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from .errors import GpkgError
from .loading import ParsedFile, union
from .processes import Program

OWL2_DATATYPES = {
    RDF.PlainLiteral, RDF.XMLLiteral, RDF.langString, RDFS.Literal, OWL.real, OWL.rational,
    XSD.decimal, XSD.integer, XSD.nonNegativeInteger, XSD.nonPositiveInteger, XSD.positiveInteger,
    XSD.negativeInteger, XSD.long, XSD.int, XSD.short, XSD.byte, XSD.unsignedLong, XSD.unsignedInt,
    XSD.unsignedShort, XSD.unsignedByte, XSD.double, XSD.float, XSD.string, XSD.normalizedString, XSD.token,
    XSD.language, XSD.Name, XSD.NCName, XSD.NMTOKEN, XSD.boolean, XSD.hexBinary, XSD.base64Binary, XSD.anyURI,
    XSD.dateTime, XSD.dateTimeStamp,
}
SKOLEM_BASE = "https://w3id.org/gpkg/.well-known/genid/"
AXIOM = re.compile(r"^(SubClassOf|Type|EquivalentClasses)\(\s*(.*?)\s*\)\s*$")
IRI = re.compile(r"<([^>]+)>")


@dataclass
class Reasoning:
    consistent: bool
    inferred: Graph  # rdf:type triples entailed but not asserted
    message: str = ""
    unsatisfiable: tuple[str, ...] = ()  # classes that can have no member


def reasoning_copy(graph: Graph) -> Graph:
    """The graph HermiT can read: OWL 2 datatypes only, blank nodes skolemised."""
    copy = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is not None and o.datatype not in OWL2_DATATYPES:
            continue
        copy.add((s, p, o))
    return copy.skolemize(basepath=SKOLEM_BASE)


class HermiT:
    """HermiT started on `graph` in its own process; `result()` waits for it and reads what it found, with the seconds
    it ran."""

    def __init__(self, graph: Graph):
        self._copy = reasoning_copy(graph)
        self._tmp = tempfile.TemporaryDirectory(prefix="gpkg-reason-")
        path = Path(self._tmp.name) / "kb.nt"
        self._copy.serialize(path, format="nt", encoding="utf-8")
        self._program = Program(_hermit_command(path))

    def result(self) -> tuple[Reasoning, float]:
        try:
            code, out, err, seconds = self._program.wait()
        finally:
            self._tmp.cleanup()
        return self._read(code, out, err), seconds

    def cancel(self) -> None:
        self._program.cancel()
        self._tmp.cleanup()

    def _read(self, code: int, out: str, err: str) -> Reasoning:
        if code != 0:
            if "Inconsistent ontology" in out + err or "inconsistent" in err.lower():
                return Reasoning(False, Graph(), "HermiT found the ontology and data inconsistent")
            raise GpkgError(f"HermiT failed (exit {code}): {(err or out).strip()[-500:]}")
        supers, types = _parse(out)
        nothing = str(OWL.Nothing)
        unsatisfiable = tuple(sorted(c for c in supers if c != nothing and nothing in _closure({c}, supers)))
        asserted = set(self._copy.subject_objects(RDF.type))
        inferred = Graph()
        for individual, direct in types.items():
            if individual.startswith(SKOLEM_BASE):
                continue
            for cls in _closure(direct, supers):
                pair = (URIRef(individual), URIRef(cls))
                if pair not in asserted and not cls.startswith((SKOLEM_BASE, str(OWL))):
                    inferred.add((pair[0], RDF.type, pair[1]))
        return Reasoning(True, inferred, unsatisfiable=unsatisfiable)


def reason(graph: Graph) -> Reasoning:
    return HermiT(graph).result()[0]


class OntologyCheck:
    """HermiT on the ontology, vocabularies and reference data (no case files), started at once: `wait()` raises if
    they are inconsistent or a class is unsatisfiable, else gives the seconds HermiT ran. A successful check is
    remembered in `cache` (a folder) by the files' hashes and not run again."""

    def __init__(self, files: list[ParsedFile], cache: Path):
        key = hashlib.sha256("\0".join(f"{pf.path.name}:{pf.sha256}" for pf in files).encode()).hexdigest()
        self._cache, self._marker = cache, cache / f"ontology-{key}.ok"
        self._hermit = None if self._marker.is_file() else HermiT(union(files))

    def wait(self) -> float:
        if self._hermit is None:
            return 0.0
        result, seconds = self._hermit.result()
        if not result.consistent:
            raise GpkgError(f"{result.message} (ontology, vocabularies and reference data)")
        if result.unsatisfiable:
            raise GpkgError("HermiT found classes that can have no member: " + ", ".join(result.unsatisfiable))
        self._cache.mkdir(parents=True, exist_ok=True)
        for old in self._cache.glob("ontology-*.ok"):
            old.unlink(missing_ok=True)
        self._marker.write_text(datetime.now(timezone.utc).isoformat(), encoding="utf-8")
        return seconds

    def cancel(self) -> None:
        if self._hermit is not None:
            self._hermit.cancel()


def _hermit_command(path: Path) -> list[str]:
    import owlready2
    import owlready2.reasoning

    jar_dir = Path(owlready2.__file__).parent / "hermit"
    classpath = f"{jar_dir}:{jar_dir / 'HermiT.jar'}"
    # -XX:TieredStopAtLevel=1: the quick compiler only; measured: half the CPU time (4.4 -> 2.4 s on the ontology
    # check, 11.6 -> 5.9 s on the whole real corpus) and less wall time, same output
    return [owlready2.JAVA_EXE, f"-Xmx{owlready2.reasoning.JAVA_MEMORY}M", "-XX:TieredStopAtLevel=1", "-cp", classpath,
            "org.semanticweb.HermiT.cli.CommandLine", "-c", "-I", path.as_uri()]


def _parse(output: str) -> tuple[dict, dict]:
    """HermiT's taxonomy (SubClassOf, EquivalentClasses) and direct types of individuals (Type)."""
    supers: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    for line in output.splitlines():
        match = AXIOM.match(line.strip())
        if not match:
            continue
        kind, iris = match.group(1), IRI.findall(match.group(2))
        if kind == "SubClassOf" and len(iris) == 2:
            supers[iris[0]].add(iris[1])
        elif kind == "Type" and len(iris) == 2:
            types[iris[0]].add(iris[1])
        elif kind == "EquivalentClasses":
            for a in iris:
                supers[a].update(b for b in iris if b != a)
    return supers, types


def _closure(classes: set[str], supers: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), list(classes)
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.add(cls)
            todo.extend(supers.get(cls, ()))
    return seen
