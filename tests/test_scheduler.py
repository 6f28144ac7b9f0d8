"""``timeline scheduler`` as a process of its own, against a feed on 127.0.0.1: new entries
arrive on schedule, a restart keeps the schedule and loses nothing, queued runs run, with
two web servers beside it every fetch is one run (web workers run no jobs), and a feed
registered through the API reaches ``GET /v1/timeline`` within its interval."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from itertools import pairwise
from pathlib import Path
from typing import Any, ClassVar

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session
from support import free_port, wait_for

from timeline.migrate import upgrade
from timeline.models import Article, Run, Source
from timeline.sources import request_run

ITEM = "<item><title>{n}</title><link>http://news.example/{n}</link><description>Entry {n}: the envoys met on Friday.</description><pubDate>Sat, 17 Jul 2021 09:00:00 GMT</pubDate></item>"  # noqa: E501
REPO = Path(__file__).resolve().parent.parent


class Feed(BaseHTTPRequestHandler):
    entries: ClassVar[int] = 2
    fetches: ClassVar[int] = 0

    def log_message(self, *_args: object) -> None:
        pass

    def do_GET(self) -> None:
        Feed.fetches += 1
        items = "".join(ITEM.format(n=n) for n in range(Feed.entries))
        body = f"<?xml version='1.0'?><rss><channel><title>Wire</title>{items}</channel></rss>"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def feed_url(local_server: Callable[[type[BaseHTTPRequestHandler]], str]) -> str:
    Feed.entries, Feed.fetches = 2, 0
    return local_server(Feed) + "/feed"


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'scheduled.db'}"
    upgrade(url)
    return url


def environment(database: str) -> dict[str, str]:
    return {
        **os.environ,
        "TIMELINE_DATABASE_URL": database,
        "TIMELINE_ALLOW_PRIVATE_NETWORKS": "true",
        "TIMELINE_SCHEDULER_SYNC_SECONDS": "0.5",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture
def processes() -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(database: str, *args: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "timeline", *args],
            cwd=REPO,
            env=environment(database),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def add_source(database: str, url: str, seconds: int) -> int:
    engine = create_engine(database)
    with Session(engine) as session:
        source = Source(
            kind="feed",
            url=url,
            interval_seconds=seconds,
            enabled=True,
            created_at=datetime.now(UTC),
        )
        session.add(source)
        session.commit()
        source_id = source.id
    engine.dispose()
    return source_id


def scalar(database: str, query: str) -> int:
    engine = create_engine(database)
    with engine.connect() as connection:
        value = connection.execute(text(query)).scalar_one()
    engine.dispose()
    return int(value)




def articles(database: str) -> int:
    return scalar(database, "SELECT count(*) FROM articles")


def test_entries_arrive_on_schedule_and_a_restart_loses_nothing(
    database: str, feed_url: str, processes: Callable[..., subprocess.Popen[bytes]]
) -> None:
    source_id = add_source(database, feed_url, seconds=1)
    scheduler = processes(database, "scheduler")
    wait_for(lambda: articles(database) == 2)
    Feed.entries = 3
    wait_for(lambda: articles(database) == 3)
    scheduler.send_signal(signal.SIGTERM)
    assert scheduler.wait(timeout=20) == 0
    assert scalar(database, "SELECT count(*) FROM apscheduler_jobs") == 1  # the schedule
    Feed.entries = 5  # two entries while the scheduler is down
    processes(database, "scheduler")
    wait_for(lambda: articles(database) == 5)
    assert (
        scalar(database, "SELECT count(*) FROM articles WHERE url LIKE 'http://news.example/%'")
        == 5
    )
    assert scalar(database, "SELECT count(*) FROM runs WHERE status = 'failed'") == 0
    done = scalar(database, f"SELECT count(*) FROM runs WHERE source_id = {source_id}")
    assert done >= 3


def test_a_queued_run_is_run(
    database: str, feed_url: str, processes: Callable[..., subprocess.Popen[bytes]]
) -> None:
    source_id = add_source(database, feed_url, seconds=3600)  # not due for an hour
    processes(database, "scheduler")
    engine = create_engine(database)
    with Session(engine, expire_on_commit=False) as session:
        source = session.get(Source, source_id)
        assert source is not None
        run_id = request_run(session, source).id
    engine.dispose()
    wait_for(
        lambda: (
            scalar(database, f"SELECT count(*) FROM runs WHERE id = {run_id} AND status = 'done'")
            == 1
        )
    )
    assert articles(database) == 2




def test_two_web_servers_and_one_scheduler_fetch_once_per_run(
    database: str, feed_url: str, processes: Callable[..., subprocess.Popen[bytes]]
) -> None:
    for _ in range(2):
        processes(database, "serve", "--port", str(free_port()))
    add_source(database, feed_url, seconds=1)
    processes(database, "scheduler")
    wait_for(lambda: scalar(database, "SELECT count(*) FROM runs WHERE status = 'done'") >= 4)
    engine = create_engine(database)
    with Session(engine) as session:
        runs = session.scalars(select(Run).where(Run.status.in_(("done", "running")))).all()
        stored = session.scalar(select(func.count()).select_from(Article))
    engine.dispose()
    fetched = Feed.fetches  # read after the runs: every run done by then has fetched
    done = [r for r in runs if r.status == "done"]
    # Each run fetches once: every finished run has, a run still going may not have yet (on a
    # loaded machine), and one more may have started since the runs were read.
    assert len(runs) - len(done) <= 1
    assert len(done) <= fetched <= len(runs) + 1
    assert stored == 2
    spans = sorted((r.started_at, r.ended_at) for r in runs if r.ended_at is not None)
    for (_, end), (start, _) in pairwise(spans):
        assert end is not None and start is not None and end <= start  # never two at once


def get_json(url: str) -> Any:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=5) as response:
        return json.load(response)


def post_json(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=5) as response:
        return json.load(response)


def wait_until_serving(base: str) -> None:
    def up() -> bool:
        try:
            get_json(f"{base}/health")
        except OSError:
            return False
        return True

    wait_for(up)


def test_a_feed_registered_through_the_api_fills_the_timeline(
    database: str, feed_url: str, processes: Callable[..., subprocess.Popen[bytes]]
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    processes(database, "serve", "--port", str(port))
    processes(database, "scheduler")
    wait_until_serving(base)
    source = post_json(
        f"{base}/v1/sources", {"kind": "feed", "url": feed_url, "interval_seconds": 2}
    )

    def events() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = get_json(f"{base}/v1/timeline")["events"]
        return found

    wait_for(lambda: len({m["article_id"] for e in events() for m in e["mentions"]}) == 2)
    Feed.entries = 3
    wait_for(lambda: len({m["article_id"] for e in events() for m in e["mentions"]}) == 3)
    runs = get_json(f"{base}/v1/sources/{source['id']}/runs")["items"]
    assert runs and all(r["status"] in ("done", "running") for r in runs)
