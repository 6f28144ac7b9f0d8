#!/usr/bin/env python3
"""Reads at volume: ``GET /v1/timeline`` and ``GET /v1/events/{id}`` on 10,000 and 100,000
articles, some of whose events hundreds or thousands of articles report.

The database is built quickly, not through the tagging pipeline (about 20 articles a
second): ``--templates`` generated articles (those of ``benchmarks/timeline_read.py``,
default 300) are posted and tagged once, in process; then copies of them are inserted in
bulk (SQLAlchemy Core ``executemany``) with new ids, URLs and texts, until the database
holds each size of ``--articles`` (default 10000,100000). One copy in ten is of one of three
"hot" templates and reports its events again, on the same dates: it joins their groups,
which grow to thousands of reports at 100,000 articles (as TBAQ-derived articles did, whose
largest group had 2,344); the others report new events, their dates moved by up to four
years, each its own entry. The groups' intervals (``event_intervals``) are counted as the
store counts them; the event word index, which only grouping reads, is left empty.

At each size, in process through the Flask test client, one request at a time
(``--requests`` of each, default 30): the first page of the timeline (100 entries), a deep
page (the cursor at 90% of the timeline), a month window (``from``/``to``), ``q=`` a word
of the hot templates (thousands of articles hold it) and ``q=`` a rarer word, and one hot
event with its first page of reports; p50 and p99 in ms, and the bytes of each answer.
Then the peak of Python's memory (``tracemalloc``) while answering ``limit=1000`` as
JSON, iCalendar and CSV, and the largest group. The load average is printed, since other
work on the machine slows every figure.

SQLite by default (a file in a temporary folder); ``--url`` a PostgreSQL database to fill
(emptied first: ``timeline db upgrade`` and the tables truncated) or a new SQLite file to
keep (``sqlite:////path/to.db``), or ``--postgres`` a throwaway cluster that this script
starts (``initdb`` as ``benchmarks/soak.py`` does).

    python benchmarks/read_scale.py [--articles 10000,100000] [--templates 300]
        [--requests 30] [--url postgresql+psycopg://...] [--postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from api import free_port, percentile, table  # noqa: E402
from soak import Cluster, postgresql_bin  # noqa: E402
from sqlalchemy import Connection, func, insert, select, text, update  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from timeline_read import article, story_events  # noqa: E402

from timeline.app import create_app  # noqa: E402
from timeline.events.merge import shifted  # noqa: E402
from timeline.store import db  # noqa: E402
from timeline.store.migrate import upgrade  # noqa: E402
from timeline.store.models import Article, Event, EventInterval, Mention  # noqa: E402
from timeline.store.timelines import encode_cursor, leads_statement  # noqa: E402

HOT = 3  # templates whose copies report their events again
HOT_SHARE = 0.1  # the share of copies that are of a hot template
BATCH = 2000  # copies inserted in one transaction
MOVED_DAYS = 4 * 365  # how far the copies' new events move, either way


class Templates:
    """The tagged template articles' rows, and what copying them needs."""

    def __init__(self, connection: Connection) -> None:
        self.articles = [dict(r._mapping) for r in connection.execute(select(Article.__table__))]
        self.mentions: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in connection.execute(select(Mention.__table__)):
            self.mentions[row.article_id].append(dict(row._mapping))
        self.events: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in connection.execute(select(Event.__table__)):
            self.events[row.article_id].append(dict(row._mapping))
        by_events = sorted(self.articles, key=lambda a: -len(self.events[a["id"]]))
        self.hot = by_events[:HOT]
        self.added: dict[int, Counter[tuple[str, str]]] = defaultdict(Counter)


def next_id(connection: Connection, column: Any) -> int:
    return int(connection.scalar(select(func.coalesce(func.max(column), 0)))) + 1


