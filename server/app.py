"""The Flask application factory: one blueprint per concern (SPARQL protocol, query UI, health, linked data, pages)."""

from __future__ import annotations

import logging

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from . import errors
from .cache import ResultCache
from .config import Settings
from .health import Metrics
from .workers import QueryPool


CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["GPKG_SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = settings.max_request_bytes
    app.extensions["gpkg_pool"] = QueryPool(settings.locate, settings.workers, settings.memory)
    app.extensions["gpkg_cache"] = ResultCache(settings.cache_entries)
    app.extensions["gpkg_metrics"] = Metrics()

    from . import health, linked_data, pages, sparql, ui

    limiter = Limiter(get_remote_address, app=app, default_limits=[settings.rate_limit], storage_uri="memory://",
                      headers_enabled=True)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(ui.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(linked_data.bp)
    app.register_blueprint(pages.bp)
    limiter.exempt(health.bp)
    errors.register(app)

    @app.after_request
    def common_headers(response):
        response.headers["Access-Control-Allow-Origin"] = "*"  # never with credentials
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        response.headers["Access-Control-Expose-Headers"] = "X-GPKG-Truncated, X-GPKG-Result-Limit, X-GPKG-Build"
        response.vary.add("Accept")
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        app.extensions["gpkg_metrics"].count(response.status_code)
        return response

    logging.getLogger("gpkg.server").setLevel(logging.INFO)
    app.extensions["gpkg_pool"].wait_started()
    return app


def serve(settings: Settings) -> None:
    """Run under waitress, a production WSGI server (never Flask's development server)."""
    from waitress import serve as waitress_serve

    app = create_app(settings)
    waitress_serve(app, host=settings.host, port=settings.port, threads=settings.threads,
                   max_request_body_size=settings.max_request_bytes, ident="gpkg")
