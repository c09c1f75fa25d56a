"""`gpkg synth`: a synthetic corpus that passes the shapes, with the real corpus's mix of levels; same seed, same output."""

from gpkg.knowledge import Knowledge
from gpkg.loading import parse_files
from gpkg.synth import synthesise
from gpkg.validation import validate


def test_synthetic_corpus_passes_the_shapes_and_is_reproducible(tmp_path, knowledge, shapes):
    counts = synthesise(80, 3, tmp_path / "a", knowledge)
    assert counts["decisions"] >= 80
    synthetic = Knowledge.at(tmp_path / "a")
    cases = sorted((synthetic.root / "data" / "cases").glob("*.ttl"))
    report = validate(parse_files(cases), shapes, parse_files(synthetic.context_files()))
    assert report.violations == [], "\n".join(p.format() for p in report.violations[:5])
    text = "".join(p.read_text() for p in cases)
    for decision_type in ("arrest-warrant", "merits-judgment", "domestic-verdict"):
        assert f"decision-type/{decision_type}>" in text
    synthesise(80, 3, tmp_path / "b", knowledge)
    assert [p.read_text() for p in cases] == \
        [p.read_text() for p in sorted((tmp_path / "b" / "data" / "cases").glob("*.ttl"))]
    synthesise(80, 4, tmp_path / "c", knowledge)
    assert text != "".join(p.read_text() for p in sorted((tmp_path / "c" / "data" / "cases").glob("*.ttl")))
