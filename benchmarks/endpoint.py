"""Benchmark: the queries/ mix with concurrent clients against `gpkg serve` and, in the same run, against
`oxigraph serve-read-only` on the same data. Prints requests/s, median and p99 latency, and the ratio.

    python benchmarks/endpoint.py [--clients 8] [--seconds 20] [--home GPKG_HOME]

It uses the current build (run `gpkg build` first), starts both servers on free loopback ports, and stops them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from gpkg import builds
from gpkg.knowledge import Knowledge
from gpkg.queries import saved_queries

ACCEPT = {"Accept": "application/sparql-results+json"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise TimeoutError(url)


def cold_start(env: dict) -> float:
    """Seconds from launching `gpkg serve` to its first answer."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "gpkg", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"}, timeout=1).ok:
                    return time.perf_counter() - started
            except requests.RequestException:
                time.sleep(0.01)
    finally:
        process.terminate()
        process.wait(10)


def run_mix(url: str, queries: list[str], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        nonlocal errors
        session = requests.Session()
        i = n
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            response = session.get(url, params={"query": queries[i % len(queries)]}, headers=ACCEPT)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors += response.status_code != 200
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    latencies.sort()
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / wall,
            "median_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--home", help="GPKG_HOME holding the build (default: as gpkg uses)")
    args = parser.parse_args()
    home = Path(args.home) if args.home else builds.home()
    build = builds.current(home)
    queries = [q.text for q in saved_queries(Knowledge.at())]
    env = {**os.environ, "GPKG_HOME": str(home)}
    oxigraph = shutil.which("oxigraph")
    if oxigraph is None:
        sys.exit("install the oxigraph server CLI: pip install oxigraph")
    print(f"gpkg serve cold start to first answer: {cold_start(env):.2f} s")
    procs = []
    with tempfile.TemporaryDirectory(prefix="gpkg-bench-") as tmp:
        try:
            subprocess.run([oxigraph, "load", "--location", tmp, "--file", str(build / "dumps" / "gpkg.nq")],
                           check=True, capture_output=True)
            ox_port, gp_port, nc_port = free_port(), free_port(), free_port()
            procs.append(subprocess.Popen([oxigraph, "serve-read-only", "--location", tmp, "--bind",
                                           f"127.0.0.1:{ox_port}", "--union-default-graph"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            procs.append(subprocess.Popen([sys.executable, "-m", "gpkg", "serve", "--port", str(gp_port),
                                           "--rate-limit", "100000000 per minute"], env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            procs.append(subprocess.Popen([sys.executable, "-m", "gpkg", "serve", "--port", str(nc_port),
                                           "--rate-limit", "100000000 per minute"], env={**env, "GPKG_CACHE_ENTRIES": "0"},
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            targets = {"oxigraph serve-read-only": f"http://127.0.0.1:{ox_port}/query",
                       "gpkg serve": f"http://127.0.0.1:{gp_port}/sparql",
                       "gpkg serve (cache off)": f"http://127.0.0.1:{nc_port}/sparql"}
            for url in targets.values():
                wait(f"{url}?query=ASK%7B%7D")
            print(f"build {build.name}; {len(queries)} saved queries; {args.clients} clients; {args.seconds:g} s each;"
                  f" {os.cpu_count()} CPUs")
            results = {name: run_mix(url, queries, args.clients, args.seconds) for name, url in targets.items()}
        finally:
            for p in procs:
                p.terminate()
                p.wait(10)
    print(f"{'server':28} {'requests':>9} {'errors':>7} {'req/s':>9} {'median ms':>10} {'p99 ms':>9}")
    for name, r in results.items():
        print(f"{name:28} {r['requests']:>9} {r['errors']:>7} {r['rps']:>9.1f} {r['median_ms']:>10.2f} {r['p99_ms']:>9.2f}")
    for name in ("gpkg serve", "gpkg serve (cache off)"):
        ratio = results[name]["rps"] / results["oxigraph serve-read-only"]["rps"]
        print(f"{name} / oxigraph throughput ratio: {ratio:.2f}")


if __name__ == "__main__":
    main()
