"""Parse the knowledge files with rdflib, reporting syntax errors by file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from .errors import GpkgError


@dataclass
class ParsedFile:
    path: Path
    graph: Graph
    text: str
    _lines: dict = field(default_factory=dict, repr=False)

    def line_of(self, node) -> int | None:
        """Line where a subject is written in this file (blank nodes: the line of the subject that holds them)."""
        if isinstance(node, BNode):
            parent = next(self.graph.subjects(None, node), None)
            return self.line_of(parent) if parent is not None else None
        if not isinstance(node, URIRef):
            return None
        if node not in self._lines:
            self._lines[node] = self._find(node)
        return self._lines[node]

    def _find(self, iri: URIRef) -> int | None:
        forms = [f"<{iri}>"]
        for prefix, ns in self.graph.namespaces():
            if prefix and str(iri).startswith(str(ns)) and len(str(iri)) > len(str(ns)):
                forms.append(f"{prefix}:{str(iri)[len(str(ns)):]}")
        pattern = re.compile(r"^[ \t]*(?:" + "|".join(re.escape(f) for f in forms) + r")(?=[\s;,.]|$)", re.M)
        match = pattern.search(self.text)
        return self.text.count("\n", 0, match.start()) + 1 if match else None


def parse_file(path: Path) -> ParsedFile:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GpkgError(f"{path}: cannot read: {exc}") from exc
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        raise GpkgError(f"{path}:{exc.lines + 1}: Turtle syntax error: {exc._why}") from exc
    except Exception as exc:  # rdflib raises several exception types for bad literals, IRIs and prefixes
        raise GpkgError(f"{path}: cannot parse as Turtle: {exc}") from exc
    return ParsedFile(path, graph, text)


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


def union(parsed: list[ParsedFile], into: Graph | None = None) -> Graph:
    g = Graph() if into is None else into
    for pf in parsed:
        for prefix, ns in pf.graph.namespaces():
            g.bind(prefix, ns, override=False)
        g += pf.graph
    return g
