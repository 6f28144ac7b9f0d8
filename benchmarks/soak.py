#!/usr/bin/env python3
"""Soak: the service's processes under bounded load, with the leading scheduler killed and
the database restarted midway; what was acknowledged is stored once, and no run is stuck.

The processes of the compose stack, without containers, all on 127.0.0.1: a throwaway
PostgreSQL cluster from Debian's packages (``initdb`` in a temporary folder, as the
``postgres`` user when run as root, its socket in that folder), ``timeline db upgrade``, an
editor key (``timeline keys create``), two ``timeline serve`` and two ``timeline
scheduler`` (short lease, heartbeat and sync), a feed this script serves (one new entry a
second; ``TIMELINE_ALLOW_PRIVATE_NETWORKS=true`` lets the scheduler fetch it from
loopback) and a folder source under ``TIMELINE_FOLDER_ROOT`` that gets a new article file
every two seconds. Rate limits are off (every client shares one key).

``--clients`` threads send requests back to back for ``--seconds``, to both servers in
turn: posts of new articles (invented sentences with dates), posts again of a text sent
before (acknowledged, or refused during the outage), reads of timelines and article
lists, and run requests. At 30% of the load the scheduler that leads is killed (SIGKILL;
another is started in its place, as an orchestrator would); at 60% PostgreSQL stops (``-m
fast``) for ``--outage`` seconds. The outage lasts from the stop until ``/ready`` answers
200 on both servers again: a 503 or a refused connection inside it is expected, one
outside it is an error, and so is any other 5xx. A client waits a second after a 5xx or no
answer (as one that heeds ``Retry-After``, if briefly). After the load, the feed and the
folder stop growing, one run of each source is requested, and the script waits (at most
``--settle`` seconds) until every feed entry and folder file is stored and every run
requested until then has ended; then the schedulers stop (SIGTERM) and the database is
read. With ``--keep`` (or when a goal fails) the processes' logs and the cluster's folder
stay in the temporary folder it names.

Printed: requests by kind and status class, 5xx inside and outside the outage, latencies,
articles acknowledged (201 or 200 with an id), stored, lost (acknowledged and not stored
under that id and text), duplicated (one text or title stored twice, or one text
acknowledged under two ids), feed entries and folder files each stored once, runs by
outcome and stuck, the leader's failover time and the outage's length. Exit status 1 when
a goal fails: 0 lost, 0 duplicated, 0 stuck, 0 5xx (or no answer) outside the outage, no
other unexpected answer, and no run failed but those whose process was killed or lost the
database; 0 (with a message) when PostgreSQL is not installed. It takes about a minute
more than ``--seconds`` (the cluster, the processes, settling), so ``make bench`` leaves it
out.

    python benchmarks/soak.py [--clients 8] [--seconds 60] [--outage 5] [--settle 90] [--keep]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import os
import platform
import pwd
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from timeline.ingest.leader import live_holder

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api import HOST, free_port, percentile, table

REPO = Path(__file__).resolve().parent.parent
REQUEST_TIMEOUT = 30.0
START_TIMEOUT = 90.0
# No proxy, whatever the environment says: every request goes straight to 127.0.0.1.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
# the scheduler's settings: a killed leader is replaced within seconds, a run whose process
# died is failed after four beats (4 s), and queued runs start within a second
SCHEDULER_SETTINGS = {
    "TIMELINE_SCHEDULER_SYNC_SECONDS": "1",
    "TIMELINE_SCHEDULER_LEASE_SECONDS": "6",
    "TIMELINE_SCHEDULER_HEARTBEAT_SECONDS": "1",
}
# a run is failed after four missed beats (timeline.ingest.sources.STALLED_BEATS)
STALL_SECONDS = 4 * float(SCHEDULER_SETTINGS["TIMELINE_SCHEDULER_HEARTBEAT_SECONDS"])
SOURCE_INTERVAL = 5  # seconds between the scheduled runs of each source
FEED_EVERY = 1.0  # seconds between new feed entries
FOLDER_EVERY = 2.0  # seconds between new article files
KILL_AT, OUTAGE_AT = 0.3, 0.6  # shares of the load's duration
CLIENT_BACKOFF = 1.0  # seconds a client waits after a 5xx or no answer
# what the clients do, and how often (weights)
ACTIONS = {"post": 40, "repost": 6, "timeline": 18, "article timeline": 12, "list": 18, "run": 6}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "March", "April", "June", "September", "November")
TOWNS = ("Arden", "Belmonte", "Corvale", "Dunmore", "Eastwick", "Falby", "Glenrock", "Harlow")
BODIES = ("council", "port authority", "water board", "school board", "transit agency")
PUBLISHED = "2026-12-07"
# how the error of a run that lost the database begins (psycopg's errors, as SQLAlchemy's)
DATABASE_AWAY = ("OperationalError", "InterfaceError")


def content_hash(body: str) -> str:
    """The SHA-256 of a text, as the service keys articles
    (timeline.store.articles.content_hash)."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def sentence(rng: random.Random, n: int, token: str, what: str) -> str:
    """An invented news text with dates, unique by ``what``, ``n`` and ``token``."""
    town, body = rng.choice(TOWNS), rng.choice(BODIES)
    weekday, month, later = rng.choice(WEEKDAYS), rng.choice(MONTHS), rng.choice(MONTHS)
    year = 2020 + rng.randrange(7)
    return (
        f"The {body} of {town} ({what} {n}, soak {token}) met on {weekday} and agreed to "
        f"reopen the old bridge on {rng.randrange(1, 28)} {month} {year + 1}. Work on it "
        f"stopped in {later} {year}, officials said, and a report is due next week."
    )


