"""Storing articles: tag, then keep the article and its mentions in one transaction.

An article is the same article when its URL or its text is: posting it again (even from
several clients at once) returns the stored one; the unique constraints of the database
decide, so that two concurrent posts cannot both insert it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import Article, Mention
from .tagger import parse_published, tag


@dataclass(frozen=True)
class Stored:
    """The article a post resolved to, and whether this post created it."""

    article: Article
    created: bool


def content_hash(text: str) -> str:
    """The SHA-256 of an article's text: the same text is the same article."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def find_existing(session: Session, url: str | None, digest: str) -> Article | None:
    """The stored article with this URL or this text, if there is one."""
    condition = Article.content_hash == digest
    if url:
        condition = or_(condition, Article.url == url)
    return session.scalars(select(Article).where(condition).limit(1)).first()


def store_article(session: Session, fields: dict[str, Any]) -> Stored:
    """Tag ``fields["text"]`` and store the article with its mentions, or return the stored
    article with the same URL or text. Commits."""
    digest = content_hash(fields["text"])
    existing = find_existing(session, fields.get("url"), digest)
    if existing is not None:
        return Stored(existing, created=False)
    day, _ = parse_published(fields["published_at"])
    article = Article(
        url=fields.get("url"),
        content_hash=digest,
        title=fields.get("title"),
        source=fields.get("source"),
        language=fields.get("language") or "en",
        region=fields.get("region"),
        published_at=fields["published_at"],
        published_on=day,
        text=fields["text"],
        ingested_at=datetime.now(UTC),  # when it came in; never an anchor for dates
        status="tagged",
    )
    try:
        article.mentions = [
            Mention(
                start=m.start,
                end=m.end,
                text=m.text,
                type=m.type,
                value=m.value,
                mod=m.mod,
                interval_start=m.interval.start if m.interval else None,
                interval_end=m.interval.end if m.interval else None,
                granularity=m.granularity,
                anchor=m.anchor,
                confidence=m.confidence,
                rule=m.rule,
            )
            for m in tag(
                article.text, article.published_at, language=article.language, region=article.region
            )
        ]
    except Exception as exc:
        article.status, article.error = "failed", f"{type(exc).__name__}: {exc}"
    session.add(article)
    try:
        session.commit()
    except IntegrityError:  # another request stored it first
        session.rollback()
        existing = find_existing(session, fields.get("url"), digest)
        if existing is None:
            raise
        return Stored(existing, created=False)
    return Stored(article, created=True)


def mention_json(mention: Mention) -> dict[str, Any]:
    """The wire shape of a stored mention (the same as :meth:`timeline.Mention.to_dict`)."""
    interval = (
        {"start": mention.interval_start, "end": mention.interval_end}
        if mention.interval_start is not None or mention.interval_end is not None
        else None
    )
    return {
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "type": mention.type,
        "value": mention.value,
        "mod": mention.mod,
        "interval": interval,
        "granularity": mention.granularity,
        "anchor": mention.anchor,
        "confidence": mention.confidence,
    }
