"""One store interface: the embedded store and a real remote endpoint answer the same queries the same way."""

import re

import pytest
from pyoxigraph import DefaultGraph, NamedNode, Quad, QueryBoolean, QuerySolutions, RdfFormat, Store as OxStore, serialize
from rdflib import Graph
from rdflib.compare import to_canonical_graph

from gpkg.queries import saved_queries
from gpkg.sparql_text import reads_named_graphs
from gpkg.store import QueryError, open_store
from gpkg.store.embedded import EmbeddedStore
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


def words(result):
    return sorted(tuple(sorted(re.findall(r"\w+", cell)) for cell in row) for row in answers(result))


def test_default_graph_in_memory_answers_as_the_store_on_disk(built, store, knowledge):
    in_memory = EmbeddedStore.open_read_only(built.path / "store", in_memory=True)
    for q in saved_queries(knowledge):  # GROUP_CONCAT's order is the engine's: compare the words of each value
        assert words(in_memory.query(q.text)) == words(store.query(q.text)), q.name
    named = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    assert answers(in_memory.query(named)) == answers(store.query(named)) != []
    one_file = "https://w3id.org/gpkg/graph/data/cases/icc-al-hassan"
    sparql = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert (answers(in_memory.query(sparql, default_graphs=[one_file])) == answers(store.query(sparql, default_graphs=[one_file]))
            == answers(in_memory.query(f"SELECT (COUNT(*) AS ?n) FROM <{one_file}> WHERE {{ ?s ?p ?o }}"))
            != answers(in_memory.query(sparql)))


def test_only_default_graph_queries_are_answered_from_the_memory_copy(tmp_path):
    """The copy comes from the build's dump: a dump that says more than the store shows where each query went."""
    g, s = NamedNode("https://example.org/g"), NamedNode("https://example.org/s")
    disk = OxStore(str(tmp_path / "store"))
    disk.extend([Quad(s, s, s, g), Quad(s, s, s, DefaultGraph())])
    del disk
    (tmp_path / "dumps").mkdir()
    (tmp_path / "dumps" / "gpkg.nt").write_text("<https://example.org/s> <https://example.org/s> <https://example.org/s> .\n"
                                                "<https://example.org/only-in-the-dump> <https://example.org/s> \"1\" .\n")
    in_memory = EmbeddedStore.open_read_only(tmp_path / "store", in_memory=True)
    on_disk = EmbeddedStore.open_read_only(tmp_path / "store")
    marker = "ASK { <https://example.org/only-in-the-dump> ?p ?o }"
    assert bool(in_memory.query(marker)) and not bool(on_disk.query(marker))
    for routed_to_disk in ("ASK { GRAPH ?g { <https://example.org/only-in-the-dump> ?p ?o } }",
                           "ASK FROM <https://example.org/g> { ?s ?p ?o . FILTER (?s = <https://example.org/only-in-the-dump>) }",
                           "ask { graph <https://example.org/g> { ?s ?p ?o } }"):
        assert bool(in_memory.query(routed_to_disk)) == bool(on_disk.query(routed_to_disk)), routed_to_disk
    assert not bool(in_memory.query(marker, default_graphs=["https://example.org/g"]))


@pytest.mark.parametrize("sparql, named", [
    ("SELECT * WHERE { ?s ?p ?o }", False),
    ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", True),
    ("select * from named <x:g> where { graph ?g { ?s ?p ?o } }", True),
    ("SELECT * FROM <x:g> WHERE { ?s ?p ?o }", True),
    ('SELECT * WHERE { ?s ?p "GRAPH FROM" } # GRAPH in a comment', False),
    ("SELECT * WHERE { ?s <http://example.org/graph> ?o ; ex:graph ?g ; ex:from ?f }", False),
])
def test_queries_that_read_named_graphs_are_recognised(sparql, named):
    assert reads_named_graphs(sparql) is named
