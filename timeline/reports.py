"""Stored events as reports (:class:`timeline.events.merge.Report`): what a timeline entry
is made of, read with the mention that dates each and its article."""

from __future__ import annotations

import json

from sqlalchemy import select

from .events.merge import Report, mention_of
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
