"""A remote SPARQL 1.1 endpoint behind the same interface, spoken to with SPARQLWrapper.

Results are asked for in SPARQL JSON (SELECT/ASK) or N-Triples (CONSTRUCT/DESCRIBE) and parsed into pyoxigraph
objects, so callers cannot tell the stores apart. The endpoint's default graph is expected to be the union of its
graphs: `gpkg load` writes it so, as the build does (or the store's option: Oxigraph --union-default-graph, Fuseki
tdb:unionDefaultGraph).
"""

from __future__ import annotations

import urllib.error

from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results
from SPARQLWrapper import JSON, N3, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from . import QueryError, Result

GRAPH_FORMS = {"CONSTRUCT", "DESCRIBE"}


class RemoteStore:
    def __init__(self, endpoint: str, timeout: float = 60.0):
        self.endpoint = endpoint
        self.timeout = timeout
        self.description = f"remote endpoint {endpoint}"

    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None) -> Result:
        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.setTimeout(int(self.timeout))
        client.setQuery(sparql)
        for graph in default_graphs or ():
            client.addDefaultGraph(graph)
        for graph in named_graphs or ():
            client.addNamedGraph(graph)
        graph_form = client.queryType in GRAPH_FORMS
        client.setReturnFormat(N3 if graph_form else JSON)
        if graph_form:
            client.addCustomHttpHeader("Accept", "application/n-triples")
        try:
            body = client.query().response.read()
        except QueryBadFormed as exc:
            raise QueryError(f"the endpoint rejected the query: {exc}") from exc
        except (SPARQLWrapperException, urllib.error.URLError, OSError) as exc:
            raise ConnectionError(f"{self.endpoint}: {exc}") from exc
        if graph_form:
            return [quad.triple for quad in parse(body, format=RdfFormat.N_TRIPLES)]
        return parse_query_results(body, format=QueryResultsFormat.JSON)

    def triple_count(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(result))["n"].value)

