"""``timeline scheduler`` as a process of its own, against a feed on 127.0.0.1: new entries
arrive on schedule, a restart keeps the schedule and loses nothing, queued runs run, with
two web servers beside it every fetch is one run (web workers run no jobs), and a feed
registered through the API reaches ``GET /v1/timeline`` within its interval. Two
schedulers on one database (SQLite, and PostgreSQL when ``TIMELINE_TEST_DATABASE_URL``
names a server): one leads and every run is carried out once, the standby takes over when
the leader is killed, and ``timeline scheduler --check`` says whether one leads.

The tests read their counts once the state has settled: after the schedulers have stopped
(a scheduler stops once its runs in progress have ended), never while runs may be going."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from itertools import pairwise
from pathlib import Path
from typing import Any, ClassVar

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED
from conftest import CliResult
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from support import DATABASES, free_port, migrated_database, stop_processes, wait_for

from timeline.ingest.fetch import Fetcher, FetchPolicy
from timeline.ingest.scheduler import Gate, Runtime, Stop, stop_jobs, sync
from timeline.ingest.sources import request_run
from timeline.store.db import make_engine
from timeline.store.migrate import upgrade
from timeline.store.models import Run, Source

ITEM = "<item><title>{n}</title><link>http://news.example/{n}</link><description>Entry {n}: the envoys met on Friday.</description><pubDate>Sat, 17 Jul 2021 09:00:00 GMT</pubDate></item>"  # noqa: E501
REPO = Path(__file__).resolve().parents[2]


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


@pytest.fixture(params=DATABASES)
def shared_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database for two schedulers: SQLite, and PostgreSQL when there is a server."""
    with migrated_database(request.param, tmp_path) as url:
        yield url


