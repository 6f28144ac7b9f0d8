"""The service's own absolute URLs: under ``TIMELINE_PUBLIC_URL`` when it is set, so that a
forged ``Host`` header changes no link the service gives out (oEmbed, ``Link`` headers,
iCalendar UIDs, ``/docs``); under the request's own base URL, as the client named it, when
it is not."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request, url_for

from ..errors import InvalidInputError


def base() -> str:
    """The public base URL, without a trailing slash: ``TIMELINE_PUBLIC_URL``, else the
    request's (its scheme and ``Host``)."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return checked(configured)
    return request.host_url.rstrip("/")


def checked(url: Any) -> str:
    """``url`` as a public base URL (http or https, a host, no query), without a trailing
    slash; an :class:`InvalidInputError` when it is none."""
    parts = urlsplit(str(url).strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise InvalidInputError(f"TIMELINE_PUBLIC_URL is not an http(s) base URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def external(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint`` (``url_for``'s arguments) under the public base."""
    return base() + url_for(endpoint, **values)


def current() -> str:
    """The URL of this request (without its query) under the public base."""
    return base() + request.script_root + request.path


def host() -> str:
    """The public host name (for iCalendar UIDs: ``event-ID@HOST``)."""
    return urlsplit(base()).hostname or "timeline"
