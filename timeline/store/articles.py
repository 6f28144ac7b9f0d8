"""Storing articles: tag, anchor the events, then keep the article, its mentions and its
events in one transaction.

An article is the same article when its URL or its text is: posting it again (even from
several clients at once) returns the stored one; the unique constraints of the database
decide, so that two concurrent posts cannot both insert it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..api.metrics import timing_tagging
from ..errors import LimitExceededError
from ..events.entries import Entry, build_entries
from ..limits import Budget, Limits
from ..tagger import parse_published, tag
from ..tagger.joins import join_mentions
from ..tagger.model import Interval
from ..tagger.model import Mention as Found
from .grouplocks import lock_everything
from .models import Article, Event, Mention
from .rows import index_insert, new_row, write_rows
from .timelines import (
    elect,
    find_groups,
    group_and_commit,
    group_events,
    index_rows,
    indexed_fields,
    preset_groups,
)

# What the dates of an article without a publication date are worth, relatively.
MISSING_DATE_CONFIDENCE = 0.5
# The limits of an article when the caller gives none: the settings' defaults.
DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Stored:
    """The article a post resolved to, and whether this post created it."""

    article: Article
    created: bool


def content_hash(text: str) -> str:
    """The SHA-256 of an article's text: the same text is the same article."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def find_existing(session: Session, url: str | None, digest: str) -> Article | None:
    """The stored article with this URL or this text, if there is one. Its id is looked up
    first, and the article read only when there is one: most posts are new, and a result of
    every column of an article costs the driver and the ORM a description of each even when
    it holds no row."""
    condition = Article.content_hash == digest
    if url:
        condition = or_(condition, Article.url == url)
    found = session.scalar(select(Article.id).where(condition).limit(1))
    return None if found is None else session.get(Article, found)


def store_article(
    session: Session, fields: dict[str, Any], limits: Limits = DEFAULT_LIMITS
) -> Stored:
    """Tag ``fields["text"]`` and store the article with its mentions and events, or return
    the stored article with the same URL or text. Commits.

    An article beyond one of its ``limits`` (:mod:`timeline.limits`: its size, its time
    references, the work of anchoring them) raises :class:`LimitExceededError` and nothing
    of it is stored.

    The article is kept whatever its tagging does: a failure in tagging stores it ``failed``
    with the error, and :func:`retag` tries again. It is stored with its mentions and events
    in one transaction (one commit per article: on SQLite each commit waits for the disk); a
    process that dies before the commit has stored nothing, and a source's run then fetches
    the item again (:mod:`timeline.ingest.sources` keeps a feed's validators only once every item
    is stored). ``fields["published_at"]`` may be ``None`` (a page that gives no date): the
    article is then read against the moment it came in, flagged ``published_missing``, and
    its dates get half their confidence.
    """
    return _insert(session, fields, tagged=True, limits=limits)


def accept_article(
    session: Session, fields: dict[str, Any], limits: Limits = DEFAULT_LIMITS
) -> Stored:
    """Store the article untagged, ``queued`` for a job to tag (:func:`tag_queued`), or
    return the stored article with the same URL or text. Commits: once this returns, the
    article is kept whatever happens to its job. A text longer than ``limits`` allows raises
    :class:`LimitExceededError` and is not stored; the other limits are the job's to meet."""
    return _insert(session, fields, tagged=False, limits=limits)


