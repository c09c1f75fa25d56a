"""VoID + DCAT description of the dataset, generated from the store: sizes, class and property partitions, the
SPARQL endpoint, dumps, licence and linksets to external datasets."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple, serialize

from .querying import select
from .results import GRAPH_TYPES

VOID, DCAT, DCT = "http://rdfs.org/ns/void#", "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INT = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
DATASET = NamedNode("https://w3id.org/gpkg/dataset")
EXTERNAL = {"http://www.wikidata.org/entity/": "https://w3id.org/gpkg/dataset/linkset/wikidata"}
DUMP_TYPES = {"gpkg.ttl": "text/turtle", "gpkg.nt": "application/n-triples", "gpkg.jsonld": "application/ld+json",
              "gpkg.nq": "application/n-quads"}


def void_description(endpoint: str, site: str, media_type: str) -> bytes:
    v, d, t = (lambda n: NamedNode(VOID + n)), (lambda n: NamedNode(DCAT + n)), (lambda n: NamedNode(DCT + n))
    number = lambda n: Literal(str(n), datatype=XSD_INT)  # noqa: E731
    totals = select("""SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?entities) WHERE { ?s ?p ?o }""")[0]
    triples = [
        Triple(DATASET, RDF_TYPE, v("Dataset")), Triple(DATASET, RDF_TYPE, d("Dataset")),
        Triple(DATASET, t("title"), Literal("gpkg: the open knowledge graph of gender persecution jurisprudence", language="en")),
        Triple(DATASET, t("license"), NamedNode("https://creativecommons.org/licenses/by/4.0/")),
        Triple(DATASET, v("sparqlEndpoint"), NamedNode(endpoint)),
        Triple(DATASET, v("uriSpace"), Literal("https://w3id.org/gpkg/id/")),
        Triple(DATASET, v("vocabulary"), NamedNode("https://w3id.org/gpkg/ontology")),
        Triple(DATASET, v("triples"), number(totals["triples"])),
        Triple(DATASET, v("entities"), number(totals["entities"])),
    ]
    service = BlankNode()
    triples += [Triple(DATASET, d("distribution"), service), Triple(service, RDF_TYPE, d("DataService")),
                Triple(service, d("endpointURL"), NamedNode(endpoint))]
    for name, media in DUMP_TYPES.items():
        url = NamedNode(f"{site}/dumps/{name}")
        dist = BlankNode()
        triples += [Triple(DATASET, v("dataDump"), url), Triple(DATASET, d("distribution"), dist),
                    Triple(dist, RDF_TYPE, d("Distribution")), Triple(dist, d("downloadURL"), url),
                    Triple(dist, d("mediaType"), Literal(media))]
    for row in select("SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"):
        part = BlankNode()
        triples += [Triple(DATASET, v("classPartition"), part), Triple(part, v("class"), NamedNode(row["class"])),
                    Triple(part, v("entities"), number(row["n"]))]
    for row in select("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"):
        part = BlankNode()
        triples += [Triple(DATASET, v("propertyPartition"), part), Triple(part, v("property"), NamedNode(row["p"])),
                    Triple(part, v("triples"), number(row["n"]))]
    for namespace, linkset_iri in EXTERNAL.items():
        count = select(f"""SELECT (COUNT(*) AS ?n) WHERE {{ ?s <http://www.w3.org/2004/02/skos/core#exactMatch> ?o
                           FILTER(STRSTARTS(STR(?o), "{namespace}")) }}""")[0]["n"]
        linkset = NamedNode(linkset_iri)
        triples += [Triple(linkset, RDF_TYPE, v("Linkset")), Triple(linkset, v("subjectsTarget"), DATASET),
                    Triple(linkset, v("objectsTarget"), NamedNode("http://www.wikidata.org/")),
                    Triple(linkset, v("linkPredicate"), NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch")),
                    Triple(linkset, v("triples"), number(count)), Triple(DATASET, v("subset"), linkset)]
    fmt = GRAPH_TYPES[media_type]
    kwargs = {"prefixes": {"void": VOID, "dcat": DCAT, "dcterms": DCT}} if fmt.name in ("Turtle", "RDF/XML") else {}
    return serialize(triples, format=fmt, **kwargs)
