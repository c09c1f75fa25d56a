"""The query UI: YASGUI served from the package (no CDN), with the endpoint preset and the saved competency
questions offered as example tabs."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from gpkg.knowledge import Knowledge
from gpkg.queries import parse_saved_query, saved_queries

bp = Blueprint("ui", __name__)


def render_editor():
    knowledge = Knowledge.at()
    examples = [{"name": q.title, "query": q.text} for q in saved_queries(knowledge)]
    federated = knowledge.root / "queries" / "federated"
    if federated.is_dir():
        examples += [{"name": q.title + " (federated)", "query": q.text}
                     for q in (parse_saved_query(p) for p in sorted(federated.glob("*.rq")))]
    return render_template("query.html", endpoint=url_for("sparql.sparql", _external=True), examples=examples,
                           initial_query=request.args.get("query", "")[:10000])


@bp.route("/query")
def query_editor():
    return render_editor()


