"""SHACL validation with a report a curator can act on: file, line, subject, property, severity, message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery

from .loading import ParsedFile, parse_files, rdflib_term, union

SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    subject: str
    path: str
    severity: str
    message: str
    value: str

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        prop = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{where}: {self.severity}: {self.subject}{prop}: {self.message}{value}"


@dataclass
class Report:
    problems: list[Problem]
    checked: int = 0  # files checked by pyshacl in this run
    cached: int = 0  # files whose problems came from the cache
    cleared: int = 0  # files the compiled precheck found nothing to report in (not given to pyshacl)

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "Violation"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        return not self.violations


class PreparedQueryGraph(Graph):
    """pyshacl runs each SPARQL constraint once per focus node with the same text; rdflib would parse it every
    time (measured: 19 of 22 seconds on the corpus), so each text is parsed once per process."""

    _prepared: dict = {}

    def query(self, query_object, processor="sparql", result="sparql", initNs=None, initBindings=None,  # noqa: N803
              use_store_provided=True, **kwargs):
        if isinstance(query_object, str):
            key = (query_object, tuple(sorted((initNs or {}).items())))
            if key not in self._prepared:
                self._prepared[key] = prepareQuery(query_object, initNs=initNs or dict(self.namespaces()))
            query_object = self._prepared[key]
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


def load_shapes(shape_files: list[Path]) -> Graph:
    return union(parse_files(shape_files))


def validate(files: list[ParsedFile], shapes: Graph, context: list[ParsedFile] = ()) -> Report:
    """Validate `files` (with `context`: ontology, vocabularies, reference data) and report problems per file."""
    data = union([*context, *files], into=PreparedQueryGraph())
    owners: dict = {}
    for pf in [*files, *context]:
        for t in pf.triples:
            owners.setdefault(rdflib_term(t.subject), pf)
    found = check(data, shapes, lambda node: owners.get(node, UNOWNED))
    return Report(sorted({problem for _, problem in found}))


class _Unowned:
    """Owner of a focus node no file describes (for example a source that is referred to but never written)."""
    path = "(unknown file)"

    def line_of(self, node, graph=None) -> None:
        return None


UNOWNED = _Unowned()


def check(data: Graph, shapes: Graph, owner_of) -> list[tuple]:
    """Run pyshacl over `data`; `owner_of(node)` gives the ParsedFile a focus node belongs to (UNOWNED if none), or
    None to leave its problems out. Returns (focus node, problem) pairs."""
    _, results, _ = shacl_validate(data, shacl_graph=shapes, inference="none", abort_on_first=False,
                                   allow_warnings=True, meta_shacl=False, inplace=True)
    problems = []
    for result in results.objects(None, SH.result):  # top-level results; nested sh:detail ones add nothing
        focus = results.value(result, SH.focusNode)
        owner = owner_of(focus)
        if owner is None:
            continue
        problems.append((focus, Problem(
            file=str(owner.path),
            line=owner.line_of(focus, data) or 0,
            subject=_subject(focus, data),
            path=_short(results.value(result, SH.resultPath), data),
            severity=SEVERITY.get(results.value(result, SH.resultSeverity), "Violation"),
            message=_compact_iris(str(results.value(result, SH.resultMessage) or "constraint not met"), data),
            value=_short(results.value(result, SH.value), data),
        )))
    return problems


def _compact_iris(text: str, graph: Graph) -> str:
    """SPARQL-based messages carry full IRIs; show them as the prefixed names curators write."""
    return re.sub(r"https?://[^\s,;()]+[^\s,;().]", lambda m: _short(URIRef(m.group(0)), graph), text)


def _subject(focus, graph: Graph) -> str:
    """A blank node (for example a provenance entry) is named by the subject that holds it."""
    if isinstance(focus, BNode):
        parent = next(graph.subject_predicates(focus), None)
        if parent:
            return f"{_short(parent[0], graph)} {_short(parent[1], graph)} [...]"
    return _short(focus, graph)


def _short(node, graph: Graph) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:
            return f"<{node}>"
    if isinstance(node, Literal):
        return repr(str(node)) if len(str(node)) < 80 else repr(str(node)[:77] + "...")
    return "[blank node]"
