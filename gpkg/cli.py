"""The `gpkg` command. Exit codes: 0 ok, 1 data or query error, 2 usage error."""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import GpkgError
from .knowledge import Knowledge


class Context:
    def __init__(self, root: str | None):
        self._root = root

    @property
    def knowledge(self) -> Knowledge:
        return Knowledge.at(self._root)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gpkg")
@click.option("--root", envvar="GPKG_ROOT", type=click.Path(file_okay=False),
              help="Knowledge root (a checkout with ontology/ shapes/ data/ queries/). Default: the packaged copy.")
@click.pass_context
def cli(ctx: click.Context, root: str | None) -> None:
    """gpkg: the open knowledge graph of gender persecution jurisprudence."""
    ctx.obj = Context(root)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--warnings/--no-warnings", default=True, show_default=True, help="Also print warnings.")
@click.pass_obj
def validate(obj: Context, paths: tuple[Path, ...], warnings: bool) -> None:
    """SHACL-validate RDF files or folders (default: all packaged data). Exit 1 on violations."""
    from .loading import expand_paths, parse_files
    from .validation import load_shapes, validate as run_validation

    kn = obj.knowledge
    if paths:
        files = expand_paths(list(paths))
        given = {f.resolve() for f in files}
        context = [f for f in kn.context_files() if f.resolve() not in given]
    else:
        files, context = kn.rdf_files(), []
    report = run_validation(parse_files(files), load_shapes(kn.shape_files()), parse_files(context))
    for problem in report.problems:
        if warnings or problem.severity == "Violation":
            click.echo(problem.format())
    summary = f"{len(files)} file(s): {len(report.violations)} violation(s), {len(report.warnings)} warning(s)"
    if not report.conforms:
        raise GpkgError(summary)
    click.echo(summary)


def _store(location: str | None):
    from . import builds
    from .store import open_store

    return open_store(location or str(builds.current() / "store"))


@cli.command()
@click.option("--reasoner", type=click.Choice(["rules", "hermit"]), default="rules", show_default=True,
              help="rules: HermiT checks the ontology, SPARQL rules give the memberships HermiT infers and find members "
                   "of disjoint classes (scales); hermit: HermiT on all data (full OWL consistency; slow past ~50k triples).")
@click.option("--force", is_flag=True, help="Build even if the current build was made from the same inputs.")
@click.pass_obj
def build(obj: Context, reasoner: str, force: bool) -> None:
    """Parse, validate, reason, index into the embedded store and write dumps; switch to it when complete."""
    from .build import build as run_build

    from .build import STAGES

    kn = obj.knowledge
    click.echo(f"building from {kn.root}")
    done: list[str] = []
    with click.progressbar(length=len(STAGES), label="build", show_pos=True,
                           item_show_func=lambda _: f"next: {STAGES[len(done)]}" if len(done) < len(STAGES) else "",
                           file=sys.stderr) as bar:
        def progress(stage: str, seconds: float) -> None:
            done.append(f"{stage}: {seconds:.2f} s")
            bar.update(1)

        result = run_build(kn, progress=progress, reasoner=reasoner, force=force)
    for line in done:
        click.echo(f"  {line}")
    m = result.manifest
    if not result.timings:
        click.echo(f"up to date: {result.path} was built from the same files (--force builds anyway)")
        return
    click.echo(f"built {m['triples']} triples ({m['inferred_triples']} inferred, {m['warnings']} warning(s)) "
               f"into {result.path}")
    _exit_now()


def _exit_now() -> None:
    """End the process without the interpreter's teardown of every module loaded (rdflib, pyshacl...: 0.25-0.35 s of a
    2 s rebuild, measured). Exit handlers run and the output is flushed first; what was built is closed by then."""
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


@cli.command()
@click.option("--show/--no-show", default=True, show_default=True, help="List the inferred memberships.")
@click.pass_obj
def reason(obj: Context, show: bool) -> None:
    """Check ontology + data consistency with HermiT and list inferred class memberships."""
    from .loading import parse_files, union
    from .output import compact
    from .reasoning import reason as run_reasoning
    from pyoxigraph import NamedNode

    kn = obj.knowledge
    result = run_reasoning(union(parse_files(kn.rdf_files())))
    if not result.consistent:
        raise GpkgError(result.message)
    click.echo("consistent: HermiT found the ontology and data consistent")
    if show:
        for s, _, o in sorted(result.inferred):
            click.echo(f"  {compact(NamedNode(str(s)))}  a  {compact(NamedNode(str(o)))}")
    click.echo(f"{len(result.inferred)} inferred class membership(s)")


@cli.command()
@click.argument("query_or_file")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv"]), default="table",
              show_default=True)
@click.option("--store", "location", metavar="PATH|URL",
              help="Store directory or SPARQL endpoint URL (default: the current build).")
@click.pass_obj
def query(obj: Context, query_or_file: str, fmt: str, location: str | None) -> None:
    """Run SPARQL (text, a .rq file, or the name of a saved query) on the built store."""
    from .output import render
    from .queries import resolve
    from .store import QueryError

    sparql = resolve(query_or_file, obj.knowledge)
    try:
        result = _store(location).query(sparql)
        click.echo(render(result, fmt))
    except QueryError as exc:
        raise GpkgError(str(exc)) from exc


