"""`gpkg load --to URL`: push every named graph of a build to a remote store with the Graph Store Protocol
(HTTP PUT of N-Triples per graph: bulk, never a request per triple)."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

from pyoxigraph import NamedNode, RdfFormat

from .errors import GpkgError
from .store.embedded import EmbeddedStore


def push(store: EmbeddedStore, target: str, timeout: float = 600.0):
    """Yield (graph IRI, triple count) as each graph is stored at the target."""
    graphs = [sol["g"].value for sol in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")]
    for graph in graphs:
        body = store.oxigraph.dump(format=RdfFormat.N_TRIPLES, from_graph=NamedNode(graph))
        url = f"{target}{'&' if '?' in target else '?'}graph={urllib.parse.quote(graph, safe='')}"
        request = urllib.request.Request(url, data=body, method="PUT",
                                         headers={"Content-Type": "application/n-triples"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            raise GpkgError(f"{target}: storing {graph} failed: HTTP {exc.code} {exc.read()[:300]!r}") from exc
        except OSError as exc:
            raise GpkgError(f"{target}: {exc}") from exc
        yield graph, body.count(b"\n")
