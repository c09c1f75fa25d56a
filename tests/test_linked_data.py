"""Dereferenceable IRIs (303 + content negotiation), helpful 404s, VoID/DCAT matching the store, dumps, context."""

import requests
from pyoxigraph import RdfFormat, parse
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

VOID = "http://rdfs.org/ns/void#"
ENTITY = "icc-al-hassan-trial-judgment"


def test_entity_iri_answers_303_to_its_document(server):
    response = requests.get(f"{server}/id/{ENTITY}", headers={"Accept": "text/turtle"}, allow_redirects=False)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/doc/id/{ENTITY}")
    concept = requests.get(f"{server}/concept/ground/gender", allow_redirects=False)
    assert concept.status_code == 303 and concept.headers["Location"].endswith("/doc/concept/ground/gender")


def test_document_content_negotiation(server):
    expected = {"text/turtle": RdfFormat.TURTLE, "application/ld+json": RdfFormat.JSON_LD,
                "application/n-triples": RdfFormat.N_TRIPLES}
    for media, fmt in expected.items():
        response = requests.get(f"{server}/id/{ENTITY}", headers={"Accept": media})
        assert response.status_code == 200 and response.headers["Content-Type"].startswith(media)
        assert "Accept" in response.headers["Vary"]
        subjects = {q.subject.value for q in parse(response.content, format=fmt) if hasattr(q.subject, "value")}
        assert f"https://w3id.org/gpkg/id/{ENTITY}" in subjects
    html = requests.get(f"{server}/id/{ENTITY}", headers={"Accept": "text/html"})
    assert html.headers["Content-Type"].startswith("text/html") and "Charges: as charged" in html.text
    override = requests.get(f"{server}/doc/id/{ENTITY}?format=ntriples", headers={"Accept": "text/html"})
    assert override.headers["Content-Type"].startswith("application/n-triples")


def test_entity_page_shows_sources_identifiers_and_inverse_links(server):
    page = requests.get(f"{server}/doc/id/icc-al-hassan", headers={"Accept": "text/html"}).text
    assert "What links here" in page and "ICC-01/12-01/18" in page
    decision = requests.get(f"{server}/doc/id/{ENTITY}").text
    assert "Sources" in decision and "para. 1785" in decision
    assert "not established: gender" in decision
    assert "Open in the query editor" in decision
    hudoc = requests.get(f"{server}/doc/id/ecthr-aydin-v-turkey-judgment").text
    assert "https://hudoc.echr.coe.int/eng?i=001-58371" in hudoc


def test_unknown_iri_gives_a_helpful_404(server):
    html = requests.get(f"{server}/id/no-such-entity", headers={"Accept": "text/html"})
    assert html.status_code == 404 and "search" in html.text.lower()
    ttl = requests.get(f"{server}/id/no-such-entity", headers={"Accept": "text/turtle"})
    assert ttl.status_code == 404


def test_data_is_escaped_and_pages_carry_a_csp(server):
    response = requests.get(f"{server}/search", params={"q": "<script>alert(1)</script>"})
    assert response.status_code == 200 and "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_void_parses_and_counts_match_the_store(server, store):
    response = requests.get(f"{server}/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    void = Graph().parse(data=response.text, format="turtle")
    dataset = URIRef("https://w3id.org/gpkg/dataset")
    assert (dataset, RDF.type, URIRef(VOID + "Dataset")) in void
    triples = int(void.value(dataset, URIRef(VOID + "triples")))
    assert triples == int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    decision_partition = next(p for p in void.objects(dataset, URIRef(VOID + "classPartition"))
                              if void.value(p, URIRef(VOID + "class")) == URIRef("https://w3id.org/gpkg/ontology#Decision"))
    decisions = int(next(iter(store.query(
        "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <https://w3id.org/gpkg/ontology#Decision> }")))["n"].value)
    assert int(void.value(decision_partition, URIRef(VOID + "entities"))) == decisions
    assert (dataset, URIRef("http://purl.org/dc/terms/license"), URIRef("https://creativecommons.org/licenses/by/4.0/")) in void
    assert Literal(f"{server}/dumps/gpkg.ttl") not in void.objects()  # dumps are IRIs, not strings
    assert URIRef(f"{server}/dumps/gpkg.ttl") in set(void.objects(dataset, URIRef(VOID + "dataDump")))


def test_dumps_download(server):
    response = requests.get(f"{server}/dumps/gpkg.nt")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert len(list(parse(response.content, format=RdfFormat.N_TRIPLES))) > 1000
    assert requests.get(f"{server}/dumps/secret.txt").status_code == 404


def test_json_ld_context_and_ontology_docs(server):
    context = requests.get(f"{server}/context.jsonld").json()["@context"]
    assert context["gp"] == "https://w3id.org/gpkg/ontology#"
    docs = requests.get(f"{server}/ontology", headers={"Accept": "text/html"})
    assert docs.status_code == 200 and "GenderPersecutionCharge" in docs.text
    ttl = requests.get(f"{server}/ontology", headers={"Accept": "text/turtle"})
    assert ttl.headers["Content-Type"].startswith("text/turtle") and "owl:Ontology" in ttl.text


def test_concept_scheme_page_shows_its_hierarchy(server):
    page = requests.get(f"{server}/doc/concept/ground").text
    assert "sexual orientation" in page and "gender" in page


def test_facets_and_search(server):
    browse = requests.get(f"{server}/browse", params={"level": "https://w3id.org/gpkg/concept/level/regional"}).text
    assert "ecthr-opuz-v-turkey-judgment" in browse and "icc-al-hassan-trial-judgment" not in browse
    search = requests.get(f"{server}/search", params={"q": "forced marriage"}).text
    assert "matched in" in search and "scsl-afrc" in search
