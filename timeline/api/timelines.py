"""``GET /v1/articles/{id}/timeline`` and ``GET /v1/timeline``: the dated references in
chronological order, each with the sentence around it.

Entries are the mentions with an interval (dates, times, vague references such as "in
recent weeks"), ordered by the start of their interval, then its end, then the article and
the offset; durations and sets, which date nothing on their own, are left out. The events
of the next issue will group these entries.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import or_, select

from .. import db
from ..models import Article, Mention
from ..search import matches
from ..store import mention_json
from ..tagger.context import sentence_bounds
from .articles import get_article, valid_id
from .schemas import TimelineQuery, TimelineSchema

blp = Blueprint("timelines", __name__, url_prefix="/v1", description="Timelines")

# The most entries one timeline answer holds.
MAX_ENTRIES = 1000


def entries(query: dict[str, Any], article_id: int | None = None) -> list[dict[str, Any]]:
    """The timeline entries of the stored mentions that pass ``query``'s filters."""
    statement = (
        select(Mention, Article)
        .join(Article, Mention.article_id == Article.id)
        .where(Mention.interval_start.is_not(None))
        .order_by(Mention.interval_start, Mention.interval_end, Article.id, Mention.start)
        .limit(MAX_ENTRIES)
    )
    chosen = article_id if article_id is not None else query.get("article")
    if chosen is not None:
        if not valid_id(chosen):
            return []
        statement = statement.where(Article.id == chosen)
    if "source" in query:
        statement = statement.where(Article.source == query["source"])
    if "from_" in query:  # intervals that end after the day starts
        statement = statement.where(
            or_(Mention.interval_end.is_(None), Mention.interval_end > query["from_"].isoformat())
        )
    if "to" in query:
        statement = statement.where(Mention.interval_start < _day_after(query["to"]))
    if "q" in query:
        statement = statement.where(matches(db.session(), query["q"]))
    return [_entry(mention, article) for mention, article in db.session().execute(statement)]


def _entry(mention: Mention, article: Article) -> dict[str, Any]:
    left, right = sentence_bounds(article.text, mention.start, mention.end)
    return {
        "article_id": article.id,
        "sentence": {"start": left, "end": right, "text": article.text[left:right].strip()},
        "mention": mention_json(mention),
    }


def _day_after(day: date) -> str:
    return (day + timedelta(days=1)).isoformat()


@blp.route("/timeline")
class Timeline(MethodView):
    @blp.arguments(TimelineQuery, location="query", unknown=ma.RAISE)
    @blp.response(200, TimelineSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Every stored article's dated references, in chronological order."""
        return {"entries": entries(query)}


@blp.route("/articles/<int:article_id>/timeline")
class ArticleTimeline(MethodView):
    @blp.arguments(TimelineQuery, location="query", unknown=ma.RAISE)
    @blp.response(200, TimelineSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, query: dict[str, Any], article_id: int) -> dict[str, Any]:
        """One article's dated references, in chronological order."""
        get_article(article_id)
        return {"entries": entries(query, article_id)}
