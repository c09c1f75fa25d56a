"""`gpkg load --to`: a build copied into a real `oxigraph serve` on loopback in a few streamed N-Quads requests that
replace what the store held; the remote store then answers every saved query as the embedded store does, blank
nodes included."""

import urllib.request

import pytest
import requests

from conftest import oxigraph_server
from gpkg import load as load_module
from gpkg.errors import GpkgError
from gpkg.load import has_blank_node, push
from gpkg.queries import saved_queries
from gpkg.store import open_store

STALE = '<urn:gpkg-test:s> <urn:gpkg-test:p> "left by an earlier load" <urn:gpkg-test:deleted-file> .\n'
JSON = "application/sparql-results+json"
QUADS = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
BLANK_NODES = ("SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { { ?b ?p ?o } UNION { GRAPH ?g { ?b ?p ?o } } "
               "FILTER isBlank(?b) }")
# joins through blank nodes, within the default graph and from a named graph into the default graph
JOINS = "SELECT (COUNT(*) AS ?n) WHERE { ?x ?p ?b FILTER isBlank(?b) ?b ?q ?o }"
ACROSS_GRAPHS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?x ?p ?b FILTER isBlank(?b) } ?b ?q ?o }"


@pytest.fixture
def remote(tmp_path):
    with oxigraph_server(tmp_path / "remote", read_only=False) as base:
        yield base


@pytest.fixture
def counted(monkeypatch):
    """Every HTTP request gpkg.load makes, as (method, URL)."""
    calls, real = [], urllib.request.urlopen

    def urlopen(request, *args, **kwargs):
        calls.append((request.get_method(), request.full_url))
        return real(request, *args, **kwargs)

    monkeypatch.setattr(load_module.urllib.request, "urlopen", urlopen)
    return calls


def count_at(base: str, query: str) -> int:
    answer = requests.get(f"{base}/query", params={"query": query}, headers={"Accept": JSON})
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def count_in(store, query: str) -> int:
    return int(next(iter(store.query(query)))["n"].value)


def rows(result) -> list[tuple[str, ...]]:
    return sorted(tuple(str(value) for value in solution) for solution in result)


def test_load_replaces_the_dataset_in_a_few_requests(remote, store, counted):
    requests.post(f"{remote}/store", data=STALE, headers={"Content-Type": "application/n-quads"}).raise_for_status()
    everything = list(store.oxigraph.quads_for_pattern(None, None, None, None))
    blank = sum(map(has_blank_node, everything))
    assert blank and len(everything) > 2 * blank  # the corpus has both kinds
    batch = 5_000

    done = list(push(store, f"{remote}/store", batch=batch))

    others = len(everything) - blank
    assert len(counted) == len(done) == 1 + -(-others // batch)  # never a request per graph or per triple
    assert [method for method, _ in counted] == ["PUT"] + ["POST"] * (len(done) - 1)
    assert done[-1].blank_nodes and done[-1].quads == blank and not any(r.blank_nodes for r in done[:-1])
    assert sum(r.quads for r in done) == len(everything)
    assert count_at(remote, QUADS) == count_in(store, QUADS)  # the stale graph is gone: exactly the build
    assert count_at(remote, BLANK_NODES) == count_in(store, BLANK_NODES)
    assert count_at(remote, JOINS) == count_in(store, JOINS) > 0
    assert count_at(remote, ACROSS_GRAPHS) == count_in(store, ACROSS_GRAPHS)

    counted.clear()
    again = list(push(store, f"{remote}/store"))  # the default batch holds the corpus's other quads
    assert len(counted) == len(again) == 2
    assert count_at(remote, QUADS) == count_in(store, QUADS)  # replaced, not added to
    assert count_at(remote, BLANK_NODES) == count_in(store, BLANK_NODES)  # blank nodes not duplicated


def test_remote_store_answers_the_saved_queries_like_the_embedded_one(remote, store, knowledge):
    list(push(store, f"{remote}/store", batch=5_000))
    remote_store = open_store(f"{remote}/query")
    for q in saved_queries(knowledge):
        embedded = rows(store.query(q.text))
        assert embedded, q.name
        assert rows(remote_store.query(q.text)) == embedded, q.name


def test_a_failed_request_says_how_far_the_load_got(store, tmp_path):
    (tmp_path / "stale.nq").write_text(STALE, encoding="utf-8")
    with oxigraph_server(tmp_path / "read-only", [tmp_path / "stale.nq"]) as base:  # read-only: writes are refused
        with pytest.raises(GpkgError, match=r"request 1 \(PUT\) failed .*0 quads were stored before it"):
            list(push(store, f"{base}/store"))