def _insert(session: Session, fields: dict[str, Any], *, tagged: bool, limits: Limits) -> Stored:
    """:func:`store_article` (``tagged``) or :func:`accept_article`."""
    digest = content_hash(fields["text"])
    existing = find_existing(session, fields.get("url"), digest)
    if existing is not None:
        return Stored(existing, created=False)
    limits.check_text(fields["text"])
    now = datetime.now(UTC)  # when it came in: a date's anchor only when the source gave none
    published = fields.get("published_at") or now.isoformat(timespec="seconds")
    day, _ = parse_published(published)
    article = Article(
        url=fields.get("url"),
        content_hash=digest,
        title=fields.get("title"),
        source=fields.get("source"),
        source_id=fields.get("source_id"),
        language=fields.get("language") or "en",
        region=fields.get("region"),
        published_at=published,
        published_on=day,
        published_missing=not fields.get("published_at"),
        text=fields["text"],
        ingested_at=now,
        status="tagged" if tagged else "queued",  # tagged: until _tag_into says otherwise
    )
    found: list[int | None] = []
    mentions: list[Mention] = []
    events: list[Event] = []
    if tagged:
        mentions, events = _tag_rows(article, limits)
        found = find_groups(session, events)  # reads only: before the write lock
    session.add(article)
    try:
        session.flush()  # the article's id
        if tagged:
            _write_grouped(session, article, mentions, events, found)
        else:
            write_rows(session, article, mentions, events)
            session.commit()
    except IntegrityError:  # another request stored it first
        session.rollback()
        existing = find_existing(session, fields.get("url"), digest)
        if existing is None:
            raise
        return Stored(existing, created=False)
    return Stored(article, created=True)


def tag_queued(
    session: Session, article_id: int, digest: str, limits: Limits = DEFAULT_LIMITS
) -> str | None:
    """Tag the article ``article_id`` that :func:`accept_article` queued, with its mentions,
    events and groups; its status after (``tagged`` or ``failed``), or ``None`` when there was
    nothing to do: it is tagged already, deleted, or no longer holds the text of ``digest``.

    Idempotent, whoever runs it and however often: the article goes ``tagging`` (a commit of
    its own, so that a reader sees it), is tagged outside any transaction, and its rows are
    written only while it is still ``tagging``, by one conditional ``UPDATE`` that starts
    the writing transaction; a second run at the same time waits for that row (PostgreSQL)
    or for the writer lock (SQLite), then finds it tagged and writes nothing. A run that dies
    before its commit leaves the article ``tagging`` with no rows: the next run tags it. An
    article beyond its ``limits`` ends ``failed``, with the limit as its error."""
    pending = (Article.id == article_id, Article.content_hash == digest)
    claimed = session.execute(
        update(Article)
        .where(*pending, Article.status.in_(("queued", "tagging")))
        .values(status="tagging", error=None),
        execution_options={"synchronize_session": False},
    )
    session.commit()
    if _rowcount(claimed) == 0:
        return None
    article = session.get_one(Article, article_id, populate_existing=True)
    mentions: list[Mention] = []
    events: list[Event] = []
    with session.no_autoflush:  # nothing written before the check below
        try:
            mentions, events = _tag_rows(article, limits)
        except LimitExceededError as exc:  # kept, failed with the limit: never lost
            _fail_beyond_limit(article, exc)
        found = find_groups(session, events)
        still = session.execute(
            update(Article).where(*pending, Article.status == "tagging").values(status="tagging"),
            execution_options={"synchronize_session": False},
        )
    if _rowcount(still) == 0:  # another run wrote it meanwhile
        session.rollback()
        return None
    session.flush()
    _write_grouped(session, article, mentions, events, found)
    return article.status


def _write_grouped(
    session: Session,
    article: Article,
    mentions: list[Mention],
    events: list[Event],
    found: list[int | None],
) -> None:
    """Insert a tagged article's mentions and events (the article flushed) and group the
    events, from the groups ``found`` for them before the locks, then commit: the events
    whose group is settled go in with it, and their rows of the word index go in with the
    grouping (in its one trip on PostgreSQL)."""
    connection = session.connection()
    preset_groups(connection, events, found)
    write_rows(session, article, mentions, events)  # the events' ids, which new groups take
    group_and_commit(session, article.events, found, index_insert(connection, article.events))


def give_up(session: Session, article_id: int, reason: str) -> bool:
    """Mark a queued (or tagging) article ``failed`` with ``reason``: its job ran out of
    attempts. Whether it was still waiting. Commits."""
    failed = session.execute(
        update(Article)
        .where(Article.id == article_id, Article.status.in_(("queued", "tagging")))
        .values(status="failed", error=reason),
        execution_options={"synchronize_session": False},
    )
    session.commit()
    return _rowcount(failed) > 0