# -- the database ------------------------------------------------------------------------


def postgresql_bin() -> Path | None:
    """The newest PostgreSQL server's bin folder from Debian's packages, if any."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: [int(x) for x in p.parent.parent.name.split(".") if x.isdigit()],
    )
    return found[-1].parent if found else None


@dataclass
class Cluster:
    """A PostgreSQL cluster in ``root`` that listens on 127.0.0.1:``port`` only."""

    bin: Path
    root: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@{HOST}:{self.port}/timeline"

    def _command(self, name: str, *args: str) -> list[str]:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return [*as_postgres, str(self.bin / name), *args]

    def _run(self, name: str, *args: str) -> None:
        done = subprocess.run(self._command(name, *args), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{name} {' '.join(args)}: {done.stderr.strip() or done.stdout}")

    def create(self) -> None:
        """initdb, start, and a database ``timeline``."""
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.root / "data"), "--auth=trust", "-U", "postgres")
        self.start()
        self._run("createdb", "-h", HOST, "-p", str(self.port), "-U", "postgres", "timeline")

    def start(self) -> None:
        options = f"-c listen_addresses={HOST} -p {self.port} -k {self.root}"
        data, log = str(self.root / "data"), str(self.root / "log")
        self._run("pg_ctl", "-D", data, "-l", log, "-w", "-o", options, "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")

    @property
    def version(self) -> str:
        done = subprocess.run([str(self.bin / "postgres"), "--version"], capture_output=True)
        return done.stdout.decode().strip()


# -- the service's processes -------------------------------------------------------------


@dataclass
class Processes:
    """The ``timeline`` processes this script started, each with its log in ``logs``."""

    env: dict[str, str]
    logs: Path
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        with (self.logs / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "timeline", *args],
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.running[name] = process
        return process

    def run(self, *args: str) -> str:
        """``timeline ARGS`` to its end: its stdout; raises with its stderr when it fails."""
        done = subprocess.run(
            [sys.executable, "-m", "timeline", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"timeline {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout.strip()

    def by_pid(self, pid: int) -> str | None:
        return next((n for n, p in self.running.items() if p.pid == pid), None)

    def stop(self, name: str, timeout: float = 60.0) -> int | None:
        """SIGTERM, then SIGKILL after ``timeout`` seconds; the exit status."""
        process = self.running[name]
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return process.returncode

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name, timeout=15.0)


# -- HTTP ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One request: what it was, to which server, when it started and ended (monotonic
    seconds), its status (0: no HTTP answer) and its JSON body."""

    kind: str
    server: int
    started: float
    ended: float
    status: int
    body: Any


