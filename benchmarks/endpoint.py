"""Benchmark: the queries/ mix with concurrent clients against `gpkg serve` and, in the same run, against
`oxigraph serve-read-only` on the same data. Prints requests/s, median and p99 latency, and the ratio.

    python benchmarks/endpoint.py [--clients 8] [--seconds 20] [--home GPKG_HOME]

It uses the current build (run `gpkg build` first), starts both servers on free loopback ports, and stops them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from gpkg import builds
from gpkg.knowledge import Knowledge
from gpkg.queries import saved_queries
from load_clients import Server, free_port, query_calls, run_mix

RATE = "100000000 per minute"


def cold_start(env: dict) -> float:
    """Seconds from launching `gpkg serve` to its first answer."""
    port = free_port()
    started = time.perf_counter()
    with Server("gpkg serve", [sys.executable, "-m", "gpkg", "serve", "--port", str(port)], env=env):
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"}, timeout=1).ok:
                    return time.perf_counter() - started
            except requests.RequestException:
                time.sleep(0.01)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--home", help="GPKG_HOME holding the build (default: as gpkg uses)")
    args = parser.parse_args()
    home = Path(args.home) if args.home else builds.home()
    build = builds.current(home)
    calls = query_calls([q.text for q in saved_queries(Knowledge.at())])
    env = {**os.environ, "GPKG_HOME": str(home)}
    oxigraph = shutil.which("oxigraph")
    if oxigraph is None:
        sys.exit("install the oxigraph server CLI: pip install oxigraph")
    print(f"gpkg serve cold start to first answer: {cold_start(env):.2f} s")
    servers: list[Server] = []
    with tempfile.TemporaryDirectory(prefix="gpkg-bench-") as tmp:
        try:
            for dump in ("gpkg.nq", "gpkg.nt"):  # laid out as gpkg's store: graph per file, union as default graph
                subprocess.run([oxigraph, "load", "--location", tmp, "--file", str(build / "dumps" / dump)],
                               check=True, capture_output=True)
            ox_port, gp_port, nc_port = free_port(), free_port(), free_port()
            servers.append(Server("oxigraph serve-read-only", [oxigraph, "serve-read-only", "--location", tmp,
                                  "--bind", f"127.0.0.1:{ox_port}"]))
            servers.append(Server("gpkg serve", [sys.executable, "-m", "gpkg", "serve", "--port", str(gp_port),
                                                 "--rate-limit", RATE], env=env))
            servers.append(Server("gpkg serve (cache off)", [sys.executable, "-m", "gpkg", "serve", "--port",
                                  str(nc_port), "--rate-limit", RATE], env={**env, "GPKG_CACHE_ENTRIES": "0"}))
            targets = {"oxigraph serve-read-only": f"http://127.0.0.1:{ox_port}/query",
                       "gpkg serve": f"http://127.0.0.1:{gp_port}/sparql",
                       "gpkg serve (cache off)": f"http://127.0.0.1:{nc_port}/sparql"}
            for server, url in zip(servers, targets.values()):
                server.wait_ready(f"{url}?query=ASK%7B%7D", timeout=60)
            print(f"build {build.name}; {len(calls)} saved queries; {args.clients} clients; {args.seconds:g} s each;"
                  f" {os.cpu_count()} CPUs")
            results = {name: run_mix(url, calls, args.clients, args.seconds) for name, url in targets.items()}
        finally:
            for server in servers:
                server.stop()
    print(f"{'server':28} {'requests':>9} {'errors':>7} {'req/s':>9} {'median ms':>10} {'p99 ms':>9}")
    for name, r in results.items():
        print(f"{name:28} {r.requests:>9} {r.requests - r.ok:>7} {r.requests / r.wall:>9.1f} {r.median_ms:>10.2f}"
              f" {r.percentile_ms(0.99):>9.2f}")
    for name in ("gpkg serve", "gpkg serve (cache off)"):
        ratio = results[name].requests / results[name].wall / (results["oxigraph serve-read-only"].requests
                                                                / results["oxigraph serve-read-only"].wall)
        print(f"{name} / oxigraph throughput ratio: {ratio:.2f}")


if __name__ == "__main__":
    main()
