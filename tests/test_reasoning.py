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


def test_sparql_rules_give_the_memberships_hermit_infers(store):
    """At scale the defined classes are filled by SPARQL rules; on the real corpus they agree with HermiT exactly."""
    from gpkg.namespaces import INFERRED_GRAPH
    from gpkg.rules import DEFINED_CLASSES, apply_rules

    graphs = [s["g"].value for s in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
              if s["g"].value != INFERRED_GRAPH]
    by_rules = apply_rules(lambda sparql: ((URIRef(t.subject.value), RDF.type, URIRef(t.object.value))
                                           for t in store.query(sparql, default_graphs=graphs)))
    by_hermit = {(URIRef(s["x"].value), URIRef(s["c"].value)) for s in store.query(
        f"SELECT ?x ?c WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?x a ?c }} }}") if URIRef(s["c"].value) in DEFINED_CLASSES}
    assert {(s, o) for s, _, o in by_rules} == by_hermit
    assert len(by_hermit) > 100
