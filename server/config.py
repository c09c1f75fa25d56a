"""Server settings: defaults, overridden by environment variables, overridden by `gpkg serve` options."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .guard import check_service_allowlist

WIKIDATA = "https://query.wikidata.org/sparql"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 5000
    store: str | None = None  # a store directory; default: the current build
    endpoint: str | None = None  # a remote SPARQL 1.1 endpoint instead of the embedded store
    home: str | None = None  # GPKG_HOME, where builds live
    base_iri: str = "https://w3id.org/gpkg/"  # entity IRIs under it resolve on this server
    query_timeout: float = 30.0
    result_limit: int = 10_000
    max_query_length: int = 100_000
    max_request_bytes: int = 1_000_000
    rate_limit: str = "300 per minute"
    workers: int = 2
    memory: str = "auto"  # default graph in each worker's memory: auto (if it fits), on, off (see server.workers)
    threads: int = 8
    cache_entries: int = 512
    service_allowlist: tuple[str, ...] = field(default=(WIKIDATA,))

    @classmethod
    def from_env(cls, environ=os.environ, **overrides) -> "Settings":
        values = {}
        for f in fields(cls):
            raw = environ.get(f"GPKG_{f.name.upper()}")
            if raw is None:
                continue
            if f.name == "service_allowlist":
                values[f.name] = tuple(raw.split())
            elif f.type in ("int",):
                values[f.name] = int(raw)
            elif f.type in ("float",):
                values[f.name] = float(raw)
            else:
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = replace(cls(), **values)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.store and self.endpoint:
            raise ValueError("give either a store (--store) or a remote endpoint (--endpoint), not both")
        if self.query_timeout <= 0 or self.result_limit <= 0 or self.workers <= 0:
            raise ValueError("query timeout, result limit and workers must be positive")
        if self.memory not in ("auto", "on", "off"):
            raise ValueError(f"memory must be auto, on or off, not {self.memory!r}")
        check_service_allowlist(self.service_allowlist)

    def locate(self) -> tuple[str, str]:
        """(generation, location) of what queries run on; the generation changes when a new build is current."""
        if self.endpoint:
            return f"remote {self.endpoint}", self.endpoint
        if self.store:
            return f"store {self.store}", self.store
        from gpkg import builds

        build = builds.current(Path(self.home) if self.home else None)
        return build.name, str(build / "store")
