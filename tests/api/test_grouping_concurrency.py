"""Grouping without a global lock (``timeline/store/grouplocks.py``): reports of one event posted at
the same moment from several threads end in one group, a report that comes later joins it,
and on PostgreSQL a transaction grouping one event holds up only the articles that share a
word with it."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from timeline.events.merge import merge
from timeline.store import db
from timeline.store.articles import store_article
from timeline.store.grouplocks import lock_keys
from timeline.store.models import Article, Event
from timeline.store.reports import REPORT_ROWS, report

from .database import on_postgresql
from .test_concurrency import THREADS, post_together
from .test_events_store import groups_of

EVENTS = [
    "The Afghan army clashed with Taliban fighters in Spin Boldak on Friday",
    "Gunmen kidnapped 30 pupils from a school in Kaduna on Wednesday",
    "Acme opened its new battery factory in Ohio on Monday",
]


def reports(event: str, count: int, first: int = 0) -> list[dict[str, Any]]:
    """``count`` distinct articles that each report ``event`` once."""
    return [
        {"text": f"{event}, correspondent {n + 1} wrote.", "published_at": "2024-03-09"}
        for n in range(first, first + count)
    ]


def in_memory_groups(app: Flask) -> list[set[int]]:
    """The groups :func:`timeline.events.merge.merge` makes of the stored events."""
    with app.app_context():
        rows = db.session().execute(REPORT_ROWS.order_by(Event.article_id, Event.position))
        merged = merge([report(*row) for row in rows])
    return sorted(({r.id for r in entry.reports} for entry in merged), key=min)


def leads(app: Flask) -> tuple[list[int], list[int]]:
    """The group of each lead (one row per lead), and the groups of the events."""
    with app.app_context():
        session = db.session()
        led = session.scalars(select(Event.group_id).where(Event.lead))
        groups = session.scalars(select(Event.group_id).distinct())
        return sorted(group for group in led if group), sorted(g for g in groups if g)


def test_reports_of_one_event_posted_together_make_one_group(app: Flask) -> None:
    results = post_together(app, reports(EVENTS[0], THREADS))
    assert sorted(status for status, _ in results) == [201] * THREADS, results
    groups = groups_of(app)
    assert len(groups) == 1 and len(groups[0]) == THREADS
    led, grouped = leads(app)
    assert led == grouped and len(led) == 1
    later = app.test_client().post("/v1/articles", json=reports(EVENTS[0], 1, THREADS)[0])
    assert later.status_code == 201
    joined = groups_of(app)
    assert len(joined) == 1 and len(joined[0]) == THREADS + 1


def test_reports_of_several_events_posted_together_group_as_in_memory(app: Flask) -> None:
    per_event = THREADS // 2
    bodies = [body for event in EVENTS for body in reports(event, per_event)]
    results = post_together(app, bodies)
    assert sorted(status for status, _ in results) == [201] * len(bodies), results
    groups = groups_of(app)
    assert len(groups) == len(EVENTS)
    assert sorted(len(group) for group in groups) == [per_event] * len(EVENTS)
    assert groups == in_memory_groups(app)
    led, grouped = leads(app)
    assert led == grouped and len(led) == len(EVENTS)


@pytest.mark.skipif(not on_postgresql(), reason="advisory locks are PostgreSQL's")
def test_a_grouping_transaction_holds_up_only_articles_that_share_a_word(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    try:
        with Session(engine) as holder, Session(engine) as other:
            lock_keys(holder, ["clash"])  # held until holder's transaction ends
            other.execute(text("SET lock_timeout = '2s'"))
            other.commit()
            unrelated = reports(EVENTS[1], 1)[0]
            assert store_article(other, unrelated).created
            with pytest.raises(OperationalError, match="lock timeout"):
                store_article(other, reports(EVENTS[0], 1)[0])
            other.rollback()
            holder.rollback()
            stored = other.scalars(select(Article.text)).all()
            assert stored == [unrelated["text"]]
            assert store_article(other, reports(EVENTS[0], 1)[0]).created
    finally:
        engine.dispose()


@pytest.mark.skipif(not on_postgresql(), reason="the pipeline is PostgreSQL's")
def test_a_report_of_a_known_group_is_grouped_and_committed_in_one_trip(
    database_url: str,
) -> None:
    """Once its event's group is found before the locks, a report is locked, joined, its
    lead elected and committed in one pipeline: no statement of the grouping runs on its own,
    the report joins the group, and a lock it cannot get fails the post as any statement's
    error would (SQLAlchemy's OperationalError), storing nothing of it. The report goes in
    with its group already (the join then rewrites none of its rows)."""
    engine = create_engine(database_url, connect_args={"options": "-c lock_timeout=2s"})
    sent: list[str] = []
    inserted_groups: list[Any] = []

    def count(*args: Any) -> None:
        sent.append(args[2])
        if args[2].startswith("INSERT INTO events "):
            inserted_groups.extend(row["group_id"] for row in json.loads(args[3]["rows"]))

    try:
        with Session(engine) as holder, Session(engine) as other:
            first = store_article(other, reports(EVENTS[0], 1)[0]).article
            lock_keys(holder, ["clash"])  # held until holder's transaction ends
            with pytest.raises(OperationalError, match="lock timeout"):
                store_article(other, reports(EVENTS[0], 1, first=1)[0])
            other.rollback()
            holder.rollback()
            assert other.scalar(select(func.count()).select_from(Article)) == 1
            event.listen(engine, "before_cursor_execute", count)
            second = store_article(other, reports(EVENTS[0], 1, first=2)[0]).article
            event.remove(engine, "before_cursor_execute", count)
            grouping = [s for s in sent if "advisory" in s or "event_intervals" in s]
            assert grouping == []  # sent in the pipeline, not through SQLAlchemy
            other.expire_all()
            joined = other.scalars(select(Event).where(Event.article_id == second.id)).all()
            assert [e.group_id for e in joined] == [first.events[0].group_id]
            assert inserted_groups == [first.events[0].group_id]
            assert sum(e.lead for e in other.scalars(select(Event))) == 1
    finally:
        engine.dispose()


@pytest.mark.skipif(not on_postgresql(), reason="the pipeline is PostgreSQL's")
def test_a_connection_lost_in_the_one_trip_grouping_is_replaced(database_url: str) -> None:
    """The server ends the connection of a post waiting in its one-trip grouping (a
    restart, a failover): the post fails with a disconnect that SQLAlchemy knows as one,
    nothing of it is stored, and the next post gets a new connection and is stored."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as holder, Session(engine) as other, Session(engine) as admin:
            store_article(other, reports(EVENTS[0], 1)[0])
            lock_keys(holder, ["clash"])  # the next report of the event waits for it
            failed: list[OperationalError] = []

            def post() -> None:
                try:
                    store_article(other, reports(EVENTS[0], 1, first=1)[0])
                except OperationalError as error:
                    failed.append(error)

            waiting = threading.Thread(target=post)
            waiting.start()
            blocked = text(
                "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND pid != pg_backend_pid()"
            )
            pids: list[int] = []
            for _ in range(100):
                pids = list(admin.scalars(blocked))
                admin.rollback()
                if pids:
                    break
                time.sleep(0.05)
            assert len(pids) == 1
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pids[0]})
            waiting.join(timeout=30)
            holder.rollback()
            assert len(failed) == 1 and failed[0].connection_invalidated
            other.rollback()
            assert store_article(other, reports(EVENTS[0], 1, first=2)[0]).created
            texts = other.scalars(select(Article.text)).all()
            assert len(texts) == 2 and all("correspondent 2 " not in t for t in texts)
    finally:
        engine.dispose()
