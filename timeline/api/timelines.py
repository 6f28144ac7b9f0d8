"""``GET /v1/articles/{id}/timeline`` and ``GET /v1/timeline``: the stored events in
chronological order, one entry per event however many articles report it.

The events were anchored when their articles were stored (:mod:`timeline.store`): reading
a timeline runs no tagger. The filters pick the events; :func:`timeline.events.merge.merge`
then makes one entry of the reports of one event in several articles, and keeps the
disagreements about its date in ``conflicts``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from .. import db
from ..events.merge import Merged, Report, merge
from ..models import Article, Event, Mention
from ..search import matches
from .articles import get_article, valid_id
from .schemas import TimelineQuery, TimelineSchema

blp = Blueprint("timelines", __name__, url_prefix="/v1", description="Timelines")

# The most events one timeline answer is made from.
MAX_EVENTS = 1000


def reports(query: dict[str, Any], article_id: int | None = None) -> list[Report]:
    """The stored events that pass ``query``'s filters, as reports to merge."""
    statement = (
        select(Event, Mention, Article)
        .join(Mention, Event.mention_id == Mention.id)
        .join(Article, Event.article_id == Article.id)
        .order_by(Event.interval_start, Event.interval_end, Article.id, Event.position)
        .limit(MAX_EVENTS)
    )
    chosen = article_id if article_id is not None else query.get("article")
    if chosen is not None:
        if not valid_id(chosen):
            return []
        statement = statement.where(Article.id == chosen)
    if "source" in query:
        statement = statement.where(Article.source == query["source"])
    if "from_" in query:  # events that end after the day starts
        statement = statement.where(Event.interval_end > query["from_"].isoformat())
    if "to" in query:
        statement = statement.where(Event.interval_start < _day_after(query["to"]))
    if "q" in query:
        statement = statement.where(matches(db.session(), query["q"]))
    return [_report(*row) for row in db.session().execute(statement)]


def _report(event: Event, mention: Mention, article: Article) -> Report:
    return Report(
        id=event.id,
        article_id=article.id,
        source=article.source,
        start=event.interval_start,
        end=event.interval_end,
        granularity=event.granularity,
        display_date=event.display_date,
        headline=event.headline,
        text=event.text,
        trigger=event.trigger,
        mention={
            "article_id": article.id,
            "start": mention.start,
            "end": mention.end,
            "text": mention.text,
            "value": mention.value,
        },
        confidence=event.confidence,
        uncertain=event.uncertain,
        trigger_span=(event.trigger_start, event.trigger_end),
    )


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


def events(query: dict[str, Any], article_id: int | None = None) -> list[dict[str, Any]]:
    """The timeline entries of the events that pass ``query``'s filters."""
    return [event_json(entry) for entry in merge(reports(query, article_id))]


def _day_after(day: date) -> str:
    return (day + timedelta(days=1)).isoformat()


@blp.route("/timeline")
class Timeline(MethodView):
    @blp.arguments(TimelineQuery, location="query", unknown=ma.RAISE)
    @blp.response(200, TimelineSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Every stored article's events, in chronological order, one entry per event."""
        return {"events": events(query)}


@blp.route("/articles/<int:article_id>/timeline")
class ArticleTimeline(MethodView):
    @blp.arguments(TimelineQuery, location="query", unknown=ma.RAISE)
    @blp.response(200, TimelineSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, query: dict[str, Any], article_id: int) -> dict[str, Any]:
        """One article's events, in chronological order."""
        get_article(article_id)
        return {"events": events(query, article_id)}
