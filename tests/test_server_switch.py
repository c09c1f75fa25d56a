"""A new build becomes visible to a running server atomically: clients querying throughout see no failed request."""

import threading
import time
from collections import Counter

import requests

from gpkg.build import build
from gpkg.knowledge import Knowledge

from conftest import start_gpkg_server, stop
from test_build import knowledge_copy


def test_new_build_is_picked_up_without_failed_requests(tmp_path):
    root, home = knowledge_copy(tmp_path), tmp_path / "home"
    first = build(Knowledge.at(root), home=home, reasoner="rules")
    base, process = start_gpkg_server(home, "--workers", "2", "--rate-limit", "1000000 per minute")
    statuses, seen = Counter(), Counter()
    lock = threading.Lock()
    done = threading.Event()

    def client(n):
        i = 0
        while not done.is_set():
            query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} # client {n} request {i}"
            response = requests.post(f"{base}/sparql", data={"query": query},
                                     headers={"Accept": "application/sparql-results+json"})
            with lock:
                statuses[response.status_code] += 1
                seen[response.headers.get("X-GPKG-Build")] += 1
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    try:
        for t in threads:
            t.start()
        time.sleep(1)
        second = build(Knowledge.at(root), home=home, reasoner="rules", force=True)
        time.sleep(3)
    finally:
        done.set()
        for t in threads:
            t.join()
        stop(process)
    assert set(statuses) == {200}, statuses
    assert seen[first.path.name] > 0 and seen[second.path.name] > 0, seen
