"""The gpkg command: readable output and exit codes 0 (ok), 1 (data or query error), 2 (usage error)."""

import json
import os
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "invalid"


def gpkg(*args, home=None, cwd=None):
    env = {**os.environ}
    if home:
        env["GPKG_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "gpkg", *args], capture_output=True, text=True, env=env, cwd=cwd)


def test_query_table_and_formats(built, gpkg_home):
    out = gpkg("query", "gender-persecution-convictions", home=gpkg_home)
    assert out.returncode == 0, out.stderr
    assert "icc-abd-al-rahman-trial-judgment" in out.stdout and "row" in out.stdout
    as_json = json.loads(gpkg("query", "--format", "json", "decisions-per-court", home=gpkg_home).stdout)
    assert as_json["head"]["vars"] == ["court", "courtLabel", "level", "decisions"]
    csv = gpkg("query", "--format", "csv", "ASK { ?s ?p ?o }", home=gpkg_home)
    assert csv.returncode == 0 and csv.stdout.strip() == "true"
    ttl = gpkg("query", "DESCRIBE <https://w3id.org/gpkg/id/al-hassan>", home=gpkg_home)
    assert "gpr:al-hassan" in ttl.stdout and "@prefix" in ttl.stdout


def test_query_file_argument(built, gpkg_home, knowledge):
    out = gpkg("query", str(knowledge.root / "queries" / "intersecting-grounds.rq"), home=gpkg_home)
    assert out.returncode == 0 and "icc-al-hassan-confirmation" in out.stdout


def test_malformed_query_exits_1_with_position(built, gpkg_home):
    out = gpkg("query", "SELECT * WHERE { ?s ?p }", home=gpkg_home)
    assert out.returncode == 1
    assert "error" in out.stderr and "1:" in out.stderr and "Traceback" not in out.stderr


def test_missing_query_file_exits_1(built, gpkg_home):
    out = gpkg("query", "no-such-query.rq", home=gpkg_home)
    assert out.returncode == 1 and "no such query file" in out.stderr


def test_usage_errors_exit_2():
    assert gpkg("no-such-command").returncode == 2
    assert gpkg("query", "--format", "xml", "ASK {}").returncode == 2


def test_validate_exits_1_on_violations_and_0_on_valid_file(knowledge):
    bad = gpkg("validate", str(FIXTURES / "decision-without-court.ttl"))
    assert bad.returncode == 1
    assert "decision-without-court.ttl:" in bad.stdout and "A decision needs exactly one court" in bad.stdout
    good = gpkg("validate", str(knowledge.root / "data" / "cases" / "icc-al-hassan.ttl"))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "0 violation(s)" in good.stdout


def test_stats(built, gpkg_home):
    out = gpkg("stats", "--json", home=gpkg_home)
    assert out.returncode == 0, out.stderr
    stats = json.loads(out.stdout)
    assert stats["totals"]["decisions"] >= 7
    assert stats["totals"]["facts marked uncertain"] >= 1
    levels = dict(stats["breakdowns"]["decisions by level"])
    assert levels["international"] >= 7
    assert "decisions by court" in gpkg("stats", home=gpkg_home).stdout


def test_no_build_yet_is_a_clear_error(tmp_path):
    out = gpkg("stats", home=tmp_path / "empty")
    assert out.returncode == 1 and "run `gpkg build` first" in out.stderr


def test_queries_lists_saved_questions():
    out = gpkg("queries")
    assert out.returncode == 0 and "gender-persecution-charges-by-stage" in out.stdout
