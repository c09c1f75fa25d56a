"""Error handling, in one place: every error is a short plain-text message with the right status, never a stack
trace; unexpected errors are logged with their traceback and answered with 500 and a short message."""

from __future__ import annotations

import logging

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

log = logging.getLogger("gpkg.server")


def error_response(status: int, message: str, headers: dict | None = None) -> Response:
    response = Response(message.rstrip() + "\n", status=status, mimetype="text/plain")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        headers = {k: v for k, v in exc.get_headers() if k.lower() in ("retry-after", "allow")}
        return error_response(exc.code or 500, f"{exc.code} {exc.name}: {exc.description}", headers)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error")
        return error_response(500, "500 Internal Server Error: the server could not answer this request")
