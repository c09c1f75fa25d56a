"""gpkg: the open knowledge graph of gender persecution jurisprudence."""

__version__ = "0.1.0"
