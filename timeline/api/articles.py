"""``/v1/articles``: post an article (tagged and stored once), list, read, delete, and its
mentions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import marshmallow as ma
from flask import current_app, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import Select, func, select
from werkzeug.exceptions import NotFound

from ..ingest.jobs import jobs_of
from ..ingest.pages import main_text
from ..limits import limits_from
from ..store import db
from ..store.articles import accept_article, mentions_of, store_article
from ..store.models import Article, Mention
from ..store.search import matches
from ..store.timelines import delete_article
from .schemas import (
    ArticleDetailSchema,
    ArticlePageSchema,
    ArticlePostQuery,
    ArticleQuery,
    ArticleRequest,
    MentionListSchema,
)

# The largest id an article can have (a 32-bit INTEGER column, on every database).
MAX_ID = 2**31 - 1

blp = Blueprint("articles", __name__, url_prefix="/v1", description="Articles and their mentions")


def article_json(article: Article, count: int, text: bool = False) -> dict[str, Any]:
    """The wire shape of a stored article (with its text for the detail view)."""
    out: dict[str, Any] = {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "source": article.source,
        "language": article.language,
        "region": article.region,
        "published_at": None if article.published_missing else article.published_at,
        "published_missing": article.published_missing,
        "ingested_at": as_utc(article.ingested_at),
        "status": article.status,
        "error": article.error,
        "mention_count": count,
    }
    if text:
        out["text"] = article.text
    return out


def as_utc(moment: datetime) -> datetime:
    """``moment`` with its UTC offset (SQLite gives it back without one)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def mention_count(article_id: int) -> int:
    """How many mentions the article has."""
    return (
        db.session().scalar(
            select(func.count()).select_from(Mention).where(Mention.article_id == article_id)
        )
        or 0
    )


def get_article(article_id: int) -> Article:
    """The article, or 404."""
    article = db.session().get(Article, article_id) if valid_id(article_id) else None
    if article is None:
        raise NotFound(f"No article {article_id}.")
    return article


def id_page(
    statement: Select[Any], id_column: Any, query: dict[str, Any]
) -> tuple[list[Any], int | None]:
    """A page of ``statement``'s rows in id order: after the ``cursor`` id, at most ``limit``
    (the configured page size by default); and the cursor of the next page, if any."""
    limit = min(
        query.get("limit") or current_app.config["PAGE_SIZE"],
        current_app.config["MAX_PAGE_SIZE"],
    )
    statement = statement.order_by(id_column).limit(limit + 1)
    if "cursor" in query:  # past every id: an empty page
        statement = statement.where(id_column > min(query["cursor"], MAX_ID))
    rows = list(db.session().scalars(statement))
    page = rows[:limit]
    return page, page[-1].id if len(rows) > limit else None


def valid_id(article_id: int) -> bool:
    """Whether ``article_id`` can be a stored id at all (a positive 32-bit integer: what an
    INTEGER column holds on PostgreSQL as well as on SQLite)."""
    return 0 < article_id <= MAX_ID


def in_request(wait: bool | None, text: str) -> bool:
    """Whether a post is tagged in the request: as ``wait`` says, else when its text is no
    longer than ``TAG_IN_REQUEST_CHARS``."""
    if wait is not None:
        return wait
    limit: int = current_app.config["TAG_IN_REQUEST_CHARS"]
    return len(text) <= limit


@blp.route("/articles")
class Articles(MethodView):
    @blp.arguments(ArticleRequest)
    @blp.arguments(ArticlePostQuery, location="query", unknown=ma.RAISE)
    @blp.response(201, ArticleDetailSchema, description="Stored and tagged")
    @blp.alt_response(
        202,
        schema=ArticleDetailSchema,
        description="Stored, queued for tagging (status queued): poll its Location until"
        " the status is tagged or failed",
    )
    @blp.alt_response(
        200, schema=ArticleDetailSchema, description="Already stored (same URL or text)"
    )
    @blp.alt_response(422, response="LIMIT_EXCEEDED")
    def post(self, body: dict[str, Any], query: dict[str, Any]) -> Any:
        """Store an article and tag it, in the request (201) or in a worker (202: a long text,
        or ``wait=false``); the same URL or text is stored once.

        An article beyond a limit of the work it may take (its size, its time references,
        the units of work of anchoring them) is refused with 422 and nothing is stored; one
        tagged in a worker is kept, ``failed`` with the limit as its error."""
        if body.get("html") is not None:  # ArticleRequest saw that it holds some text
            body["text"] = main_text(body["html"])
        queued = not in_request(query["wait"], body["text"])
        limits = limits_from(current_app.config)
        stored = (accept_article if queued else store_article)(db.session(), body, limits)
        article = stored.article
        if queued and stored.created:
            jobs_of().tag(article.id, article.content_hash)
        # tagged here: its mentions are the rows just written (no read, no second transaction)
        tagged_here = stored.created and not queued
        count = len(article.mentions) if tagged_here else mention_count(article.id)
        payload = article_json(article, count, text=True)
        if not stored.created:
            return payload, 200
        location = {"Location": url_for("articles.ArticleView", article_id=article.id)}
        return payload, 202 if queued else 201, location

    @blp.arguments(ArticleQuery, location="query", unknown=ma.RAISE)
    @blp.response(200, ArticlePageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Articles in the order they came in, a page at a time, filtered."""
        statement = select(Article)
        if "source" in query:
            statement = statement.where(Article.source == query["source"])
        if "language" in query:
            statement = statement.where(Article.language == query["language"])
        if "published_from" in query:
            statement = statement.where(Article.published_on >= query["published_from"])
        if "published_to" in query:
            statement = statement.where(Article.published_on <= query["published_to"])
        if "q" in query:
            statement = statement.where(matches(db.session(), query["q"]))
        page, next_cursor = id_page(statement, Article.id, query)
        return {
            "items": [article_json(a, mention_count(a.id)) for a in page],
            "next_cursor": next_cursor,
        }


@blp.route("/articles/<int:article_id>")
class ArticleView(MethodView):
    @blp.response(200, ArticleDetailSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, article_id: int) -> dict[str, Any]:
        """One article, with its text."""
        article = get_article(article_id)
        return article_json(article, mention_count(article.id), text=True)

    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, article_id: int) -> None:
        """Delete an article with its mentions and events."""
        with db.transaction() as session:
            delete_article(session, get_article(article_id))


@blp.route("/articles/<int:article_id>/mentions")
class ArticleMentions(MethodView):
    @blp.response(200, MentionListSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, article_id: int) -> dict[str, Any]:
        """The time references of an article, in text order."""
        article = get_article(article_id)
        return {"article_id": article.id, "timexes": [m.to_dict() for m in mentions_of(article)]}
