"""Benchmark: the saved-query mix at three sizes — the real corpus, ~1M and ~10M triples — against gpkg and against
Oxigraph's and rdflib-endpoint's own servers. Prints throughput, latency, errors, peak memory and the ratios.

    python benchmarks/queries.py [--sizes real 1M 10M] [--clients 8] [--seconds 15] [--query-timeout 30]

Sizes: `real` is the current build (GPKG_HOME, or --home), built into a temporary GPKG_HOME with `gpkg build` if
there is none; `1M` and `10M` are `gpkg synth --decisions 12000 / 120000 --seed 1` (any other number N means N
decisions). Synthetic corpora are not run through `gpkg build`: their Turtle files are bulk-loaded into a
pyoxigraph store laid out as a build's: each file in its own named graph, the defined-class rules of gpkg.rules (the
memberships the saved queries use) in the inferred graph, and the union of all graphs as the default graph.

For every size, each target is started on 127.0.0.1 on a free port, measured alone, and stopped:
  gpkg serve                    `gpkg serve --store DIR` on the embedded store (query cache on, default graph
                                copied into each worker's memory if it fits: --memory auto, as deployed)
  gpkg serve, cache off         the same with GPKG_CACHE_ENTRIES=0: every request runs its query
  gpkg serve, on disk           the same with GPKG_MEMORY=off (cache on): every query on the store on disk
  oxigraph serve-read-only      Oxigraph's server on a copy of the store (default graph: the union, as in
                                gpkg's store), filled with `gpkg load --to` (timed)
  gpkg serve --endpoint (...)   gpkg in front of that Oxigraph server, cache on and off
  rdflib-endpoint               `rdflib-endpoint serve FILE` on a flat N-Triples dump
                                (pip install -e '.[bench]', which installs 'rdflib-endpoint[cli]')
Every target gets the same mix (GET, SPARQL JSON) from --clients threads for --seconds; requests under way at the
end are waited for. gpkg and Oxigraph stop queries after --query-timeout seconds; clients give up 15 s later.
Anything but 200 counts as an error. "ok/s" is answers with status 200 per second of wall time; latencies are over
all requests; peak RSS is the summed resident memory of the target's process tree (gpkg: the server and its query
workers; gpkg --endpoint: plus the Oxigraph server behind it), sampled every 0.5 s from its start.

rdflib-endpoint holds everything in memory: if the load time or memory extrapolated (linearly in triples) from a
smaller size measured in the same run exceeds --rdflib-max-load seconds or half the available memory, it is skipped
at that size with the reason and the extrapolation, rather than run.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from load_clients import MixResult, RssSampler, Server, free_port, query_calls, run_mix

from gpkg import builds
from gpkg.errors import GpkgError
from gpkg.knowledge import Knowledge
from gpkg.queries import saved_queries
from server.workers import available_memory

SIZES = {"real": None, "1M": 12_000, "10M": 120_000}
LAYOUT = 3  # of prepared synthetic stores: named graphs, inferred graph, union as the default graph; dumps/gpkg.nt
RATE = "100000000 per minute"
MiB = 1 << 20


@dataclass
class Dataset:
    label: str
    store: Path  # pyoxigraph store directory (what `gpkg serve --store` serves)
    triples: int = 0
    flat: Path | None = None  # N-Triples of the union of all graphs, for rdflib-endpoint
    prep: dict = field(default_factory=dict)  # step -> seconds or figures


@dataclass
class Row:
    target: str
    result: MixResult | None = None
    peak: int = 0
    note: str = ""


def log(message: str) -> None:
    print(message, flush=True)


def gpkg_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "gpkg", *args]


def union_triples(store_dir: Path) -> int:
    from gpkg.store.embedded import EmbeddedStore

    store = EmbeddedStore.open_read_only(store_dir)
    try:
        return store.triple_count()
    finally:
        del store
        gc.collect()


# ---------------------------------------------------------------- data sets


def real_dataset(work: Path, home: Path | None) -> Dataset:
    home = home or builds.home()
    prep = {}
    try:
        build = builds.current(home)
        log(f"[real] using the current build {build}")
    except GpkgError:  # no build yet: make one
        log(f"[real] no build under {home}; running `gpkg build` into {work / 'real-home'}")
        home = work / "real-home"
        started = time.perf_counter()
        done = subprocess.run(gpkg_command("build"), env={**os.environ, "GPKG_HOME": str(home)},
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"gpkg build failed:\n{done.stderr[-3000:]}")
        prep["gpkg build s"] = time.perf_counter() - started
        build = builds.current(home)
    manifest = builds.manifest(build)
    return Dataset("real", build / "store", manifest["triples"], build / "dumps" / "gpkg.nt", prep)


def synthetic_dataset(label: str, decisions: int, work: Path) -> Dataset:
    """`gpkg synth`, then a store laid out as a build's (reused if already prepared in `work`)."""
    folder = work / label
    done = folder / "prepared.json"
    if done.exists() and json.loads(done.read_text()).get("layout") == LAYOUT:
        data = json.loads(done.read_text())
        log(f"[{label}] reusing {folder}")
        return Dataset(label, folder / "store", data["triples"], folder / "dumps" / "gpkg.nt", data["prep"])
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    prep = {}
    started = time.perf_counter()
    subprocess.run(gpkg_command("synth", "--decisions", str(decisions), "--seed", "1", "--out", str(folder / "root")),
                   check=True, capture_output=True)
    prep["synth s"] = time.perf_counter() - started
    log(f"[{label}] gpkg synth --decisions {decisions}: {prep['synth s']:.1f} s")
    (folder / "dumps").mkdir()
    prep.update(index_synthetic(folder / "root", folder / "store", folder / "dumps" / "gpkg.nt"))
    log(f"[{label}] bulk load {prep['index s']:.1f} s, rules {prep['rules s']:.1f} s "
        f"({prep['inferred']} inferred memberships), union as default graph {prep['union s']:.1f} s")
    triples = union_triples(folder / "store")
    done.write_text(json.dumps({"layout": LAYOUT, "triples": triples, "prep": prep}))
    return Dataset(label, folder / "store", triples, folder / "dumps" / "gpkg.nt", prep)


