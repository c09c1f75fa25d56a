"""Safe by default: read-only, timeouts that really stop work, no egress, limits, rate limiting, robustness."""

import socket
import threading
import time
from collections import Counter

import pytest
import requests
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import start_gpkg_server, stop

SIMPLE = "ASK { ?s a <https://w3id.org/gpkg/ontology#Decision> }"
UPDATES = [
    "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
    "DELETE DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX ex: <http://example.org/> INSERT { ?s ex:p 1 } WHERE { ?s ?p ?o }",
    "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "LOAD SILENT <http://127.0.0.1:9/x> INTO GRAPH <http://example.org/g>",
    "CLEAR ALL", "CLEAR DEFAULT", "DROP GRAPH <http://example.org/g>", "DROP ALL",
    "CREATE GRAPH <http://example.org/g>",
    "ADD DEFAULT TO <http://example.org/g>", "MOVE DEFAULT TO <http://example.org/g>",
    "COPY <http://example.org/a> TO <http://example.org/b>",
    "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }",
]


@pytest.mark.parametrize("update", UPDATES)
def test_every_update_form_is_refused(server, update):
    as_update = requests.post(f"{server}/sparql", data={"update": update})
    smuggled_get = requests.get(f"{server}/sparql", params={"query": update})
    smuggled_post = requests.post(f"{server}/sparql", data=update.encode(),
                                  headers={"Content-Type": "application/sparql-query"})
    update_body = requests.post(f"{server}/sparql", data=update.encode(),
                                headers={"Content-Type": "application/sparql-update"})
    assert [r.status_code for r in (as_update, smuggled_get, smuggled_post, update_body)] == [403] * 4
    assert "read-only" in smuggled_get.text


def test_the_data_is_unchanged_after_update_attempts(server):
    query = "ASK { <http://example.org/a> ?p ?o }"
    assert requests.get(f"{server}/sparql", params={"query": query}).json()["boolean"] is False


def test_runaway_query_is_stopped_and_others_are_served_meanwhile(server):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    outcome = {}

    def run():
        started = time.monotonic()
        response = requests.post(f"{server}/sparql", data={"query": runaway})
        outcome.update(status=response.status_code, seconds=time.monotonic() - started, text=response.text)

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.3)
    answered = 0
    while thread.is_alive():
        response = requests.post(f"{server}/sparql", data={"query": SIMPLE + f" # {answered}"})
        assert response.status_code == 200
        answered += 1
    thread.join()
    assert outcome["status"] == 503 and "stopped" in outcome["text"]
    assert outcome["seconds"] < 2 + 3  # the 2 s limit plus a margin
    assert answered >= 1
    metrics = requests.get(f"{server}/metrics").text
    assert "gpkg_query_timeouts_total 0" not in metrics
    # the killed worker is replaced: the server keeps answering
    deadline = time.monotonic() + 30
    while requests.post(f"{server}/sparql", data={"query": SIMPLE}).status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(0.2)


