"""File-by-file validation (parallel, cached) gives exactly the report of one whole-graph validation."""

from pathlib import Path

import pytest

from gpkg import filewise
from gpkg.filewise import validate_files
from gpkg.knowledge import Knowledge
from gpkg.loading import parse_file, parse_files
from gpkg.synth import synthesise
from gpkg.validation import validate

INVALID = sorted((Path(__file__).parent / "fixtures" / "invalid").glob("*.ttl"))


@pytest.fixture(scope="module")
def real(knowledge):
    return parse_files(knowledge.rdf_files())


@pytest.mark.parametrize("precheck", [False, True], ids=["pyshacl-only", "precheck"])
def test_real_data_report_equals_whole_graph_report(knowledge, shapes, real, precheck):
    whole = validate(real, shapes)
    by_file = validate_files(real, knowledge.shape_files(), set(knowledge.context_files()), precheck=precheck)
    assert by_file.problems == whole.problems
    assert whole.warnings and by_file.checked + by_file.cleared == len(real)
    owners = {p.file for p in whole.problems}
    # with the precheck, pyshacl sees only the files owning a reported node
    assert by_file.checked == (len(owners) if precheck else len(real))


def test_parallel_chunks_give_the_same_report(knowledge, shapes, real, monkeypatch):
    """Several files per pyshacl run, runs spread over two worker processes."""
    monkeypatch.setattr(filewise, "CHUNK_TRIPLES", 2_000)
    monkeypatch.setattr(filewise, "POOL_TRIPLES", 0)
    report = validate_files(real, knowledge.shape_files(), set(knowledge.context_files()), workers=2, precheck=False)
    assert report.problems == validate(real, shapes).problems


@pytest.mark.parametrize("precheck", [False, True], ids=["pyshacl-only", "precheck"])
@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.stem)
def test_fixture_report_equals_whole_graph_report(fixture, knowledge, shapes, context, precheck):
    files = [parse_file(fixture), *context]
    by_file = validate_files(files, knowledge.shape_files(), {pf.path for pf in context}, precheck=precheck)
    assert not by_file.conforms
    assert by_file.problems == validate(files, shapes).problems


@pytest.mark.parametrize("precheck", [False, True], ids=["pyshacl-only", "precheck"])
def test_a_rule_across_two_files_is_still_checked(knowledge, shapes, context, tmp_path, precheck):
    """The later-stage-before-earlier rule, with the two decisions of one case written in different files."""
    text = (Path(__file__).parent / "fixtures" / "invalid" / "later-stage-dated-before-earlier.ttl").read_text()
    head, _, later = text.partition("gpr:t-decision a gp:Decision")
    prefixes = "".join(line + "\n" for line in head.splitlines() if line.startswith("@prefix"))
    (tmp_path / "a.ttl").write_text(head, encoding="utf-8")
    (tmp_path / "b.ttl").write_text(prefixes + "gpr:t-decision a gp:Decision" + later, encoding="utf-8")
    files = [*context, parse_file(tmp_path / "a.ttl"), parse_file(tmp_path / "b.ttl")]
    whole = validate(files, shapes)
    assert any("an earlier stage of the same case" in p.message and p.file.endswith("b.ttl") for p in whole.violations)
    by_file = validate_files(files, knowledge.shape_files(), {pf.path for pf in context}, precheck=precheck)
    assert by_file.problems == whole.problems


def test_cache_skips_unchanged_files_and_rechecks_what_an_edit_touches(knowledge, shapes, real, tmp_path, monkeypatch):
    cache, shape_files, ctx = tmp_path / "validation.json", knowledge.shape_files(), set(knowledge.context_files())
    first = validate_files(real, shape_files, ctx, cache, precheck=False)
    assert first.checked == len(real) and first.cached == 0

    def no_check(payload):
        raise AssertionError("an unchanged file was checked again")

    with monkeypatch.context() as m:
        m.setattr(filewise, "_check", no_check)
        again = validate_files(real, shape_files, ctx, cache)
    assert again.problems == first.problems and again.cached == len(real)

    edited = tmp_path / "icc-al-hassan.ttl"
    original = next(pf for pf in real if pf.path.name == "icc-al-hassan.ttl")
    edited.write_text(original.text.replace("gp:court gpr:icc ; gp:chamber gpr:icc-tc-x ;", "gp:chamber gpr:icc-tc-x ;"),
                      encoding="utf-8")
    changed = [parse_file(edited) if pf is original else pf for pf in real]
    after = validate_files(changed, shape_files, ctx, cache)
    assert 1 <= after.checked < 10, "only the edited file and the files that read it are checked again"
    assert any(p.file == str(edited) and "exactly one court" in p.message for p in after.violations)
    assert after.problems == validate(changed, shapes).problems


def test_changed_shapes_invalidate_the_cache(knowledge, real, tmp_path):
    cache, ctx = tmp_path / "validation.json", set(knowledge.context_files())
    validate_files(real, knowledge.shape_files(), ctx, cache, precheck=False)
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(knowledge.shape_files()[0].read_text() + "\n# edited\n", encoding="utf-8")
    assert validate_files(real, [shapes], ctx, cache, precheck=False).checked == len(real)


def test_involved_files_are_the_files_the_neighbourhood_reads(knowledge, real, tmp_path):
    """The cache key's file set, computed from memoised reaches, equals the files of the triples a check reads."""
    synthesise(120, 5, tmp_path / "synth", knowledge)
    synthetic = Knowledge.at(tmp_path / "synth")
    for files, context in ((real, set(knowledge.context_files())),
                           (parse_files(synthetic.rdf_files()), set(synthetic.context_files()))):
        corpus = filewise.Corpus(files, context)
        for u in range(len(files)):
            assert corpus.involved(u) == {u} | {i for i, _ in corpus.neighbourhood(u)}, files[u].path
