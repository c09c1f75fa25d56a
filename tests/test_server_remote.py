"""The same server answering from a remote SPARQL 1.1 store: a real `oxigraph serve` on loopback, loaded with
`gpkg load --to`, then the protocol through gpkg against it."""

import os
import re
import subprocess
import sys

import pytest
import requests

from conftest import oxigraph_server, start_gpkg_server, stop

JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def remote_store(built, gpkg_home, tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("remote"), read_only=False) as base:
        env = {**os.environ, "GPKG_HOME": str(gpkg_home)}
        loaded = subprocess.run([sys.executable, "-m", "gpkg", "load", "--to", f"{base}/store"], env=env,
                                capture_output=True, text=True)
        assert loaded.returncode == 0, loaded.stderr
        yield base, loaded.stdout


@pytest.fixture(scope="module")
def remote_server(remote_store, gpkg_home):
    base, _ = remote_store
    url, process = start_gpkg_server(gpkg_home, "--endpoint", f"{base}/query", "--query-timeout", "5",
                                     "--rate-limit", "100000 per minute")
    yield url
    stop(process)


def test_load_pushes_every_graph_in_bulk(remote_store, store):
    base, output = remote_store
    summary = output.splitlines()[-1]
    # the quads without blank nodes in one batch, then those with: never a request per graph or triple
    assert "with 2 request(s)" in summary and summary.endswith(" s")
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    remote = requests.get(f"{base}/query", params={"query": count}, headers={"Accept": JSON}).json()
    assert int(remote["results"]["bindings"][0]["n"]["value"]) == int(next(iter(store.query(count)))["n"].value)


def words(response):
    """Each answer as the words of its values: GROUP_CONCAT's order is the engine's (the embedded server answers
    from its in-memory copy, Oxigraph from disk)."""
    return sorted(sorted((name, sorted(re.findall(r"\w+", value["value"]))) for name, value in row.items())
                  for row in response.json()["results"]["bindings"])


def test_protocol_through_gpkg_against_the_remote_store(remote_server, server, knowledge):
    from gpkg.queries import saved_queries

    for q in saved_queries(knowledge):
        via_remote = requests.post(f"{remote_server}/sparql", data={"query": q.text}, headers={"Accept": JSON})
        via_embedded = requests.post(f"{server}/sparql", data={"query": q.text}, headers={"Accept": JSON})
        assert via_remote.status_code == 200, (q.name, via_remote.text)
        assert words(via_remote) == words(via_embedded), q.name
    ttl = requests.get(f"{remote_server}/sparql", params={"query": "DESCRIBE <https://w3id.org/gpkg/id/al-hassan>"},
                       headers={"Accept": "text/turtle"})
    assert ttl.status_code == 200 and "al-hassan" in ttl.text


def test_remote_server_stays_safe(remote_server):
    update = requests.post(f"{remote_server}/sparql", data={"update": "CLEAR ALL"})
    smuggled = requests.get(f"{remote_server}/sparql", params={"query": "DROP ALL"})
    assert update.status_code == smuggled.status_code == 403
    malformed = requests.get(f"{remote_server}/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert malformed.status_code == 400
    description = requests.get(f"{remote_server}/sparql", headers={"Accept": "text/turtle"}).text
    assert "UnionDefaultGraph" not in description  # only what this deployment really does is advertised
