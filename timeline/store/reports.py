"""Stored events as reports (:class:`timeline.events.merge.Report`): what a timeline entry
is made of, read with the mention that dates each and its article."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from ..events.merge import Report, mention_of
from .models import Article, Event, Mention

# Events with the mention each dates and its article: what a report is made of.
REPORT_ROWS = (
    select(Event, Mention, Article)
    .join(Mention, Event.mention_id == Mention.id)
    .join(Article, Event.article_id == Article.id)
)


def report(event: Event, mention: Mention, article: Article) -> Report:
    """A stored event as a report of its article."""
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
        mention=mention_of(article.id, mention),
        confidence=event.confidence,
        uncertain=event.uncertain,
        trigger_span=(event.trigger_start, event.trigger_end),
        kind=event.kind,
        other_triggers=tuple((s, e, t) for s, e, t in json.loads(event.other_triggers or "[]")),
        words=frozenset(event.words.split()),
        names=frozenset(event.names.split()),
    )


# What a report shows, as plain columns (no ORM objects: a page reads hundreds of them).
REPORT_COLUMNS = (
    select(
        Event.id,
        Event.group_id,
        Event.article_id,
        Article.source,
        Event.interval_start,
        Event.interval_end,
        Event.granularity,
        Event.display_date,
        Event.headline,
        Event.text,
        Event.trigger,
        Mention.start,
        Mention.end,
        Mention.text.label("mention_text"),
        Mention.value,
        Event.confidence,
        Event.uncertain,
        Event.trigger_start,
        Event.trigger_end,
        Event.kind,
        Event.other_triggers,
    )
    .join(Mention, Event.mention_id == Mention.id)
    .join(Article, Event.article_id == Article.id)
)


def shown(row: Any) -> Report:
    """A row of :data:`REPORT_COLUMNS` as a report (without the words grouping compares)."""
    return Report(
        id=row.id,
        article_id=row.article_id,
        source=row.source,
        start=row.interval_start,
        end=row.interval_end,
        granularity=row.granularity,
        display_date=row.display_date,
        headline=row.headline,
        text=row.text,
        trigger=row.trigger,
        mention={
            "article_id": row.article_id,
            "start": row.start,
            "end": row.end,
            "text": row.mention_text,
            "value": row.value,
        },
        confidence=row.confidence,
        uncertain=row.uncertain,
        trigger_span=(row.trigger_start, row.trigger_end),
        kind=row.kind,
        other_triggers=_triggers(row.other_triggers),
    )


def _triggers(stored: str | None) -> tuple[tuple[int, int, str], ...]:
    """The other triggers of an event as stored (JSON), most often none."""
    if not stored or stored == "[]":
        return ()
    return tuple((s, e, t) for s, e, t in json.loads(stored))
