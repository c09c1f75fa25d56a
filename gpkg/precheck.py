"""Which nodes could break a shape: the SHACL shapes compiled to SPARQL and run once over the whole graph on Oxigraph.

pyshacl stays the validator: its report is the one a build publishes. It spends about 0.1 ms of Python per focus node
and constraint (measured: about 4k triples per second per core on these shapes), so at scale the build first asks
these queries which focus nodes could be reported, and gives pyshacl only the files that own one of them.

The compiled check must never miss a node pyshacl would report; it may flag more (then pyshacl simply finds nothing
there). Where the two could differ it leans to flagging: regular expressions run in Oxigraph's dialect, so values
outside printable ASCII are always flagged for sh:pattern; sh:languageIn flags any tag not listed exactly; typed
literals of the XSD types below are flagged when their lexical form does not cast. A shape using a SHACL feature not
compiled here flags all its focus nodes. tests/test_precheck.py checks on the real data and on every invalid fixture
that every focus node of pyshacl's report is flagged, and that nothing else is.
"""

from __future__ import annotations

from itertools import count

from pyoxigraph import Store
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

CASTABLE = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in
            ("date", "dateTime", "gYear", "gYearMonth", "boolean", "integer", "decimal", "double", "float")}
NODE_KINDS = {SH.IRI: "!isIRI({v})", SH.BlankNode: "!isBlank({v})", SH.Literal: "!isLiteral({v})",
              SH.BlankNodeOrIRI: "isLiteral({v})", SH.IRIOrLiteral: "isBlank({v})", SH.BlankNodeOrLiteral: "isIRI({v})"}
IGNORED = {SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.defaultValue, SH.path,
           SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.deactivated, SH.declare,
           SH.ignoredProperties, SH.qualifiedMinCount, SH.qualifiedValueShapesDisjoint}
HANDLED = {SH.minCount, SH.maxCount, SH.hasValue, SH.qualifiedValueShape, SH.qualifiedMaxCount, SH["class"],
           SH.datatype, SH.nodeKind, SH.languageIn, SH.pattern, SH.flags, SH.node, SH.property, SH["and"], SH["or"],
           SH["not"], SH.closed, SH.sparql}  # compiled below; any other sh: parameter makes a shape Unsupported
TYPE_OF = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"


class Unsupported(Exception):
    """A shape uses something this module does not compile: all its focus nodes are flagged."""


def suspects(store: Store, shapes: Graph) -> set:
    """The focus nodes (pyoxigraph terms) pyshacl could report for `shapes` on the default graph of `store`."""
    found: set = set()
    for shape in _top_level_shapes(shapes):
        target = _target(shapes, shape)
        try:
            queries = [f"SELECT DISTINCT ?this WHERE {{ {branch} }}"
                       for branch in _violations(shapes, shape, "?this", target, count(), top=True)]
            queries += _sparql_constraints(shapes, shape, target)
        except Unsupported:
            queries = [f"SELECT DISTINCT ?this WHERE {{ {target} }}"]
        for query in queries:
            found.update(row["this"] for row in store.query(query))
    return found


def _top_level_shapes(g: Graph) -> list:
    targeting = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    shapes = {s for p in targeting for s in g.subjects(p, None)}
    return sorted((s for s in shapes if g.value(s, SH.deactivated) != Literal(True)), key=str)


def _target(g: Graph, shape) -> str:
    branches = [f"?this {TYPE_OF} {_term(c)} ." for c in g.objects(shape, SH.targetClass)]
    branches += [f"VALUES ?this {{ {_term(n)} }}" for n in g.objects(shape, SH.targetNode)]
    branches += [f"?this {_term(p)} [] ." for p in g.objects(shape, SH.targetSubjectsOf)]
    branches += [f"[] {_term(p)} ?this ." for p in g.objects(shape, SH.targetObjectsOf)]
    return "{ " + " UNION ".join(f"{{ {b} }}" for b in branches) + " }"


def _violations(g: Graph, shape, v: str, bound: str, fresh, top: bool = False) -> list[str]:
    """Group patterns, each matching (with `bound`, the pattern that binds `v`) when `v` breaks one constraint of
    `shape`: for a property shape, `v` is the focus node; otherwise `v` is the value node checked. SHACL-SPARQL
    constraints are compiled only on top-level shapes (_sparql_constraints)."""
    for p in g.predicates(shape, None):
        if str(p).startswith(str(SH)) and p not in IGNORED and p not in HANDLED or (p == SH.sparql and not top):
            raise Unsupported(p)
    path = g.value(shape, SH.path)
    if path is None:
        return _value_violations(g, shape, v, bound, fresh)
    p = _path(g, path)
    out = []
    if (n := g.value(shape, SH.minCount)) is not None:
        if int(n) != 1:
            raise Unsupported(SH.minCount)
        out.append(f"{bound} FILTER NOT EXISTS {{ {v} {p} ?_{next(fresh)} }}")
    if (n := g.value(shape, SH.maxCount)) is not None:
        if int(n) != 1:
            raise Unsupported(SH.maxCount)
        a, b = f"?_{next(fresh)}", f"?_{next(fresh)}"
        out.append(f"{bound} {v} {p} {a}, {b} . FILTER(!sameTerm({a}, {b}))")
    for value in g.objects(shape, SH.hasValue):
        out.append(f"{bound} FILTER NOT EXISTS {{ {v} {p} {_term(value)} }}")
    for qualified in g.objects(shape, SH.qualifiedValueShape):
        if int(g.value(shape, SH.qualifiedMinCount) or 0) != 1 or g.value(shape, SH.qualifiedMaxCount) is not None:
            raise Unsupported(SH.qualifiedValueShape)
        q = f"?_{next(fresh)}"
        inner = _union(_violations(g, qualified, q, f"{bound} {v} {p} {q} .", fresh))
        conforming = f"FILTER NOT EXISTS {{ {inner} }}" if inner else ""
        out.append(f"{bound} FILTER NOT EXISTS {{ {v} {p} {q} . {conforming} }}")
    value = f"?_{next(fresh)}"
    out += _value_violations(g, shape, value, f"{bound} {v} {p} {value} .", fresh, own_value=False)
    return out


