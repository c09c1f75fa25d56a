"""`gpkg build`: a store on disk, dumps that parse, and an atomic switch that never loses the previous build."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, RdfFormat, Store, parse

from gpkg import builds
from gpkg.build import ValidationFailed, build
from gpkg.knowledge import Knowledge
from gpkg.processes import single_threaded

REPO = Path(__file__).resolve().parent.parent


def test_build_writes_store_dumps_and_manifest(built, store):
    manifest = json.loads((built.path / "manifest.json").read_text())
    assert manifest["triples"] > 1000 and manifest["inferred_triples"] > 0
    assert set(manifest["timings_s"]) == {"parse", "validate", "reason", "index", "dumps", "docs"}
    assert "GenderPersecutionConviction" in (built.path / "dumps" / "ontology.html").read_text()
    assert "data/cases/icc-al-hassan.ttl" in manifest["files"]
    for name, fmt in {"gpkg.ttl": RdfFormat.TURTLE, "gpkg.nt": RdfFormat.N_TRIPLES,
                      "gpkg.jsonld": RdfFormat.JSON_LD}.items():
        triples = {q.triple for q in parse(path=str(built.path / "dumps" / name), format=fmt)}
        assert len(triples) == manifest["triples"], name
    quads = list(parse(path=str(built.path / "dumps" / "gpkg.nq"), format=RdfFormat.N_QUADS))
    assert len({q.triple for q in quads}) == manifest["triples"]


def test_current_points_to_the_build(built, gpkg_home):
    assert builds.current(gpkg_home) == built.path
    assert not list((gpkg_home / "builds").glob("*.partial"))


def knowledge_copy(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    for part in ("ontology", "shapes", "queries"):
        shutil.copytree(REPO / part, root / part)
    (root / "data" / "cases").mkdir(parents=True)
    shutil.copytree(REPO / "data" / "reference", root / "data" / "reference")
    shutil.copy(REPO / "data" / "cases" / "icc-al-hassan.ttl", root / "data" / "cases")
    return root


def test_failed_build_keeps_previous_build_in_use(tmp_path):
    root, home = knowledge_copy(tmp_path), tmp_path / "home"
    first = build(Knowledge.at(root), home=home)
    case = root / "data" / "cases" / "icc-al-hassan.ttl"
    case.write_text(case.read_text().replace("gp:court gpr:icc ; gp:chamber gpr:icc-tc-x ;", "gp:chamber gpr:icc-tc-x ;"))
    with pytest.raises(ValidationFailed) as failure:
        build(Knowledge.at(root), home=home)
    assert "A decision needs exactly one court" in str(failure.value)
    assert builds.current(home) == first.path
    assert (first.path / "store").is_dir()
    assert not list((home / "builds").glob("*.partial"))


def test_killed_build_leaves_previous_build_intact(tmp_path):
    root, home = knowledge_copy(tmp_path), tmp_path / "home"
    first = build(Knowledge.at(root), home=home)
    env = {**os.environ, "GPKG_HOME": str(home), "GPKG_ROOT": str(root)}
    proc = subprocess.Popen([sys.executable, "-m", "gpkg", "build", "--force"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (list((home / "builds").glob("*.partial")) and _descendants(proc.pid)):
        time.sleep(0.05)  # kill it in the middle: once it has started writing the new build in a child process
    assert list((home / "builds").glob("*.partial")), "the build never started writing"
    workers = _descendants(proc.pid)
    assert workers, "the build writes its store and validates in child processes"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert builds.current(home) == first.path
    assert json.loads((first.path / "manifest.json").read_text())["triples"] > 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "worker processes outlived the killed build"
    # the next build succeeds and cleans up whatever the killed one left behind
    second = build(Knowledge.at(root), home=home, force=True)
    assert builds.current(home) == second.path != first.path
    assert not list((home / "builds").glob("*.partial"))


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*/children"):
            children = [int(c) for c in task.read_text().split()]
            found += children
            todo += children
    return found


def test_rebuild_reuses_what_did_not_change(tmp_path):
    root, home = knowledge_copy(tmp_path), tmp_path / "home"
    first = build(Knowledge.at(root), home=home)
    checks = first.manifest["validation"]
    assert checks["checked_files"] + checks["cleared_files"] == len(first.manifest["files"]) and not checks["cached_files"]
    assert build(Knowledge.at(root), home=home).path == first.path, "same inputs: the current build is kept"
    case = root / "data" / "cases" / "icc-al-hassan.ttl"
    case.write_text(case.read_text().replace('"Al Hassan', '"Al Hassan (edited)', 1))
    second = build(Knowledge.at(root), home=home)
    assert second.path != first.path and builds.current(home) == second.path
    checks = second.manifest["validation"]
    assert checks["cached_files"] == len(first.manifest["files"]) - 1
    assert checks["checked_files"] + checks["cleared_files"] == 1, "only the edited file is checked again"
    labels = [q.object.value for q in parse(path=str(second.path / "dumps" / "gpkg.nq"), format=RdfFormat.N_QUADS)]
    assert any("(edited)" in label for label in labels)


def _quads(build_path: Path) -> set:
    return set(Store.read_only(str(build_path / "store")))


def test_forked_and_spawned_store_writers_build_the_same(tmp_path):
    """The store's writer is forked by a process with one thread (the `gpkg build` command) and spawned by one that
    runs threads (this one, once a store is open here: RocksDB's); both give the same store and dumps."""
    root = knowledge_copy(tmp_path)
    env = {**os.environ, "GPKG_HOME": str(tmp_path / "forked"), "GPKG_ROOT": str(root)}
    subprocess.run([sys.executable, "-m", "gpkg", "build"], env=env, check=True, capture_output=True)
    forked = builds.current(tmp_path / "forked")
    opened = Store.read_only(str(forked / "store"))
    assert not single_threaded()
    spawned = build(Knowledge.at(root), home=tmp_path / "spawned").path
    assert set(opened) == _quads(spawned)
    for name, fmt in {"gpkg.nq": RdfFormat.N_QUADS, "gpkg.nt": RdfFormat.N_TRIPLES}.items():
        assert (set(parse(path=str(forked / "dumps" / name), format=fmt))
                == set(parse(path=str(spawned / "dumps" / name), format=fmt))), name


def test_rebuild_updates_the_store_as_a_cold_build_writes_it(tmp_path):
    """A rebuild updates a checkpoint of the current store (changed graphs, the inferred graph, the default graph);
    after each kind of change its quads equal those of a cold build of the same files."""
    root, home = knowledge_copy(tmp_path), tmp_path / "home"
    build(Knowledge.at(root), home=home)
    case = root / "data" / "cases" / "icc-al-hassan.ttl"
    extra = root / "data" / "cases" / "zz-moved.ttl"
    edits = [
        # a literal and a provenance entry (blank node) change; a triple moves to a new file (still stated)
        lambda: (case.write_text(case.read_text().replace('gp:pinpoint "para. 4" ]', 'gp:pinpoint "para. 5" ]', 1)
                                 .replace('"Al Hassan (ICC)"@en', '"Al Hassan (ICC, edited)"@en', 1)),
                 extra.write_text('@prefix gp: <https://w3id.org/gpkg/ontology#> .\n'
                                  '<https://w3id.org/gpkg/id/icc-al-hassan> gp:caseNumber "ICC-01/12-01/18" .\n')),
        lambda: case.write_text(case.read_text().replace('    gp:caseNumber "ICC-01/12-01/18" ;\n', '', 1)),
        # the new file goes: the triple it alone stated leaves the default graph
        extra.unlink,
        lambda: case.write_text(case.read_text().replace("    gp:country country:MLI ;\n", "", 1)),
    ]
    for edit in edits:
        edit()
        updated = build(Knowledge.at(root), home=home)
        assert updated.manifest["store"]["from"] is not None, "the store was updated, not loaded again"
        cold = build(Knowledge.at(root), home=home, force=True)
        assert cold.manifest["store"]["from"] is None
        assert _quads(updated.path) == _quads(cold.path)
    default_graph = {q for q in _quads(cold.path) if q.graph_name == DefaultGraph()}
    assert not any(q.predicate.value.endswith("#caseNumber") and "al-hassan" in q.subject.value and
                   q.object.value == "ICC-01/12-01/18" for q in default_graph)


def test_only_recent_builds_are_kept_and_current_is_never_pruned(tmp_path):
    home = tmp_path / "home"
    published = []
    for _ in range(builds.KEEP + 2):
        partial = builds.new_build_dir(home)
        (partial / "store").mkdir()
        published.append(builds.publish(partial, {"triples": 0}, home))
    remaining = sorted((home / "builds").iterdir())
    assert remaining == published[-builds.KEEP:]
    assert builds.current(home) == published[-1]
