"""Running a query for any route: cache, worker pool, and the mapping of failures to HTTP errors, in one place."""

from __future__ import annotations

import json

from flask import current_app
from werkzeug.exceptions import BadRequest, ServiceUnavailable

from gpkg.prefixes import SPARQL_PROLOGUE as PREFIXES

from .results import Serialized
from .workers import BadQuery, Job, QueryTimeout, StoreUnavailable, WorkersBusy

def execute(job: Job, cacheable: bool) -> tuple[Serialized, str]:
    """The serialised answer and the build (generation) it came from."""
    settings = current_app.config["GPKG_SETTINGS"]
    generation, _ = settings.locate()
    pool = current_app.extensions["gpkg_pool"]

    def run() -> Serialized:
        return pool.run(job, settings.query_timeout)

    try:
        if cacheable:
            result = current_app.extensions["gpkg_cache"].answer(
                (generation, job), run, lambda r: len(r.body), wait=2 * settings.query_timeout)
        else:
            result = run()
    except BadQuery as exc:
        raise BadRequest(str(exc)) from None
    except QueryTimeout as exc:
        current_app.extensions["gpkg_metrics"].timeouts += 1
        raise ServiceUnavailable(str(exc)) from None
    except (WorkersBusy, StoreUnavailable) as exc:
        raise ServiceUnavailable(str(exc)) from None
    return result, generation


VIEWER_LIMIT = 1_000_000  # the viewer's own queries are not cut by the public result cap (the timeout still applies)


def select(query: str, limit: int = VIEWER_LIMIT) -> list[dict[str, str]]:
    """Rows of a SELECT as {variable: value} (IRIs and literals as strings), for the viewer's pages."""
    job = Job(PREFIXES + query, "application/sparql-results+json", limit)
    result, _ = execute(job, cacheable=True)
    data = json.loads(result.body)
    return [{k: v["value"] for k, v in row.items()} | {f"{k}@lang": v.get("xml:lang", "") for k, v in row.items()}
            for row in data["results"]["bindings"]]


def graph(query: str, media_type: str) -> Serialized:
    result, _ = execute(Job(PREFIXES + query, media_type, VIEWER_LIMIT), cacheable=True)
    return result
