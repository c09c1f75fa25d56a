"""Content negotiation, in one place: Accept with q-values, and a `format` parameter that overrides it."""

from __future__ import annotations

from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import NotAcceptable

from .results import GRAPH_TYPES, RESULT_TYPES

# the first of each list is the default for */*
RESULT_OFFERS = list(RESULT_TYPES)
GRAPH_OFFERS = list(GRAPH_TYPES)
ALIASES = {
    "json": "application/sparql-results+json", "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml", "srx": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "turtle": "text/turtle", "ttl": "text/turtle", "ntriples": "application/n-triples", "nt": "application/n-triples",
    "n-triples": "application/n-triples", "jsonld": "application/ld+json", "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml", "rdf": "application/rdf+xml", "rdf/xml": "application/rdf+xml",
}
# generic types clients send that map onto an offer of the right kind
GENERIC = {"application/json": ("application/sparql-results+json", "application/ld+json"),
           "application/xml": ("application/sparql-results+xml", "application/rdf+xml"),
           "text/xml": ("application/sparql-results+xml", "application/rdf+xml"),
           "text/plain": ("text/tab-separated-values", "application/n-triples")}


DOCUMENT_OFFERS = ["text/html", *GRAPH_OFFERS]


def _requested(format_param: str, graph: bool) -> str:
    """The media type a `format` value names; for graph results the results aliases mean their RDF counterparts."""
    wanted = ALIASES.get(format_param.lower(), format_param.lower())
    if graph:
        wanted = {"application/sparql-results+json": "application/ld+json",
                  "application/sparql-results+xml": "application/rdf+xml", "html": "text/html"}.get(wanted, wanted)
    return wanted


def negotiate(accept: MIMEAccept, format_param: str | None, graph: bool) -> str:
    """The media type to answer a query with, or 406 naming what can be served."""
    offers = GRAPH_OFFERS if graph else RESULT_OFFERS
    if format_param:
        wanted = _requested(format_param, graph)
        if wanted in offers:
            return wanted
        raise NotAcceptable(f"format {format_param!r} is not available for this query; available: {', '.join(offers)}")
    if not accept:
        return offers[0]
    best = accept.best_match(offers + list(GENERIC))
    if best in GENERIC:
        return GENERIC[best][1 if graph else 0]
    if best:
        return best
    raise NotAcceptable(f"none of the requested types can be served; available: {', '.join(offers)}")


def negotiate_document(accept: MIMEAccept, format_param: str | None) -> str:
    """The media type of a document about an entity: HTML or an RDF format (HTML when nothing is asked)."""
    if format_param:
        wanted = _requested(format_param, graph=True)
        if wanted in DOCUMENT_OFFERS:
            return wanted
        raise NotAcceptable(f"format {format_param!r} is not available; available: {', '.join(DOCUMENT_OFFERS)}")
    best = accept.best_match(DOCUMENT_OFFERS, default="text/html")
    if best is None:
        raise NotAcceptable(f"available: {', '.join(DOCUMENT_OFFERS)}")
    return best


def wants_html(accept: MIMEAccept) -> bool:
    """A browser asking for a page (text/html preferred over the RDF and results types)."""
    best = accept.best_match(["text/html", *GRAPH_OFFERS, *RESULT_OFFERS])
    return best == "text/html" and accept["text/html"] > 0
