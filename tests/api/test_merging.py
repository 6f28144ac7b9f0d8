"""Grouping in SQL as articles arrive is the in-memory rule (timeline.events.merge) on the
cases of merging across articles: one event at two precisions, a report a day off, reports
that share only a common verb, reports of two kinds; and each entry's id is its group's.
Migration 0008 takes the common verbs out of the words of events stored before it."""

from __future__ import annotations

import random
from typing import Any

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from timeline.events.merge import merge
from timeline.store import db
from timeline.store.migrate import alembic_config
from timeline.store.models import Event, EventWord
from timeline.store.reports import REPORT_ROWS, report

from .test_articles import post
from .test_events_store import generated, groups_of
from .test_timelines import CLASH, COMMON_VERB, CONTRARY, KIDNAPPING, OPENING


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
