"""HermiT finds ontology + data consistent, infers memberships nobody asserted, and catches contradictions; the
SPARQL rules the build uses agree with it."""

import pytest
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


def test_reasoning_copy_leaves_out_non_owl2_datatypes():
    g = Graph()
    s = URIRef("https://w3id.org/gpkg/id/x")
    g.add((s, GP.note, Literal("kept")))
    g.add((s, URIRef("http://purl.org/dc/terms/date"), Literal("2024-06-26", datatype=XSD.date)))
    g.add((s, GP.sentenceYears, Literal("10.0", datatype=XSD.decimal)))
    copy = reasoning_copy(g)
    assert len(copy) == 2
    assert not any(o.datatype == XSD.date for o in copy.objects() if isinstance(o, Literal))


def _rules_store(parsed):
    from pyoxigraph import DefaultGraph, Quad, Store

    store = Store()
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for pf in parsed for t in pf.triples)
    return store


def test_sparql_rules_give_the_memberships_hermit_infers(knowledge):
    """The build fills classes with SPARQL rules (HermiT cannot realise large graphs in time); on the real corpus
    they give exactly the memberships HermiT infers, for every class."""
    from gpkg.namespaces import INFERRED_GRAPH
    from gpkg.rules import DEFINED_CLASSES, infer

    parsed = parse_files(knowledge.rdf_files())
    store = _rules_store(parsed)
    added, contradictions = infer(store)
    by_rules = {(URIRef(r["x"].value), URIRef(r["c"].value)) for r in store.query(
        f"SELECT ?x ?c WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?x a ?c }} }}")}
    by_hermit = {(s, o) for s, _, o in reason(union(parsed)).inferred}
    assert not contradictions and added == len(by_rules)
    assert by_rules == by_hermit
    assert len({pair for pair in by_hermit if pair[1] in DEFINED_CLASSES}) > 100


@pytest.mark.parametrize("triples", [
    [(GPR["t-both"], RDF.type, GP.Court), (GPR["t-both"], RDF.type, GP.Case)],  # asserted: Court and Case are disjoint
    [(GPR["t-case"], RDF.type, GP.Case), (GPR["t-decision"], GP.court, GPR["t-case"])],  # entailed by gp:court's range
])
def test_rules_find_the_contradictions_hermit_finds(knowledge, triples):
    from gpkg.loading import ParsedFile
    from gpkg.rules import infer

    context = parse_files(knowledge.context_files())
    graph = union(context)
    for triple in triples:
        graph.add(triple)
    assert not reason(graph).consistent
    extra = ParsedFile(knowledge.root / "extra.ttl", "", list(_oxigraph_triples(triples)), {})
    _, found = infer(_rules_store([*context, extra]))
    assert found and "disjoint" in found[0]


def _oxigraph_triples(triples):
    from pyoxigraph import NamedNode, Quad

    for s, p, o in triples:
        yield Quad(NamedNode(str(s)), NamedNode(str(p)), NamedNode(str(o)))
