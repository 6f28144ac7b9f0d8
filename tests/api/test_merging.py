"""Grouping in SQL as articles arrive is the in-memory rule (timeline.events.merge) on the
cases of merging across articles: one event at two precisions, a report a day off, reports
that share only a common verb, reports of two kinds; and each entry's id is its group's.
Migration 0008 takes the common verbs out of the words of events stored before it."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from typing import Any

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from timeline.events.merge import common_verbs, merge, widened
from timeline.store import db
from timeline.store.articles import _tag_rows as tag_rows
from timeline.store.migrate import alembic_config
from timeline.store.models import Article, Event, EventInterval, EventWord
from timeline.store.reports import REPORT_ROWS, report
from timeline.store.timelines import (
    COMMON_POSTINGS,
    MAX_EVENT_ID,
    MAX_POSTINGS,
    best_group_statement,
    index_keys,
)
from timeline.store.timelines import _ranked_groups as ranked_groups

from .test_articles import post
from .test_events_store import generated, groups_of
from .test_timelines import CLASH, COMMON_VERB, CONTRARY, KIDNAPPING, OPENING, TALKS


def texts(*found: str) -> list[dict[str, str]]:
    """Articles of one sentence each, published on Saturday 9 March 2024."""
    return [
        {"text": text, "published_at": "2024-03-09", "source": f"Source {i % 3}"}
        for i, text in enumerate(found)
    ]


CASES = [
    *OPENING,
    *KIDNAPPING,
    *texts(*(text for pair in COMMON_VERB for text in pair)),
    *texts(
        "The prime minister announced on Monday that he would resign.",
        "The prime minister announced his resignation on Monday.",
        "Rebels took control of the airport on Sunday.",
        "Rebels seized the airport on Sunday.",
        "Gunmen abducted pupils from a school in Kaduna state on March 2.",
    ),
    CONTRARY,
    *CLASH,
]


def shuffled(seed: int, articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = list(articles)
    random.Random(seed).shuffle(found)
    return found


@pytest.mark.parametrize(
    "articles",
    [CASES, shuffled(1, CASES), shuffled(2, CASES + generated(3, 15))],
    ids=["written", "shuffled", "with-generated"],
)
def test_grouping_in_sql_is_the_in_memory_rule(
    app: Flask, client: FlaskClient, articles: list[dict[str, Any]]
) -> None:
    for article in articles:
        post(client, article)
    with app.app_context():
        session = db.session()
        rows = session.execute(REPORT_ROWS.order_by(Event.article_id, Event.position))
        in_memory = merge([report(*row) for row in rows])
        leads = dict(session.execute(select(Event.id, Event.group_id).where(Event.lead)).all())
    assert groups_of(app) == sorted(({r.id for r in e.reports} for e in in_memory), key=min)
    assert leads == {e.main.id: e.id for e in in_memory}
    assert all(len({r.kind for r in e.reports}) == 1 for e in in_memory)
    assert any(e.conflicting for e in in_memory)
    assert stored_intervals(app) == counted_intervals(app)


def stored_intervals(app: Flask) -> set[tuple[int | None, str, str, int, int]]:
    """The rows of ``event_intervals``, as grouping kept them up to date."""
    with app.app_context():
        rows = db.session().execute(
            select(
                EventInterval.group_id,
                EventInterval.interval_start,
                EventInterval.interval_end,
                EventInterval.reports,
                EventInterval.support,
            )
        )
        return {(g, start, end, reports, support) for g, start, end, reports, support in rows}


def counted_intervals(app: Flask) -> set[tuple[int | None, str, str, int, int]]:
    """The rows ``event_intervals`` should hold, counted from the stored events: each
    distinct interval of a group, how many of its reports have it, and how many of its
    reports have an interval that overlaps it."""
    with app.app_context():
        events = (
            db.session()
            .execute(select(Event.group_id, Event.interval_start, Event.interval_end))
            .all()
        )
    reports = Counter((g, start, end) for g, start, end in events)
    return {
        (
            g,
            start,
            end,
            n,
            sum(m for (h, s, e), m in reports.items() if h == g and s < end and e > start),
        )
        for (g, start, end), n in reports.items()
    }


def copies(article: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """``count`` articles that report what ``article`` does in its words, each with a
    sentence of its own that dates nothing."""
    desks = ["Kabul", "Doha", "Quetta", "Herat", "Kandahar", "Peshawar"]
    return [
        {**article, "text": f"{article['text']} Filed from {desks[i % 6]} desk {'x' * (i + 1)}."}
        for i in range(count)
    ]


def indexed_events(app: Flask) -> set[int]:
    with app.app_context():
        return set(db.session().scalars(select(EventWord.event_id).distinct()))


def test_copies_of_a_report_are_indexed_once_and_grouped_as_in_memory(
    app: Flask, client: FlaskClient
) -> None:
    """A report with the words, names, trigger lemma, kind and interval of one of its
    group's takes its place in the word index: the index holds the latest report of each
    profile of each group, the groups are the in-memory rule's (which compares every
    report), and when the latest copy is deleted the one before it is indexed again, so that
    a later report still joins the event."""
    posted = [post(client, a) for a in [*copies(CLASH[0], 4), *copies(TALKS, 3), CLASH[1]]]
    with app.app_context():
        session = db.session()
        rows = session.execute(REPORT_ROWS.order_by(Event.article_id, Event.position))
        in_memory = merge([report(*row) for row in rows])
        events = list(session.scalars(select(Event).order_by(Event.id)))
    assert groups_of(app) == sorted(({r.id for r in e.reports} for e in in_memory), key=min)
    latest: dict[tuple[Any, ...], int] = {}
    for e in events:
        profile = (e.group_id, e.kind, e.trigger_lemma, e.words, e.names)
        latest[(*profile, e.interval_start, e.interval_end)] = e.id
    assert indexed_events(app) == {i for i in latest.values() if i in words_of(app)}
    assert len(indexed_events(app)) < len([e for e in events if e.words])
    clash = next(e for e in in_memory if posted[0]["id"] in {r.article_id for r in e.reports})
    assert {r.article_id for r in clash.reports} >= {p["id"] for p in posted[:4]}
    last_copy = posted[3]["id"]
    dropped = {e.id for e in events if e.article_id == last_copy}
    assert dropped & indexed_events(app)
    assert client.delete(f"/v1/articles/{last_copy}").status_code == 204
    before = {e.id for e in events if e.article_id == posted[2]["id"]}
    assert before & indexed_events(app)  # the copy before it stands for the profile again
    again = post(client, copies(CLASH[0], 6)[5])
    with app.app_context():
        mine = db.session().scalars(select(Event).where(Event.article_id == again["id"])).all()
    assert {e.group_id for e in mine} == {e.group_id for e in events if e.id in dropped}


def test_one_statement_ranks_each_events_groups_as_its_own_statement_would(
    app: Flask, client: FlaskClient
) -> None:
    """On PostgreSQL the groups of all of an article's events are found by one statement:
    for each event, the same groups in the same order as the statement of one event
    (:func:`best_group_statement`, which SQLite runs) finds."""
    with app.app_context():
        if db.session().get_bind().dialect.name != "postgresql":
            pytest.skip("the statement of many events is PostgreSQL's")
    for article in shuffled(3, CASES + generated(4, 12)):
        post(client, article)
    new = [*generated(5, 4), *CASES[:6]]
    with app.app_context():
        session = db.session()
        connection = session.connection()
        compared = found = 0
        for article in new:
            row = Article(
                text=article["text"],
                published_at=article["published_at"],
                published_on=date.fromisoformat(article["published_at"][:10]),
                language="en",
                published_missing=False,
            )
            _, events = tag_rows(row)
            own = {"through": MAX_EVENT_ID}
            ranked = ranked_groups(connection, events, range(len(events)), own)
            for i, event in enumerate(events):
                compared += 1
                found += bool(ranked[i])
                assert ranked[i] == one_by_one(connection, event, own)
    assert compared > 10 and found > 5


def one_by_one(connection: Any, event: Event, own: dict[str, Any]) -> list[int]:
    """The groups the statement of one event finds for it, the best first."""
    keys = index_keys(event)
    if not event.words:
        return []
    start, end = widened(event.interval_start, event.interval_end)
    params = {
        **{f"key{i}": key for i, key in enumerate(keys)},
        "postings": MAX_POSTINGS,
        "common": COMMON_POSTINGS,
        **own,
        "count": len(event.words.split()),
        "trigger_word": event.trigger_lemma or "",
        "trigger": None if event.trigger_lemma in common_verbs() else event.trigger_lemma,
        "start": event.interval_start,
        "end": event.interval_end,
        "near_start": start,
        "near_end": end,
        "article": 0,
        "kind": event.kind,
        "unnamed": not event.names,
    }
    return [group for group, _ in connection.execute(best_group_statement(len(keys)), params)]


def words_of(app: Flask) -> set[int]:
    """The events with words (those the index may hold)."""
    with app.app_context():
        return set(db.session().scalars(select(Event.id).where(Event.words != "")))


def stored_words(app: Flask) -> dict[int, tuple[str, int, list[tuple[str, int]]]]:
    """Each event's words, word count and index rows (word, size)."""
    with app.app_context():
        session = db.session()
        rows: dict[int, list[tuple[str, int]]] = {}
        for word in session.scalars(select(EventWord).order_by(EventWord.word)):
            rows.setdefault(word.event_id, []).append((word.word, word.size))
        return {
            e.id: (e.words, e.word_count, rows.get(e.id, []))
            for e in session.scalars(select(Event))
        }


def test_migration_0008_takes_the_common_verbs_out_of_stored_words(
    app: Flask, client: FlaskClient, database_url: str
) -> None:
    for article in [*texts("The minister said on Monday that taxes would rise."), OPENING[0]]:
        post(client, article)
    now = stored_words(app)
    assert all("say" not in words.split() for words, _, _ in now.values())
    with app.app_context():  # as stored before 0008: with the verb
        session = db.session()
        said = session.scalars(select(Event).where(Event.trigger == "said")).one()
        words = sorted([*said.words.split(), "say"])
        session.execute(
            update(Event)
            .where(Event.id == said.id)
            .values(words=" ".join(words), word_count=len(words))
        )
        session.execute(
            update(EventWord).where(EventWord.event_id == said.id).values(size=len(words))
        )
        session.add(EventWord(word="say", event_id=said.id, size=len(words)))
        session.commit()
    assert stored_words(app) != now
    db.engine(app).dispose()
    config = alembic_config(database_url)
    command.stamp(config, "0007")  # 0008 again, alone: the later revisions create tables
    command.upgrade(config, "0008")
    command.stamp(config, "head")
    assert stored_words(app) == now