def copy_batch(
    connection: Connection, templates: Templates, count: int, rng: random.Random
) -> None:
    """Insert ``count`` copies of the templates."""
    ids = {
        "article": next_id(connection, Article.id),
        "mention": next_id(connection, Mention.id),
        "event": next_id(connection, Event.id),
    }
    articles, mentions, events, intervals = [], [], [], []
    for _ in range(count):
        hot = rng.random() < HOT_SHARE
        template = rng.choice(templates.hot if hot else templates.articles)
        days = 0 if hot else rng.randrange(-MOVED_DAYS, MOVED_DAYS)
        article_id = ids["article"]
        ids["article"] += 1
        published = date.fromisoformat(template["published_at"][:10]) + timedelta(days=days)
        articles.append(
            {
                **template,
                "id": article_id,
                "url": f"https://bench.example/{article_id}",
                "content_hash": f"{article_id:064x}",
                "text": template["text"] + f" Copy {article_id}.",
                "published_at": published.isoformat(),
                "published_on": published,
            }
        )
        mention_ids = {}
        for mention in templates.mentions[template["id"]]:
            mention_ids[mention["id"]] = ids["mention"]
            mentions.append({**mention, "id": ids["mention"], "article_id": article_id})
            ids["mention"] += 1
        for event in templates.events[template["id"]]:
            event_id = ids["event"]
            ids["event"] += 1
            start, end = (
                shifted(event["interval_start"], days),
                shifted(event["interval_end"], days),
            )
            row = {
                **event,
                "id": event_id,
                "article_id": article_id,
                "mention_id": mention_ids[event["mention_id"]],
                "interval_start": start,
                "interval_end": end,
            }
            if hot:
                row |= {"lead": False}
                templates.added[event["group_id"]][(start, end)] += 1
            else:
                row |= {"group_id": event_id, "lead": True}
                intervals.append(
                    {
                        "group_id": event_id,
                        "interval_start": start,
                        "interval_end": end,
                        "reports": 1,
                        "support": int(start < end),
                    }
                )
            events.append(row)
    connection.execute(insert(Article), articles)
    connection.execute(insert(Mention), mentions)
    connection.execute(insert(Event), events)
    if intervals:
        connection.execute(insert(EventInterval), intervals)


def count_hot_intervals(connection: Connection, templates: Templates) -> None:
    """Add the hot copies to their groups' intervals: one report each to its own interval,
    and one support to every interval of the group it overlaps."""
    for group, added in templates.added.items():
        rows = connection.execute(
            select(EventInterval.__table__).where(EventInterval.group_id == group)
        )
        for row in list(rows):
            reports = added.get((row.interval_start, row.interval_end), 0)
            support = sum(
                n
                for (start, end), n in added.items()
                if start < row.interval_end and row.interval_start < end
            )
            connection.execute(
                update(EventInterval)
                .where(
                    EventInterval.group_id == group,
                    EventInterval.interval_start == row.interval_start,
                    EventInterval.interval_end == row.interval_end,
                )
                .values(reports=row.reports + reports, support=row.support + support)
            )
    templates.added.clear()


def grow(app: Any, templates: Templates, target: int, rng: random.Random) -> float:
    """Copy templates until the database holds ``target`` articles; the seconds it took."""
    started = time.perf_counter()
    with db.engine(app).begin() as connection:
        stored = connection.scalar(select(func.count()).select_from(Article)) or 0
    while stored < target:
        count = min(BATCH, target - stored)
        with db.engine(app).begin() as connection:
            copy_batch(connection, templates, count, rng)
        stored += count
    with db.engine(app).begin() as connection:
        count_hot_intervals(connection, templates)
        connection.execute(text("ANALYZE"))
    return time.perf_counter() - started


def post_templates(app: Any, count: int, rng: random.Random) -> float:
    """Post and tag the template articles; the seconds it took."""
    events = sorted(story_events(rng, count * 2))
    client = app.test_client()
    started = time.perf_counter()
    for number in range(count):
        response = client.post("/v1/articles?wait=true", json=article(number, events, rng))
        if response.status_code != 201:
            raise RuntimeError(f"posting a template: {response.status_code} {response.text}")
    return time.perf_counter() - started


def deep_cursor(app: Any, share: float) -> str:
    """The cursor of the page that starts ``share`` of the way through the timeline."""
    with app.app_context():
        session = db.session()
        entries = session.scalar(
            select(func.count()).select_from(leads_statement(session, {}, 10**9).subquery())
        )
        lead = session.scalars(
            leads_statement(session, {}, 1).offset(int((entries or 0) * share))
        ).one()
        key = (lead.interval_start, lead.interval_end, lead.granularity_rank)
        return encode_cursor((*key, lead.article_id, lead.id))


def hot_words(templates: Templates) -> tuple[str, str]:
    """A word that every hot template holds (a name), and one that few articles hold."""
    words = [
        set(w.strip(".,") for w in a["text"].split() if w[:1].isupper()) for a in templates.hot
    ]
    common = sorted(words[0] - {"This", "The"})
    rare = Counter(
        w.strip(".,") for a in templates.articles for w in a["text"].split() if w[:1].isupper()
    )
    return common[0], min(rare, key=lambda w: (rare[w], w))


def timed(client: Any, n: int, path: Callable[[], str]) -> tuple[list[float], list[float], int]:
    """``n`` requests one after the other: their seconds, the CPU seconds of this process
    (the database's own, in process on SQLite, included), and the bytes of the last answer."""
    seconds: list[float] = []
    cpu: list[float] = []
    size = 0
    for _ in range(n):
        url = path()
        started, used = time.perf_counter(), time.process_time()
        response = client.get(url)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code} {response.text[:300]}")
        size = len(response.data)
    return seconds, cpu, size


