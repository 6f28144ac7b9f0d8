"""``GET /v1/articles/{id}/timeline`` and ``GET /v1/timeline``: the stored events in
chronological order, one entry per event however many articles report it, a page at a time.

The events were anchored and grouped across articles when their articles were stored
(:mod:`timeline.store`, :mod:`timeline.timelines`): reading a timeline runs no tagger and
compares no reports; it reads a page of entries from an index.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint

from .. import db
from ..events.merge import Merged
from ..timelines import DEFAULT_LIMIT, Page, article_page, timeline_page
from .articles import get_article, valid_id
from .schemas import TimelineQuery, TimelineSchema

blp = Blueprint("timelines", __name__, url_prefix="/v1", description="Timelines")


def event_json(entry: Merged) -> dict[str, Any]:
    """The wire shape of one timeline entry."""
    main = entry.main
    agreeing = [main, *entry.agreeing]
    sources = list(dict.fromkeys(r.source for r in agreeing + entry.conflicting if r.source))
    trigger_start, trigger_end = main.trigger_span
    return {
        "id": main.id,
        "interval": {"start": main.start, "end": main.end, "granularity": main.granularity},
        "display_date": main.display_date,
        "headline": main.headline,
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
        "mentions": [r.mention for r in agreeing],
        "sources": sources,
        "conflicts": [
            {
                **r.mention,
                "interval": {"start": r.start, "end": r.end, "granularity": r.granularity},
                "display_date": r.display_date,
                "headline": r.headline,
            }
            for r in entry.conflicting
        ],
        "confidence": max(r.confidence for r in agreeing),
        "uncertain": main.uncertain or bool(entry.conflicting),
    }


def page(query: dict[str, Any], article_id: int | None = None) -> Page:
    """The page of the timeline that ``query`` asks for: one article's (``article_id``, or
    the ``article`` filter) or the timeline across articles."""
    session = db.session()
    limit, after = query.get("limit", DEFAULT_LIMIT), query.get("cursor")
    chosen = article_id if article_id is not None else query.get("article")
    if chosen is not None:
        if not valid_id(chosen):
            return Page([], None)
        return article_page(session, chosen, query, limit, after)
    return timeline_page(session, query, limit, after)


def timeline_json(query: dict[str, Any], article_id: int | None = None) -> dict[str, Any]:
    """The wire shape of a page of a timeline."""
    found = page(query, article_id)
    return {"events": [event_json(e) for e in found.entries], "next_cursor": found.next}


@blp.route("/timeline")
class Timeline(MethodView):
    @blp.arguments(TimelineQuery, location="query", unknown=ma.RAISE)
    @blp.response(200, TimelineSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Every stored article's events, in chronological order, one entry per event."""
        return timeline_json(query)


@blp.route("/articles/<int:article_id>/timeline")
class ArticleTimeline(MethodView):
    @blp.arguments(TimelineQuery, location="query", unknown=ma.RAISE)
    @blp.response(200, TimelineSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, query: dict[str, Any], article_id: int) -> dict[str, Any]:
        """One article's events, in chronological order."""
        get_article(article_id)
        return timeline_json(query, article_id)