def call(
    base: str, method: str, path: str, payload: Any = None, key: str | None = None
) -> tuple[int, Any]:
    """One request; its status (0 when no HTTP answer came) and body, never an exception."""
    data = None if payload is None else json.dumps(payload).encode("utf-8")
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if key is not None:
        req.add_header("Authorization", f"Bearer {key}")
    try:
        with OPENER.open(req, timeout=REQUEST_TIMEOUT) as response:
            raw, status = response.read(), int(response.status)
    except urllib.error.HTTPError as exc:
        raw, status = exc.read(), exc.code
    except OSError as exc:  # refused, reset, timed out
        return 0, str(exc)
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode("utf-8", "replace")


class Feed(BaseHTTPRequestHandler):
    """An RSS feed whose entries grow by one every :data:`FEED_EVERY` seconds from
    ``opened`` until ``closed``; counts its fetches and the most entries it served."""

    token: ClassVar[str] = ""
    opened: ClassVar[float] = 0.0
    closed: ClassVar[float] = math.inf
    fetches: ClassVar[int] = 0
    served: ClassVar[int] = 0
    lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def entries(cls) -> int:
        moment = min(time.monotonic(), cls.closed)
        return max(0, int((moment - cls.opened) / FEED_EVERY)) if cls.opened else 0

    @classmethod
    def item(cls, n: int) -> str:
        body = sentence(random.Random(n), n, cls.token, "wire entry")
        day = format_datetime(datetime(2026, 12, 7, 9, 0, tzinfo=UTC), usegmt=True)
        return (
            f"<item><title>soak {cls.token} feed {n}</title>"
            f"<link>http://news.example/soak/{cls.token}/{n}</link>"
            f"<description>{body}</description><pubDate>{day}</pubDate></item>"
        )

    def log_message(self, *_args: object) -> None:
        pass

    def do_GET(self) -> None:
        count = self.entries()
        with Feed.lock:
            Feed.fetches += 1
            Feed.served = max(Feed.served, count)
        items = "".join(self.item(n) for n in range(count))
        data = (
            f"<?xml version='1.0'?><rss><channel><title>Soak wire</title>{items}</channel></rss>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def feed_server() -> Iterator[str]:
    """The feed on a free port of 127.0.0.1: its URL."""
    server = ThreadingHTTPServer((HOST, 0), Feed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/feed"
    finally:
        server.shutdown()
        server.server_close()


# -- the load --------------------------------------------------------------------------


@dataclass
class Ledger:
    """What the clients sent and were told, shared by their threads."""

    token: str
    samples: list[Sample] = field(default_factory=list)
    # text -> the ids it was acknowledged under (one, when all is well)
    acknowledged: dict[str, set[int]] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)  # posts with no acknowledgement
    titles: dict[str, str] = field(default_factory=dict)  # text -> its title
    numbers: Iterator[int] = field(default_factory=itertools.count)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, sample: Sample, posted: str | None = None) -> None:
        with self.lock:
            self.samples.append(sample)
            if posted is None:
                return
            if sample.status in (200, 201) and isinstance(sample.body, dict):
                self.acknowledged.setdefault(posted, set()).add(int(sample.body["id"]))
            elif posted not in self.acknowledged:
                self.refused.append(posted)

    def new_text(self, rng: random.Random) -> tuple[str, str]:
        with self.lock:
            n = next(self.numbers)
        title, posted = f"soak {self.token} api {n}", sentence(rng, n, self.token, "article")
        with self.lock:
            self.titles[posted] = title
        return title, posted

    def known_text(self, rng: random.Random) -> str | None:
        """A text to post again: one refused before when there is one, else one
        acknowledged."""
        with self.lock:
            if self.refused:
                return self.refused.pop(rng.randrange(len(self.refused)))
            if self.acknowledged:
                return rng.choice(list(self.acknowledged))
        return None

    def some_id(self, rng: random.Random) -> int | None:
        with self.lock:
            if not self.acknowledged:
                return None
            return min(rng.choice(list(self.acknowledged.values())))


@dataclass(frozen=True)
class Target:
    """The servers, the key, and the sources' ids."""

    bases: list[str]
    key: str
    sources: list[int]


