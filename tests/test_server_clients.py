"""Real SPARQL clients against the live server: SPARQLWrapper and rdflib's SPARQLStore."""

from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

GP = "https://w3id.org/gpkg/ontology#"


def test_sparqlwrapper_select_ask_construct(server):
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(f"SELECT ?d WHERE {{ ?c a <{GP}GenderPersecutionConviction> ; <{GP}inDecision> ?d }}")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert "https://w3id.org/gpkg/id/icc-abd-al-rahman-trial-judgment" in {r["d"]["value"] for r in rows}
    client.setQuery(f"ASK {{ ?x a <{GP}GenderPersecutionCharge> }}")
    assert client.query().convert()["boolean"] is True
    client.setMethod(POST)
    client.setQuery("DESCRIBE <https://w3id.org/gpkg/id/al-hassan>")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert (URIRef("https://w3id.org/gpkg/id/al-hassan"), None, None) in graph


def test_rdflib_sparqlstore(server):
    graph = Graph(store=SPARQLStore(f"{server}/sparql", returnFormat="json"))
    labels = {str(o) for o in graph.objects(URIRef("https://w3id.org/gpkg/id/icc-al-hassan"),
                                            URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert labels == {"Al Hassan (ICC)"}
    rows = list(graph.query(f"SELECT (COUNT(?c) AS ?n) WHERE {{ ?c a <{GP}Case> }}"))
    assert int(rows[0][0]) >= 60
