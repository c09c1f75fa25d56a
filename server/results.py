"""Serialising query results in the negotiated format, with a result cap that is never silent.

SELECT results are written here (SPARQL JSON, XML, CSV, TSV) so that at most `limit` rows are written and the caller
learns whether rows were cut; ASK, CONSTRUCT and DESCRIBE results are serialised by pyoxigraph.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, serialize

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}
BOOLEAN_FORMATS = {"application/sparql-results+json": QueryResultsFormat.JSON,
                   "application/sparql-results+xml": QueryResultsFormat.XML,
                   "text/csv": QueryResultsFormat.CSV, "text/tab-separated-values": QueryResultsFormat.TSV}


@dataclass
class Serialized:
    body: bytes
    media_type: str
    truncated: bool = False
    rows: int = 0


def serialize_result(result, media_type: str, limit: int, prefixes: dict[str, str] | None = None) -> Serialized:
    if isinstance(result, QueryBoolean):
        return Serialized(result.serialize(format=BOOLEAN_FORMATS[media_type]), media_type, rows=1)
    if isinstance(result, QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = list(islice(result, limit + 1))
        truncated = len(rows) > limit
        rows = rows[:limit]
        writer = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[RESULT_TYPES[media_type]]
        return Serialized(writer(variables, rows), media_type, truncated, len(rows))
    triples = list(islice(iter(result), limit + 1))
    truncated = len(triples) > limit
    triples = triples[:limit]
    fmt = GRAPH_TYPES[media_type]
    kwargs = {"prefixes": prefixes} if prefixes and fmt in (RdfFormat.TURTLE, RdfFormat.RDF_XML) else {}
    return Serialized(serialize(triples, format=fmt, **kwargs), media_type, truncated, len(triples))


def _json_term(term) -> dict:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _json(variables: list[str], rows) -> bytes:
    bindings = [{v: _json_term(row[v]) for v in variables if row[v] is not None} for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml_term(term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _xml(variables: list[str], rows) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(v)}>{_xml_term(row[v])}</binding>" for v in variables if row[v] is not None]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode("utf-8")


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, (NamedNode, Literal)) else str(term)


def _csv(variables: list[str], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(row[v]) for v in variables])
    return buffer.getvalue().encode("utf-8")


def _tsv_value(term) -> str:
    return "" if term is None else str(term)  # pyoxigraph prints terms in N-Triples syntax


def _tsv(variables: list[str], rows) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_value(row[v]) for v in variables) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")
