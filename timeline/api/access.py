"""Access control, in one ``before_request`` hook: API keys (``Authorization: Bearer``) and
rate limits.

- A write (any method but GET, HEAD and OPTIONS: posting, changing and deleting, running a
  source, and ``POST /v1/extract``) needs an editor key. No key, or one that is unknown or
  revoked, is a 401 with ``WWW-Authenticate: Bearer``; a reader key is a 403.
- Reads of the data (``/v1/``, ``/embed/``, ``/oembed``: exports and the embed page among
  them) are public unless ``PUBLIC_READS`` is false; then they need a key of either role.
  A key sent with a public read is checked all the same (a wrong key is a 401, not ignored).
- ``/health``, ``/ready``, ``/docs``, the OpenAPI document, static files and any other path
  stay public.
- ``REQUIRE_KEYS=false`` turns keys off (a local trial on 127.0.0.1): everything is allowed.
- Writes are limited to ``WRITE_RATE`` per key, run requests (``POST
  /v1/sources/{id}/run``) to ``RUN_RATE`` per key, counted apart; without keys, per client
  address. Over the limit: 429 with ``Retry-After``. The counts are the process's own
  (:mod:`timeline.api.ratelimit`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apispec import APISpec, BasePlugin
from flask import Flask, Response, current_app, g, request

from ..app import enabled
from ..store import db
from .keys import find_key, mark_used
from .problems import PROBLEM_JSON, problem
from .ratelimit import Limiter, Rate

EXTENSION = "timeline.access"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# the paths whose reads PUBLIC_READS=false makes private: the data, not the service's own pages
DATA_PATHS = ("/v1/", "/embed/", "/oembed")
RUN_ENDPOINT = "sources.SourceRun"
SCHEME = "bearerAuth"
REALM = 'Bearer realm="timeline"'


@dataclass(frozen=True)
class Limits:
    """The application's rate limiters: writes, and run requests (None: no limit)."""

    writes: Limiter | None
    runs: Limiter | None


@dataclass(frozen=True)
class Caller:
    """Who sent the request, as :data:`flask.g.caller` says it: a key's id, name and role,
    or no key (``key_id`` None) when keys are off."""

    key_id: int | None
    name: str
    role: str


def init_app(app: Flask) -> None:
    """Check the access settings, make the limiters and register the hook on ``app``."""
    for name in ("REQUIRE_KEYS", "PUBLIC_READS"):
        enabled(app.config, name)  # a value that is not a boolean fails at start
    writes = Rate.setting(app.config["WRITE_RATE"], "WRITE_RATE")
    runs = Rate.setting(app.config["RUN_RATE"], "RUN_RATE")
    app.extensions[EXTENSION] = Limits(
        writes=Limiter(writes) if writes else None, runs=Limiter(runs) if runs else None
    )
    app.before_request(check_access)


def check_access() -> Response | None:
    """The hook: None lets the request through, a response refuses it (401, 403, 429)."""
    if request.routing_exception is not None or request.method == "OPTIONS":
        return None  # 404 and 405 as they are; OPTIONS says only which methods exist
    write = request.method not in READ_METHODS
    if not write and not request.path.startswith(DATA_PATHS):
        return None
    config = current_app.config
    if not enabled(config, "REQUIRE_KEYS"):
        g.caller = Caller(None, "", "editor")
        return limit(request.remote_addr or "") if write else None
    header = request.headers.get("Authorization")
    if header is None:
        if not write and enabled(config, "PUBLIC_READS"):
            return None
        what = "Writes need" if write else "Reads are private here: they need"
        return unauthorized(f"{what} an API key: send it as 'Authorization: Bearer <key>'.")
    scheme, _, secret = header.strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        return unauthorized("Send the API key as 'Authorization: Bearer <key>'.", invalid=True)
    session = db.session()
    key = find_key(session, secret)
    if key is None:
        return unauthorized("The API key is not valid: unknown or revoked.", invalid=True)
    mark_used(session, key)
    g.caller = Caller(key.id, key.name, key.role)
    if write and key.role != "editor":
        return forbidden(f"This key's role ({key.role}) may read but not write.")
    return limit(("key", key.id)) if write else None


def limit(client: object) -> Response | None:
    """Count a write of ``client``; a 429 when it is over its limit."""
    limits: Limits = current_app.extensions[EXTENSION]
    run = request.endpoint == RUN_ENDPOINT
    limiter = limits.runs if run else limits.writes
    if limiter is None:
        return None
    wait = limiter.hit(client)
    if not wait:
        return None
    what = "run requests" if run else "writes"
    seconds = Limiter.retry_after(wait)
    detail = f"Over the limit of {limiter.rate} for {what}; try again in {seconds} s."
    response = problem(429, "Too Many Requests", detail)
    response.headers["Retry-After"] = str(seconds)
    return response


def unauthorized(detail: str, invalid: bool = False) -> Response:
    """401 with the challenge of RFC 6750 (``error="invalid_token"`` for a key that was sent
    but is not valid)."""
    response = problem(401, "Unauthorized", detail)
    challenge = REALM + (', error="invalid_token"' if invalid else "")
    response.headers["WWW-Authenticate"] = challenge
    return response


def forbidden(detail: str) -> Response:
    """403: a valid key whose role does not allow the request."""
    response = problem(403, "Forbidden", detail)
    response.headers["WWW-Authenticate"] = REALM + ', error="insufficient_scope"'
    return response


class AccessPlugin(BasePlugin):
    """Says in the OpenAPI document which operations need a key: ``bearerAuth`` required on
    every write (with its 401, 403 and 429) and optional on the reads of data under ``/v1/``
    (with its 401), as a client of a service with private reads must send it."""

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            if method.upper() in READ_METHODS:
                if (path or "").startswith(DATA_PATHS):
                    operation["security"] = [{}, {SCHEME: []}]
                    responses.setdefault("401", "KEY_REQUIRED")
                continue
            operation["security"] = [{SCHEME: []}]
            responses.setdefault("401", "KEY_REQUIRED")
            responses.setdefault("403", "ROLE_FORBIDS")
            responses.setdefault("429", "RATE_LIMITED")


def document(spec: APISpec) -> None:
    """Add the ``bearerAuth`` scheme and the 401, 403 and 429 responses to ``spec``'s
    components (named apart from flask-smorest's own responses of those statuses, which
    carry no headers)."""
    spec.components.security_scheme(
        SCHEME,
        {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An API key (`timeline keys create --role editor|reader`), sent as"
                " `Authorization: Bearer tl_...`. Writes need an editor key. Reads of the data"
                " are public unless the service sets TIMELINE_PUBLIC_READS=false; then they"
                " need a reader or editor key. A key that is sent is always checked."
            ),
        },
    )
    for name, description, header in (
        ("KEY_REQUIRED", "No API key, or one that is unknown or revoked", "WWW-Authenticate"),
        ("ROLE_FORBIDS", "The API key's role does not allow the request", "WWW-Authenticate"),
        ("RATE_LIMITED", "Over the rate limit of the key (or client)", "Retry-After"),
    ):
        spec.components.response(
            name,
            {
                "description": description,
                "headers": {header: {"schema": {"type": "string"}}},
                "content": {PROBLEM_JSON: {"schema": "Problem"}},
            },
        )
