"""The SPARQL safety rules, in one place: what a request may ask of the public endpoint.

- read-only: any SPARQL Update operation (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY, WITH), sent as
  `update` or smuggled as `query`, is refused;
- no egress: SERVICE only to endpoints on the allow-list, never to loopback, private or link-local addresses, and
  never to a variable endpoint; FROM / FROM NAMED only name graphs of the store (nothing is fetched);
- size: the query text has a maximum length.

The query form is found by a small lexer that skips comments, IRIs and string literals, so keywords inside them do not
count. The store is also opened read-only, so an update that got past this would still fail.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from gpkg.sparql_text import tokens

QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATE_FORMS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
GRAPH_FORMS = {"CONSTRUCT", "DESCRIBE"}

class Refused(Exception):
    """A request the endpoint will not run; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Checked:
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE; "" when the lexer could not tell (the engine will say why)
    services: tuple[str, ...]

    @property
    def graph_result(self) -> bool:
        return self.form in GRAPH_FORMS


def check(query: str, max_length: int, service_allowlist: tuple[str, ...]) -> Checked:
    """Classify a query and enforce the rules; raise Refused (403 update or SERVICE, 413 too long)."""
    if len(query) > max_length:
        raise Refused(413, f"query too long: {len(query)} characters, the limit is {max_length}")
    prefixes: dict[str, str] = {}
    form = ""
    services: list[str] = []
    stream = list(tokens(query))
    i = 0
    while i < len(stream):
        kind, value = stream[i]
        upper = value.upper() if kind == "word" else ""
        if upper == "PREFIX" and i + 2 < len(stream) and stream[i + 1][0] == "pname" and stream[i + 2][0] == "iri":
            prefixes[stream[i + 1][1].split(":", 1)[0]] = stream[i + 2][1][1:-1]
            i += 3
            continue
        if upper == "BASE" and not form:
            i += 2
            continue
        if upper in UPDATE_FORMS:  # no update keyword is a word of the query language, wherever it stands
            raise Refused(403, f"this endpoint is read-only: SPARQL Update ({upper}) is not allowed")
        if not form and upper in QUERY_FORMS:
            form = upper
        if upper == "SERVICE":
            j = i + 1
            if j < len(stream) and stream[j][0] == "word" and stream[j][1].upper() == "SILENT":
                j += 1
            services.append(_service_target(stream[j] if j < len(stream) else ("other", ""), prefixes))
        i += 1
    for target in services:
        _check_service(target, service_allowlist)
    return Checked(form, tuple(services))


def _service_target(token: tuple[str, str], prefixes: dict[str, str]) -> str:
    kind, value = token
    if kind == "iri":
        return value[1:-1]
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    if kind == "var":
        raise Refused(403, "SERVICE with a variable endpoint is not allowed")
    raise Refused(403, f"SERVICE endpoint not understood: {value!r}")


def _check_service(url: str, allowlist: tuple[str, ...]) -> None:
    host = urlsplit(url).hostname or ""
    if _local_host(host):
        raise Refused(403, f"SERVICE to {url} is not allowed: loopback, private and link-local addresses are refused")
    if url not in allowlist:
        allowed = ", ".join(allowlist) or "none"
        raise Refused(403, f"SERVICE to {url} is not allowed; allowed endpoints: {allowed}")


def _local_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in {"", "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"} or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return (address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified
            or address.is_reserved or address.is_multicast)


def check_service_allowlist(allowlist: tuple[str, ...]) -> tuple[str, ...]:
    """Configured endpoints must be http(s) and not local; refuse a bad configuration at start-up."""
    for url in allowlist:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or _local_host(parts.hostname or ""):
            raise ValueError(f"SERVICE allow-list entry {url!r} must be a public http(s) URL")
    return allowlist
