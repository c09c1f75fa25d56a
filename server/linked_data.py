"""Linked-data publishing: dereferenceable IRIs, VoID/DCAT, dumps and a JSON-LD context.

Entity and concept IRIs are slash IRIs under the base (https://w3id.org/gpkg/id/..., .../concept/...). They name
things (a court decision, a ground), not documents, so following the W3C "Cool URIs" recipe for slash IRIs the server
answers `/id/...` and `/concept/...` with 303 See Other to `/doc/...`, the document about the thing, which is
content-negotiated (HTML, Turtle, JSON-LD, N-Triples; `format` overrides). The ontology uses hash IRIs
(.../ontology#Decision): one document, `/ontology`, describes every term.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, send_file, url_for

from gpkg import builds

from .conneg import negotiate_document
from .querying import graph, select
from .viewer import base_iri, decision_details, describe

bp = Blueprint("linked_data", __name__)

DUMPS = {"gpkg.ttl": "text/turtle", "gpkg.nt": "application/n-triples", "gpkg.jsonld": "application/ld+json",
         "gpkg.nq": "application/n-quads"}


def doc_media_type() -> str:
    return negotiate_document(request.accept_mimetypes, request.args.get("format"))


@bp.route("/id/<path:rest>")
@bp.route("/concept/<path:rest>")
def thing(rest: str):
    kind = request.path.split("/")[1]
    target = url_for("linked_data.document", rest=f"{kind}/{rest}")
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")
    return redirect(target, code=303)


@bp.route("/doc/<path:rest>")
def document(rest: str):
    iri = base_iri() + rest
    media_type = doc_media_type()
    if media_type != "text/html":
        result = graph(f"DESCRIBE <{iri}>", media_type)
        if not result.rows:
            return _not_found(iri)
        return Response(result.body, mimetype=media_type)
    entity = describe(iri)
    if entity is None:
        return _not_found(iri)
    details = decision_details(iri) if any(t == "https://w3id.org/gpkg/ontology#Decision" for t, _ in entity.types) else None
    hierarchy = _hierarchy(iri) if any(t.endswith("#ConceptScheme") for t, _ in entity.types) else None
    describe_query = f"DESCRIBE <{iri}>"
    return render_template("entity.html", entity=entity, details=details, hierarchy=hierarchy,
                           query_link=url_for("ui.query_editor", query=describe_query),
                           formats=[("Turtle", "turtle"), ("JSON-LD", "jsonld"), ("N-Triples", "ntriples")])


def _not_found(iri: str):
    if doc_media_type() == "text/html":
        return render_template("not_found.html", iri=iri), 404
    abort(404, f"nothing is known about <{iri}>")


def _hierarchy(scheme: str) -> list[dict]:
    rows = select(f"""SELECT ?c ?label ?broader WHERE {{ ?c skos:inScheme <{scheme}> ; skos:prefLabel ?label .
        FILTER(lang(?label) = "en") OPTIONAL {{ ?c skos:broader ?broader }} }} ORDER BY ?label""")
    from .viewer import doc_path

    children: dict[str | None, list] = {}
    for r in rows:
        children.setdefault(r.get("broader"), []).append({"iri": r["c"], "label": r["label"], "href": doc_path(r["c"])})

    def tree(parent):
        return [dict(node, children=tree(node["iri"])) for node in children.get(parent, [])]

    return tree(None)


@bp.route("/.well-known/void")
def void():
    from .void import void_description

    media_type = doc_media_type()
    if media_type == "text/html":
        media_type = "text/turtle"
    return Response(void_description(url_for("sparql.sparql", _external=True), request.url_root.rstrip("/"),
                                     media_type), mimetype=media_type)


@bp.route("/dumps/<name>")
def dump(name: str):
    if name not in DUMPS:
        abort(404, f"no dump {name!r}; available: {', '.join(DUMPS)}")
    settings = current_app.config["GPKG_SETTINGS"]
    if settings.endpoint or settings.store:
        abort(404, "dumps are published with builds; this server answers from another store")
    path = builds.current(Path(settings.home) if settings.home else None) / "dumps" / name
    return send_file(path, mimetype=DUMPS[name], as_attachment=True, download_name=name)


@bp.route("/context.jsonld")
def context():
    from gpkg.namespaces import PREFIXES

    body = {"@context": {**PREFIXES, "label": {"@id": "rdfs:label", "@container": "@language"},
                         "title": "dcterms:title", "date": {"@id": "dcterms:date", "@type": "xsd:date"},
                         "court": {"@id": "gp:court", "@type": "@id"}, "case": {"@id": "gp:ofCase", "@type": "@id"},
                         "decisionType": {"@id": "gp:decisionType", "@type": "@id"},
                         "inDecision": {"@id": "gp:inDecision", "@type": "@id"},
                         "exactMatch": {"@id": "skos:exactMatch", "@type": "@id"}}}
    return Response(json.dumps(body, indent=2), mimetype="application/ld+json")
