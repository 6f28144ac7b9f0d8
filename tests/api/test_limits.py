"""An article beyond a limit of :mod:`timeline.limits` is refused with a 422 problem
document that names the limit and its value, and nothing of it is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from timeline.ingest.jobs import LocalJobs, jobs_of, run_tag
from timeline.limits import limits_from
from timeline.store import db
from timeline.store.articles import content_hash
from timeline.store.db import EXTENSION as DB
from timeline.store.models import Article, Event, Mention

TALKS = "The envoys met in Doha on Friday. They will meet again on Monday and on Tuesday."


def stored(app: Flask) -> tuple[int, int, int]:
    """How many articles, mentions and events the database holds."""
    with app.app_context():
        session = db.session()
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (Article, Mention, Event)
        )


def post(app: Flask, text: str, wait: str = "true") -> Any:
    return app.test_client().post(
        "/v1/articles",
        json={"text": text, "published_at": "2021-07-17"},
        query_string={"wait": wait},
    )


def test_100_kb_of_fridays_is_refused_by_the_mention_limit(app: Flask) -> None:
    response = post(app, "Friday, " * 12_500)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert (problem["limit"], problem["value"]) == ("MAX_MENTIONS", 5000)
    assert "12,500 time references" in problem["detail"]
    assert "MAX_MENTIONS" in problem["detail"]
    assert stored(app) == (0, 0, 0)


@pytest.mark.parametrize(
    ("setting", "value"),
    [("MAX_ARTICLE_CHARS", 40), ("MAX_MENTIONS", 2), ("WORK_BUDGET", 20)],
)
def test_each_limit_refuses_with_422_and_stores_nothing(
    make_app: Callable[..., Flask], setting: str, value: int
) -> None:
    app = make_app(**{setting: value})
    response = post(app, TALKS)
    assert response.status_code == 422
    problem = response.get_json()
    assert (problem["limit"], problem["value"]) == (setting, value)
    assert f"{value:,}" in problem["detail"]
    assert stored(app) == (0, 0, 0)
    lifted = make_app(**{setting: "off"})
    assert post(lifted, TALKS).status_code == 201
    assert stored(lifted)[:2] == (1, 3)


def test_a_setting_that_is_no_limit_stops_the_app(make_app: Callable[..., Flask]) -> None:
    with pytest.raises(ValueError, match="TIMELINE_MAX_MENTIONS"):
        make_app(MAX_MENTIONS="lots")


def test_a_queued_article_beyond_a_limit_is_kept_failed_with_the_limit(app: Flask) -> None:
    text = "Friday, " * 12_500
    response = post(app, text, wait="false")
    assert response.status_code == 202
    location = response.headers["Location"]
    jobs = jobs_of(app)
    if isinstance(jobs, LocalJobs):
        assert jobs.drain(timeout=300)
    else:  # on PostgreSQL's queue a worker runs the job: here, this test does
        sessions = app.extensions[DB][1]
        article_id = response.get_json()["id"]
        run_tag(sessions, article_id, content_hash(text), last=True, limits=limits_from(app.config))
    article = app.test_client().get(location).get_json()
    assert article["status"] == "failed"
    assert "MAX_MENTIONS" in article["error"]
    assert stored(app) == (1, 0, 0)  # the article, never lost; none of its mentions


def test_a_queued_text_beyond_the_size_limit_is_refused_at_once(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(MAX_ARTICLE_CHARS=40)
    response = post(app, TALKS, wait="false")
    assert response.status_code == 422
    assert response.get_json()["limit"] == "MAX_ARTICLE_CHARS"
    assert stored(app) == (0, 0, 0)