def client(number: int, target: Target, ledger: Ledger, until: float) -> None:
    """Send requests back to back until ``until`` (monotonic), recording each."""
    rng = random.Random(number)
    kinds, weights = list(ACTIONS), list(ACTIONS.values())
    turn = number
    while time.monotonic() < until:
        turn += 1
        server = turn % len(target.bases)
        base = target.bases[server]
        kind = rng.choices(kinds, weights)[0]
        posted: str | None = None
        started = time.monotonic()
        if kind == "repost" and (posted := ledger.known_text(rng)) is not None:
            title = ledger.titles[posted]
            payload = {"title": title, "text": posted, "published_at": PUBLISHED}
            status, body = call(base, "POST", "/v1/articles", payload, target.key)
        elif kind in ("post", "repost"):
            kind = "post"
            title, posted = ledger.new_text(rng)
            payload = {"title": title, "text": posted, "published_at": PUBLISHED}
            status, body = call(base, "POST", "/v1/articles", payload, target.key)
        elif kind == "article timeline" and (some := ledger.some_id(rng)) is not None:
            status, body = call(base, "GET", f"/v1/articles/{some}/timeline")
        elif kind in ("timeline", "article timeline"):
            kind = "timeline"
            status, body = call(base, "GET", "/v1/timeline?limit=20")
        elif kind == "list":
            status, body = call(base, "GET", "/v1/articles?limit=20")
        else:
            source = rng.choice(target.sources)
            status, body = call(base, "POST", f"/v1/sources/{source}/run", None, target.key)
        ledger.record(Sample(kind, server, started, time.monotonic(), status, body), posted)
        if status == 0 or status >= 500:  # as a client that heeds Retry-After, if briefly
            time.sleep(CLIENT_BACKOFF)


def folder_writer(inbox: Path, token: str, until: float, written: list[str]) -> None:
    """A new article file in ``inbox`` every :data:`FOLDER_EVERY` seconds until ``until``
    (written whole under another name, then renamed); their titles go to ``written``."""
    n = 0
    while time.monotonic() < until:
        title = f"soak {token} folder {n}"
        article = {
            "title": title,
            "text": sentence(random.Random(10_000 + n), n, token, "folder file"),
            "published_at": PUBLISHED,
            "source": "soak folder",
            "language": "en",
        }
        part = inbox / f".{n}.part"
        part.write_text(json.dumps(article), encoding="utf-8")
        os.replace(part, inbox / f"{n:05d}.json")
        written.append(title)
        n += 1
        time.sleep(FOLDER_EVERY)


# -- the faults ------------------------------------------------------------------------


@dataclass
class Faults:
    """When the faults happened (monotonic seconds) and what they showed."""

    killed: str = ""
    killed_holder: str = ""
    killed_at: float = math.nan
    new_leader_at: float = math.nan
    outage_from: float = math.nan
    outage_to: float = math.nan
    outage_wall: tuple[datetime, datetime] | None = None
    leader_after_outage_at: float = math.nan
    notes: list[str] = field(default_factory=list)

    def in_outage(self, sample: Sample) -> bool:
        return sample.started <= self.outage_to and sample.ended >= self.outage_from

    def beat_stopped_in_outage(self, beat: datetime | None) -> bool:
        """Whether a run's last heartbeat came in the outage, or up to one stall before."""
        if beat is None or self.outage_wall is None:
            return False
        began, ended = self.outage_wall
        return bool(began - timedelta(seconds=STALL_SECONDS) <= beat <= ended)


def leader(engine: Engine, renewed_after: datetime | None = None) -> str | None:
    """The holder of the live leader lease (``host:pid:random``), if the database answers;
    with ``renewed_after``, only when the leader renewed its lease after that moment."""
    try:
        with engine.connect() as connection:
            found = live_holder(connection)
    except SQLAlchemyError:
        return None
    if found is None:
        return None
    lease = float(SCHEDULER_SETTINGS["TIMELINE_SCHEDULER_LEASE_SECONDS"])
    if renewed_after and (found.expires_at - renewed_after).total_seconds() < lease:
        return None
    return found.holder