def index_synthetic(root: Path, out: Path, union: Path) -> dict:
    from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse, serialize

    from gpkg.rules import infer

    knowledge = Knowledge.at(root)

    def quads():
        for path in knowledge.rdf_files():  # as the build indexes: each file in the graph Knowledge.graph_iri names
            graph = NamedNode(knowledge.graph_iri(path))
            for quad in parse(path=str(path), format=RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
                yield Quad(quad.subject, quad.predicate, quad.object, graph)

    store = Store(str(out))
    started = time.perf_counter()
    store.bulk_extend(quads())
    store.flush()
    indexed = time.perf_counter()
    inferred, _ = infer(store)  # the build's rules: the same inferred graph as `gpkg build` writes
    store.flush()
    reasoned = time.perf_counter()
    everything = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    serialize(everything, str(union), format=RdfFormat.N_TRIPLES)  # also what rdflib-endpoint loads
    store.bulk_load(path=str(union), format=RdfFormat.N_TRIPLES)  # the union as the default graph, as a build has
    store.flush()
    finished = time.perf_counter()
    del store
    gc.collect()
    return {"index s": indexed - started, "rules s": reasoned - indexed, "inferred": inferred,
            "union s": finished - reasoned}


# ---------------------------------------------------------------- measuring


def gpkg_load(data: Dataset, oxigraph: str, location: Path) -> dict:
    """Fill an Oxigraph store with `gpkg load --to` through `oxigraph serve` (its bulk loader: ?no_transaction)."""
    port = free_port()
    command = [oxigraph, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    with Server("oxigraph serve", command) as ox:
        ox.wait_ready(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=60)
        target = f"http://127.0.0.1:{port}/store?no_transaction"
        started = time.perf_counter()
        done = subprocess.run(gpkg_command("load", "--to", target, "--store", str(data.store)), capture_output=True,
                              text=True)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"gpkg load failed: {done.stderr[-2000:]}")
    summary = done.stdout.strip().splitlines()[-1]
    match = re.search(r"loaded (\d+) quads into .* with (\d+) request\(s\)", summary)
    quads, requests_ = (int(g) for g in match.groups())
    lines = re.findall(r"^  (request \d+ .*, ([\d.]+) s)$", done.stdout, re.MULTILINE)
    blank = [line for line, _ in lines if "blank node" in line]
    each = [float(seconds) for line, seconds in lines if "blank node" not in line]
    log(f"[{data.label}] gpkg load --to {target}: {quads} quads, {requests_} requests, {wall:.1f} s; "
        f"{len(each)} without blank nodes took {min(each, default=0):.1f} to {max(each, default=0):.1f} s each; "
        f"{'; '.join(blank) or 'no blank nodes'}")
    return {"quads": quads, "requests": requests_, "seconds": wall, "blank": "; ".join(blank) or "no blank nodes"}


def measure(name: str, url: str, calls, args, servers: list[Server], dedicated: Server | None) -> Row:
    sampler = RssSampler(*(s.pid for s in servers)).start()
    try:
        result = run_mix(url, calls, args.clients, args.seconds, timeout=args.query_timeout + 15)
    finally:
        sampler.stop()
    peak = max(sampler.peak, dedicated.rss.peak if dedicated else 0)
    row = Row(name, result, peak, status_note(result))
    log(f"    {name}: {result.requests} requests, {result.ok_rps:.2f} ok/s, median {result.median_ms:.0f} ms, "
        f"p99 {result.percentile_ms(0.99):.0f} ms, peak {peak / MiB:.0f} MiB, {result.requests - result.ok} errors "
        f"{row.note}")
    return row


def status_note(result: MixResult) -> str:
    bad = {s: n for s, n in result.statuses.items() if s != 200}
    return " ".join(f"{s}x{n}" for s, n in sorted(bad.items(), key=str))


def gpkg_serve(name, args, extra: list[str], env: dict | None = None) -> tuple[Server, str, float]:
    port = free_port()
    server = Server(name, gpkg_command("serve", "--host", "127.0.0.1", "--port", str(port), "--rate-limit", RATE,
                                       "--query-timeout", str(args.query_timeout),
                                       "--result-limit", str(args.result_limit), *extra),
                    env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}/sparql"
    ready = server.wait_ready(f"{url}?query=ASK%7B%7D", timeout=900)  # workers may copy the default graph first
    log(f"    {name}: answering {ready:.1f} s after its start")
    return server, url, ready


def run_size(data: Dataset, rows: list[Row], args, calls, oxigraph: str, work: Path, rdflib_seen: list[dict]
             ) -> None:
    """Measure every target on `data`, appending to `rows` as it goes."""
    log(f"[{data.label}] {data.triples} triples")
    for name, env in (("gpkg serve", None), ("gpkg serve, cache off", {"GPKG_CACHE_ENTRIES": "0"}),
                      ("gpkg serve, on disk", {"GPKG_MEMORY": "off"})):
        server, url, data.prep[f"{name}: start s"] = gpkg_serve(name, args, ["--store", str(data.store)], env)
        with server:
            rows.append(measure(name, url, calls, args, [server], server))

    remote = work / data.label / "oxigraph"
    shutil.rmtree(remote, ignore_errors=True)
    remote.parent.mkdir(parents=True, exist_ok=True)
    data.prep["gpkg load"] = gpkg_load(data, oxigraph, remote)
    port = free_port()
    with Server("oxigraph serve-read-only", [oxigraph, "serve-read-only", "--location", str(remote), "--bind",
                                              f"127.0.0.1:{port}", "--timeout-s", str(int(args.query_timeout))]) as ox:
        endpoint = f"http://127.0.0.1:{port}/query"
        ox.wait_ready(f"{endpoint}?query=ASK%7B%7D", timeout=120)
        rows.append(measure("oxigraph serve-read-only", endpoint, calls, args, [ox], ox))
        for name, env in (("gpkg serve --endpoint (oxigraph)", None),
                          ("gpkg serve --endpoint, cache off", {"GPKG_CACHE_ENTRIES": "0"})):
            server, url, _ = gpkg_serve(name, args, ["--endpoint", endpoint], env)
            with server:
                rows.append(measure(name, url, calls, args, [server, ox], server))
    rows.append(run_rdflib(data, args, calls, rdflib_seen))


def run_rdflib(data: Dataset, args, calls, seen: list[dict]) -> Row:
    name = "rdflib-endpoint"
    exe = shutil.which("rdflib-endpoint")
    if exe is None:
        return Row(name, note="skipped (not installed: pip install -e '.[bench]')")
    if seen:
        base = max(seen, key=lambda s: s["triples"])
        scale = data.triples / base["triples"]
        load_s, peak = base["load s"] * scale, base["peak"] * scale
        budget = available_memory() / 2
        if load_s > args.rdflib_max_load or peak > budget:
            why = "load time" if load_s > args.rdflib_max_load else "memory"
            note = (f"skipped ({why}: measured {base['load s']:.0f} s to load and {base['peak'] / MiB:.0f} MiB peak at "
                    f"{base['triples']} triples; linear extrapolation to {data.triples}: {load_s:.0f} s and "
                    f"{peak / MiB:.0f} MiB, over the limits of {args.rdflib_max_load:g} s and {budget / MiB:.0f} MiB "
                    f"(half the available memory))")
            log(f"    {name}: {note}")
            return Row(name, note=note)
    flat = data.flat
    port = free_port()
    server = Server(name, [exe, "serve", str(flat), "--host", "127.0.0.1", "--port", str(port)])
    url = f"http://127.0.0.1:{port}/"
    with server:
        try:
            loaded = server.wait_ready(f"{url}?query=ASK%7B%7D", timeout=args.rdflib_max_load)
        except RuntimeError as exc:
            note = f"skipped (did not load {data.triples} triples within {args.rdflib_max_load:g} s: {exc})"[:300]
            log(f"    {name}: {note}")
            return Row(name, peak=server.rss.peak, note=note)
        log(f"    {name}: loaded {flat.name} in {loaded:.1f} s, {server.rss.peak / MiB:.0f} MiB")
        seen.append({"triples": data.triples, "load s": loaded, "peak": server.rss.peak})
        data.prep["rdflib-endpoint load s"] = loaded
        return measure(name, url, calls, args, [server], server)


# ---------------------------------------------------------------- report


def fmt_ratio(a: Row | None, b: Row | None) -> str:
    if a is None or b is None or a.result is None or b.result is None:
        skipped = [row.target for row in (a, b) if row is not None and row.result is None]
        return f"n/a ({', '.join(skipped)} skipped)" if skipped else "n/a"
    if b.result.ok == 0:
        return "inf (no successful answer from the second)" if a.result.ok else "n/a (no successful answers)"
    return f"{a.result.ok_rps / b.result.ok_rps:.2f}"


def report(results: list[tuple[Dataset, list[Row]]], args) -> None:
    log("")
    log(f"## Query mix: {args.clients} clients, {args.seconds:g} s per target, query timeout {args.query_timeout:g} s, "
        f"gpkg result limit {args.result_limit}, {os.cpu_count()} CPUs")
    log("")
    log("| size | triples | target | requests | ok/s | median ms | p99 ms | errors | peak RSS MiB | non-200 |")
    log("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for data, rows in results:
        for row in rows:
            r = row.result
            if r is None:
                peak = f"{row.peak / MiB:.0f}" if row.peak else ""
                log(f"| {data.label} | {data.triples} | {row.target} | | | | | | {peak} | {row.note} |")
                continue
            log(f"| {data.label} | {data.triples} | {row.target} | {r.requests} | {r.ok_rps:.2f} | {r.median_ms:.0f} | "
                f"{r.percentile_ms(0.99):.0f} | {r.requests - r.ok} | {row.peak / MiB:.0f} | {row.note} |")
    log("")
    log("## Ratios of ok/s")
    log("")
    log("| size | gpkg / oxigraph | gpkg (cache off) / oxigraph | gpkg (on disk) / oxigraph | gpkg --endpoint / oxigraph "
        "| gpkg --endpoint (cache off) / oxigraph | gpkg / rdflib-endpoint | gpkg (cache off) / rdflib-endpoint |")
    log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for data, rows in results:
        by = {row.target: row for row in rows}
        ox, rd = by.get("oxigraph serve-read-only"), by.get("rdflib-endpoint")
        cells = [fmt_ratio(by.get("gpkg serve"), ox), fmt_ratio(by.get("gpkg serve, cache off"), ox),
                 fmt_ratio(by.get("gpkg serve, on disk"), ox),
                 fmt_ratio(by.get("gpkg serve --endpoint (oxigraph)"), ox),
                 fmt_ratio(by.get("gpkg serve --endpoint, cache off"), ox),
                 fmt_ratio(by.get("gpkg serve"), rd), fmt_ratio(by.get("gpkg serve, cache off"), rd)]
        log(f"| {data.label} | " + " | ".join(cells) + " |")
    log("")
    log("## Preparation")
    log("")
    log("| size | triples | step | figures |")
    log("| --- | ---: | --- | --- |")
    for data, _ in results:
        for step, value in data.prep.items():
            if isinstance(value, dict):
                value = (f"{value['quads']} quads, {value['requests']} requests, {value['seconds']:.1f} s "
                         f"({value['quads'] / value['seconds']:.0f} quads/s; {value['blank']})")
            elif isinstance(value, float):
                value = f"{value:.1f}"
            log(f"| {data.label} | {data.triples} | {step} | {value} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), metavar="SIZE",
                        help="real, 1M, 10M, or a number of synthetic decisions (default: real 1M 10M)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15, help="per target and size")
    parser.add_argument("--query-timeout", type=float, default=30)
    parser.add_argument("--result-limit", type=int, default=100_000_000,
                        help="gpkg's cap on rows (default: high enough that every target sends whole answers)")
    parser.add_argument("--rdflib-max-load", type=float, default=900, help="seconds rdflib-endpoint may take to load")
    parser.add_argument("--home", type=Path, help="GPKG_HOME holding the real build (default: as gpkg uses)")
    parser.add_argument("--work", type=Path, help="folder for generated data (default: a temporary one, removed); "
                                                  "synthetic stores already prepared there are reused")
    args = parser.parse_args()
    for size in args.sizes:
        if size not in SIZES and not size.isdigit():
            parser.error(f"unknown size {size!r}: real, 1M, 10M or a number of decisions")
    oxigraph = shutil.which("oxigraph")
    if oxigraph is None:
        sys.exit("install the Oxigraph server CLI: pip install oxigraph (the test extra)")
    work = args.work or Path(tempfile.mkdtemp(prefix="gpkg-bench-queries-"))
    work.mkdir(parents=True, exist_ok=True)
    calls = query_calls([q.text for q in saved_queries(Knowledge.at())])
    log(f"{len(calls)} saved queries; sizes {' '.join(args.sizes)}; work folder {work}; "
        f"load average {os.getloadavg()[0]:.2f}")
    results, rdflib_seen = [], []
    try:
        for size in args.sizes:
            started = time.perf_counter()
            if size == "real":
                data = real_dataset(work, args.home)
            else:
                decisions = SIZES.get(size) or int(size)
                data = synthetic_dataset(size if size in SIZES else f"{decisions}d", decisions, work)
            rows: list[Row] = []
            results.append((data, rows))
            try:
                run_size(data, rows, args, calls, oxigraph, work, rdflib_seen)
            except Exception as exc:  # noqa: BLE001 - report it, go on with the next size
                log(f"[{data.label}] FAILED: {type(exc).__name__}: {exc}")
                rows.append(Row("(failed)", note=f"{type(exc).__name__}: {str(exc)[:200]}"))
            log(f"[{data.label}] done in {time.perf_counter() - started:.0f} s")
    finally:
        if results:
            report(results, args)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
