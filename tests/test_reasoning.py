"""HermiT finds ontology + data consistent, infers memberships nobody asserted, and catches contradictions."""

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD

from gpkg.loading import parse_files, union
from gpkg.namespaces import GP, GPR
from gpkg.reasoning import reason, reasoning_copy


def test_real_data_is_consistent_and_defined_classes_are_filled(built, store):
    ask = """ASK { GRAPH <https://w3id.org/gpkg/graph/inferred> {
        <https://w3id.org/gpkg/id/icc-al-hassan-count-13> a <https://w3id.org/gpkg/ontology#GenderPersecutionCharge> } }"""
    assert bool(store.query(ask))
    asserted = """ASK { GRAPH ?g { <https://w3id.org/gpkg/id/icc-al-hassan-count-13>
        a <https://w3id.org/gpkg/ontology#GenderPersecutionCharge> } FILTER (?g != <https://w3id.org/gpkg/graph/inferred>) }"""
    assert not bool(store.query(asserted)), "the membership must be inferred, not asserted"


def test_inferred_memberships_of_the_slice(knowledge):
    result = reason(union(parse_files(knowledge.rdf_files())))
    assert result.consistent
    inferred = {(s, o) for s, _, o in result.inferred}
    assert (GPR["icc-al-hassan-count-13"], GP.GenderPersecutionCharge) in inferred
    assert (GPR["icc-al-hassan-count-13"], GP.IntersectionalCharge) in inferred
    assert (GPR["icc-abd-al-rahman-trial-judgment-persecution"], GP.GenderPersecutionConviction) in inferred
    assert (GPR["icc-al-hassan-trial-judgment"], GP.TrialJudgment) in inferred
    # Al Hassan was convicted of persecution on religious grounds only: not a gender persecution conviction
    assert (GPR["icc-al-hassan-trial-judgment-count-13"], GP.GenderPersecutionConviction) not in inferred


def test_contradiction_is_reported_inconsistent(knowledge):
    graph = union(parse_files(knowledge.context_files()))
    thing = URIRef("https://w3id.org/gpkg/id/t-both")
    graph.add((thing, RDF.type, GP.Court))
    graph.add((thing, RDF.type, GP.Case))  # Court and Case are disjoint
    assert not reason(graph).consistent


def test_reasoning_copy_leaves_out_non_owl2_datatypes():
    g = Graph()
    s = URIRef("https://w3id.org/gpkg/id/x")
    g.add((s, GP.note, Literal("kept")))
    g.add((s, URIRef("http://purl.org/dc/terms/date"), Literal("2024-06-26", datatype=XSD.date)))
    g.add((s, GP.sentenceYears, Literal("10.0", datatype=XSD.decimal)))
    copy = reasoning_copy(g)
    assert len(copy) == 2
    assert not any(o.datatype == XSD.date for o in copy.objects() if isinstance(o, Literal))
