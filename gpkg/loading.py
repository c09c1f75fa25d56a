"""Parse the knowledge files with Oxigraph (30x faster than rdflib's Turtle parser, measured), reporting syntax
errors by file and line; rdflib graphs (for pyshacl and HermiT) are converted from the parsed triples on demand."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, parse
from rdflib import BNode, Graph, Literal, URIRef

from .errors import GpkgError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass
class ParsedFile:
    path: Path
    text: str
    triples: list  # pyoxigraph Quads in the default graph; blank nodes labelled by file and order (stable_blank_nodes)
    prefixes: dict[str, str]
    _graph: Graph | None = field(default=None, repr=False)
    _lines: dict = field(default_factory=dict, repr=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            self._graph = rdflib_graph(self.triples, self.prefixes)
        return self._graph

    def line_of(self, node, graph: Graph | None = None) -> int | None:
        """Line where a subject is written in this file (blank nodes: the line of the subject that holds them);
        `graph` is any graph holding this file's triples (default: the file's own)."""
        graph = self.graph if graph is None else graph
        if isinstance(node, BNode):
            parent = next(graph.subjects(None, node), None)
            return self.line_of(parent, graph) if parent is not None else None
        if not isinstance(node, URIRef):
            return None
        if node not in self._lines:
            self._lines[node] = self._find(node)
        return self._lines[node]

    def _find(self, iri: URIRef) -> int | None:
        forms = [f"<{iri}>"]
        for prefix, ns in self.prefixes.items():
            if prefix and str(iri).startswith(ns) and len(str(iri)) > len(ns):
                forms.append(f"{prefix}:{str(iri)[len(ns):]}")
        pattern = re.compile(r"^[ \t]*(?:" + "|".join(re.escape(f) for f in forms) + r")(?=[\s;,.]|$)", re.M)
        match = pattern.search(self.text)
        return self.text.count("\n", 0, match.start()) + 1 if match else None


def parse_file(path: Path) -> ParsedFile:
    try:
        text = path.read_bytes().decode("utf-8")  # as written (no newline translation): sha256 is the file's
    except (OSError, UnicodeDecodeError) as exc:
        raise GpkgError(f"{path}: cannot read: {exc}") from exc
    parser = parse(text, format=RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    try:
        triples = stable_blank_nodes(parser, path)
    except SyntaxError as exc:
        raise GpkgError(f"{path}:{exc.lineno}: Turtle syntax error: {exc.msg}") from exc
    return ParsedFile(path, text, triples, dict(parser.prefixes))


def parse_unchanged(path: Path, sha256: str) -> ParsedFile:
    """parse_file, failing if the file no longer has the hash `sha256` (taken when the build started)."""
    parsed = parse_file(path)
    if parsed.sha256 != sha256:
        raise GpkgError(f"{path} changed during the build; build again")
    return parsed


def stable_blank_nodes(quads, path: Path) -> list:
    """The quads with each blank node labelled by the file and its order of appearance: unique to the file, and the
    same in every build while the file is unchanged (so a rebuild can keep the unchanged part of the store)."""
    prefix = "f" + hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:16] + "b"
    labels: dict = {}

    def stable(term):
        if type(term) is not BlankNode:
            return term
        if term not in labels:
            labels[term] = BlankNode(f"{prefix}{len(labels)}")
        return labels[term]

    return [q if type(q.subject) is not BlankNode and type(q.object) is not BlankNode
            else Quad(stable(q.subject), q.predicate, stable(q.object)) for q in quads]


def parse_files(paths: list[Path]) -> list[ParsedFile]:
    return [parse_file(p) for p in paths]


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files given on the command line, folders expanded to the Turtle files they hold."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(p.rglob("*.ttl")))
        elif p.is_file():
            files.append(p)
        else:
            raise GpkgError(f"{p}: no such file or folder")
    return files


def rdflib_term(term):
    if type(term) is NamedNode:
        return URIRef(term.value)
    if type(term) is BlankNode:
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == XSD_STRING else datatype)


def rdflib_graph(triples, prefixes: dict[str, str] | None = None, into: Graph | None = None) -> Graph:
    """An rdflib graph of pyoxigraph triples or quads (graph names are dropped)."""
    g = Graph() if into is None else into
    for prefix, ns in (prefixes or {}).items():
        g.bind(prefix, ns, override=False)
    g.addN((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object), g) for t in triples)
    return g


def union(parsed: list[ParsedFile], into: Graph | None = None) -> Graph:
    g = Graph() if into is None else into
    for pf in parsed:
        rdflib_graph(pf.triples, pf.prefixes, into=g)
    return g
