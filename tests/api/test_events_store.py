"""The events an article dates are stored with it, go with it, and are filled in for the
articles stored before events were kept."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, func, select

from timeline import db
from timeline.models import Event
from timeline.store import add_missing_events


def stored_events(app: Flask, article_id: int) -> list[Event]:
    with app.app_context():
        rows = db.session().scalars(
            select(Event).where(Event.article_id == article_id).order_by(Event.position)
        )
        return list(rows)


def test_posting_an_article_stores_its_timeline(app: Flask, seed_article: dict[str, Any]) -> None:
    events = stored_events(app, seed_article["id"])
    assert [e.position for e in events] == list(range(len(events)))
    assert [e.interval_start for e in events] == sorted(e.interval_start for e in events)
    stationed = [e for e in events if e.trigger == "stationed"]
    assert len(stationed) == 1
    assert (stationed[0].interval_start, stationed[0].interval_end) == ("2001-09-11", "2021-07-18")
    assert stationed[0].display_date == "about 2001 to 2021"
    text = seed_article["text"]
    for e in events:
        assert text[e.sentence_start : e.sentence_end].strip() == e.text
        if e.trigger is not None:
            assert text[e.trigger_start : e.trigger_end] == e.trigger


def test_deleting_an_article_deletes_its_events(
    app: Flask, client: FlaskClient, seed_article: dict[str, Any]
) -> None:
    assert stored_events(app, seed_article["id"])
    assert client.delete(f"/v1/articles/{seed_article['id']}").status_code == 204
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Event)) == 0


def test_articles_stored_without_events_get_them(app: Flask, seed_article: dict[str, Any]) -> None:
    before = [(e.interval_start, e.headline) for e in stored_events(app, seed_article["id"])]
    with app.app_context():
        session = db.session()
        session.execute(delete(Event))
        session.commit()
        assert add_missing_events(session) == 1
        assert add_missing_events(session) == 0  # an article with events is left alone
    after = [(e.interval_start, e.headline) for e in stored_events(app, seed_article["id"])]
    assert after == before