def wait_until(condition: Callable[[], bool], seconds: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def ready(bases: Sequence[str]) -> bool:
    return all(call(base, "GET", "/ready")[0] == 200 for base in bases)


def inject(
    faults: Faults,
    processes: Processes,
    cluster: Cluster,
    engine: Engine,
    bases: Sequence[str],
    began: float,
    seconds: float,
    outage: float,
) -> None:
    """Kill the leading scheduler at :data:`KILL_AT` of the load and start another; stop
    PostgreSQL for ``outage`` seconds at :data:`OUTAGE_AT`. A fault that fails is noted."""
    try:
        time.sleep(max(0.0, began + KILL_AT * seconds - time.monotonic()))
        holder = leader(engine)
        pid = int(holder.split(":")[1]) if holder else 0
        name = processes.by_pid(pid)
        if holder is None or name is None:
            faults.notes.append(f"no leading scheduler of ours to kill (lease: {holder})")
        else:
            faults.killed, faults.killed_holder, faults.killed_at = name, holder, time.monotonic()
            processes.running[name].kill()
            processes.running[name].wait()
            if wait_until(lambda: leader(engine) not in (None, holder), 60.0):
                faults.new_leader_at = time.monotonic()
            processes.start(f"{name}-replacement", "scheduler")
        time.sleep(max(0.0, began + OUTAGE_AT * seconds - time.monotonic()))
        faults.outage_from, stopped = time.monotonic(), datetime.now(UTC)
        cluster.stop()
        time.sleep(outage)
        cluster.start()
        restarted = datetime.now(UTC)
        if not wait_until(lambda: ready(bases), 120.0):
            faults.notes.append("the servers were not ready 120 s after the database came back")
        faults.outage_to = time.monotonic()
        faults.outage_wall = (stopped, datetime.now(UTC))
        if wait_until(lambda: leader(engine, restarted) is not None, 120.0):
            faults.leader_after_outage_at = time.monotonic()
    except (OSError, RuntimeError) as exc:
        faults.notes.append(f"a fault failed: {exc}")


# -- after the load --------------------------------------------------------------------


def scalar_rows(engine: Engine, sql: str, **params: Any) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(text(sql), params).all())


def settled(engine: Engine, token: str, feed_entries: int, files: int, cutoff: datetime) -> bool:
    """Every feed entry and folder file stored, no run asked before ``cutoff`` unfinished."""
    try:
        feed = scalar_rows(
            engine, "SELECT count(*) FROM articles WHERE title LIKE :t", t=f"soak {token} feed %"
        )[0][0]
        folder = scalar_rows(
            engine, "SELECT count(*) FROM articles WHERE title LIKE :t", t=f"soak {token} folder %"
        )[0][0]
        open_runs = scalar_rows(
            engine,
            "SELECT count(*) FROM runs WHERE status IN ('queued', 'running')"
            " AND requested_at < :cutoff",
            cutoff=cutoff,
        )[0][0]
    except SQLAlchemyError:
        return False
    return bool(feed >= feed_entries and folder >= files and open_runs == 0)


@dataclass
class Outcome:
    """The figures read from the database at the end."""

    acknowledged: int
    stored_acknowledged: int
    lost: list[str]
    duplicated: list[str]
    feed_entries: int
    feed_stored_once: int
    files: int
    files_stored_once: int
    runs: Counter[str]
    stuck: list[str]
    stalled_failed: int
    database_failed: int
    other_failed: list[str]
    articles: int


