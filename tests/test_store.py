"""One store interface: the embedded store and a real remote endpoint answer the same queries the same way."""

import pytest
from pyoxigraph import QueryBoolean, QuerySolutions, RdfFormat, serialize
from rdflib import Graph
from rdflib.compare import to_canonical_graph

from gpkg.queries import saved_queries
from gpkg.store import QueryError, open_store
from gpkg.store.remote import RemoteStore


def answers(result):
    if isinstance(result, QueryBoolean):
        return bool(result)
    if isinstance(result, QuerySolutions):
        names = [v.value for v in result.variables]
        return sorted(tuple(str(sol[n]) if sol[n] is not None else "" for n in names) for sol in result)
    graph = Graph()
    graph.parse(data=serialize(list(result), format=RdfFormat.N_TRIPLES), format="nt")
    return to_canonical_graph(graph)  # blank node labels differ between stores


def test_remote_endpoint_answers_like_the_embedded_store(store, oxigraph_endpoint, knowledge):
    remote = open_store(oxigraph_endpoint)
    assert isinstance(remote, RemoteStore)
    for q in saved_queries(knowledge):
        assert answers(remote.query(q.text)) == answers(store.query(q.text)), q.name
    assert remote.triple_count() == store.triple_count()


@pytest.mark.parametrize("sparql", [
    "ASK { ?s a <https://w3id.org/gpkg/ontology#GenderPersecutionConviction> }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . FILTER (?s = <https://w3id.org/gpkg/id/icc-al-hassan-count-13>) }",
    "DESCRIBE <https://w3id.org/gpkg/id/al-hassan>",
])
def test_ask_construct_describe_on_both_stores(sparql, store, oxigraph_endpoint):
    embedded, remote = answers(store.query(sparql)), answers(open_store(oxigraph_endpoint).query(sparql))
    if isinstance(embedded, Graph):
        assert set(embedded) == set(remote) and len(embedded) > 0
    else:
        assert embedded == remote and embedded


def test_named_graphs_are_kept(store, oxigraph_endpoint):
    sparql = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    graphs = answers(store.query(sparql))
    assert ("<https://w3id.org/gpkg/graph/inferred>",) in graphs
    assert ("<https://w3id.org/gpkg/graph/data/cases/icc-al-hassan>",) in graphs
    assert answers(open_store(oxigraph_endpoint).query(sparql)) == graphs


def test_default_graph_restricted_to_one_file(store):
    sparql = "SELECT (COUNT(*) AS ?n) WHERE { ?d a <https://w3id.org/gpkg/ontology#Decision> }"
    only = store.query(sparql, default_graphs=["https://w3id.org/gpkg/graph/data/cases/icc-al-hassan"])
    assert int(next(iter(only))["n"].value) == 4


def test_malformed_query_is_a_query_error_on_both(store, oxigraph_endpoint):
    with pytest.raises(QueryError, match="1:"):
        store.query("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryError):
        open_store(oxigraph_endpoint).query("SELECT * WHERE { ?s ?p }")
