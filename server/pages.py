"""The viewer's pages: home (the dataset at a glance), browse with facets, search, ontology documentation, about."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request, send_file

from gpkg import builds
from gpkg.knowledge import Knowledge

from .linked_data import doc_media_type
from .viewer import FACETS, browse as browse_decisions, home_figures, search as run_search

bp = Blueprint("pages", __name__)
LEVEL_COLOURS = {"international": "#5b3f8c", "regional": "#1f7a6d", "domestic": "#c4692b"}


@bp.route("/")
def home():
    return render_template("home.html", figures=home_figures(), colours=LEVEL_COLOURS)


@bp.route("/browse")
def browse():
    selected = {name: request.args.getlist(name) for name in FACETS if request.args.getlist(name)}
    return render_template("browse.html", result=browse_decisions(selected), selected=selected)


@bp.route("/search")
def search():
    text = request.args.get("q", "").strip()[:200]
    return render_template("search.html", q=text, results=run_search(text) if text else [])


@bp.route("/ontology")
def ontology():
    media_type = doc_media_type()
    source = Knowledge.at().root / "ontology" / "gpkg.ttl"
    if media_type == "text/turtle":
        return send_file(source, mimetype="text/turtle")
    if media_type != "text/html":
        from pyoxigraph import RdfFormat, parse, serialize

        from .results import GRAPH_TYPES

        triples = [q.triple for q in parse(path=str(source), format=RdfFormat.TURTLE)]
        return Response(serialize(triples, format=GRAPH_TYPES[media_type]), mimetype=media_type)
    settings = current_app.config["GPKG_SETTINGS"]
    docs = builds.current(Path(settings.home) if settings.home else None) / "dumps" / "ontology.html"
    return send_file(docs, mimetype="text/html")


@bp.route("/about")
def about():
    return render_template("about.html")