def environment(database: str) -> dict[str, str]:
    return {
        **os.environ,
        "TIMELINE_DATABASE_URL": database,
        "TIMELINE_ALLOW_PRIVATE_NETWORKS": "true",
        "TIMELINE_SCHEDULER_SYNC_SECONDS": "0.5",
        # short leases and heartbeats, so that a takeover and a stalled run take seconds (not
        # so short that a loaded machine's slow SQLite writes hand the lead over meanwhile)
        "TIMELINE_SCHEDULER_LEASE_SECONDS": "10",
        "TIMELINE_SCHEDULER_HEARTBEAT_SECONDS": "2",
        # the schedulers run the sources themselves, on PostgreSQL too (tests/api/test_queue.py
        # has the workers that take them from the queue)
        "TIMELINE_QUEUE": "local",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start ``timeline ARGS...`` on a database; what it writes (its log) goes to
    ``<pid>.log`` in the test's folder (:func:`log_of`). Those still running at the end are
    stopped."""
    started: list[subprocess.Popen[bytes]] = []

    def start(database: str, *args: str) -> subprocess.Popen[bytes]:
        log = tmp_path / f"process-{len(started)}.log"
        with log.open("wb") as err:
            process = subprocess.Popen(
                [sys.executable, "-m", "timeline", *args],
                cwd=REPO,
                env=environment(database),
                stdout=err,
                stderr=subprocess.STDOUT,
            )
        (tmp_path / f"{process.pid}.log").symlink_to(log)
        started.append(process)
        return process

    yield start
    stop_processes(started, timeout=15)


def add_source(database: str, url: str, seconds: int) -> int:
    engine = make_engine(database)
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
    engine = make_engine(database)
    with engine.connect() as connection:
        value = connection.execute(text(query)).scalar_one()
    engine.dispose()
    return int(value)


def all_runs(database: str) -> list[Run]:
    engine = make_engine(database)
    with Session(engine) as session:
        runs = list(session.scalars(select(Run).order_by(Run.id)).all())
    engine.dispose()
    return runs


def lease_holder(database: str) -> str | None:
    """Who holds the leader lease (host:pid:tag), if anyone."""
    engine = make_engine(database)
    with engine.connect() as connection:
        holder: str | None = connection.execute(text("SELECT holder FROM leases")).scalar()
    engine.dispose()
    return holder


def leader_pid(database: str) -> int | None:
    """The pid of the scheduler that holds the leader lease."""
    holder = lease_holder(database)
    return int(holder.split(":")[1]) if holder else None


def pid_of(run: Run) -> int:
    return int((run.holder or "::").split(":")[1] or 0)


def log_of(tmp_path: Path, process: subprocess.Popen[bytes]) -> str:
    return (tmp_path / f"{process.pid}.log").read_text(encoding="utf-8", errors="replace")


def wait_or_tell(
    condition: Callable[[], bool], database: str, tmp_path: Path, *watched: subprocess.Popen[bytes]
) -> None:
    """:func:`wait_for` ``condition``; when it does not come, fail with the runs and the
    logs of the ``watched`` processes."""
    try:
        wait_for(condition)
    except AssertionError:
        runs = [(r.id, r.source_id, r.status, r.holder, r.error) for r in all_runs(database)]
        logs = "\n".join(f"{p.pid}:\n{log_of(tmp_path, p)[-3000:]}" for p in watched)
        leader = leader_pid(database)
        raise AssertionError(f"not settled; runs: {runs}\nleader: {leader}\n{logs}") from None


def stop(*schedulers: subprocess.Popen[bytes]) -> None:
    """Stop schedulers cleanly (each lets its runs in progress end): the state settles."""
    for process in schedulers:
        process.send_signal(signal.SIGTERM)
    for process in schedulers:
        assert process.wait(timeout=180) == 0  # generous: a loaded CI host is slow


def articles(database: str) -> int:
    return scalar(database, "SELECT count(*) FROM articles")


def test_entries_arrive_on_schedule_and_a_restart_loses_nothing(
    database: str, feed_url: str, processes: Callable[..., subprocess.Popen[bytes]]
) -> None:
    source_id = add_source(database, feed_url, seconds=1)
    scheduler = processes(database, "scheduler")
    wait_for(lambda: articles(database) == 2)
    lease = lease_holder(database)
    assert {r.holder for r in all_runs(database)} == {lease}
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
    engine = make_engine(database)
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
    scheduler = processes(database, "scheduler")
    wait_for(lambda: scalar(database, "SELECT count(*) FROM runs WHERE status = 'done'") >= 4)
    stop(scheduler)  # settled: no run is going, none starts
    runs = all_runs(database)
    assert {r.status for r in runs} == {"done"}
    assert Feed.fetches == len(runs)  # one fetch per run, whatever the web servers did
    assert articles(database) == 2
    spans = sorted((r.started_at, r.ended_at) for r in runs)
    for (_, end), (start, _) in pairwise(spans):
        assert end is not None and start is not None and end <= start  # never two at once


def test_two_schedulers_one_leads_and_every_run_is_carried_out_once(
    shared_database: str,
    feed_url: str,
    processes: Callable[..., subprocess.Popen[bytes]],
    tmp_path: Path,
) -> None:
    sources = [add_source(shared_database, f"{feed_url}?wire={n}", seconds=3600) for n in (1, 2)]
    schedulers = [processes(shared_database, "scheduler") for _ in range(2)]

    def settle(condition: Callable[[], bool]) -> None:
        wait_or_tell(condition, shared_database, tmp_path, *schedulers)

    settle(lambda: leader_pid(shared_database) in {p.pid for p in schedulers})
    leader = next(p for p in schedulers if p.pid == leader_pid(shared_database))
    standby = next(p for p in schedulers if p is not leader)
    settle(lambda: "stands by" in log_of(tmp_path, standby))
    engine = make_engine(shared_database)
    with Session(engine, expire_on_commit=False) as session:
        for source_id in sources:
            source = session.get(Source, source_id)
            assert source is not None
            for _ in range(3):
                request_run(session, source)
    engine.dispose()
    # each new source runs once at once, then its three queued runs
    settle(lambda: scalar(shared_database, "SELECT count(*) FROM runs WHERE status = 'done'") == 8)
    stop(standby)  # first: stopped after the leader, it might lead for its last moment
    stop(leader)
    runs = all_runs(shared_database)
    assert len(runs) == 8 and {r.status for r in runs} == {"done"}
    assert Feed.fetches == 8  # every run fetched once: none was carried out twice
    assert "leads: it runs the jobs" in log_of(tmp_path, leader)


def test_the_standby_takes_over_when_the_leader_is_killed(
    shared_database: str,
    feed_url: str,
    processes: Callable[..., subprocess.Popen[bytes]],
    tmp_path: Path,
) -> None:
    add_source(shared_database, feed_url, seconds=1)
    schedulers = [processes(shared_database, "scheduler") for _ in range(2)]

    def settle(condition: Callable[[], bool]) -> None:
        wait_or_tell(condition, shared_database, tmp_path, *schedulers)

    settle(lambda: scalar(shared_database, "SELECT count(*) FROM runs WHERE status = 'done'") >= 2)
    settle(lambda: leader_pid(shared_database) in {p.pid for p in schedulers})
    leader, standby = sorted(schedulers, key=lambda p: p.pid != leader_pid(shared_database))
    leader.kill()  # SIGKILL: no clean stop, the lease is not given up
    leader.wait(timeout=20)
    settle(lambda: leader_pid(shared_database) == standby.pid)  # within a lease
    settle(
        lambda: any(
            r.status == "done" and pid_of(r) == standby.pid for r in all_runs(shared_database)
        )
    )
    # a run the leader was carrying out when it died is failed once its heartbeat is stale
    settle(
        lambda: (
            not [
                r
                for r in all_runs(shared_database)
                if r.status == "running" and pid_of(r) == leader.pid
            ]
        )
    )
    stop(standby)
    runs = all_runs(shared_database)
    done = [r for r in runs if r.status == "done"]
    failed = [r for r in runs if r.status == "failed"]
    assert len(done) + len(failed) == len(runs) and len(failed) <= 1
    for run in failed:
        assert pid_of(run) == leader.pid and "no heartbeat" in (run.error or "")
    assert len(done) <= Feed.fetches <= len(runs)  # the stalled run may have fetched
    assert articles(shared_database) == 2
    spans = sorted((r.started_at, r.ended_at) for r in runs)
    for (_, end), (start, _) in pairwise(spans):
        assert end is not None and start is not None and end <= start  # never two at once


def test_scheduler_check_says_whether_a_scheduler_leads(
    database: str,
    processes: Callable[..., subprocess.Popen[bytes]],
    run_cli: Callable[[list[str]], CliResult],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("TIMELINE_DATABASE_URL", database)
    idle = run_cli(["scheduler", "--check"])
    assert idle.code == 1 and idle.out == ""
    assert idle.err == "timeline: scheduler: no scheduler leads (no live leader lease)\n"
    scheduler = processes(database, "scheduler")
    wait_for(lambda: run_cli(["scheduler", "--check"]).code == 0)
    leading = run_cli(["scheduler", "--check"])
    assert f":{scheduler.pid}:" in leading.out and "leads" in leading.out
    stop(scheduler)  # a clean stop gives the lease up
    assert run_cli(["scheduler", "--check"]).code == 1
    monkeypatch.setenv("TIMELINE_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    missing = run_cli(["scheduler", "--check"])
    assert missing.code == 1 and "no database" in missing.err
    assert not (tmp_path / "none.db").exists()


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


def a_runtime(engine: Engine, **queue: Any) -> Runtime:
    """A leading scheduler's runtime on ``engine`` (``queue``: its job queue's hooks)."""
    return Runtime(
        engine,
        sessionmaker(engine),
        Fetcher(FetchPolicy()),
        "",
        "here:1:aa",
        1.0,
        lambda: True,
        **queue,
    )


def test_a_sync_while_the_database_is_away_logs_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a traceback every sync (every second in benchmarks/soak.py's outage)."""
    runtime = a_runtime(make_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'timeline.db'}"))
    monkeypatch.setattr("timeline.ingest.scheduler._runtime", runtime)
    with caplog.at_level(logging.WARNING, "timeline.scheduler"):
        sync(BackgroundScheduler())
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["sync"]
    assert "unable to open database file" in caplog.records[0].getMessage()


