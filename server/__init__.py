"""The gpkg server: a Flask application (server.app) with one blueprint per concern. This package file stays
empty so that query worker processes, which import server.workers, do not load Flask."""