def waiting_articles(session: Session, limit: int, after: int = 0) -> list[tuple[int, str]]:
    """The id and text hash of the articles still ``queued`` or ``tagging`` (those whose job
    a restart may have lost): the first ``limit`` of them with an id above ``after``."""
    rows = session.execute(
        select(Article.id, Article.content_hash)
        .where(Article.status.in_(("queued", "tagging")), Article.id > after)
        .order_by(Article.id)
        .limit(limit)
    ).all()
    return [(row.id, row.content_hash) for row in rows]


def _rowcount(result: Any) -> int:
    """How many rows an ``UPDATE`` matched."""
    return int(result.rowcount)


def _tag_into(article: Article, limits: Limits = DEFAULT_LIMITS) -> None:
    """Give ``article`` its mentions and events (:func:`_tag_rows`), to be flushed (with
    their rows of the word index)."""
    article.mentions, article.events = _tag_rows(article, limits)
    for event in article.events:
        event.word_rows = index_rows(event)


def _tag_rows(
    article: Article, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[Mention], list[Event]]:
    """The rows of ``article``'s mentions and events (new, not in a session), or none with
    the article marked failed with the error; an article beyond its ``limits`` raises
    :class:`LimitExceededError` (the caller stores nothing of it). A failure after the
    mentions were found keeps them, without events."""
    budget = limits.budget()
    mentions: list[Mention] = []
    try:
        with timing_tagging():
            found = tag(
                article.text,
                article.published_at,
                language=article.language,
                region=article.region,
            )
        limits.check_mentions(len(found))
        if article.published_missing:
            found = [
                replace(m, confidence=round(m.confidence * MISSING_DATE_CONFIDENCE, 3))
                for m in found
            ]
        mentions = [_mention_row(m) for m in found]
        events = _event_rows(article, found, mentions, budget)
        article.status, article.error = "tagged", None
    except LimitExceededError:
        raise
    except Exception as exc:
        article.status, article.error = "failed", f"{type(exc).__name__}: {exc}"
        return mentions, []
    return mentions, events


def _fail_beyond_limit(article: Article, exc: LimitExceededError) -> None:
    """Keep ``article`` with nothing of its tagging, failed with the limit it went beyond (the
    same error whether a queued job or a retag met it)."""
    article.mentions, article.events = [], []
    article.status, article.error = "failed", f"{type(exc).__name__}: {exc}"


def retag(session: Session, article: Article, limits: Limits = DEFAULT_LIMITS) -> bool:
    """Tag a stored article again (one whose tagging failed); whether it worked (one beyond
    its ``limits`` stays failed, with the limit as its error). Commits."""
    _drop_events(session, article)
    article.mentions = []
    session.flush()
    try:
        _tag_into(article, limits)
    except LimitExceededError as exc:
        _fail_beyond_limit(article, exc)
    session.flush()
    group_events(session, article.events)
    session.commit()
    return article.status == "tagged"


def _mention_row(m: Found) -> Mention:
    """The database row of a mention the tagger found."""
    return new_row(
        Mention,
        {
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "type": m.type,
            "value": m.value,
            "mod": m.mod,
            "interval_start": m.interval.start if m.interval else None,
            "interval_end": m.interval.end if m.interval else None,
            "granularity": m.granularity,
            "anchor": m.anchor,
            "confidence": m.confidence,
            "rule": m.rule,
        },
    )


def mentions_of(article: Article) -> list[Found]:
    """An article's stored mentions as the tagger's value objects, in text order, with the
    ends of its ranges and the days of its clock times joined again (what the tagger marks
    and the rows do not keep: :func:`timeline.tagger.joins.join_mentions`)."""
    return join_mentions(article.text, [_found(row) for row in article.mentions])


