"""OWL reasoning with HermiT (through owlready2): consistency and inferred class memberships.

HermiT accepts only the OWL 2 datatype map, so literals of other datatypes (xsd:date, xsd:gYear...) are left out of
the copy that is reasoned over; blank nodes are skolemised so that every individual has an IRI.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from .errors import GpkgError

RDF_NS = str(RDF)
OWL2_DATATYPES = {
    RDF.PlainLiteral, RDF.XMLLiteral, RDF.langString, RDFS.Literal, OWL.real, OWL.rational,
    XSD.decimal, XSD.integer, XSD.nonNegativeInteger, XSD.nonPositiveInteger, XSD.positiveInteger,
    XSD.negativeInteger, XSD.long, XSD.int, XSD.short, XSD.byte, XSD.unsignedLong, XSD.unsignedInt,
    XSD.unsignedShort, XSD.unsignedByte, XSD.double, XSD.float, XSD.string, XSD.normalizedString, XSD.token,
    XSD.language, XSD.Name, XSD.NCName, XSD.NMTOKEN, XSD.boolean, XSD.hexBinary, XSD.base64Binary, XSD.anyURI,
    XSD.dateTime, XSD.dateTimeStamp,
}
SKOLEM_BASE = "https://w3id.org/gpkg/.well-known/genid/"


@dataclass
class Reasoning:
    consistent: bool
    inferred: Graph  # rdf:type triples entailed but not asserted
    message: str = ""


def reasoning_copy(graph: Graph) -> Graph:
    """The graph HermiT can read: OWL 2 datatypes only, blank nodes skolemised."""
    copy = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is not None and o.datatype not in OWL2_DATATYPES:
            continue
        copy.add((s, p, o))
    return copy.skolemize(basepath=SKOLEM_BASE)


def reason(graph: Graph) -> Reasoning:
    import owlready2
    from owlready2.base import OwlReadyInconsistentOntologyError

    copy = reasoning_copy(graph)
    asserted = set(copy.subject_objects(RDF.type))
    world = owlready2.World()
    with tempfile.TemporaryDirectory(prefix="gpkg-reason-") as tmp:
        path = Path(tmp) / "kb.nt"
        copy.serialize(path, format="nt", encoding="utf-8")
        world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except OwlReadyInconsistentOntologyError:
            return Reasoning(False, Graph(), "HermiT found the ontology and data inconsistent")
        except Exception as exc:  # Java missing, HermiT crash: report, never a stack trace
            raise GpkgError(f"HermiT failed: {exc}") from exc
    inferred = Graph()
    schema_types = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology,
                    OWL.Restriction, OWL.AllDisjointClasses, OWL.AllDifferent, RDFS.Class, RDF.Property}
    typed = {s for s, o in asserted}
    schema = {s for s, o in asserted if o in schema_types}
    individuals = {s for s in typed - schema if isinstance(s, URIRef) and not str(s).startswith(SKOLEM_BASE)}
    for iri in sorted(individuals):
        individual = world[str(iri)]
        if not isinstance(individual, owlready2.Thing):
            continue
        for cls in _named_types(individual):
            triple = (iri, URIRef(cls.iri))
            if triple not in asserted:
                inferred.add((triple[0], RDF.type, triple[1]))
    return Reasoning(True, inferred)


def _named_types(individual):
    import owlready2

    seen = set()
    for cls in individual.is_a:
        if isinstance(cls, owlready2.ThingClass):
            for ancestor in cls.ancestors():
                if ancestor is not owlready2.Thing and not ancestor.iri.startswith((RDF_NS, SKOLEM_BASE)):
                    seen.add(ancestor)
    return seen
