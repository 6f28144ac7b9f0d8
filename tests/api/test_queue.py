"""The job queue on PostgreSQL (``timeline/ingest/queue.py``): ``timeline worker`` processes tag the
posts answered 202 and run the sources the scheduler queues; a worker killed mid-job loses
nothing. Each test has a PostgreSQL database of its own (skipped without
``TIMELINE_TEST_DATABASE_URL``), and real worker processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select
from support import fresh_postgresql, stop_processes, wait_for

from timeline.app import create_app
from timeline.ingest.queue import defer_source, opened, requeue_lost
from timeline.store import db
from timeline.store.migrate import upgrade
from timeline.store.models import Article, Mention, Run, Source
from timeline.tagger import tag

from .database import external_database_url, on_postgresql

pytestmark = pytest.mark.skipif(not on_postgresql(), reason="needs PostgreSQL")
REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "doha-talks-2021-07-17.json"
# a worker's heartbeat, in seconds: one silent for four of them is taken for dead
HEARTBEAT = 0.5


@pytest.fixture
def url() -> Iterator[str]:
    with fresh_postgresql(external_database_url() or "") as fresh:
        upgrade(fresh)
        yield fresh


@pytest.fixture
def queue_app(url: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "DATABASE_URL": url, "FOLDER_ROOT": str(tmp_path)})
    yield app
    db.engine(app).dispose()


@pytest.fixture
def workers(url: str, tmp_path: Path) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Start ``timeline worker`` processes on ``url``; stopped at the end of the test."""
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "TIMELINE_DATABASE_URL": url,
            "TIMELINE_FOLDER_ROOT": str(tmp_path),
            "TIMELINE_SCHEDULER_HEARTBEAT_SECONDS": str(HEARTBEAT),
            "TIMELINE_LOG_FORMAT": "text",
        }
        with (tmp_path / f"worker-{len(started)}.log").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "timeline", "worker"],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        started.append(process)
        return process

    yield start
    stop_processes(started, timeout=30)


def seed_body(copies: int = 1) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SEED.read_text(encoding="utf-8"))
    body = {k: data[k] for k in ("title", "text", "published_at", "source", "language")}
    body["text"] = "\n\n".join([data["text"]] * copies)
    return body


def article(app: Flask, article_id: int) -> tuple[str, int]:
    """The article's status and how many mentions it has."""
    with app.app_context():
        session = db.session()
        found = session.get_one(Article, article_id, populate_existing=True)
        count = session.scalar(
            select(func.count()).select_from(Mention).where(Mention.article_id == article_id)
        )
        session.rollback()
        return found.status, count or 0


def test_a_worker_tags_a_post_answered_202(
    queue_app: Flask, workers: Callable[[], subprocess.Popen[bytes]], url: str
) -> None:
    response = queue_app.test_client().post("/v1/articles?wait=false", json=seed_body())
    assert response.status_code == 202
    article_id = response.get_json()["id"]
    assert article(queue_app, article_id) == ("queued", 0)
    workers()
    wait_for(lambda: article(queue_app, article_id)[0] == "tagged", 120)
    assert article(queue_app, article_id)[1] == len(tag(**tag_arguments(seed_body())))
    check = subprocess.run(
        [sys.executable, "-m", "timeline", "worker", "--check"],
        cwd=REPO,
        env={**os.environ, "TIMELINE_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stderr


def tag_arguments(body: dict[str, Any]) -> dict[str, Any]:
    return {"text": body["text"], "published": body["published_at"], "language": "en"}


def test_a_worker_killed_mid_job_loses_nothing(
    queue_app: Flask, workers: Callable[[], subprocess.Popen[bytes]], url: str
) -> None:
    """The first worker is killed (SIGKILL) while it tags a long article; once its heartbeat
    has stopped, the scheduler's pass puts the job back, and a second worker tags the
    article: stored once, with every mention once."""
    body = seed_body(copies=30)
    response = queue_app.test_client().post("/v1/articles?wait=false", json=body)
    assert response.status_code == 202
    article_id = response.get_json()["id"]
    first = workers()
    wait_for(lambda: article(queue_app, article_id)[0] == "tagging", 120)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert article(queue_app, article_id) == ("tagging", 0)
    queue, engine = opened(url), create_engine(url)
    try:
        wait_for(lambda: requeue_lost(queue, engine, HEARTBEAT * 4) > 0, 60)
        workers()
        wait_for(lambda: article(queue_app, article_id)[0] == "tagged", 300)
    finally:
        queue.close()
        engine.dispose()
    status, mentions = article(queue_app, article_id)
    assert status == "tagged"
    assert mentions == len(tag(**tag_arguments(body)))
    with queue_app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Article)) == 1


def test_a_source_run_on_a_worker_queues_its_articles(
    queue_app: Flask, workers: Callable[[], subprocess.Popen[bytes]], url: str, tmp_path: Path
) -> None:
    (tmp_path / "wire").mkdir()
    (tmp_path / "wire" / "talks.json").write_text(json.dumps(seed_body()), encoding="utf-8")
    with queue_app.app_context():
        session = db.session()
        source = Source(kind="folder", path="wire", interval_seconds=3600, enabled=True)
        source.created_at = func.now()
        session.add(source)
        session.commit()
        source_id = source.id
    queue = opened(url)
    try:
        assert defer_source(queue, source_id)
        assert not defer_source(queue, source_id)  # one waits already: not queued twice
    finally:
        queue.close()
    workers()

    def tagged() -> bool:
        with queue_app.app_context():
            found = db.session().scalars(select(Article.status)).all()
            db.session().rollback()
        return found == ["tagged"]

    wait_for(tagged, 120)
    with queue_app.app_context():
        runs = db.session().scalars(select(Run).where(Run.source_id == source_id)).all()
        assert [(r.status, r.new, r.failed) for r in runs] == [("done", 1, 0)]
