"""The SPARQL 1.1 Protocol on the live server: methods, graphs, content negotiation, service description, errors."""

import json
import threading
import time

import pytest
import requests
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

SELECT = "SELECT ?d WHERE { ?d a <https://w3id.org/gpkg/ontology#TrialJudgment> } ORDER BY ?d"
CONSTRUCT = ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . "
             "FILTER (?s = <https://w3id.org/gpkg/id/icc-al-hassan-count-13>) }")
JSON = "application/sparql-results+json"


def decisions(body: bytes) -> set[str]:
    return {sol["d"].value for sol in parse_query_results(body, format=QueryResultsFormat.JSON)}


def test_get_post_form_and_post_body_give_the_same_answer(server):
    get = requests.get(f"{server}/sparql", params={"query": SELECT}, headers={"Accept": JSON})
    form = requests.post(f"{server}/sparql", data={"query": SELECT}, headers={"Accept": JSON})
    body = requests.post(f"{server}/sparql", data=SELECT.encode(),
                         headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    assert get.status_code == form.status_code == body.status_code == 200
    answer = decisions(get.content)
    assert "https://w3id.org/gpkg/id/icc-al-hassan-trial-judgment" in answer
    assert decisions(form.content) == decisions(body.content) == answer


@pytest.mark.parametrize("accept,media,fmt", [
    (JSON, JSON, QueryResultsFormat.JSON),
    ("application/sparql-results+xml", "application/sparql-results+xml", QueryResultsFormat.XML),
    ("text/tab-separated-values", "text/tab-separated-values", QueryResultsFormat.TSV),
    ("text/csv;q=0.9, application/sparql-results+xml;q=0.1", "text/csv", None),
    ("*/*", JSON, QueryResultsFormat.JSON),
])
def test_select_formats_by_accept(server, accept, media, fmt):
    response = requests.get(f"{server}/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(media)
    assert "Accept" in response.headers["Vary"]
    if fmt is not None:
        assert len(list(parse_query_results(response.content, format=fmt))) >= 2
    else:
        assert response.text.splitlines()[0] == "d"


@pytest.mark.parametrize("accept,media,fmt", [
    ("text/turtle", "text/turtle", RdfFormat.TURTLE),
    ("application/n-triples", "application/n-triples", RdfFormat.N_TRIPLES),
    ("application/ld+json", "application/ld+json", RdfFormat.JSON_LD),
    ("application/rdf+xml", "application/rdf+xml", RdfFormat.RDF_XML),
])
def test_construct_formats_by_accept(server, accept, media, fmt):
    response = requests.get(f"{server}/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(media)
    assert len(list(parse(response.content, format=fmt))) > 5


def test_format_parameter_overrides_accept(server):
    response = requests.get(f"{server}/sparql", params={"query": SELECT, "format": "csv"},
                            headers={"Accept": "application/sparql-results+xml"})
    assert response.headers["Content-Type"].startswith("text/csv")
    ttl = requests.get(f"{server}/sparql", params={"query": CONSTRUCT, "format": "ntriples"})
    assert ttl.headers["Content-Type"].startswith("application/n-triples")


def test_not_acceptable(server):
    response = requests.get(f"{server}/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert response.status_code == 406 and "available" in response.text
    bad_format = requests.get(f"{server}/sparql", params={"query": SELECT, "format": "turtle"})
    assert bad_format.status_code == 406


def test_ask(server):
    response = requests.get(f"{server}/sparql", params={"query": "ASK { ?s a <https://w3id.org/gpkg/ontology#Case> }"},
                            headers={"Accept": JSON})
    assert response.json()["boolean"] is True


def test_default_and_named_graph_uri_are_honoured(server):
    count = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <https://w3id.org/gpkg/ontology#Decision> }"
    one_file = "https://w3id.org/gpkg/graph/data/cases/icc-al-hassan"
    response = requests.get(f"{server}/sparql", params={"query": count, "default-graph-uri": one_file},
                            headers={"Accept": JSON})
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "4"
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = requests.post(f"{server}/sparql", data={"query": named, "named-graph-uri": one_file},
                             headers={"Accept": JSON})
    assert [b["g"]["value"] for b in response.json()["results"]["bindings"]] == [one_file]


def test_service_description(server):
    response = requests.get(f"{server}/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/turtle")
    triples = {(t.subject.value, t.predicate.value, getattr(t.object, "value", ""))
               for t in (q.triple for q in parse(response.content, format=RdfFormat.TURTLE))}
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = f"{server}/sparql"
    assert (endpoint, sd + "supportedLanguage", sd + "SPARQL11Query") in triples
    assert not any(o == sd + "SPARQL11Update" for _, _, o in triples)  # read-only: update not advertised
    assert (endpoint, sd + "feature", sd + "UnionDefaultGraph") in triples
    jsonld = requests.get(f"{server}/sparql", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["Content-Type"].startswith("application/ld+json")
    json.loads(jsonld.text)


def test_browser_gets_the_query_ui(server):
    response = requests.get(f"{server}/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert "yasgui" in response.text and "gpkg-examples" in response.text
    assert "Gender persecution charges and what each stage did with them" in response.text


def test_query_and_update_together_or_neither_is_400(server):
    both = requests.post(f"{server}/sparql", data={"query": SELECT, "update": "CLEAR ALL"})
    assert both.status_code == 400
    neither = requests.post(f"{server}/sparql", data={"foo": "bar"})
    assert neither.status_code == 400


def test_malformed_query_is_400_with_position(server):
    response = requests.get(f"{server}/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert "1:" in response.text and "Traceback" not in response.text


def test_unsupported_post_content_type_is_415(server):
    response = requests.post(f"{server}/sparql", data=b"<x/>", headers={"Content-Type": "application/xml"})
    assert response.status_code == 415


def test_result_cap_is_signalled(server):
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    response = requests.get(f"{server}/sparql", params={"query": everything}, headers={"Accept": JSON})
    assert response.status_code == 200
    assert response.headers["X-GPKG-Truncated"] == "true"
    assert response.headers["X-GPKG-Result-Limit"] == "500"
    assert len(response.json()["results"]["bindings"]) == 500
    small = requests.get(f"{server}/sparql", params={"query": SELECT}, headers={"Accept": JSON})
    assert "X-GPKG-Truncated" not in small.headers


def test_cors_without_credentials(server):
    response = requests.options(f"{server}/sparql", headers={"Origin": "https://example.org",
                                                             "Access-Control-Request-Method": "POST"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_identical_get_queries_are_cached(server):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } # cache test"
    metrics = lambda: requests.get(f"{server}/metrics").text  # noqa: E731
    before = int(next(l.split()[-1] for l in metrics().splitlines() if l.startswith("gpkg_cache_hits_total")))
    first = requests.get(f"{server}/sparql", params={"query": query}, headers={"Accept": JSON})
    second = requests.get(f"{server}/sparql", params={"query": query}, headers={"Accept": JSON})
    assert first.content == second.content
    after = int(next(l.split()[-1] for l in metrics().splitlines() if l.startswith("gpkg_cache_hits_total")))
    assert after == before + 1


def test_identical_queries_asked_together_run_once(server):
    """Clients asking the same uncached question at once share one run (one cache miss, the rest hits)."""
    query = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d a <https://w3id.org/gpkg/ontology#Case> } "
             f"# together {time.time()}")
    counter = lambda name: int(next(l.split()[-1] for l in requests.get(f"{server}/metrics").text.splitlines()  # noqa: E731
                                    if l.startswith(name)))
    hits, misses = counter("gpkg_cache_hits_total"), counter("gpkg_cache_misses_total")
    barrier, bodies = threading.Barrier(5), []

    def ask():
        barrier.wait()
        response = requests.get(f"{server}/sparql", params={"query": query}, headers={"Accept": JSON})
        bodies.append((response.status_code, response.content))

    threads = [threading.Thread(target=ask) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(bodies) == 5 and len(set(bodies)) == 1 and bodies[0][0] == 200
    assert counter("gpkg_cache_misses_total") == misses + 1
    assert counter("gpkg_cache_hits_total") == hits + 4


def test_healthz_and_metrics(server):
    health = requests.get(f"{server}/healthz").json()
    assert health["status"] == "ok" and health["build"]
    text = requests.get(f"{server}/metrics").text
    assert 'gpkg_http_responses_total{status="200"}' in text and "gpkg_query_timeouts_total" in text
    assert "gpkg_default_graph_in_memory 1" in text  # auto: the real corpus fits
