"""Tagging off the request path (``timeline/ingest/jobs.py``, ``store.accept_article`` and
``store.tag_queued``) with the embedded engine: SQLite, a thread of the process."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import CliResult
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from timeline.app import create_app
from timeline.errors import InvalidInputError
from timeline.ingest.jobs import ATTEMPTS, LocalJobs, engine_of, jobs_of, resume
from timeline.store import db
from timeline.store.articles import accept_article, tag_queued
from timeline.store.migrate import upgrade
from timeline.store.models import Article, Event, Mention

SEED = Path(__file__).resolve().parents[2] / "seeds" / "doha-talks-2021-07-17.json"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    upgrade(url)
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    yield app
    db.engine(app).dispose()


@pytest.fixture
def seed() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SEED.read_text(encoding="utf-8"))
    return {k: data[k] for k in ("title", "text", "published_at", "source", "language")}


def drained(app: Flask) -> LocalJobs:
    jobs = jobs_of(app)
    assert isinstance(jobs, LocalJobs)
    assert jobs.drain(timeout=120)
    return jobs


def counts(app: Flask, article_id: int) -> tuple[int, int]:
    """How many mentions and events the article has."""
    with app.app_context():
        session = db.session()
        mentions = session.scalar(
            select(func.count()).select_from(Mention).where(Mention.article_id == article_id)
        )
        events = session.scalar(
            select(func.count()).select_from(Event).where(Event.article_id == article_id)
        )
    return mentions or 0, events or 0


def test_a_long_post_is_answered_202_and_tagged_by_a_job(app: Flask, seed: dict[str, Any]) -> None:
    client = app.test_client()
    app.config["TAG_IN_REQUEST_CHARS"] = len(seed["text"]) - 1
    response = client.post("/v1/articles", json=seed)
    assert response.status_code == 202, response.get_json()
    accepted = response.get_json()
    assert accepted["status"] in ("queued", "tagging")
    assert response.headers["Location"].endswith(f"/v1/articles/{accepted['id']}")
    drained(app)
    done = client.get(response.headers["Location"]).get_json()
    assert done["status"] == "tagged", done
    assert done["mention_count"] > 0
    timeline = client.get(f"/v1/articles/{done['id']}/timeline").get_json()
    days = {event["interval"]["start"] for event in timeline["events"]}
    assert "2021-07-16" in days, days


def test_wait_true_keeps_the_synchronous_answer(app: Flask, seed: dict[str, Any]) -> None:
    app.config["TAG_IN_REQUEST_CHARS"] = 10
    response = app.test_client().post("/v1/articles?wait=true", json=seed)
    assert response.status_code == 201
    assert response.get_json()["status"] == "tagged"
    assert response.get_json()["mention_count"] > 0


def test_wait_false_queues_even_a_short_post(app: Flask) -> None:
    body = {"text": "Talks resumed on Friday.", "published_at": "2021-07-17"}
    response = app.test_client().post("/v1/articles?wait=false", json=body)
    assert response.status_code == 202
    drained(app)
    assert app.test_client().get(response.headers["Location"]).get_json()["status"] == "tagged"


def test_a_short_post_is_still_tagged_in_the_request(app: Flask) -> None:
    body = {"text": "Talks resumed on Friday.", "published_at": "2021-07-17"}
    response = app.test_client().post("/v1/articles", json=body)
    assert response.status_code == 201
    assert response.get_json()["mention_count"] == 1


def test_posting_a_queued_article_again_answers_the_stored_one(
    app: Flask, seed: dict[str, Any]
) -> None:
    client = app.test_client()
    first = client.post("/v1/articles?wait=false", json=seed).get_json()
    again = client.post("/v1/articles?wait=false", json=seed)
    assert again.status_code == 200
    assert again.get_json()["id"] == first["id"]
    drained(app)
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Article)) == 1


def test_a_bad_wait_is_a_problem(app: Flask) -> None:
    body = {"text": "Talks resumed on Friday.", "published_at": "2021-07-17"}
    response = app.test_client().post("/v1/articles?wait=perhaps", json=body)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"


def test_tagging_again_stores_nothing_twice(app: Flask, seed: dict[str, Any]) -> None:
    with app.app_context():
        article = accept_article(db.session(), seed).article
        article_id, digest = article.id, article.content_hash
        assert tag_queued(db.session(), article_id, digest) == "tagged"
    once = counts(app, article_id)
    assert once[0] > 0 and once[1] > 0
    with app.app_context():
        assert tag_queued(db.session(), article_id, digest) is None
    assert counts(app, article_id) == once


def test_a_job_cut_off_mid_tagging_is_tagged_by_the_next_run(
    app: Flask, seed: dict[str, Any]
) -> None:
    """A run that died after claiming the article (status tagging, nothing written)."""
    with app.app_context():
        session = db.session()
        article = accept_article(session, seed).article
        article.status = "tagging"
        session.commit()
        assert tag_queued(session, article.id, article.content_hash) == "tagged"
        assert session.get_one(Article, article.id).status == "tagged"


def test_a_job_for_another_text_does_nothing(app: Flask, seed: dict[str, Any]) -> None:
    with app.app_context():
        article = accept_article(db.session(), seed).article
        assert tag_queued(db.session(), article.id, "0" * 64) is None
        assert db.session().get_one(Article, article.id).status == "queued"


def failing_sessions(
    real: sessionmaker[Session], failures: int
) -> tuple[Callable[[], Session], list[int]]:
    """A session factory whose first ``failures`` sessions fail as a locked database does."""
    calls = [0]

    def make() -> Session:
        calls[0] += 1
        if calls[0] <= failures:
            raise OperationalError("SELECT 1", {}, Exception("database is locked"))
        return real()

    return make, calls


def test_a_job_is_tried_again_with_backoff(app: Flask, seed: dict[str, Any]) -> None:
    with app.app_context():
        article = accept_article(db.session(), seed).article
        article_id, digest = article.id, article.content_hash
    real: sessionmaker[Session] = app.extensions[db.EXTENSION][1]
    make, _ = failing_sessions(real, failures=2)
    waits: list[float] = []
    jobs = LocalJobs(make, sleep=waits.append)  # type: ignore[arg-type]
    jobs.tag(article_id, digest)
    assert jobs.drain(timeout=120)
    assert waits == [2, 4]
    with app.app_context():
        assert db.session().get_one(Article, article_id).status == "tagged"


def test_a_job_that_never_reaches_the_database_leaves_a_failed_article(
    app: Flask, seed: dict[str, Any]
) -> None:
    with app.app_context():
        article = accept_article(db.session(), seed).article
        article_id, digest = article.id, article.content_hash
    real: sessionmaker[Session] = app.extensions[db.EXTENSION][1]
    # every attempt fails; the last one's mark of failure gets through
    make, calls = failing_sessions(real, failures=ATTEMPTS)
    waits: list[float] = []
    jobs = LocalJobs(make, sleep=waits.append)  # type: ignore[arg-type]
    jobs.tag(article_id, digest)
    assert jobs.drain(timeout=120)
    assert waits == [2, 4, 8, 16]
    assert calls == [ATTEMPTS + 1]  # each attempt, then the mark of failure
    with app.app_context():
        stored = db.session().get_one(Article, article_id)
        assert stored.status == "failed"
        assert stored.error is not None and "database is locked" in stored.error
        assert stored.text == seed["text"]  # kept, with the reason


def test_a_restart_tags_the_articles_left_waiting(app: Flask, seed: dict[str, Any]) -> None:
    with app.app_context():
        first = accept_article(db.session(), seed).article.id
        second = accept_article(
            db.session(), {"text": "They met on Friday.", "published_at": "2021-07-17"}
        ).article.id
    assert resume(app) == 2
    drained(app)
    with app.app_context():
        statuses = {db.session().get_one(Article, i).status for i in (first, second)}
    assert statuses == {"tagged"}
    assert resume(app) == 0


@pytest.mark.parametrize(
    ("queue", "url", "engine"),
    [
        ("auto", "sqlite://", "local"),
        ("auto", "postgresql+psycopg://h/db", "postgresql"),
        ("local", "postgresql+psycopg://h/db", "local"),
        ("POSTGRESQL", "postgresql+psycopg://h/db", "postgresql"),
    ],
)
def test_the_engine_follows_the_setting_and_the_database(queue: str, url: str, engine: str) -> None:
    assert engine_of({"QUEUE": queue, "DATABASE_URL": url}) == engine


@pytest.mark.parametrize(
    ("queue", "url"), [("redis", "sqlite://"), ("postgresql", "sqlite:///x.db")]
)
def test_a_wrong_engine_is_refused_at_start(queue: str, url: str) -> None:
    with pytest.raises(InvalidInputError, match="TIMELINE_QUEUE"):
        create_app({"QUEUE": queue, "DATABASE_URL": url})


def test_a_worker_needs_the_postgresql_queue(
    run_cli: Callable[[list[str]], CliResult], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TIMELINE_DATABASE_URL", f"sqlite:///{tmp_path / 'w.db'}")
    run_cli(["worker"]).assert_usage_error("PostgreSQL job queue", "TIMELINE_QUEUE=local")


def test_a_worker_check_without_a_database_says_so(
    run_cli: Callable[[list[str]], CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No worker can have beaten where the database does not answer: 1, one line."""
    monkeypatch.setenv("TIMELINE_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    result = run_cli(["worker", "--check"])
    assert result.code == 1
    assert result.err.startswith("timeline: worker: cannot read the workers")
    assert len(result.err.splitlines()) == 1


@pytest.mark.parametrize("chars", ["lots", -1, 2.5])
def test_a_wrong_size_for_tagging_in_the_request_is_refused_at_start(chars: object) -> None:
    with pytest.raises(InvalidInputError, match="TIMELINE_TAG_IN_REQUEST_CHARS"):
        create_app({"TAG_IN_REQUEST_CHARS": chars, "DATABASE_URL": "sqlite://"})


def test_the_size_may_come_as_text_from_the_environment() -> None:
    app = create_app({"TAG_IN_REQUEST_CHARS": " 2000 ", "DATABASE_URL": "sqlite://"})
    assert app.config["TAG_IN_REQUEST_CHARS"] == 2000
