"""The shapes compiled to SPARQL flag exactly the focus nodes pyshacl reports, and every focus node of a shape they
cannot compile."""

from pathlib import Path

import pytest
from pyoxigraph import Quad, Store
from pyshacl import validate as pyshacl_validate
from rdflib import Graph
from rdflib.namespace import SH

from gpkg.loading import parse_file, parse_files, rdflib_term, union
from gpkg.precheck import suspects

INVALID = sorted((Path(__file__).parent / "fixtures" / "invalid").glob("*.ttl"))


def _flagged(files, shapes: Graph) -> set:
    return {rdflib_term(node) for node in suspects(_store(files), shapes)}


def _reported(files, shapes: Graph) -> set:
    _, results, _ = pyshacl_validate(union(files), shacl_graph=shapes, inference="none", allow_warnings=True)
    return {results.value(r, SH.focusNode) for r in results.objects(None, SH.result)}


def test_real_data_flags_what_pyshacl_reports(knowledge, shapes):
    files = parse_files(knowledge.rdf_files())
    reported = _reported(files, shapes)
    assert reported, "the real corpus has warnings"
    assert _flagged(files, shapes) == reported


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.stem)
def test_fixture_flags_what_pyshacl_reports(fixture, shapes, context):
    files = [parse_file(fixture), *context]
    reported = _reported(files, shapes)
    assert reported
    assert _flagged(files, shapes) == reported


def test_a_shape_it_cannot_compile_flags_all_its_focus_nodes(knowledge, context, tmp_path):
    shapes_file = tmp_path / "shapes.ttl"
    shapes_file.write_text("""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix gp: <https://w3id.org/gpkg/ontology#> .
        <urn:s> a sh:NodeShape ; sh:targetClass gp:Court ;
            sh:property [ sh:path gp:level ; sh:in ( <https://w3id.org/gpkg/concept/level/international> ) ] .
    """, encoding="utf-8")
    shapes = Graph().parse(shapes_file)
    courts = {rdflib_term(row["c"]) for row in _store(context).query(
        "SELECT DISTINCT ?c { ?c a <https://w3id.org/gpkg/ontology#Court> }")}
    assert courts and _reported(context, shapes) < courts, "some courts are not international"
    assert _flagged(context, shapes) == courts


def _store(files) -> Store:
    store = Store()
    store.bulk_extend(Quad(t.subject, t.predicate, t.object) for pf in files for t in pf.triples)
    return store
