"""Where the knowledge lives: ontology, vocabularies, shapes, data and queries.

The wheel ships them under gpkg/knowledge/; in a source checkout they are the top-level folders. GPKG_ROOT (or the
--root option) points at another checkout, so curators can build what they are editing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .prefixes import GRAPH

KINDS = ("ontology", "data")


def default_root() -> Path:
    if env := os.environ.get("GPKG_ROOT"):
        return Path(env).resolve()
    packaged = Path(__file__).parent / "knowledge"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Knowledge:
    root: Path

    @classmethod
    def at(cls, root: Path | str | None = None) -> "Knowledge":
        path = Path(root).resolve() if root else default_root()
        if not (path / "ontology").is_dir():
            from .errors import GpkgError

            raise GpkgError(f"{path}: not a gpkg knowledge root (no ontology/ folder)")
        return cls(path)

    def rdf_files(self) -> list[Path]:
        """Ontology, vocabularies and data, in a stable order."""
        return [p for kind in KINDS for p in sorted((self.root / kind).rglob("*.ttl"))]

    def context_files(self) -> list[Path]:
        """Everything a single data file is validated against: the ontology, vocabularies and reference data."""
        return sorted((self.root / "ontology").rglob("*.ttl")) + sorted((self.root / "data" / "reference").rglob("*.ttl"))

    def shape_files(self) -> list[Path]:
        return sorted((self.root / "shapes").rglob("*.ttl"))

    def query_files(self) -> list[Path]:
        return sorted((self.root / "queries").glob("*.rq"))

    def graph_iri(self, path: Path) -> str:
        """The named graph a file is loaded into: its path below the root, without the extension."""
        try:
            rel = path.resolve().relative_to(self.root)
        except ValueError:
            rel = Path("external") / path.name
        return GRAPH + rel.with_suffix("").as_posix()
