"""The saved competency questions in queries/: one .rq file each, headed by `# title:` and `# question:` lines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import GpkgError
from .knowledge import Knowledge


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    question: str
    text: str


def parse_saved_query(path: Path) -> SavedQuery:
    text = path.read_text(encoding="utf-8")
    header = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line.lstrip("# ").partition(":")
        if value:
            header[key.strip().lower()] = (header.get(key.strip().lower(), "") + " " + value.strip()).strip()
    missing = [k for k in ("title", "question") if k not in header]
    if missing:
        raise GpkgError(f"{path}:1: saved query needs '# {missing[0]}: ...' in its first comment lines")
    return SavedQuery(path.stem, header["title"], header["question"], text)


def saved_queries(knowledge: Knowledge) -> list[SavedQuery]:
    return [parse_saved_query(p) for p in knowledge.query_files()]


def resolve(query_or_file: str, knowledge: Knowledge) -> str:
    """SPARQL text from a file path, the name of a saved query, or the query itself."""
    path = Path(query_or_file)
    if path.suffix in {".rq", ".sparql"} and path.is_file():
        return path.read_text(encoding="utf-8")
    named = knowledge.root / "queries" / f"{query_or_file}.rq"
    if named.is_file():
        return named.read_text(encoding="utf-8")
    if path.suffix in {".rq", ".sparql"}:
        raise GpkgError(f"{query_or_file}: no such query file or saved query")
    return query_or_file
