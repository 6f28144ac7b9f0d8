"""``GET /v1/articles/{id}/timeline`` and ``GET /v1/timeline``: the stored events in
chronological order, one entry per event however many articles report it, a page at a time.

The events were anchored and grouped across articles when their articles were stored
(:mod:`timeline.store.articles`, :mod:`timeline.store.timelines`): reading a timeline runs no
tagger and compares no reports; it reads a page of entries from an index.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import marshmallow as ma
from flask import Response, jsonify, request, stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint

from .. import exports
from ..events.merge import Merged, Report
from ..store import db, groupreads
from ..store.articles import mentions_of
from ..store.groupreads import SAMPLE
from ..store.models import Article
from ..store.timelines import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Page,
    article_page,
    timeline_leads,
    timeline_page,
)
from ..tagger.timeml import to_timeml
from . import urls
from .articles import get_article, valid_id
from .schemas import ArticleTimelineQuery, TimelineQuery, TimelineSchema

blp = Blueprint("timelines", __name__, url_prefix="/v1", description="Timelines")
# How many entries of an export are read at a time, as it is written.
EXPORT_CHUNK = 100
Entry = dict[str, Any]


def event_json(entry: Merged) -> dict[str, Any]:
    """The wire shape of one timeline entry: its report count, and bounded samples of its
    reports (:data:`~timeline.store.groupreads.SAMPLE` at most: the main report first, then the
    latest), of its sources and of the other dates its reports give (those most give first,
    each with its count)."""
    main = entry.main
    agreeing = [main, *sorted(entry.agreeing, key=lambda r: -r.id)][:SAMPLE]
    conflicts = _conflicts(entry)
    everyone = agreeing + [c for c, _ in conflicts]
    sources = list(dict.fromkeys(r.source for r in everyone if r.source))[:SAMPLE]
    trigger_start, trigger_end = main.trigger_span
    return {
        "id": entry.id,
        "report_id": main.id,
        "interval": {"start": main.start, "end": main.end, "granularity": main.granularity},
        "display_date": main.display_date,
        "headline": main.headline,
        "kind": main.kind,
        "text": main.text,
        "trigger": (
            {
                "article_id": main.article_id,
                "start": trigger_start,
                "end": trigger_end,
                "text": main.trigger,
            }
            if main.trigger is not None
            else None
        ),
        "other_triggers": [
            {"article_id": main.article_id, "start": s, "end": e, "text": t}
            for s, e, t in main.other_triggers
        ],
        "reports": entry.count,
        "mentions": [r.mention for r in agreeing],
        "sources": sources,
        "conflicts": [
            {
                **r.mention,
                "interval": {"start": r.start, "end": r.end, "granularity": r.granularity},
                "display_date": r.display_date,
                "headline": r.headline,
                "reports": count,
            }
            for r, count in conflicts
        ],
        "confidence": max(r.confidence for r in agreeing),
        "uncertain": main.uncertain or bool(conflicts),
    }


def _conflicts(entry: Merged) -> list[tuple[Report, int]]:
    """The other dates of an entry's reports, at most :data:`SAMPLE`, those most of its
    reports give first: the latest report that gives each, and how many do."""
    counts = dict(entry.other_dates or {})
    latest: dict[tuple[str, str], Report] = {}
    for r in sorted(entry.conflicting, key=lambda r: -r.id):
        latest.setdefault((r.start, r.end), r)
        if entry.other_dates is None:
            counts[(r.start, r.end)] = counts.get((r.start, r.end), 0) + 1
    chosen = sorted(latest, key=lambda key: (-counts[key], key))[:SAMPLE]
    return [(latest[key], counts[key]) for key in chosen]


def page(query: dict[str, Any], article_id: int | None = None) -> Page:
    """The page of the timeline that ``query`` asks for: one article's (``article_id``, or
    the ``article`` filter) or the timeline across articles. A page holds ``limit`` entries:
    by default 100 in JSON, and as many as a page can hold in the export formats."""
    session = db.session()
    exported = query.get("format", "json") != "json"
    limit = query.get("limit") or (MAX_LIMIT if exported else DEFAULT_LIMIT)
    after = query.get("cursor")
    chosen = article_id if article_id is not None else query.get("article")
    if chosen is not None:
        if not valid_id(chosen):
            return Page([], None)
        return article_page(session, chosen, query, limit, after)
    return timeline_page(session, query, limit, after)


def answer(query: dict[str, Any], article: Article | None = None) -> Any:
    """A page of a timeline in the format asked for (``format``, else the ``Accept`` header;
    JSON by default), with a ``Link`` to the next page when there is one."""
    query = {**query, "format": query.get("format") or negotiated(article is not None)}
    fmt = query["format"]
    headers = {"Vary": "Accept"}  # the Accept header may choose the format
    if fmt == "timeml":  # one article's text with its time references: no page of entries
        assert article is not None  # the route of the timeline across articles allows no other
        document = to_timeml(article.text, mentions_of(article), article.published_at)
        return Response(document, mimetype="application/xml", headers=headers)
    if fmt == "json":
        found = page(query, article.id if article is not None else None)
        entries = [event_json(e) for e in found.entries]
        link(headers, found.next)
        # already the shape of TimelineSchema (a test holds them equal): serialized as it
        # is, not dumped field by field again, which took a third of a page's time
        return jsonify({"events": entries, "next_cursor": found.next}), 200, headers
    chosen, next_cursor = exported(query, article)
    link(headers, next_cursor)
    title, subtitle = heading(query, article)
    if fmt == "timelinejs":
        body: Iterator[Any] = exports.timelinejs_stream(chosen, title, subtitle)
        mimetype, disposition = "application/json", None
    elif fmt == "ics":
        body = exports.ics_stream(chosen, title, urls.host())
        mimetype, disposition = "text/calendar", f"{filename(article)}.ics"
    else:  # csv
        body = exports.csv_stream(chosen)
        mimetype, disposition = "text/csv", f"{filename(article)}.csv"
    response = Response(stream_with_context(body), mimetype=mimetype)
    if disposition is not None:
        response.headers["Content-Disposition"] = f'inline; filename="{disposition}"'
    response.headers.extend(headers)
    return response


def link(headers: dict[str, str], next_cursor: str | None) -> None:
    """Add the ``Link`` to the next page, if there is one."""
    if next_cursor is not None:
        args = {**request.args, "cursor": next_cursor}
        headers["Link"] = f'<{urls.current()}?{urlencode(args)}>; rel="next"'


def exported(query: dict[str, Any], article: Article | None) -> tuple[Iterator[Entry], str | None]:
    """The entries of the page of an export, in their wire shape, read as they are written
    (the timeline across articles ``EXPORT_CHUNK`` entries at a time: its leads first, for
    the cursor of the next page); and that cursor."""
    chosen = article.id if article is not None else query.get("article")
    if chosen is not None:
        found = page(query, article.id if article is not None else None)
        return (event_json(e) for e in found.entries), found.next
    limit = query.get("limit") or MAX_LIMIT
    session = db.session()
    leads, next_cursor = timeline_leads(session, query, limit, query.get("cursor"))

    def entries() -> Iterator[Entry]:
        for at in range(0, len(leads), EXPORT_CHUNK):
            for entry in groupreads.entries(session, leads[at : at + EXPORT_CHUNK]):
                yield event_json(entry)

    return entries(), next_cursor


# The media types of the Accept header that choose a format (TimelineJS has none of its own).
ACCEPTED = {
    "application/json": "json",
    "text/calendar": "ics",
    "text/csv": "csv",
    "application/xml": "timeml",
    "text/xml": "timeml",
}


def negotiated(one_article: bool) -> str:
    """The format the ``Accept`` header prefers (JSON when it names none we write)."""
    offered = [t for t, f in ACCEPTED.items() if one_article or f != "timeml"]
    best = request.accept_mimetypes.best_match(offered, default="application/json")
    return ACCEPTED[best or "application/json"]


def heading(query: dict[str, Any], article: Article | None) -> tuple[str, str]:
    """A title for an exported timeline, and a line under it."""
    if article is not None:
        source = f"{article.source}, " if article.source else ""
        return (
            article.title or f"Article {article.id}",
            f"{source}published {article.published_at[:10]}",
        )
    said = [f"{key} {query[field]}" for key, field in FILTER_NAMES if field in query]
    return "Timeline", "; ".join(said) if said else "Every stored article"


FILTER_NAMES = (
    ("search", "q"),
    ("source", "source"),
    ("from", "from_"),
    ("to", "to"),
    ("article", "article"),
)


def filename(article: Article | None) -> str:
    return f"timeline-article-{article.id}" if article is not None else "timeline"


EXPORTS_DOC = {
    "responses": {
        "200": {
            "description": "The timeline: JSON (format=json, the default), TimelineJS 3 JSON "
            "(format=timelinejs), iCalendar (format=ics or Accept: text/calendar), CSV "
            "(format=csv or Accept: text/csv); for one article also TimeML (format=timeml or "
            "Accept: application/xml). A Link header (rel=next) points to the next page.",
            "content": {
                "application/json": {
                    "schema": {
                        "anyOf": [
                            {"$ref": "#/components/schemas/Timeline"},
                            {"$ref": "#/components/schemas/TimelineJS"},
                        ]
                    }
                },
                "text/calendar": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    }
}
TIMEML_DOC = {
    "responses": {"200": {"content": {"application/xml": {"schema": {"type": "string"}}}}}
}


@blp.route("/timeline")
class Timeline(MethodView):
    @blp.arguments(TimelineQuery, location="query", unknown=ma.RAISE)
    @blp.response(200, TimelineSchema)
    @blp.doc(**EXPORTS_DOC)
    def get(self, query: dict[str, Any]) -> Any:
        """Every stored article's events, in chronological order, one entry per event."""
        return answer(query)


@blp.route("/articles/<int:article_id>/timeline")
class ArticleTimeline(MethodView):
    @blp.arguments(ArticleTimelineQuery, location="query", unknown=ma.RAISE)
    @blp.response(200, TimelineSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.doc(**EXPORTS_DOC)
    @blp.doc(**TIMEML_DOC)
    def get(self, query: dict[str, Any], article_id: int) -> Any:
        """One article's events, in chronological order."""
        return answer(query, get_article(article_id))
