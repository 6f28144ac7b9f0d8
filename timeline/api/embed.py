"""``GET /embed/timeline``: a timeline as a page to embed in a story or a CMS (an
``<iframe>``), drawn by TimelineJS; and ``GET /oembed``: its oEmbed, so that a CMS given
the page's address finds the snippet itself.

TimelineJS is served by the app from the npm release ``package-lock.json`` pins (``make
assets``): the page loads nothing from elsewhere (no CDN, no web fonts), so it works offline
and inside an intranet. Article text reaches the page only as JSON in a data block, escaped
for HTML inside it (TimelineJS renders text as HTML); the page's Content-Security-Policy
allows no inline script and no script from anywhere but the app, so that text which gets
through as markup still cannot run.
"""

from __future__ import annotations

import html
import json
import os
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import marshmallow as ma
from flask import Blueprint, Response, current_app, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound

from .. import exports
from ..store.timelines import MAX_LIMIT
from . import urls
from .articles import get_article
from .problems import problem
from .schemas import TimelineFilters
from .timelines import event_json, heading, page

blp = Blueprint("embed", __name__, template_folder="templates")

TIMELINEJS = "vendor/timelinejs/js/timeline.js"
# No script but the app's own files, no inline script or handler, nothing from elsewhere;
# inline styles are TimelineJS's own (it positions its slides with them). Any site may frame
# the page: that is what it is for.
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors *"
)
# The frame's size in the snippets, unless the consumer asks for less (oEmbed maxwidth and
# maxheight).
WIDTH, HEIGHT = 800, 650


class EmbedQuery(TimelineFilters):
    """The filters of ``GET /v1/timeline``, ``article`` among them."""


class OEmbedQuery(ma.Schema):
    url = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2048))
    maxwidth = ma.fields.Integer(validate=ma.validate.Range(min=1))
    maxheight = ma.fields.Integer(validate=ma.validate.Range(min=1))
    format = ma.fields.String()

    class Meta:
        unknown = ma.EXCLUDE


def _load(schema: ma.Schema, args: MultiDict[str, str]) -> dict[str, Any] | Response:
    """The query, or the 422 problem that says what is wrong with it."""
    try:
        loaded: dict[str, Any] = schema.load(args)
    except ma.ValidationError as error:
        return problem(
            422, "Unprocessable Entity", "The request is not valid.", errors=error.messages
        )
    return loaded


@blp.get("/embed/timeline")
def embed_timeline() -> Response:
    """The timeline that the filters choose (its first 1,000 entries), as a page drawn by
    TimelineJS."""
    query = _load(EmbedQuery(), request.args)
    if isinstance(query, Response):
        return query
    if not os.path.isfile(os.path.join(current_app.static_folder or "", TIMELINEJS)):
        return problem(
            503,
            "Service Unavailable",
            "The TimelineJS assets are not installed: run `make assets`.",
        )
    article = get_article(query["article"]) if "article" in query else None
    found = page({**query, "format": "timelinejs", "limit": MAX_LIMIT})
    entries = [event_json(e) for e in found.entries]
    title, subtitle = heading(query, article)
    data = exports.timelinejs(entries, title, subtitle)
    options = {
        "script_path": url_for("static", filename="vendor/timelinejs/js/"),
        "language": "en",
        "font": "",  # the page's own fonts: TimelineJS would fetch a font sheet otherwise
        "hash_bookmark": False,
        "scale_factor": 1,  # the whole timeline in one width of the frame at first
        "timenav_position": "bottom",
    }
    body = render_template(
        "embed.html",
        title=title,
        data=data,
        options=options,
        count=len(entries),
        oembed_url=url_for("embed.oembed", url=this_page(), format="json"),
    )
    response = Response(body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@blp.get("/oembed")
def oembed() -> Response:
    """The oEmbed (type rich) of an embed page of this service: the ``<iframe>`` snippet."""
    query = _load(OEmbedQuery(), request.args)
    if isinstance(query, Response):
        return query
    if query.get("format", "json") != "json":
        return problem(501, "Not Implemented", "Only format=json is served.")
    target = urlsplit(query["url"])
    page_url = urls.external("embed.embed_timeline")
    ours = urlsplit(page_url)
    if (
        target.scheme not in ("http", "https")
        or target.netloc != ours.netloc
        or target.path != ours.path
    ):
        raise NotFound("Not an embeddable timeline of this service.")
    filters = _load(EmbedQuery(), MultiDict(_pairs(target.query)))
    if isinstance(filters, Response):
        raise NotFound("Not an embeddable timeline of this service: its filters are not valid.")
    article = get_article(filters["article"]) if "article" in filters else None
    title, _ = heading(filters, article)
    width = min(WIDTH, query.get("maxwidth", WIDTH))
    height = min(HEIGHT, query.get("maxheight", HEIGHT))
    source = page_url
    if target.query:
        source += "?" + urlencode(_pairs(target.query))
    snippet = iframe(source, title, width, height)
    document = {
        "version": "1.0",
        "type": "rich",
        "provider_name": "timeline",
        "provider_url": urls.base() + "/",
        "title": title,
        "html": snippet,
        "width": width,
        "height": height,
    }
    return Response(json.dumps(document, ensure_ascii=False), mimetype="application/json")


def this_page() -> str:
    """The address of this embed page, under the public base URL, with its query."""
    query = request.query_string.decode("latin-1")
    return urls.current() + (f"?{query}" if query else "")


def _pairs(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query, keep_blank_values=True)


def iframe(source: str, title: str, width: int | str, height: int) -> str:
    """The snippet that embeds a timeline page (every attribute escaped)."""
    return (
        f'<iframe src="{html.escape(source)}" title="{html.escape(title)}" '
        f'width="{html.escape(str(width))}" height="{height}" style="border:0" '
        'loading="lazy" referrerpolicy="no-referrer"></iframe>'
    )
