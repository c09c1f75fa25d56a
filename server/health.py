"""/healthz and a small Prometheus-style /metrics."""

from __future__ import annotations

import threading
from collections import Counter

from flask import Blueprint, Response, current_app, jsonify

from .workers import Job

bp = Blueprint("health", __name__)


class Metrics:
    def __init__(self):
        self.responses: Counter = Counter()
        self.timeouts = 0
        self._lock = threading.Lock()

    def count(self, status: int) -> None:
        with self._lock:
            self.responses[status] += 1


@bp.route("/healthz")
def healthz():
    settings = current_app.config["GPKG_SETTINGS"]
    try:
        generation, _ = settings.locate()
        current_app.extensions["gpkg_pool"].run(Job("ASK {}", "application/sparql-results+json", 1), 5.0)
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return jsonify(status="unavailable", error=str(exc)), 503
    return jsonify(status="ok", build=generation)


@bp.route("/metrics")
def metrics():
    m = current_app.extensions["gpkg_metrics"]
    cache = current_app.extensions["gpkg_cache"]
    pool = current_app.extensions["gpkg_pool"]
    _, location = current_app.config["GPKG_SETTINGS"].locate()
    lines = ["# TYPE gpkg_http_responses_total counter"]
    lines += [f'gpkg_http_responses_total{{status="{s}"}} {n}' for s, n in sorted(m.responses.items())]
    lines += [
        "# TYPE gpkg_query_timeouts_total counter", f"gpkg_query_timeouts_total {m.timeouts}",
        "# TYPE gpkg_worker_restarts_total counter", f"gpkg_worker_restarts_total {pool.restarts}",
        "# TYPE gpkg_cache_hits_total counter", f"gpkg_cache_hits_total {cache.hits}",
        "# TYPE gpkg_cache_misses_total counter", f"gpkg_cache_misses_total {cache.misses}",
        "# TYPE gpkg_cache_entries gauge", f"gpkg_cache_entries {len(cache)}",
        "# TYPE gpkg_default_graph_in_memory gauge", f"gpkg_default_graph_in_memory {int(pool.in_memory(location))}",
    ]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")
