"""The query UI: YASGUI served from the package (no CDN), with the endpoint preset and the saved competency
questions offered as example tabs."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for

from gpkg.knowledge import Knowledge
from gpkg.queries import saved_queries

bp = Blueprint("ui", __name__)


def render_editor():
    examples = [{"name": q.title, "query": q.text} for q in saved_queries(Knowledge.at())]
    return render_template("query.html", endpoint=url_for("sparql.sparql", _external=True), examples=examples)


@bp.route("/query")
def query_editor():
    return render_editor()


@bp.route("/")
def home():
    return redirect(url_for("ui.query_editor"))
