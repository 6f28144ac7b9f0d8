#!/usr/bin/env python3
"""Ingestion through the PostgreSQL job queue with 1, 2 and 4 ``timeline worker`` processes,
and a worker killed mid-run.

Articles (``--articles``, default 10,000) are made from TBAQ-cleaned (read from
``../shared`` through ``../shared/eval/te3text.py``): each about 2 KB of consecutive lines of
one document, from a starting line that moves on each time the documents come round again,
published on the document's creation date, with a last sentence that numbers it (so that
no two are one text). For each worker count, on a database of its own (a throwaway
PostgreSQL cluster this script starts, ``initdb`` in a temporary folder as the
``postgres`` user when run as root, or the server ``--url`` names): ``timeline db
upgrade``, every article accepted ``queued`` with its job deferred (what ``POST
/v1/articles`` does with a long text; not timed), then the workers start (one job at a
time each) and the clock runs until no article is left ``queued`` or ``tagging``. Printed
per worker count: articles per second from the workers' start (their start-up included)
and from the first article tagged, the workers' CPU milliseconds per article, the
database server's CPU milliseconds and commits per article, how many of the database's
sessions wait on a lock (row or advisory) at a poll, on average, and the ratio of 2
workers to 1; then, per worker count, the articles per second of each slice of ``--slice``
articles stored (default 10,000: 0-10,000, 10,000-20,000, ...), so that a cost of storing
that grows with the database shows as slower later slices.

The kill test (``--kill-articles``, default 1,000, on 2 workers): once 30% are tagged one
worker is killed (SIGKILL) and another started in its place, as an orchestrator would;
this script does what the scheduler's leader does on each sync (``queue.requeue_lost``,
every second: the dead worker's job goes back in the queue after four missed heartbeats of
0.5 s). Then it checks that every article is stored once and tagged, with no mention,
event or group lead twice, and that no job is left running. Exit status 1 when a check
fails; 0 with a message when TBAQ-cleaned or PostgreSQL's binaries are absent.

    python benchmarks/ingest_scale.py [--articles 10000] [--workers 1,2,4]
        [--kill-articles 1000] [--slice 10000] [--url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from api import free_port, shown, table  # noqa: E402
from soak import Cluster, postgresql_bin  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from timeline.ingest.queue import defer_tag, opened, requeue_lost  # noqa: E402
from timeline.store.articles import accept_article  # noqa: E402
from timeline.store.migrate import upgrade  # noqa: E402

SHARED = REPO.parent / "shared"
TBAQ = SHARED / "corpora" / "tempeval3" / "TBAQ-cleaned"
TE3TEXT = SHARED / "eval" / "te3text.py"
ARTICLE_CHARS = 2000
HEARTBEAT = 0.5  # seconds: a worker silent for four beats is taken for dead
POLL = 0.5
KILL_AT = 0.3
SLICE = 10_000  # articles per slice of a run (--slice)


@dataclass(frozen=True)
class Result:
    """One run: the workers, the articles, the seconds from the workers' start and from the
    first article tagged, and the CPU seconds of the workers and of the database server."""

    workers: int
    articles: int
    seconds: float
    steady_seconds: float
    worker_cpu: float
    database_cpu: float
    commits: int
    failed: int
    lock_waits: float
    # the seconds at which each SLICE more articles were stored (tagged or failed), and
    # at the end: a cost that grows with the database shows as slower later slices
    marks: tuple[tuple[int, float], ...] = ()


def documents(workdir: Path) -> list[dict[str, str]]:
    """The TBAQ-cleaned documents as ``te3text.py`` writes them (doc, dct, text)."""
    out = workdir / "tbaq.jsonl"
    subprocess.run(
        [sys.executable, str(TE3TEXT), str(TBAQ), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def make_articles(docs: Sequence[dict[str, str]], count: int, run: str) -> list[dict[str, Any]]:
    """``count`` articles of about 2 KB from ``docs`` (see the module's docstring)."""
    lines = [[line for line in doc["text"].splitlines() if line.strip()] for doc in docs]
    out = []
    for number in range(count):
        which = number % len(docs)
        doc, body = docs[which], lines[which]
        start = (number // len(docs)) * 3 % max(len(body), 1)
        chosen: list[str] = []
        for line in body[start:] + body[:start]:
            if sum(len(c) + 1 for c in chosen) + len(line) > ARTICLE_CHARS and chosen:
                break
            chosen.append(line.strip())
        chosen.append(f"This is report {number + 1} of run {run}.")
        out.append(
            {
                "title": chosen[0][:120],
                "text": "\n".join(chosen),
                "published_at": (doc["dct"] or "2013-01-01")[:10],
                "source": f"TBAQ {doc['doc']}",
                "language": "en",
            }
        )
    return out


def postgres_cpu(engine: Engine) -> float:
    """The CPU seconds used so far by the database server's processes on this machine (its
    backends' parent and children, from /proc); 0 when they cannot be read."""
    with engine.connect() as connection:
        pid = connection.scalar(text("SELECT pg_backend_pid()"))
    try:
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent or stat.parent.name == str(parent):
            total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
    return total / ticks


def commits(engine: Engine) -> int:
    """Transactions committed on the current database so far."""
    with engine.connect() as connection:
        found = connection.scalar(
            text("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
        )
    return int(found or 0)


LOCK_WAITS = text(
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE wait_event_type = 'Lock' AND datname = current_database()"
)


def waiting(engine: Engine) -> tuple[int, int, int]:
    """How many articles are waiting (``queued`` or ``tagging``), tagged, and failed."""
    with engine.connect() as connection:
        found = connection.execute(text("SELECT status, count(*) FROM articles GROUP BY status"))
        rows = {str(row[0]): int(row[1]) for row in found}
    return (
        int(rows.get("queued", 0)) + int(rows.get("tagging", 0)),
        int(rows.get("tagged", 0)),
        int(rows.get("failed", 0)),
    )


class Workers:
    """The ``timeline worker`` processes of a run, each with its log, and their CPU time."""

    def __init__(self, url: str, logs: Path) -> None:
        self.url, self.logs = url, logs
        self.running: list[subprocess.Popen[bytes]] = []
        self.cpu = 0.0

    def start(self) -> subprocess.Popen[bytes]:
        env = os.environ | {
            "TIMELINE_DATABASE_URL": self.url,
            "TIMELINE_SCHEDULER_HEARTBEAT_SECONDS": str(HEARTBEAT),
            "TIMELINE_LOG_FORMAT": "text",
        }
        log = self.logs / f"worker-{len(self.running)}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "timeline", "worker"],
                cwd=REPO,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.running.append(process)
        return process

    def reap(self, process: subprocess.Popen[bytes]) -> None:
        """Wait for ``process`` to end and count its CPU time."""
        if process.returncode is not None:
            return
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        self.cpu += usage.ru_utime + usage.ru_stime

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        process.send_signal(signal.SIGKILL)
        self.reap(process)

    def stop(self) -> None:
        for process in self.running:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in self.running:
            self.reap(process)


@contextmanager
def database(server: str, name: str) -> Iterator[str]:
    """A new database ``name`` on the server at ``server`` (a URL), migrated; dropped after."""
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = server.rsplit("/", 1)[0] + "/" + name
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def queue_articles(url: str, articles: Sequence[dict[str, Any]]) -> None:
    """Accept every article ``queued`` and defer its job, as ``POST /v1/articles`` does."""
    engine = create_engine(url)
    queue = opened(url)
    try:
        with Session(engine) as session:
            for fields in articles:
                stored = accept_article(session, fields)
                defer_tag(queue, stored.article.id, stored.article.content_hash)
    finally:
        queue.close()
        engine.dispose()


def run(
    url: str,
    articles: Sequence[dict[str, Any]],
    count: int,
    logs: Path,
    kill: bool,
    every: int = SLICE,
) -> Result:
    """Queue ``articles``, consume them with ``count`` workers (one killed at 30% when
    ``kill``), and measure (the time at each ``every`` articles stored too)."""
    queue_articles(url, articles)
    engine = create_engine(url)
    queue = opened(url) if kill else None
    workers = Workers(url, logs)
    try:
        cpu_before, commits_before = postgres_cpu(engine), commits(engine)
        started = time.perf_counter()
        for _ in range(count):
            workers.start()
        first: float | None = None
        killed = False
        samples: list[int] = []
        marks: list[tuple[int, float]] = []
        while True:
            time.sleep(POLL)
            with engine.connect() as connection:
                samples.append(int(connection.scalar(LOCK_WAITS) or 0))
            left, tagged, failed = waiting(engine)
            now = time.perf_counter()
            if first is None and tagged + failed > 0:
                first = now
            if tagged + failed >= (len(marks) + 1) * every or left == 0:
                marks.append((tagged + failed, now - started))
            if kill and not killed and tagged + failed >= KILL_AT * len(articles):
                workers.kill(workers.running[0])
                workers.start()
                killed = True
            if queue is not None:
                requeue_lost(queue, engine, HEARTBEAT * 4)
            if left == 0:
                break
            if all(p.poll() is not None for p in workers.running):
                raise RuntimeError(f"every worker exited; their logs are in {logs}")
        seconds = now - started
        database_cpu = postgres_cpu(engine) - cpu_before
        done_commits = commits(engine) - commits_before
    finally:
        workers.stop()
        if queue is not None:
            queue.close()
        engine.dispose()
    return Result(
        count,
        len(articles),
        seconds,
        now - (first or started),
        workers.cpu,
        database_cpu,
        done_commits,
        failed,
        sum(samples) / max(len(samples), 1),
        tuple(marks),
    )


CHECKS = {
    "articles not stored once": (
        "SELECT (SELECT count(*) FROM articles) - (SELECT count(DISTINCT content_hash)"
        " FROM articles WHERE status = 'tagged')"
    ),
    "articles not tagged": "SELECT count(*) FROM articles WHERE status <> 'tagged'",
    "mentions twice": (
        'SELECT count(*) FROM (SELECT 1 FROM mentions GROUP BY article_id, start, "end"'
        " HAVING count(*) > 1) AS twice"
    ),
    "events twice": (
        "SELECT count(*) FROM (SELECT 1 FROM events GROUP BY article_id, position"
        " HAVING count(*) > 1) AS twice"
    ),
    "events without a group": "SELECT count(*) FROM events WHERE group_id IS NULL",
    "groups without one lead": (
        "SELECT count(*) FROM (SELECT group_id FROM events GROUP BY group_id"
        " HAVING count(*) FILTER (WHERE lead) <> 1) AS groups"
    ),
    "jobs left": "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')",
}


def check(url: str, expected: int) -> list[str]:
    """The checks of the kill test that fail, each with its count."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            stored = connection.scalar(text("SELECT count(*) FROM articles"))
            found = {name: connection.scalar(text(sql)) for name, sql in CHECKS.items()}
    finally:
        engine.dispose()
    failures = [f"{name}: {count}" for name, count in found.items() if count]
    if stored != expected:
        failures.append(f"articles stored: {stored}, posted: {expected}")
    return failures


def report(results: Sequence[Result], every: int = SLICE) -> None:
    rows = [
        (
            "workers",
            "articles",
            "seconds",
            "articles/s",
            "steady articles/s",
            "worker CPU ms/article",
            "database CPU ms/article",
            "commits/article",
            "waiting on a lock",
            "failed",
        )
    ]
    for r in results:
        rows.append(
            (
                str(r.workers),
                f"{r.articles:,}",
                f"{r.seconds:,.1f}",
                f"{r.articles / r.seconds:,.2f}",
                f"{r.articles / r.steady_seconds:,.2f}",
                f"{r.worker_cpu / r.articles * 1000:,.1f}",
                f"{r.database_cpu / r.articles * 1000:,.1f}",
                f"{r.commits / r.articles:,.1f}",
                f"{r.lock_waits:.2f}",
                str(r.failed),
            )
        )
    table(rows)
    for r in results:
        print(f"{r.workers} worker(s), articles per second per {every:,} stored: " + slices(r))
    by_count = {r.workers: r for r in results}
    if 1 in by_count and 2 in by_count:
        one, two = by_count[1], by_count[2]
        print(
            f"\n2 workers / 1 worker: {one.seconds / two.seconds:.2f} "
            f"(steady: {one.steady_seconds / two.steady_seconds:.2f})"
        )


def slices(result: Result) -> str:
    """Articles per second in each slice of a run, from the marks of its stored counts (the
    first slice includes the workers' start)."""
    out, before, at = [], 0, 0.0
    for stored, seconds in result.marks:
        if stored > before and seconds > at:
            out.append(f"{before:,}-{stored:,}: {(stored - before) / (seconds - at):,.2f}")
        before, at = stored, seconds
    return "; ".join(out) or "none"


def benchmark(args: argparse.Namespace, server: str, workdir: Path) -> int:
    docs = documents(workdir)
    counts = [int(c) for c in args.workers.split(",")]
    print(
        f"ingestion through the queue: {args.articles:,} articles from {len(docs)} TBAQ-cleaned"
        f" documents, workers {counts}; kill test on {args.kill_articles:,} articles"
    )
    print(
        f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, "
        f"{platform.platform()}, {platform.python_implementation()} "
        f"{platform.python_version()}; database: {shown(server)}"
    )
    results = []
    for count in counts:
        articles = make_articles(docs, args.articles, uuid.uuid4().hex[:8])
        logs = workdir / f"workers-{count}"
        logs.mkdir()
        with database(server, f"ingest_scale_{count}") as url:
            results.append(run(url, articles, count, logs, kill=False, every=args.slice))
        print(
            f"{count} worker(s): {results[-1].seconds:.1f} s "
            f"(load average {os.getloadavg()[0]:.2f})",
            flush=True,
        )
    print()
    report(results, args.slice)
    if not args.kill_articles:
        return 0
    articles = make_articles(docs, args.kill_articles, uuid.uuid4().hex[:8])
    logs = workdir / "kill"
    logs.mkdir()
    with database(server, "ingest_scale_kill") as url:
        killed = run(url, articles, 2, logs, kill=True)
        failures = check(url, len(articles))
    print(
        f"\nkill test: {len(articles):,} articles on 2 workers, one killed (SIGKILL) at "
        f"{KILL_AT:.0%} and replaced: done in {killed.seconds:.1f} s; "
        + (
            "every article stored once and tagged once, no mention, event or lead twice, "
            "no job left"
            if not failures
            else "FAILED: " + "; ".join(failures)
        )
    )
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, metavar="N")
    parser.add_argument("--workers", default="1,2,4", help="worker counts (default 1,2,4)")
    parser.add_argument("--kill-articles", type=int, default=1_000, metavar="N")
    parser.add_argument(
        "--slice", type=int, default=SLICE, metavar="N", help="articles per slice (10,000)"
    )
    parser.add_argument("--url", help="a PostgreSQL server (a database URL) instead of a new one")
    args = parser.parse_args(argv)
    if not (TBAQ.is_dir() and TE3TEXT.is_file()):
        print(f"ingest_scale: skipped: TBAQ-cleaned or te3text.py not found under {SHARED}")
        return 0
    with tempfile.TemporaryDirectory(prefix="timeline-ingest-scale-") as tmp:
        workdir = Path(tmp)
        if args.url:
            return benchmark(args, args.url, workdir)
        pgbin = postgresql_bin()
        if pgbin is None:
            print("ingest_scale: skipped: no PostgreSQL server (/usr/lib/postgresql/*/bin/initdb)")
            return 0
        workdir.chmod(0o755)  # the postgres user reaches its folder inside
        cluster = Cluster(pgbin, workdir / "cluster", free_port())
        (workdir / "cluster").mkdir()
        cluster.create()
        try:
            return benchmark(args, cluster.url, workdir)
        finally:
            cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