def peak(client: Any, url: str) -> tuple[float, int]:
    """The peak of Python's memory while answering ``url`` (MB), and the answer's bytes."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    response = client.get(url)
    data = response.data
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code}")
    return top / 1e6, len(data)


def measure(app: Any, templates: Templates, n: int, rng: random.Random) -> list[list[str]]:
    """The figures of one size, as table rows."""
    client = app.test_client()
    client.get("/v1/timeline")  # warm the statement caches
    cursor = deep_cursor(app, 0.9)
    common, rare = hot_words(templates)
    with app.app_context():
        session = db.session()
        hot_group, biggest = session.execute(
            select(Event.group_id, func.count())
            .group_by(Event.group_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
    first_day = date(2014, 1, 1)

    def month() -> str:
        day = first_day + timedelta(days=rng.randrange(8 * 365))
        return f"/v1/timeline?from={day}&to={day + timedelta(days=30)}"

    asks: list[tuple[str, Callable[[], str]]] = [
        ("first page", lambda: "/v1/timeline"),
        ("deep page (90%)", lambda: f"/v1/timeline?cursor={cursor}"),
        ("a month (from, to)", month),
        (f"q={common} (hot)", lambda: f"/v1/timeline?q={common}"),
        (f"q={rare} (rare)", lambda: f"/v1/timeline?q={rare}"),
        (f"one event ({biggest} reports)", lambda: f"/v1/events/{hot_group}"),
    ]
    rows = []
    for name, path in asks:
        try:
            seconds, cpu, size = timed(client, n, path)
        except RuntimeError as exc:  # an older version without the route, say
            rows.append([name, "failed", "", "", str(exc)[:60]])
            continue
        rows.append(
            [
                name,
                f"{percentile(seconds, 50) * 1000:.1f}",
                f"{percentile(seconds, 99) * 1000:.1f}",
                f"{percentile(cpu, 50) * 1000:.1f}",
                f"{size:,}",
            ]
        )
    for fmt in ("json", "ics", "csv"):
        megabytes, size = peak(client, f"/v1/timeline?limit=1000&format={fmt}")
        rows.append([f"limit=1000 {fmt}: peak {megabytes:.1f} MB", "", "", "", f"{size:,}"])
    return rows


def counts(app: Any) -> str:
    with app.app_context():
        session: Session = db.session()
        articles = session.scalar(select(func.count()).select_from(Article))
        events = session.scalar(select(func.count()).select_from(Event))
        entries = session.scalar(select(func.count()).select_from(Event).where(Event.lead))
    return f"{articles:,} articles, {events:,} events in {entries:,} entries"


@contextmanager
def database(args: argparse.Namespace, workdir: Path) -> Iterator[tuple[str, str]]:
    """The URL of the database to fill, and its name for people."""
    if args.url:
        kind = "PostgreSQL" if args.url.startswith("postgresql") else "SQLite"
        yield args.url, f"{kind} (--url)"
        return
    if args.postgres:
        pgbin = postgresql_bin()
        if pgbin is None:
            raise SystemExit("--postgres: no PostgreSQL server binaries under /usr/lib/postgresql")
        (workdir / "cluster").mkdir()
        cluster = Cluster(pgbin, workdir / "cluster", free_port())
        cluster.create()
        try:
            yield cluster.url, cluster.version
        finally:
            cluster.stop()
        return
    import sqlite3

    yield f"sqlite:///{workdir / 'timeline.db'}", f"SQLite {sqlite3.sqlite_version}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", default="10000,100000", help="sizes, comma-separated")
    parser.add_argument("--templates", type=int, default=300)
    parser.add_argument("--requests", type=int, default=30, help="of each kind, at each size")
    parser.add_argument(
        "--url", help="a database to fill (PostgreSQL: its rows are deleted; SQLite: a new file)"
    )
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL cluster")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.articles.split(","))
    rng = random.Random(14)
    with tempfile.TemporaryDirectory(prefix="timeline-read-scale-") as tmp:
        if os.geteuid() == 0:
            os.chmod(tmp, 0o755)
        with database(args, Path(tmp)) as (url, name):
            upgrade(url)
            app = create_app({"DATABASE_URL": url, "REQUIRE_KEYS": False, "WRITE_RATE": "off"})
            if url.startswith("postgresql"):
                with db.engine(app).begin() as connection:
                    connection.execute(text("TRUNCATE articles, event_intervals CASCADE"))
            seconds = post_templates(app, args.templates, rng)
            print(
                f"{name}; {os.cpu_count()} CPUs; "
                f"{args.templates} templates tagged in {seconds:.1f} s"
            )
            with db.engine(app).connect() as connection:
                templates = Templates(connection)
            for size in sizes:
                seconds = grow(app, templates, size, rng)
                load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
                print(f"\n{counts(app)} (copied in {seconds:.0f} s); load average {load}")
                rows = measure(app, templates, args.requests, rng)
                table([["request", "p50 ms", "p99 ms", "p50 CPU ms", "bytes"], *rows])
                load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
                print(f"load average after: {load}")
            db.engine(app).dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
