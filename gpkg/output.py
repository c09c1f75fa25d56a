"""Printing query results on the command line: a readable table, or SPARQL JSON / CSV / TSV, or RDF."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, serialize

from .namespaces import PREFIXES

RESULT_FORMATS = {"json": QueryResultsFormat.JSON, "csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV}
GRAPH_FORMATS = {"table": RdfFormat.TURTLE, "json": RdfFormat.JSON_LD, "csv": RdfFormat.N_TRIPLES,
                 "tsv": RdfFormat.N_TRIPLES}


def render(result, fmt: str) -> str:
    if isinstance(result, QueryBoolean):
        return "true" if bool(result) else "false"
    if isinstance(result, QuerySolutions):
        if fmt == "table":
            return table(result)
        return result.serialize(format=RESULT_FORMATS[fmt]).decode("utf-8")
    kwargs = {"prefixes": PREFIXES} if GRAPH_FORMATS[fmt] is RdfFormat.TURTLE else {}
    return serialize(list(result), format=GRAPH_FORMATS[fmt], **kwargs).decode("utf-8")


def compact(term) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        iri = term.value
        for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return f"<{iri}>"
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        return term.value
    return str(term)


def table(solutions: QuerySolutions, max_width: int = 60) -> str:
    names = [v.value for v in solutions.variables]
    rows = [[_cut(compact(sol[name]), max_width) for name in names] for sol in solutions]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(n.ljust(w) for n, w in zip(names, widths)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
