"""Bad Turtle is reported with the file and line, never a stack trace."""

import pytest

from gpkg.errors import GpkgError
from gpkg.loading import parse_file


def test_syntax_error_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix a: <http://a/> .\na:x a:p a:y .\na:z a:p "unterminated .\n', encoding="utf-8")
    with pytest.raises(GpkgError, match=rf"{bad}:3: Turtle syntax error"):
        parse_file(bad)


def test_unbound_prefix_is_reported(tmp_path):
    bad = tmp_path / "prefix.ttl"
    bad.write_text("@prefix a: <http://a/> .\na:x a:p a:y ;\n  a:q b:z .\n", encoding="utf-8")
    with pytest.raises(GpkgError, match=r"prefix.ttl:3: .*b:"):
        parse_file(bad)


def test_line_of_subject(knowledge):
    path = knowledge.root / "data" / "cases" / "icc-al-hassan.ttl"
    parsed = parse_file(path)
    from rdflib import URIRef

    line = parsed.line_of(URIRef("https://w3id.org/gpkg/id/icc-al-hassan-trial-judgment"))
    assert path.read_text().splitlines()[line - 1].startswith("gpr:icc-al-hassan-trial-judgment a gp:Decision")
