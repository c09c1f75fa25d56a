"""Soak test: `gpkg serve` under a mixed load for a bounded time, on loopback; checks that nothing fails and that
memory stays flat. Exits 1 on any 5xx, timeout or connection error, on any unexpected status, or on memory growth.

    python benchmarks/soak.py [--minutes 3] [--clients 6] [--store DIR | --home GPKG_HOME]

The server is started on 127.0.0.1 on a free port and stopped at the end (the current build, built into a temporary
GPKG_HOME with `gpkg build` if there is none, or --store). Its rate limit is raised (all clients share one address);
everything else is as deployed (query cache on, 2 query workers, 30 s query timeout). The mix: the saved queries by
GET (cached) and POST (run each time) in SPARQL JSON, XML, CSV and TSV; SELECT, ASK, CONSTRUCT and DESCRIBE in every
result format; the service description; and requests that must be refused — malformed queries (400), updates (403),
an unacceptable Accept type (406). The resident memory of the server's process tree (server and query workers) is
sampled every --sample seconds. Memory is flat when, after the warm-up (the first quarter of the run), it grows by
less than --max-growth-mib or --max-growth-pct, whichever is larger (medians of the first and last three samples).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from load_clients import Call, RssSampler, Server, free_port, run_mix
from queries import gpkg_command, real_dataset

from gpkg.knowledge import Knowledge
from gpkg.queries import saved_queries

MiB = 1 << 20
RESULTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values"]
GRAPHS = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
GP = "PREFIX gp: <https://w3id.org/gpkg/ontology#> "


def mix() -> list[Call]:
    calls = []
    for i, q in enumerate(saved_queries(Knowledge.at())):
        accept = RESULTS[i % len(RESULTS)]
        calls.append(Call(f"GET {q.name}", params={"query": q.text}, headers={"Accept": accept}))
        calls.append(Call(f"POST {q.name}", data={"query": q.text}, headers={"Accept": accept}))
    select = GP + "SELECT ?d ?date WHERE { ?d a gp:Decision ; <http://purl.org/dc/terms/date> ?date } ORDER BY ?date"
    for accept in RESULTS:
        calls.append(Call(f"SELECT as {accept}", data={"query": select}, headers={"Accept": accept}))
        calls.append(Call(f"ASK as {accept}", params={"query": GP + "ASK { ?x a gp:Decision }"},
                          headers={"Accept": accept}))
    for accept in GRAPHS:
        calls.append(Call(f"CONSTRUCT as {accept}", headers={"Accept": accept}, data={
            "query": GP + "CONSTRUCT { ?c ?p ?o } WHERE { ?c a gp:Court ; ?p ?o }"}))
        calls.append(Call(f"DESCRIBE as {accept}", headers={"Accept": accept},
                          params={"query": "DESCRIBE <https://w3id.org/gpkg/id/al-hassan>"}))
    calls.append(Call("service description", headers={"Accept": "text/turtle"}))
    bad = {400: ["SELECT * WHERE { ?s ?p }", "SELEC ?x WHERE { ?x ?y ?z }",
                 "SELECT ?x WHERE { ?x a nosuchprefix:Thing }"],
           403: ["DROP ALL", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"]}
    for status, queries in bad.items():
        for q in queries:
            calls.append(Call(f"refused {q[:40]!r}", params={"query": q}, expect=frozenset({status})))
    calls.append(Call("update form", data={"update": "CLEAR ALL"}, expect=frozenset({403})))
    calls.append(Call("unacceptable type", params={"query": select}, headers={"Accept": "image/png"},
                      expect=frozenset({406})))
    return calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--sample", type=float, default=5, help="seconds between memory samples")
    parser.add_argument("--store", type=Path, help="store directory to serve (default: the current build)")
    parser.add_argument("--home", type=Path, help="GPKG_HOME holding the build (default: as gpkg uses)")
    parser.add_argument("--max-growth-mib", type=float, default=32)
    parser.add_argument("--max-growth-pct", type=float, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="gpkg-soak-") as tmp:
        store = args.store or real_dataset(Path(tmp), args.home).store
        calls = mix()
        port = free_port()
        url = f"http://127.0.0.1:{port}/sparql"
        seconds = args.minutes * 60
        print(f"soak: {seconds:.0f} s, {args.clients} clients, {len(calls)} kinds of request, store {store}, "
              f"load average {os.getloadavg()[0]:.2f}", flush=True)
        with Server("gpkg serve", gpkg_command("serve", "--host", "127.0.0.1", "--port", str(port), "--store",
                                               str(store), "--rate-limit", "100000000 per minute")) as server:
            server.wait_ready(f"{url}?query=ASK%7B%7D", timeout=120)
            sampler = RssSampler(server.pid, interval=args.sample).start()
            try:
                result = run_mix(url, calls, args.clients, seconds, timeout=60)
            finally:
                sampler.stop()
            alive = server.process.poll() is None
    samples = sampler.samples
    rss = [r for _, r in samples]
    warm = [r for t, r in samples if t >= seconds / 4] or rss
    before, after = statistics.median(warm[:3]), statistics.median(warm[-3:])
    growth = after - before
    limit = max(args.max_growth_mib * MiB, before * args.max_growth_pct / 100)
    slope = _slope([(t, r) for t, r in samples if t >= seconds / 4] or samples)
    flat = growth < limit

    print(f"requests: {result.requests} in {result.wall:.0f} s ({result.requests / result.wall:.1f}/s); "
          f"as expected: {result.ok}")
    print("statuses: " + ", ".join(f"{s}: {n}" for s, n in sorted(result.statuses.items(), key=str)))
    print(f"errors (5xx, timeouts, connection errors): {result.errors}")
    print(f"unexpected statuses (not 5xx): {sum(result.unexpected.values())}"
          + "".join(f"\n  {label}: {n}" for label, n in result.unexpected.most_common()))
    print(f"server still running at the end: {'yes' if alive else 'NO'}")
    print(f"RSS (server + workers): start {rss[0] / MiB:.0f} MiB, middle {rss[len(rss) // 2] / MiB:.0f} MiB, "
          f"end {rss[-1] / MiB:.0f} MiB, peak {max(rss) / MiB:.0f} MiB; {len(rss)} samples every {args.sample:g} s")
    print(f"after warm-up ({seconds / 4:.0f} s): {before / MiB:.1f} -> {after / MiB:.1f} MiB, growth "
          f"{growth / MiB:+.1f} MiB, slope {slope * 60 / MiB:+.2f} MiB/min; threshold {limit / MiB:.1f} MiB "
          f"(max of {args.max_growth_mib:g} MiB and {args.max_growth_pct:g} %)")
    checks = (("errors", result.errors), ("unexpected statuses", sum(result.unexpected.values())),
              ("memory growing", not flat), ("server died", not alive))
    failures = [what for what, bad in checks if bad]
    print(f"verdict: {'PASS' if not failures else 'FAIL: ' + ', '.join(failures)} — memory "
          f"{'flat' if flat else 'GROWING'}, {result.errors} errors")
    sys.exit(1 if failures else 0)


def _slope(points: list[tuple[float, int]]) -> float:
    """Least-squares bytes per second."""
    if len(points) < 2:
        return 0.0
    mt = statistics.fmean(t for t, _ in points)
    mr = statistics.fmean(r for _, r in points)
    den = sum((t - mt) ** 2 for t, _ in points)
    return sum((t - mt) * (r - mr) for t, r in points) / den if den else 0.0


if __name__ == "__main__":
    main()
