"""The wheel is self-contained: installed elsewhere, `gpkg build` works from any directory."""

import os
import subprocess
import sys
import venv
import zipfile


def test_wheel_ships_the_knowledge_and_builds_from_anywhere(tmp_path, knowledge):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(dist)],
                   cwd=knowledge.root, check=True, capture_output=True)
    (wheel,) = dist.glob("gpkg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("gpkg/knowledge/ontology/gpkg.ttl", "gpkg/knowledge/shapes/gpkg-shapes.ttl",
                     "gpkg/knowledge/data/cases/icc-al-hassan.ttl", "gpkg/knowledge/queries/intersecting-grounds.rq"):
        assert expected in names
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"GPKG_ROOT", "PYTHONPATH"}}
    env["GPKG_HOME"] = str(tmp_path / "home")
    gpkg = env_dir / "bin" / "gpkg"
    out = subprocess.run([gpkg, "build"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert f"{env_dir}" in out.stdout  # the packaged knowledge was used, not the checkout
    answer = subprocess.run([gpkg, "query", "ASK { ?s a <https://w3id.org/gpkg/ontology#GenderPersecutionCharge> }"],
                            cwd=elsewhere, env=env, capture_output=True, text=True)
    assert answer.stdout.strip() == "true"