def examine(
    engine: Engine,
    ledger: Ledger,
    faults: Faults,
    feed_entries: int,
    written: list[str],
    cutoff: datetime,
) -> Outcome:
    """Compare what was acknowledged with what the database holds."""
    rows = scalar_rows(engine, "SELECT id, content_hash, title FROM articles")
    by_id = {row.id: row.content_hash for row in rows}
    lost, duplicated = [], []
    stored_acknowledged = 0
    for posted, ids in ledger.acknowledged.items():
        digest = content_hash(posted)
        if len(ids) > 1:
            duplicated.append(f"one text acknowledged as articles {sorted(ids)}")
        if all(by_id.get(i) == digest for i in ids):
            stored_acknowledged += 1
        else:
            lost.append(f"acknowledged as {sorted(ids)}, stored: {[by_id.get(i) for i in ids]}")
    for digest, count in Counter(row.content_hash for row in rows).items():
        if count > 1:
            duplicated.append(f"text {digest[:12]} stored {count} times")
    titles = Counter(row.title for row in rows if row.title)
    for title, count in titles.items():
        if count > 1 and title.startswith(f"soak {ledger.token} "):
            duplicated.append(f"title {title!r} stored {count} times")
    feed_titles = [f"soak {ledger.token} feed {n}" for n in range(feed_entries)]
    lost += [f"feed entry {t!r} not stored" for t in feed_titles if titles[t] == 0]
    lost += [f"folder file {t!r} not stored" for t in written if titles[t] == 0]
    runs = scalar_rows(
        engine,
        "SELECT id, source_id, status, requested_at, error, holder, heartbeat_at FROM runs",
    )
    stuck = [
        f"run {r.id} of source {r.source_id} {r.status} since {r.requested_at:%H:%M:%S}"
        for r in runs
        if r.status in ("queued", "running") and (r.requested_at < cutoff or r.status == "running")
    ]
    failed = [r for r in runs if r.status == "failed"]
    # failed for want of a heartbeat, as they should be: their process was killed, or
    # their heartbeat stopped with the database (not a live run on a working database)
    stalled = [
        r
        for r in failed
        if (r.error or "").startswith("stalled")
        and (r.holder == faults.killed_holder or faults.beat_stopped_in_outage(r.heartbeat_at))
    ]
    # a run that lost the database while it ran and could still record why
    away = [r for r in failed if (r.error or "").startswith(DATABASE_AWAY)]
    return Outcome(
        acknowledged=len(ledger.acknowledged),
        stored_acknowledged=stored_acknowledged,
        lost=lost,
        duplicated=duplicated,
        feed_entries=feed_entries,
        feed_stored_once=sum(1 for t in feed_titles if titles[t] == 1),
        files=len(written),
        files_stored_once=sum(1 for t in written if titles[t] == 1),
        runs=Counter(r.status for r in runs),
        stuck=stuck,
        stalled_failed=len(stalled),
        database_failed=len(away),
        other_failed=[f"run {r.id}: {r.error}" for r in failed if r not in stalled + away],
        articles=len(rows),
    )


# -- the report ------------------------------------------------------------------------


def status_class(status: int) -> str:
    return "no answer" if status == 0 else f"{status // 100}xx"


EXPECTED = {
    "post": (200, 201),
    "repost": (200, 201),
    "timeline": (200,),
    "article timeline": (200,),
    "list": (200,),
    "run": (202,),
}