@cli.command()
@click.option("--store", "location", metavar="PATH|URL",
              help="Store directory or SPARQL endpoint URL (default: the current build).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(location: str | None, as_json: bool) -> None:
    """Counts: decisions by level, court and type; charges; findings; sources; facts marked uncertain."""
    import json

    from .stats import collect, format_stats

    result = collect(_store(location))
    click.echo(json.dumps(result, indent=2) if as_json else format_stats(result))


@cli.command()
@click.option("--host", envvar="GPKG_HOST", default="127.0.0.1", show_default=True)
@click.option("--port", envvar="GPKG_PORT", default=5000, show_default=True, type=int)
@click.option("--query-timeout", envvar="GPKG_QUERY_TIMEOUT", default=30.0, show_default=True, type=float,
              help="Seconds before a query is stopped (its worker process is killed) and answered with 503.")
@click.option("--store", "store_path", envvar="GPKG_STORE", type=click.Path(file_okay=False),
              help="Store directory to serve (default: the current build).")
@click.option("--endpoint", envvar="GPKG_ENDPOINT", metavar="URL",
              help="Answer from a remote SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--result-limit", envvar="GPKG_RESULT_LIMIT", type=int, help="Rows or triples per answer (default 10000).")
@click.option("--workers", envvar="GPKG_WORKERS", type=int, help="Query worker processes (default 2).")
@click.option("--rate-limit", envvar="GPKG_RATE_LIMIT", help='Per-client limit, e.g. "300 per minute".')
@click.option("--memory", envvar="GPKG_MEMORY", type=click.Choice(["auto", "on", "off"]),
              help="Copy the default graph into each query worker's memory: auto (default: if the copies fit in half "
                   "the available memory), on or off.")
def serve(host, port, query_timeout, store_path, endpoint, result_limit, workers, rate_limit, memory) -> None:
    """Serve the SPARQL endpoint and the query UI (waitress, a production WSGI server)."""
    from server.app import serve as run_server
    from server.config import Settings

    try:
        settings = Settings.from_env(host=host, port=port, query_timeout=query_timeout, store=store_path,
                                     endpoint=endpoint, result_limit=result_limit, workers=workers,
                                     rate_limit=rate_limit, memory=memory)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    source = endpoint or store_path or "the current build"
    click.echo(f"gpkg serving {source} at http://{host}:{port}/sparql (query timeout {query_timeout:g} s)")
    run_server(settings)


@cli.command()
@click.option("--to", "target", required=True, metavar="URL",
              help="Dataset endpoint of the remote store's Graph Store Protocol (Oxigraph: http://HOST:7878/store; "
                   "add ?no_transaction for its bulk loader).")
@click.option("--store", "location", metavar="PATH", help="Store directory to push (default: the current build).")
@click.option("--batch", type=click.IntRange(1), default=500_000, show_default=True,
              help="Quads per request, for quads without blank nodes.")
def load(target: str, location: str | None, batch: int) -> None:
    """Replace the remote store's dataset with a build, in bulk: streamed N-Quads, a few requests.

    The quads without blank nodes go --batch at a time, the first request a PUT, which replaces everything the
    target held (including graphs of files since deleted), the others POSTs (add); then every quad with a blank node
    in one last request (a label names the same node only within one request). Not atomic: until the last request
    the target holds part of the build; if a request fails the command exits 1 and should be run again. To switch
    without a gap, load into a fresh store and point `gpkg serve --endpoint` at it.
    """
    import time

    from .load import push

    started = time.perf_counter()
    quads = requests = 0
    for r in push(_store(location), target, batch=batch):
        what = "every quad with a blank node" if r.blank_nodes else "quads"
        click.echo(f"  request {r.number} {r.method}: {r.quads} {what}, {r.bytes / 1e6:.1f} MB, {r.seconds:.2f} s")
        quads, requests = quads + r.quads, r.number
    click.echo(f"loaded {quads} quads into {target} with {requests} request(s) in {time.perf_counter() - started:.2f} s")


@cli.command()
@click.option("--decisions", type=click.IntRange(1), required=True, help="About how many decisions to generate.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("synthetic"), show_default=True,
              help="Knowledge root to write (replaced if it exists); build it with `gpkg --root OUT build`.")
@click.pass_obj
def synth(obj: Context, decisions: int, seed: int, out: Path) -> None:
    """Write a synthetic corpus with the real corpus's shape, for benchmarks (never into data/)."""
    from .synth import synthesise

    counts = synthesise(decisions, seed, out, obj.knowledge)
    click.echo(f"wrote {counts['decisions']} decisions in {counts['cases']} cases to {out}")


@cli.command(name="queries")
@click.pass_obj
def list_queries(obj: Context) -> None:
    """List the saved competency questions (run one with `gpkg query NAME`)."""
    from .queries import saved_queries

    for q in saved_queries(obj.knowledge):
        click.echo(f"{q.name}\n    {q.title}: {q.question}")


@cli.group()
def link() -> None:
    """Find links from gpkg entities to other knowledge graphs, with the evidence for each."""


@link.command(name="wikidata")
@click.option("--endpoint", default="https://query.wikidata.org/sparql", show_default=True, metavar="URL",
              help="Wikidata SPARQL endpoint.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for wikidata-review.tsv and wikidata.ttl (default: data/links/ of the knowledge root).")
@click.option("--store", "location", metavar="PATH|URL",
              help="Store directory or SPARQL endpoint URL (default: the current build).")
@click.pass_obj
def link_wikidata(obj: Context, endpoint: str, out_dir: Path | None, location: str | None) -> None:
    """Candidate Wikidata items for decisions, cases, courts and accused: review file plus accepted links."""
    from .wikidata import link_wikidata as run_linker

    result = run_linker(_store(location), out_dir or obj.knowledge.root / "data" / "links", endpoint)
    click.echo(f"entities considered: {result.considered}")
    click.echo(f"candidates found: {len(result.candidates)}")
    click.echo(f"accepted: {len(result.accepted)}")
    for path in result.files:
        click.echo(f"wrote {path}")


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except GpkgError as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