def test_on_the_queue_the_leader_defers_runs_and_looks_for_lost_jobs(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the job queue, a source's schedule defers its run to the workers (nothing runs
    in the scheduler), and every sync looks for the jobs that dead workers left."""
    from timeline.ingest.scheduler import run_scheduled

    engine = make_engine(database)
    deferred: list[tuple[int, int | None]] = []
    requeued: list[int] = []

    def defer(source_id: int, run_id: int | None) -> bool:
        deferred.append((source_id, run_id))
        return True

    def requeue() -> int:
        requeued.append(1)
        return 0

    runtime = a_runtime(engine, defer_source=defer, requeue=requeue)
    monkeypatch.setattr("timeline.ingest.scheduler._runtime", runtime)
    source_id = add_source(database, "http://news.example/feed", 3600)
    run_scheduled(source_id)
    run_scheduled(source_id, 7)
    assert deferred == [(source_id, None), (source_id, 7)]
    assert all_runs(database) == []
    sync(BackgroundScheduler())
    assert requeued == [1]
    engine.dispose()


def test_a_stop_signal_ends_the_schedulers_wait() -> None:
    stop = Stop()
    assert not stop.wait(0) and not stop.is_set()
    previous = signal.signal(signal.SIGUSR1, stop.handle)
    try:
        os.kill(os.getpid(), signal.SIGUSR1)
        assert stop.wait(60) and stop.is_set()  # the handler ran, and woke the wait
        for _ in range(100_000):  # a full pipe does not make the handler raise
            stop.handle(signal.SIGUSR1, None)
    finally:
        signal.signal(signal.SIGUSR1, previous)


def test_stopping_the_jobs_while_a_sync_runs_ends() -> None:
    """APScheduler's shutdown holds the job stores' lock while it waits for the running jobs:
    a job that reads the jobs after the stop began must not wait for that lock."""
    scheduler, gate = BackgroundScheduler(), Gate()
    running, go_on, read = threading.Event(), threading.Event(), []

    def job() -> None:
        running.set()
        go_on.wait(60)
        with gate.entered() as is_open:
            if is_open:
                read.append(scheduler.get_jobs())

    scheduler.start()
    scheduler.add_job(job)
    assert running.wait(60)
    stopper = threading.Thread(target=stop_jobs, args=(scheduler, gate), kwargs={"wait": True})
    stopper.start()
    wait_for(lambda: scheduler.state == STATE_STOPPED)  # the stop has begun
    go_on.set()
    stopper.join(60)
    assert not stopper.is_alive() and read == []  # it ended, and the job left the jobs alone