def report(ledger: Ledger, faults: Faults, outcome: Outcome, began: float) -> list[str]:
    """Print the figures; the goals that failed."""
    samples = ledger.samples
    classes = ["2xx", "4xx", "5xx", "no answer"]
    rows = [["request", "count", *classes, "p50 ms", "p99 ms"]]
    for kind in [*EXPECTED, "all"]:
        mine = [s for s in samples if kind in ("all", s.kind)]
        counted = Counter(status_class(s.status) for s in mine)
        good = [(s.ended - s.started) * 1000 for s in mine if s.status in EXPECTED[s.kind]]
        rows.append(
            [
                kind,
                str(len(mine)),
                *(str(counted[c]) for c in classes),
                f"{percentile(good, 50):,.0f}",
                f"{percentile(good, 99):,.0f}",
            ]
        )
    table(rows)
    failing = [s for s in samples if s.status == 0 or s.status >= 500]
    # while the database is away: 503 (or no answer); any other 5xx is a fault anywhere
    inside = [s for s in failing if faults.in_outage(s) and s.status in (0, 503)]
    outside = [s for s in failing if s not in inside]
    unexpected = [s for s in samples if 0 < s.status < 500 and s.status not in EXPECTED[s.kind]]
    statuses = Counter(str(s.status or "no answer") for s in inside)
    counts = ", ".join(f"{n} x {status}" for status, n in sorted(statuses.items()))
    print(
        f"\n5xx or no answer: {len(inside)} 503 or none inside the outage ({counts}), "
        f"{len(outside)} other; other unexpected answers: {len(unexpected)}"
    )
    for sample in (outside + unexpected)[:5]:
        print(
            f"  at {sample.started - began:.1f} s, {sample.kind} on server {sample.server}: "
            f"{sample.status or 'no answer'} {str(sample.body)[:200]}"
        )
    refused = len(ledger.refused)
    print(
        f"\narticles acknowledged: {outcome.acknowledged} (texts; posts refused and not "
        f"acknowledged later: {refused}); stored under the acknowledged id: "
        f"{outcome.stored_acknowledged}; lost: {len(outcome.lost)}; duplicated: "
        f"{len(outcome.duplicated)}; articles in the database: {outcome.articles}"
    )
    print(
        f"feed entries: {outcome.feed_entries} published, {outcome.feed_stored_once} stored "
        f"once ({Feed.fetches} fetches); folder files: {outcome.files} written, "
        f"{outcome.files_stored_once} stored once"
    )
    runs = ", ".join(f"{n} {status}" for status, n in sorted(outcome.runs.items()))
    print(
        f"runs: {runs}; of the failed, {outcome.stalled_failed} stalled (their process "
        f"was killed or lost the database), {outcome.database_failed} lost the database and "
        f"said so, {len(outcome.other_failed)} other; stuck: {len(outcome.stuck)}"
    )
    for line in (outcome.lost + outcome.duplicated + outcome.stuck + outcome.other_failed)[:8]:
        print(f"  {line[:240]}")
    failover = faults.new_leader_at - faults.killed_at
    outage = faults.outage_to - faults.outage_from
    back = faults.leader_after_outage_at - faults.outage_to
    print(
        f"\nleader killed ({faults.killed or 'none'}) at {faults.killed_at - began:.1f} s, "
        f"a new leader after {failover:.1f} s; database stopped at "
        f"{faults.outage_from - began:.1f} s, outage {outage:.1f} s (stop to /ready 200 on "
        f"both servers), the leader's lease renewed {back:.1f} s after it"
    )
    for note in faults.notes:
        print(f"  {note}")
    goals = {
        "lost": len(outcome.lost),
        "duplicated": len(outcome.duplicated),
        "stuck": len(outcome.stuck),
        "5xx outside the outage": len(outside),
        "unexpected answers": len(unexpected),
        "runs failed otherwise": len(outcome.other_failed),
        "faults not carried out": len(faults.notes) + math.isnan(failover),
    }
    return [f"{name}: {n}" for name, n in goals.items() if n]


# -- main ------------------------------------------------------------------------------


