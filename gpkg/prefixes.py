"""Prefixes of the gpkg IRIs, as plain strings (no rdflib import: query workers start faster)."""

CONCEPT = "https://w3id.org/gpkg/concept/"
GRAPH = "https://w3id.org/gpkg/graph/"

PREFIXES = {
    "gp": "https://w3id.org/gpkg/ontology#",
    "gpr": "https://w3id.org/gpkg/id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "cito": "http://purl.org/spar/cito/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "crime": CONCEPT + "crime/",
    "ground": CONCEPT + "ground/",
    "outcome": CONCEPT + "outcome/",
    "right": CONCEPT + "right/",
    "mech": CONCEPT + "mechanism/",
    "group": CONCEPT + "victim-group/",
    "dtype": CONCEPT + "decision-type/",
    "level": CONCEPT + "level/",
    "country": CONCEPT + "country/",
    "scope": CONCEPT + "finding-scope/",
    "treat": CONCEPT + "gender-treatment/",
}

SPARQL_PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())
