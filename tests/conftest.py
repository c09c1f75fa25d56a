"""Shared fixtures: the repository's knowledge, one real build per test session, and loopback servers."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from gpkg.build import build
from gpkg.knowledge import Knowledge
from gpkg.loading import parse_files
from gpkg.store.embedded import EmbeddedStore
from gpkg.validation import load_shapes

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return Knowledge.at(REPO)


@pytest.fixture(scope="session")
def shapes(knowledge):
    return load_shapes(knowledge.shape_files())


@pytest.fixture(scope="session")
def context(knowledge):
    """Ontology, vocabularies and reference data, parsed once."""
    return parse_files(knowledge.context_files())


@pytest.fixture(scope="session")
def gpkg_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("gpkg-home")


@pytest.fixture(scope="session")
def built(knowledge, gpkg_home):
    """The real corpus, built once into a temporary GPKG_HOME."""
    return build(knowledge, home=gpkg_home)


@pytest.fixture(scope="session")
def store(built) -> EmbeddedStore:
    return EmbeddedStore.open_read_only(built.path / "store")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def start_gpkg_server(home: Path, *args: str, env: dict | None = None):
    """`gpkg serve` as a real subprocess on a free loopback port; returns (base URL, process)."""
    import os
    import sys

    port = free_port()
    environment = {**os.environ, "GPKG_HOME": str(home), **(env or {})}
    process = subprocess.Popen([sys.executable, "-m", "gpkg", "serve", "--host", "127.0.0.1", "--port", str(port),
                                *args], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/healthz", process, timeout=60)
    except Exception:
        process.kill()
        raise RuntimeError(process.stderr.read().decode()[-2000:]) from None
    return base, process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def server(built, gpkg_home):
    """The live gpkg endpoint over the session build: 2 s query timeout, a small result cap, generous rate limit."""
    base, process = start_gpkg_server(gpkg_home, "--query-timeout", "2", "--workers", "2", "--result-limit", "500",
                                      "--rate-limit", "100000 per minute")
    yield base
    stop(process)


@contextmanager
def oxigraph_server(location: Path, files=(), read_only: bool = True):
    """A real Oxigraph server (PyPI `oxigraph`) on a free loopback port, loaded with `files`; yields its base URL."""
    exe = shutil.which("oxigraph")
    if exe is None:
        pytest.fail("the oxigraph server CLI is not installed: install the test extra (pip install -e '.[test]')")
    for f in files:
        subprocess.run([exe, "load", "--location", str(location), "--file", str(f)], check=True, capture_output=True)
    port = free_port()
    command = [exe, "serve-read-only" if read_only else "serve", "--location", str(location),
               "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/query?query=ASK%7B%7D", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def oxigraph_endpoint(built, tmp_path_factory):
    """A real `oxigraph serve-read-only` on loopback, loaded like the build's store: the N-Quads dump (a named graph
    per file) and the N-Triples dump (their union) as the default graph."""
    dumps = built.path / "dumps"
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph"), [dumps / "gpkg.nq", dumps / "gpkg.nt"]) as base:
        yield f"{base}/query"