def soak(args: argparse.Namespace, pgbin: Path, work: Path) -> int:
    """Start everything, load it, break it, settle, examine, report; the exit status."""
    token = os.urandom(4).hex()
    pgroot = Path(tempfile.mkdtemp(prefix="pg-", dir=work))
    work.chmod(0o755)  # the postgres user reaches its folder inside
    cluster = Cluster(pgbin, pgroot, free_port())
    logs, inbox = work / "logs", work / "inbox"
    logs.mkdir()
    (inbox / "soak").mkdir(parents=True)
    env = os.environ | SCHEDULER_SETTINGS
    env |= {
        "TIMELINE_DATABASE_URL": cluster.url,
        "TIMELINE_ALLOW_PRIVATE_NETWORKS": "true",
        "TIMELINE_FOLDER_ROOT": str(inbox),
        "TIMELINE_WRITE_RATE": "off",
        "TIMELINE_RUN_RATE": "off",
        "TIMELINE_LOG_FORMAT": "text",
        "PYTHONUNBUFFERED": "1",
    }
    processes = Processes(env, logs)
    engine = create_engine(cluster.url, poolclass=NullPool)
    Feed.token, Feed.opened, Feed.closed, Feed.fetches, Feed.served = token, 0.0, math.inf, 0, 0
    print(
        f"timeline soak: {args.clients} clients for {args.seconds:g} s, database outage "
        f"{args.outage:g} s; {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}, {cluster.version}; logs in {logs}"
    )
    try:
        cluster.create()
        with feed_server() as feed_url:
            processes.run("db", "upgrade")
            key = processes.run("keys", "create", "--role", "editor", "--name", "soak")
            ports = [free_port(), free_port()]
            bases = [f"http://{HOST}:{port}" for port in ports]
            for n, port in enumerate(ports):
                processes.start(f"serve-{n}", "serve", "--host", HOST, "--port", str(port))
            for n in range(2):
                processes.start(f"scheduler-{n}", "scheduler")
            if not wait_until(lambda: ready(bases), START_TIMEOUT):
                print("the servers did not become ready", file=sys.stderr)
                return 1
            sources = []
            for request in (
                {"kind": "feed", "url": feed_url, "interval_seconds": SOURCE_INTERVAL},
                {"kind": "folder", "path": "soak", "interval_seconds": SOURCE_INTERVAL},
            ):
                status, body = call(bases[0], "POST", "/v1/sources", request, key)
                if status != 201:
                    print(f"POST /v1/sources: {status} {body}", file=sys.stderr)
                    return 1
                sources.append(int(body["id"]))
            if not wait_until(lambda: leader(engine) is not None, START_TIMEOUT):
                print("no scheduler leads", file=sys.stderr)
                return 1
            for base in bases:  # each server compiles the rules once, before the load
                warm = {
                    "text": sentence(random.Random(0), 0, token, "warm-up"),
                    "published_at": PUBLISHED,
                }
                status, body = call(base, "POST", "/v1/extract", warm, key)
                if status != 200:
                    print(f"warm-up on {base}: {status} {body}", file=sys.stderr)
                    return 1

            ledger, faults, written = Ledger(token), Faults(), list[str]()
            began = time.monotonic()
            until = began + args.seconds
            Feed.opened = began
            target = Target(bases, key, sources)
            threads = [
                threading.Thread(target=client, args=(n, target, ledger, until))
                for n in range(args.clients)
            ]
            threads.append(
                threading.Thread(target=folder_writer, args=(inbox / "soak", token, until, written))
            )
            threads.append(
                threading.Thread(
                    target=inject,
                    args=(faults, processes, cluster, engine, bases, began, args.seconds),
                    kwargs={"outage": args.outage},
                )
            )
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            Feed.closed = until
            feed_entries = Feed.entries()
            for source in sources:  # a last run of each, for what came in at the end
                call(bases[0], "POST", f"/v1/sources/{source}/run", None, key)
            cutoff = datetime.now(UTC)  # every run asked for until now must end
            settle_began = time.monotonic()
            done = wait_until(
                lambda: settled(engine, token, feed_entries, len(written), cutoff),
                args.settle,
                step=1.0,
            )
            settle = time.monotonic() - settle_began
            print(
                f"\nload: {args.seconds:g} s; settled {'in' if done else 'NOT within'} "
                f"{settle:.1f} s after it\n"
            )
            for name in [n for n in processes.running if n.startswith("scheduler")]:
                processes.stop(name)  # a clean stop lets its runs end: none stays running
            outcome = examine(engine, ledger, faults, feed_entries, written, cutoff)
            failed = report(ledger, faults, outcome, began)
    finally:
        processes.stop_all()
        engine.dispose()
        try:
            cluster.stop()
        except RuntimeError as exc:
            print(f"stopping PostgreSQL: {exc}", file=sys.stderr)
    if failed:
        print(f"\ngoals failed: {'; '.join(failed)}")
        return 1
    print("\ngoals met: 0 lost, 0 duplicated, 0 stuck, 0 5xx outside the database outage")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--seconds", type=float, default=60.0, help="load duration (60)")
    parser.add_argument("--outage", type=float, default=5.0, help="database down, s (5)")
    parser.add_argument("--settle", type=float, default=90.0, help="most to settle, s (90)")
    parser.add_argument("--keep", action="store_true", help="keep the logs and the cluster")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds < 10 or args.outage < 0 or args.settle < 1:
        parser.error("--clients >= 1, --seconds >= 10, --outage >= 0 and --settle >= 1")
    pgbin = postgresql_bin()
    if pgbin is None:
        print(
            "soak: skipped: no PostgreSQL server (/usr/lib/postgresql/*/bin/initdb); "
            "apt-get install postgresql"
        )
        return 0
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            print("soak: skipped: run as root without a postgres user to run PostgreSQL")
            return 0
    work = Path(tempfile.mkdtemp(prefix="timeline-soak-"))
    status = 1
    try:
        status = soak(args, pgbin, work)
        return status
    finally:
        if args.keep or status != 0:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
