#!/usr/bin/env python3
"""Reading a timeline of 10,000 events on SQLite: the latency of ``GET /v1/timeline`` and
the index that serves it.

Generates ``--articles`` articles (default 1,000, about ten dated sentences each; many
report the same generated events in other words and with other relative dates, so that
they group across articles, some with a date that conflicts) and stores them with
``timeline ingest`` in a fresh SQLite database; prints how many events that made and the
articles per second of the ingest (grouping included). Then serves the database
(``timeline serve`` on 127.0.0.1) and reads, one request at a time: the first page of the
whole timeline, pages after cursors taken from walking it to its end, a month's window
(``from``/``to``), a source, a word (``q``) and one article's timeline; prints p50 and p99
per kind (pages of ``--limit`` entries, default 100).

The index: prints the plan SQLite gives the query of a page's leads (``EXPLAIN QUERY
PLAN``), which must search ``ix_events_timeline`` without sorting, and times that query in
this process against the peer, the same query on a copy of the database without the index.

    python benchmarks/timeline_read.py [--articles 1000] [--requests 200] [--limit 100]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api import (
    HOST,
    READY_TIMEOUT,
    Phase,
    Sample,
    free_port,
    percentile,
    report,
    request,
    start_server,
    stop,
    tail,
    wait_ready,
)

REPO = Path(__file__).resolve().parent.parent
INDEX = "ix_events_timeline"
SYLLABLES = ["ka", "ro", "mi", "te", "lu", "va", "so", "ne", "di", "pa", "zu", "gor", "tan", "bel"]
DEEDS = [
    ("clashed with", "fought"),
    ("met", "held talks with"),
    ("signed an agreement with", "reached a deal with"),
    ("broke off talks with", "walked out on"),
    ("exchanged prisoners with", "swapped detainees with"),
]
PARTIES = ["forces", "rebels", "ministers", "negotiators", "delegates", "militias", "envoys"]
SOURCES = ["Wire A", "Wire B", "Daily C", "Weekly D", "Radio E"]
BACKGROUND = [
    "The {name} conflict began in {year}.",
    "The {name} and {other} delegations first met in {month} {year}.",
    "Elections in {name} are due {later}.",
    "The {name} mission has lasted for {n} years.",
    "Prices in {name} rose {n} percent in {month}.",
]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]  # fmt: skip
Story = tuple[date, str, str, str, str]


def name(rng: random.Random) -> str:
    """A made-up proper name: the words that tell one generated event from another."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randrange(2, 4))).capitalize()


def story_events(rng: random.Random, count: int) -> list[Story]:
    """``count`` generated events: a day, two parties (each with a name), a deed and a
    place."""
    out = []
    for _ in range(count):
        day = date(2018, 1, 1) + timedelta(days=rng.randrange(4 * 365))
        a = f"{name(rng)} {rng.choice(PARTIES)}"
        b = f"{name(rng)} {rng.choice(PARTIES)}"
        out.append((day, a, rng.choice(DEEDS)[0], b, name(rng)))
    return out


def dated(day: date, published: date, rng: random.Random) -> str:
    """A way of dating ``day`` in an article published on ``published``."""
    ago = (published - day).days
    if ago == 1:
        return "yesterday"
    if 1 < ago < 7 and rng.random() < 0.6:
        return f"on {day:%A}"
    if 7 <= ago < 14 and rng.random() < 0.4:
        return "last week"
    return rng.choice([f"on {day:%B} {day.day}", f"on {day.day} {day:%B %Y}"])


def article(number: int, events: list[Story], rng: random.Random) -> dict[str, str]:
    """A generated article: reports of six of ``events`` (a few of them in other words, a
    few with a wrong date), and four sentences of background."""
    sentences = []
    start = rng.randrange(len(events) - 12)
    chosen = rng.sample(events[start : start + 12], 6)  # stories that run together
    published = max(day for day, *_ in chosen) + timedelta(days=rng.randrange(1, 10))
    for day, a, deed, b, place in chosen:
        if rng.random() < 0.05:  # a report that gets the date wrong
            day -= timedelta(days=rng.randrange(2, 9))
        wording = deed if rng.random() < 0.6 else dict(DEEDS)[deed]
        when = dated(day, published, rng)
        sentences.append(f"{a.capitalize()} {wording} {b} in {place} {when}.")
    for template in rng.sample(BACKGROUND, 4):
        sentences.append(
            template.format(
                name=name(rng),
                other=name(rng),
                year=rng.randrange(1990, published.year),
                month=rng.choice(MONTHS),
                later=rng.choice(["next year", "in the spring", f"in {published.year + 1}"]),
                n=rng.randrange(2, 20),
            )
        )
    rng.shuffle(sentences)
    return {
        "title": f"Dispatch {number}",
        "text": " ".join(sentences) + f" This is dispatch {number}.",
        "published_at": published.isoformat(),
        "source": rng.choice(SOURCES),
        "language": "en",
    }


def timed(base: str, path: str, params: dict[str, Any]) -> Sample:
    return request(base, "GET", path + ("?" + urlencode(params) if params else ""))


def phase(name: str, base: str, asks: list[tuple[str, dict[str, Any]]]) -> Phase:
    """Ask one request after the other (latency, not throughput)."""
    started = time.perf_counter()
    samples = [timed(base, path, params) for path, params in asks]
    return Phase(name, samples, time.perf_counter() - started)


