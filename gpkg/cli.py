"""The `gpkg` command. Exit codes: 0 ok, 1 data or query error, 2 usage error."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import GpkgError
from .knowledge import Knowledge
from .loading import expand_paths, parse_files


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