def _found(row: Mention) -> Found:
    """A stored mention as the tagger's value object."""
    interval = (
        Interval(row.interval_start, row.interval_end, row.granularity or "")
        if row.granularity is not None
        else None
    )
    return Found(
        row.start,
        row.end,
        row.text,
        row.type,  # type: ignore[arg-type]
        row.value,
        row.mod,
        interval,
        row.anchor,
        row.confidence,
        row.rule,
    )


def _event_rows(
    article: Article, found: list[Found], rows: list[Mention], budget: Budget | None = None
) -> list[Event]:
    """The events of an article's timeline, each tied to the row of the mention it comes
    from (``found[i]`` is stored as ``rows[i]``); the work is charged to ``budget``."""
    row_of = {(m.start, m.end): row for m, row in zip(found, rows, strict=True)}
    entries = build_entries(
        article.text,
        article.published_on,
        found,
        dated=not article.published_missing,
        budget=budget,
    )
    return [
        _event_row(entry, row_of[(entry.mention.start, entry.mention.end)], i)
        for i, entry in enumerate(entries)
    ]


def _event_row(entry: Entry, mention: Mention, position: int) -> Event:
    """The database row of one timeline entry, indexed (:func:`.timelines.index_words`)."""
    trigger = entry.anchor.trigger
    trigger_text = trigger.text[:200] if trigger else None
    values: dict[str, Any] = {
        "position": position,
        "interval_start": entry.start,
        "interval_end": entry.end,
        "granularity": entry.granularity,
        "display_date": entry.display_date[:200],
        "headline": entry.headline,
        "sentence_start": entry.anchor.sentence.start,
        "sentence_end": entry.anchor.sentence.end,
        "text": entry.text,
        "trigger_start": trigger.start if trigger else None,
        "trigger_end": trigger.end if trigger else None,
        "trigger": trigger_text,
        "other_triggers": json.dumps([[s.start, s.end, s.text] for s in entry.anchor.also]),
        "confidence": entry.confidence,
        "uncertain": entry.uncertain,
        "kind": entry.kind,
    }
    values |= indexed_fields(entry.headline, trigger_text, entry.granularity, mention.text)
    event = new_row(Event, values)
    event.mention = mention  # an attribute set: a flush takes the mention's id from it
    return event


def _drop_events(session: Session, article: Article) -> None:
    """Delete the article's events; the groups they were in elect their leads again."""
    groups = [e.group_id for e in article.events if e.group_id is not None]
    article.events = []
    session.flush()
    elect(session, groups)


def _anchor_stored(session: Session, article: Article) -> None:
    """Anchor the events of an article from its stored mentions, and group them."""
    rows = list(article.mentions)
    article.events = _event_rows(article, mentions_of(article), rows)
    for event in article.events:
        event.word_rows = index_rows(event)  # flushed with it
    session.flush()
    group_events(session, article.events)


def reanchor(session: Session) -> tuple[int, int]:
    """Anchor the events of every tagged article again from its stored mentions, with the
    anchoring of this version (its event and link models): each article's old events leave
    their groups, whose leads are elected again, and its new ones are grouped. Returns how
    many articles and how many events now. Commits after each article, in the order they
    were stored."""
    articles = session.scalars(
        select(Article.id).where(Article.status == "tagged").order_by(Article.id)
    ).all()
    events = 0
    for article_id in articles:
        article = session.get_one(Article, article_id)
        _drop_events(session, article)
        _anchor_stored(session, article)
        events += len(article.events)
        session.commit()
    return len(articles), events


def add_missing_events(session: Session) -> int:
    """Anchor the events of the tagged articles stored without them (before the events
    table existed); returns how many articles were anchored. An article without time
    references has no events to anchor, and is left alone. Commits."""
    done = 0
    lock_everything(session)  # many articles' words in one transaction: out of lock_keys' order
    tagged = select(Article).where(
        Article.status == "tagged", Article.mentions.any(), ~Article.events.any()
    )
    for article in session.scalars(tagged).all():
        _anchor_stored(session, article)
        done += 1
    session.commit()
    return done