def walk(base: str, limit: int) -> tuple[list[str], int, float]:
    """Every cursor of the whole timeline, the number of entries, the seconds it took."""
    cursors: list[str] = []
    entries, cursor = 0, None
    started = time.perf_counter()
    while True:
        params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        sample = timed(base, "/v1/timeline", params)
        if sample.status != 200:
            raise RuntimeError(f"walking the timeline: {sample.status} {sample.body}")
        entries += len(sample.body["events"])
        cursor = sample.body["next_cursor"]
        if cursor is None:
            return cursors, entries, time.perf_counter() - started
        cursors.append(cursor)


def plans_and_peer(database: Path, workdir: Path, repeat: int, limit: int) -> bool:
    """Print the plan of a page's leads with and without the index and time both; whether
    the plan uses the index without a sort."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from timeline.store.timelines import leads_statement

    with Session(create_engine(f"sqlite:///{database}")) as session:
        statement = leads_statement(session, {}, limit)
        sql = str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
    peer = workdir / "without-index.db"
    shutil.copy(database, peer)
    with sqlite3.connect(peer) as connection:
        connection.execute(f"DROP INDEX {INDEX}")
    uses = False
    seconds = {}
    for name, path in (("with " + INDEX, database), ("without it (peer)", peer)):
        with sqlite3.connect(path) as connection:
            plan = [row[-1] for row in connection.execute("EXPLAIN QUERY PLAN " + sql)]
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                connection.execute(sql).fetchall()
                times.append(time.perf_counter() - started)
        seconds[name] = percentile(times, 50)
        print(f"plan {name}: " + "; ".join(plan))
        if path == database:
            uses = any(INDEX in step for step in plan) and not any(
                "TEMP B-TREE" in step for step in plan
            )
    (with_index, index_s), (without, peer_s) = seconds.items()
    print(
        f"the leads of the first page, in process, p50 of {repeat}: {with_index} "
        f"{index_s * 1000:.2f} ms, {without} {peer_s * 1000:.2f} ms "
        f"(the index is {peer_s / index_s:.1f}x faster)"
    )
    return uses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200, help="per kind of request")
    parser.add_argument("--limit", type=int, default=100, help="entries per page")
    args = parser.parse_args()
    rng = random.Random(11)
    events = sorted(story_events(rng, args.articles * 2))
    with tempfile.TemporaryDirectory(prefix="timeline-read-bench-") as tmp:
        workdir = Path(tmp)
        folder = workdir / "articles"
        folder.mkdir()
        for number in range(args.articles):
            text = json.dumps(article(number, events, rng))
            (folder / f"{number:05d}.json").write_text(text, encoding="utf-8")
        database = workdir / "timeline.db"
        env = os.environ | {"TIMELINE_DATABASE_URL": f"sqlite:///{database}"}
        command = [sys.executable, "-m", "timeline"]
        quiet: dict[str, Any] = {"env": env, "cwd": REPO, "check": True, "capture_output": True}
        subprocess.run([*command, "db", "upgrade"], **quiet)
        started = time.perf_counter()
        subprocess.run([*command, "ingest", str(folder)], **quiet)
        ingest_s = time.perf_counter() - started
        with sqlite3.connect(database) as connection:
            stored, groups, merged = connection.execute(
                "SELECT count(*), count(DISTINCT group_id),"
                " (SELECT count(*) FROM (SELECT group_id FROM events GROUP BY group_id"
                "  HAVING count(*) > 1)) FROM events"
            ).fetchone()
        print(
            f"{args.articles} generated articles stored with `timeline ingest` in {ingest_s:.1f} s "
            f"({args.articles / ingest_s:.0f} articles/s with process start): {stored} events "
            f"in {groups} timeline entries, {merged} of them reported by several articles"
        )
        print(f"SQLite {sqlite3.sqlite_version}; {os.cpu_count()} CPUs")
        uses = plans_and_peer(database, workdir, args.requests, args.limit)

        port = free_port()
        base = f"http://{HOST}:{port}"
        log = workdir / "server.log"
        server = start_server(env, port, log)
        try:
            problem = wait_ready(base, server, READY_TIMEOUT)
            if problem:
                print(f"the service did not start: {problem}\n{tail(log)}", file=sys.stderr)
                return 1
            cursors, entries, walk_s = walk(base, args.limit)
            print(
                f"the whole timeline: {entries} entries in {len(cursors) + 1} pages of "
                f"{args.limit}, read in {walk_s:.2f} s"
            )
            n, limit = args.requests, {"limit": args.limit}
            first_day = date(2018, 1, 1)
            phases = [
                phase("first page", base, [("/v1/timeline", limit)] * n),
                phase(
                    "page after a cursor",
                    base,
                    [("/v1/timeline", {**limit, "cursor": rng.choice(cursors)}) for _ in range(n)],
                ),
                phase(
                    "a month (from, to)",
                    base,
                    [
                        (
                            "/v1/timeline",
                            {
                                **limit,
                                "from": (d := first_day + timedelta(days=rng.randrange(1400))),
                                "to": d + timedelta(days=30),
                            },
                        )
                        for _ in range(n)
                    ],
                ),
                phase(
                    "source",
                    base,
                    [("/v1/timeline", {**limit, "source": rng.choice(SOURCES)}) for _ in range(n)],
                ),
                phase(
                    "q (a place)",
                    base,
                    [("/v1/timeline", {**limit, "q": rng.choice(events)[4]}) for _ in range(n)],
                ),
                phase(
                    "one article's timeline",
                    base,
                    [
                        (f"/v1/articles/{rng.randrange(1, args.articles + 1)}/timeline", limit)
                        for _ in range(n)
                    ],
                ),
            ]
            report(phases)
        finally:
            stop(server)
    failed = sum(len(p.samples) - len(p.ok(200)) for p in phases)
    print(f"{INDEX} serves a page's leads without a sort: {'yes' if uses else 'NO'}")
    return 0 if uses and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
