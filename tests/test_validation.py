"""The shapes pass on the real data and reject every invalid fixture for the expected reason."""

from pathlib import Path

import pytest

from gpkg.loading import parse_file, parse_files
from gpkg.validation import validate

INVALID = sorted((Path(__file__).parent / "fixtures" / "invalid").glob("*.ttl"))


def test_real_data_conforms(knowledge, shapes):
    report = validate(parse_files(knowledge.rdf_files()), shapes)
    assert report.violations == [], "\n".join(p.format() for p in report.violations)


def test_there_is_one_fixture_per_rule():
    assert len(INVALID) >= 15


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_is_rejected_for_its_reason(fixture, shapes, context):
    expected = fixture.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect:").strip()
    report = validate([parse_file(fixture)], shapes, context)
    assert not report.conforms
    messages = [p.message for p in report.violations]
    assert any(expected in m for m in messages), f"expected {expected!r} among {messages}"
    # the report names the fixture file and the line of the subject at fault
    at_fault = [p for p in report.violations if expected in p.message]
    assert all(p.file == str(fixture) and p.line > 0 for p in at_fault)


def test_report_names_file_line_subject_and_property(shapes, context):
    fixture = Path(__file__).parent / "fixtures" / "invalid" / "decision-without-court.ttl"
    (problem,) = [p for p in validate([parse_file(fixture)], shapes, context).violations]
    text = problem.format()
    assert text.startswith(f"{fixture}:{problem.line}: Violation: gpr:t-decision gp:court:")
    assert "gpr:t-decision a gp:Decision" in fixture.read_text().splitlines()[problem.line - 1]
