"""The SPARQL 1.1 Service Description of /sparql: it advertises only what is really enabled."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple, serialize

from .results import GRAPH_TYPES, RESULT_TYPES

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCTERMS = "http://purl.org/dc/terms/"
FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON", "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV", "text/tab-separated-values": "SPARQL_Results_TSV", "text/turtle": "Turtle",
    "application/n-triples": "N-Triples", "application/ld+json": "JSON-LD", "application/rdf+xml": "RDF_XML",
}


def service_description(endpoint_url: str, settings, media_type: str) -> bytes:
    service, dataset, graph = NamedNode(endpoint_url), BlankNode(), BlankNode()
    sd = lambda name: NamedNode(SD + name)  # noqa: E731
    triples = [
        Triple(service, RDF_TYPE, sd("Service")),
        Triple(service, sd("endpoint"), service),
        Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),  # no SPARQL11Update: the endpoint is read-only
        Triple(service, NamedNode(DCTERMS + "title"), Literal("gpkg: the open knowledge graph of gender persecution jurisprudence")),
        Triple(service, NamedNode(DCTERMS + "license"), NamedNode("https://creativecommons.org/licenses/by/4.0/")),
        Triple(service, sd("defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, sd("Dataset")),
        Triple(dataset, sd("defaultGraph"), graph),
        Triple(graph, RDF_TYPE, sd("Graph")),
    ]
    if not settings.endpoint:  # the embedded store queries the union of its graphs by default
        triples.append(Triple(service, sd("feature"), sd("UnionDefaultGraph")))
    if settings.service_allowlist:  # SERVICE works, but only towards the allow-listed endpoints
        triples.append(Triple(service, sd("feature"), sd("BasicFederatedQuery")))
        for url in settings.service_allowlist:
            triples.append(Triple(service, NamedNode("https://w3id.org/gpkg/ontology#federatesWith"), NamedNode(url)))
    for media in [*RESULT_TYPES, *GRAPH_TYPES]:
        triples.append(Triple(service, sd("resultFormat"), NamedNode(FORMATS + FORMAT_IRIS[media])))
    prefixes = {"sd": SD, "formats": FORMATS, "dcterms": DCTERMS}
    kwargs = {"prefixes": prefixes} if GRAPH_TYPES[media_type].name in ("Turtle", "RDF/XML") else {}
    return serialize(triples, format=GRAPH_TYPES[media_type], **kwargs)