class Listener:
    """A loopback TCP listener that records every connection attempt."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                continue

    def close(self):
        self._stop = True
        self.thread.join()
        self.sock.close()


def test_no_egress_to_a_loopback_listener(server):
    listener = Listener()
    try:
        target = f"http://127.0.0.1:{listener.port}/sparql"
        for query in [f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
                      f"PREFIX x: <http://127.0.0.1:{listener.port}/> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ SERVICE <http://localhost:{listener.port}/> {{ ?s ?p ?o }} }}",
                      "SELECT * WHERE { BIND(<http://example.org/> AS ?e) SERVICE ?e { ?s ?p ?o } }"]:
            assert requests.get(f"{server}/sparql", params={"query": query}).status_code == 403, query
        for query in [f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}",
                      f"SELECT * FROM NAMED <{target}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"]:
            response = requests.get(f"{server}/sparql", params={"query": query},
                                    headers={"Accept": "application/sparql-results+json"})
            assert response.status_code == 200 and response.json()["results"]["bindings"] == []
        response = requests.get(f"{server}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }",
                                                              "default-graph-uri": target})
        assert response.status_code == 200
        time.sleep(0.5)
        assert listener.connections == 0
    finally:
        listener.close()


def test_oversized_requests_are_413(server):
    huge_body = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_200_000
    response = requests.post(f"{server}/sparql", data=huge_body.encode(),
                             headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 120_000
    response = requests.post(f"{server}/sparql", data={"query": long_query})
    assert response.status_code == 413 and "too long" in response.text


def test_rate_limit_answers_429_with_retry_after(built, gpkg_home):
    base, process = start_gpkg_server(gpkg_home, "--rate-limit", "5 per minute", "--workers", "1")
    try:
        statuses = [requests.get(f"{base}/sparql", params={"query": SIMPLE}).status_code for _ in range(7)]
        assert statuses[:5] == [200] * 5 and statuses[-1] == 429
        limited = requests.get(f"{base}/sparql", params={"query": SIMPLE})
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
        assert requests.get(f"{base}/healthz").status_code == 200  # health checks are not rate limited
    finally:
        stop(process)


STATUS = Counter()
ACCEPTS = st.sampled_from(["*/*", "application/sparql-results+json", "text/turtle", "text/html", "image/png",
                           "application/json;q=0.5, text/csv", "", "text/*;q=abc", "garbage/<>"])
QUERY_PARTS = st.sampled_from(["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "?s", "?p", "?o", "(",
                               ")", "<http://x>", '"lit"', "FILTER", "OPTIONAL", "UNION", "LIMIT", "1", ".", ";",
                               "SERVICE", "GRAPH", "PREFIX", "x:", "BIND", "AS", "*", "COUNT", "\u00e9", "\x00"])


@settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
@given(parts=st.lists(QUERY_PARTS, max_size=14), noise=st.text(max_size=30), accept=ACCEPTS,
       method=st.sampled_from(["GET", "POST-form", "POST-body", "POST-odd"]),
       extra=st.dictionaries(st.sampled_from(["format", "default-graph-uri", "named-graph-uri", "update", "x"]),
                             st.text(max_size=20), max_size=2))
def test_fuzzed_requests_never_get_5xx(server, parts, noise, accept, method, extra):
    query = " ".join(parts) + noise
    headers = {"Accept": accept}
    params = {"query": query, **extra}
    if method == "GET":
        response = requests.get(f"{server}/sparql", params=params, headers=headers)
    elif method == "POST-form":
        response = requests.post(f"{server}/sparql", data=params, headers=headers)
    elif method == "POST-body":
        response = requests.post(f"{server}/sparql", data=query.encode("utf-8", "surrogatepass"),
                                 headers={**headers, "Content-Type": "application/sparql-query"})
    else:
        response = requests.post(f"{server}/sparql", data=noise.encode("utf-8", "surrogatepass"),
                                 headers={**headers, "Content-Type": "multipart/form-data; boundary="
                                          + ("".join(c for c in noise if c.isascii() and c.isalnum())[:5] or "b")})
    STATUS[response.status_code] += 1
    assert response.status_code < 500 or response.status_code == 503 and "stopped" in response.text, response.text


def test_fuzz_summary_and_server_still_up(server, capsys):
    with capsys.disabled():
        print(f"\nfuzzed requests by status: {dict(sorted(STATUS.items()))}")
    assert sum(STATUS.values()) >= 1000
    assert requests.get(f"{server}/healthz").status_code == 200


def test_concurrent_clients_run_the_query_mix_without_errors(server, knowledge, capsys):
    from gpkg.queries import saved_queries

    mix = [q.text for q in saved_queries(knowledge)]
    results = Counter()
    lock = threading.Lock()
    stop_at = time.monotonic() + 8

    def client(n):
        i = n
        while time.monotonic() < stop_at:
            query = mix[i % len(mix)]
            if i % 2:
                response = requests.get(f"{server}/sparql", params={"query": query})
            else:
                response = requests.post(f"{server}/sparql", data={"query": query})
            with lock:
                results[response.status_code] += 1
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with capsys.disabled():
        print(f"\nconcurrent query mix, 6 clients, 8 s: {dict(results)}")
    assert set(results) == {200} and sum(results.values()) >= 50
