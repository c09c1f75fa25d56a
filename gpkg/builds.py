"""Build directories: each build is written to a new directory and made current by an atomic symlink switch,
so a failed or killed build leaves the previous one intact and in use.

Layout under GPKG_HOME (default: $XDG_DATA_HOME/gpkg or ~/.local/share/gpkg):
    builds/<id>/store/      pyoxigraph store
    builds/<id>/dumps/      gpkg.ttl, gpkg.nt, gpkg.jsonld, gpkg.nq
    builds/<id>/manifest.json
    current -> builds/<id>
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from .errors import GpkgError

KEEP = 3  # builds kept on disk: the current one and two before it


def home() -> Path:
    if env := os.environ.get("GPKG_HOME"):
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "gpkg"


def new_build_dir(root: Path | None = None) -> Path:
    """A fresh, not yet current, build directory (its name marks it as in progress)."""
    builds = (root or home()) / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    path = builds / f"{stamp}.partial"
    path.mkdir()
    (path / "pid").write_text(str(os.getpid()), encoding="utf-8")
    return path


def publish(partial: Path, manifest: dict, root: Path | None = None) -> Path:
    """Finish a build: write its manifest, rename it into place and switch `current` to it atomically."""
    root = root or home()
    (partial / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    final = partial.with_name(partial.name.removesuffix(".partial"))
    partial.rename(final)
    link_tmp = root / f".current.{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    link_tmp.symlink_to(Path("builds") / final.name)
    os.replace(link_tmp, root / "current")
    _prune(root)
    return final


def current(root: Path | None = None) -> Path:
    link = (root or home()) / "current"
    if not link.exists():
        raise GpkgError(f"no build yet under {link.parent}: run `gpkg build` first")
    return link.resolve()


def manifest(build: Path) -> dict:
    return json.loads((build / "manifest.json").read_text(encoding="utf-8"))


def discard(partial: Path) -> None:
    shutil.rmtree(partial, ignore_errors=True)


def _prune(root: Path) -> None:
    """Remove finished builds beyond the newest KEEP, and partial builds left by killed runs (never the current)."""
    builds = root / "builds"
    live = (root / "current").resolve()
    finished = sorted((p for p in builds.iterdir() if p.is_dir() and not p.name.endswith(".partial")), reverse=True)
    for old in finished[KEEP:]:
        if old.resolve() != live:
            shutil.rmtree(old, ignore_errors=True)
    for partial in builds.glob("*.partial"):
        if _owner_gone(partial):
            shutil.rmtree(partial, ignore_errors=True)


def _owner_gone(partial: Path) -> bool:
    pid_file = partial / "pid"
    try:
        os.kill(int(pid_file.read_text()), 0)
    except (OSError, ValueError):
        return True
    return False
