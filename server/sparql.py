"""The SPARQL 1.1 Protocol at /sparql: query via GET, POST form or POST body; read-only; service description."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request, url_for
from werkzeug.exceptions import BadRequest, Forbidden, RequestEntityTooLarge, UnsupportedMediaType

from . import guard
from .conneg import negotiate, wants_html
from .description import service_description
from .querying import execute
from .workers import Job

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"


def _read_request() -> tuple[str | None, str | None, tuple[str, ...], tuple[str, ...]]:
    """query, update, default-graph-uri, named-graph-uri, as the protocol places them for each method."""
    args = request.args
    graphs = (tuple(args.getlist("default-graph-uri")), tuple(args.getlist("named-graph-uri")))
    if request.method == "GET":
        return args.get("query"), args.get("update"), *graphs
    mimetype = request.mimetype
    if mimetype == FORM:
        form = request.form
        return (form.get("query"), form.get("update"),
                graphs[0] + tuple(form.getlist("default-graph-uri")), graphs[1] + tuple(form.getlist("named-graph-uri")))
    if mimetype == QUERY_BODY:
        return request.get_data(as_text=True), None, *graphs
    if mimetype == UPDATE_BODY:
        return None, request.get_data(as_text=True), *graphs
    raise UnsupportedMediaType(f"POST a query as {FORM} or {QUERY_BODY}")


@bp.route("/sparql", methods=["GET", "POST"])
def sparql():
    settings = current_app.config["GPKG_SETTINGS"]
    query, update, default_graphs, named_graphs = _read_request()
    if query is not None and update is not None:
        raise BadRequest("send either a query or an update, not both")
    if update is not None:
        raise Forbidden("this endpoint is read-only: SPARQL Update is not allowed")
    if query is None:
        if request.method == "GET":
            return _describe_or_ui()
        raise BadRequest("no query: send the query in the 'query' parameter or as an application/sparql-query body")
    try:
        checked = guard.check(query, settings.max_query_length, settings.service_allowlist)
    except guard.Refused as refused:
        if refused.status == 413:
            raise RequestEntityTooLarge(str(refused)) from None
        raise Forbidden(str(refused)) from None
    media_type = negotiate(request.accept_mimetypes, request.values.get("format"), checked.graph_result)
    return _answer(Job(query, media_type, settings.result_limit, default_graphs, named_graphs), settings)


def _answer(job: Job, settings) -> Response:
    result, generation = execute(job, cacheable=request.method == "GET")
    response = Response(result.body, mimetype=result.media_type)
    if result.media_type.startswith("text/") or result.media_type.endswith("json"):
        response.charset = "utf-8"
    response.headers["X-GPKG-Build"] = generation
    if result.truncated:
        response.headers["X-GPKG-Truncated"] = "true"
        response.headers["X-GPKG-Result-Limit"] = str(settings.result_limit)
    return response


def _describe_or_ui() -> Response:
    if wants_html(request.accept_mimetypes):
        from .ui import render_editor

        return render_editor()
    settings = current_app.config["GPKG_SETTINGS"]
    media_type = negotiate(request.accept_mimetypes, request.args.get("format"), graph=True)
    body = service_description(url_for("sparql.sparql", _external=True), settings, media_type)
    return Response(body, mimetype=media_type)
