"""IRIs of the gpkg vocabulary and of the graphs a build writes."""

from rdflib import Namespace

from .prefixes import CONCEPT, GRAPH, PREFIXES  # noqa: F401 - re-exported

GP = Namespace("https://w3id.org/gpkg/ontology#")
GPR = Namespace("https://w3id.org/gpkg/id/")
INFERRED_GRAPH = GRAPH + "inferred"