def _value_violations(g: Graph, shape, v: str, bound: str, fresh, own_value: bool = True) -> list[str]:
    """Constraints every value node `v` must meet (for a node shape, the focus node itself)."""
    out = []
    for c in g.objects(shape, SH["class"]):
        out.append(f"{bound} FILTER NOT EXISTS {{ {v} {TYPE_OF} {_term(c)} }}")
    for d in g.objects(shape, SH.datatype):
        ill_formed = (f' || sameTerm(COALESCE({_term(d)}(STR({v})), "ill-formed"), "ill-formed")'
                      if str(d) in CASTABLE else "")
        out.append(f"{bound} FILTER(!isLiteral({v}) || datatype({v}) != {_term(d)}{ill_formed})")
    for kind in g.objects(shape, SH.nodeKind):
        out.append(f"{bound} FILTER({NODE_KINDS[kind].format(v=v)})")
    for tags in g.objects(shape, SH.languageIn):
        listed = ", ".join(_term(Literal(str(t).lower())) for t in Collection(g, tags))
        out.append(f"{bound} FILTER(!isLiteral({v}) || LCASE(LANG({v})) NOT IN ({listed}))")
    for pattern in g.objects(shape, SH.pattern):
        flags = g.value(shape, SH.flags)
        regex = f"REGEX(STR({v}), {_term(Literal(str(pattern)))}{', ' + _term(Literal(str(flags))) if flags else ''})"
        out.append(f'{bound} FILTER(isBlank({v}) || !{regex} || REGEX(STR({v}), "[^ -~]"))')
    if own_value:
        for value in g.objects(shape, SH.hasValue):
            out.append(f"{bound} FILTER(!sameTerm({v}, {_term(value)}))")
    for node in g.objects(shape, SH.node):
        out += _violations(g, node, v, bound, fresh)
    for prop in g.objects(shape, SH.property):
        out += _violations(g, prop, v, bound, fresh)
    for members in g.objects(shape, SH["and"]):
        for member in Collection(g, members):
            out += _violations(g, member, v, bound, fresh)
    for alternatives in g.objects(shape, SH["or"]):
        broken = [_union(_violations(g, alt, v, bound, fresh)) for alt in Collection(g, alternatives)]
        if all(broken):  # an alternative nothing can break is always met
            out.append(" ".join(f"{{ {b} }}" for b in broken))
    for negated in g.objects(shape, SH["not"]):
        broken = _union(_violations(g, negated, v, bound, fresh))
        out.append(f"{bound} FILTER NOT EXISTS {{ {broken} }}" if broken else bound)
    if g.value(shape, SH.closed) == Literal(True):
        allowed = {g.value(prop, SH.path) for prop in g.objects(shape, SH.property)}
        allowed |= {p for lst in g.objects(shape, SH.ignoredProperties) for p in Collection(g, lst)}
        if not all(isinstance(p, URIRef) for p in allowed):
            raise Unsupported(SH.closed)
        other = f"?_{next(fresh)}"
        out.append(f"{bound} {v} {other} [] . FILTER({other} NOT IN ({', '.join(_term(p) for p in allowed)}))")
    return out


def _sparql_constraints(g: Graph, shape, target: str) -> list[str]:
    """SHACL-SPARQL constraints of a top-level shape, run over all its focus nodes at once."""
    prefixes = "".join(f"PREFIX {g.value(d, SH.prefix)}: <{g.value(d, SH.namespace)}>\n"
                       for d in g.objects(None, SH.declare))
    queries = []
    for constraint in g.objects(shape, SH.sparql):
        select = str(g.value(constraint, SH.select)).replace("$this", "?this")
        if "$" in select or g.value(constraint, SH.deactivated) == Literal(True):
            raise Unsupported(SH.sparql)
        queries.append(f"{prefixes}SELECT DISTINCT ?this WHERE {{ {target} {{ {select} }} }}")
    return queries


def _union(branches: list[str]) -> str:
    return " UNION ".join(f"{{ {b} }}" for b in branches)


def _path(g: Graph, path) -> str:
    if isinstance(path, URIRef):
        return _term(path)
    if (inner := g.value(path, SH.zeroOrMorePath)) is not None:
        return f"({_path(g, inner)})*"
    if (inner := g.value(path, SH.oneOrMorePath)) is not None:
        return f"({_path(g, inner)})+"
    if (inner := g.value(path, SH.inversePath)) is not None:
        return f"^({_path(g, inner)})"
    if (g.value(path, RDF.first)) is not None:
        return "/".join(f"({_path(g, step)})" for step in Collection(g, path))
    raise Unsupported(SH.path)


def _term(node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    if isinstance(node, BNode):
        raise Unsupported("blank node as a value in a constraint")
    raise Unsupported(repr(node))
