#!/usr/bin/env python3
"""The CPU each stored article costs on the write path, in this process and in PostgreSQL,
by phase.

Two cases, each on a new database of a throwaway PostgreSQL cluster this script starts
(``initdb`` in a temporary folder, as the ``postgres`` user when run as root), or of the
server ``--url`` names:

- ``api``: ``benchmarks/api.py``'s worst case, the seed article with one generated sentence
  added, ``--articles`` of them (default 200), each stored by ``store.store_article`` as
  ``POST /v1/articles`` stores it;
- ``tbaq``: ``benchmarks/ingest_scale.py``'s articles of about 2 KB made from TBAQ-cleaned
  (skipped when it is absent), each accepted by ``store.accept_article`` and tagged by
  ``store.tag_queued`` as a worker's job does.

One session stores them in turn, after one article tagged and anchored untimed (the rules
and models load). Printed per article and phase: this process's CPU milliseconds
(``time.process_time``), the CPU milliseconds of the PostgreSQL backend serving the session
(``/proc/<pg_backend_pid()>/stat``, user and system, in clock ticks: a sample, good as an
average over many articles), and the statements and parameter sets sent. A phase is the
innermost of the functions it names that is running: ``tag`` (the tagger), ``anchor`` (the
events' anchors and entries, ``build_entries``), ``rows`` (the rest of tagging: the rows'
objects), ``index`` (each event's words and names), ``dedupe`` (the lookup of the same
article), ``find`` (the statements that find each event's group), ``locks``, ``insert``
(flushes and the rows' bulk insert), ``join`` (groups, intervals and leads), ``pipeline``
(on PostgreSQL, when every event's group was found before the locks: the locks, the join,
the leads and the commit sent at once, which go to the driver directly and are not in the
counts of statements), ``commit``, ``other``. With ``--profile``, cProfile's top functions by
internal time follow.

    python benchmarks/write_cost.py [api|tbaq ...] [--articles N] [--url ...] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import pstats
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from api import SEED, articles, free_port, shown, table  # noqa: E402
from ingest_scale import TBAQ, TE3TEXT, database, documents, make_articles  # noqa: E402
from soak import Cluster, postgresql_bin  # noqa: E402
from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

import timeline.store.articles as store  # noqa: E402
import timeline.store.timelines as timelines  # noqa: E402
from timeline.ingest.files import load_article  # noqa: E402
from timeline.store.db import make_engine  # noqa: E402
from timeline.store.models import Article  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
PHASES = {
    store: {
        "find_existing": "dedupe",
        "tag": "tag",
        "build_entries": "anchor",
        "_tag_rows": "rows",
        "write_rows": "insert",
        "find_groups": "find",
    },
    timelines: {
        "index_words": "index",
        "lock_keys": "locks",
        "lock_groups": "locks",
        "find_groups": "find",
        "join_groups": "join",
        "_group_in_one_trip": "pipeline",
    },
}


class Meter:
    """CPU seconds (this process, the backend ``pid``), statements and parameter sets, by
    the phase running when they were spent."""

    def __init__(self) -> None:
        self.phases: list[str] = []
        self.cpu: dict[str, float] = defaultdict(float)
        self.db: dict[str, float] = defaultdict(float)
        self.statements: dict[str, int] = defaultdict(int)
        self.parameters: dict[str, int] = defaultdict(int)
        self.pid: int | None = None
        self.at = (0.0, 0.0)

    def backend(self) -> float:
        if self.pid is None:
            return 0.0
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def start(self) -> None:
        self.at = (time.process_time(), self.backend())
        for counts in (self.cpu, self.db, self.statements, self.parameters):
            counts.clear()

    def switch(self) -> None:
        """Charge the CPU since the last switch to the phase running."""
        now = (time.process_time(), self.backend())
        phase = self.phases[-1] if self.phases else "other"
        self.cpu[phase] += now[0] - self.at[0]
        self.db[phase] += now[1] - self.at[1]
        self.at = now

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        self.switch()
        self.phases.append(name)
        try:
            yield
        finally:
            self.switch()
            self.phases.pop()


METER = Meter()


def timed(function: Callable[..., Any], phase: str) -> Callable[..., Any]:
    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        with METER.phase(phase):
            return function(*args, **kwargs)

    return run


def instrument(engine: Any) -> None:
    """Count the statements ``engine`` sends, and time the phases' functions (patched once,
    for the first case: a second case's would time each call twice)."""

    @event.listens_for(engine, "before_cursor_execute")
    def count(_conn, _cursor, _statement, parameters, _context, many):  # type: ignore[no-untyped-def]
        phase = METER.phases[-1] if METER.phases else "other"
        METER.statements[phase] += 1
        METER.parameters[phase] += len(parameters) if many else 1

    if getattr(Session.flush, "__wrapped__", None) is not None:
        return
    for module, names in PHASES.items():
        for name, phase in names.items():
            if hasattr(module, name):
                setattr(module, name, timed(getattr(module, name), phase))
    store.index_words = timelines.index_words  # type: ignore[attr-defined]
    Session.flush = timed(Session.flush, "insert")  # type: ignore[method-assign]
    Session.commit = timed(Session.commit, "commit")  # type: ignore[method-assign]


def made(case: str, count: int, workdir: Path) -> list[dict[str, Any]]:
    if case == "api":
        return articles(load_article(SEED), count)
    return make_articles(documents(workdir), count, uuid.uuid4().hex[:8])


def measure(case: str, url: str, items: list[dict[str, Any]], profile: bool) -> None:
    engine = make_engine(url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    first = items[0]
    warm = Article(
        text=first["text"],
        published_at=first["published_at"],
        published_on=date.fromisoformat(first["published_at"][:10]),
        language="en",
        published_missing=False,
    )
    METER.pid = None  # the last case's backend is gone
    store._tag_into(warm)  # the rules and models load, untimed
    instrument(engine)
    profiler = cProfile.Profile() if profile else None
    with sessions() as session:
        METER.pid = session.scalar(text("SELECT pg_backend_pid()"))
        session.commit()
        started = time.perf_counter()
        METER.start()
        if profiler:
            profiler.enable()
        for item in items:
            if case == "api":
                store.store_article(session, item)
            else:
                accepted = store.accept_article(session, item).article
                store.tag_queued(session, accepted.id, accepted.content_hash)
            session.expunge_all()
        if profiler:
            profiler.disable()
        METER.switch()
        seconds = time.perf_counter() - started
        events, groups = session.execute(
            text("SELECT count(*), count(DISTINCT group_id) FROM events")
        ).one()
    engine.dispose()
    n = len(items)
    print(
        f"\n{case}: {n} articles in {seconds:.1f} s (load average {os.getloadavg()[0]:.2f}); "
        f"{events / n:.1f} events per article, {groups} groups"
    )
    order = sorted(METER.cpu, key=lambda p: -(METER.cpu[p] + METER.db[p]))
    rows = [["phase", "process CPU ms", "PostgreSQL CPU ms", "statements", "parameter sets"]]
    for phase in [*order, "total"]:
        chosen = order if phase == "total" else [phase]
        sums = [
            sum(counts[p] for p in chosen)
            for counts in (METER.cpu, METER.db, METER.statements, METER.parameters)
        ]
        rows.append(
            [
                phase,
                f"{sums[0] * 1000 / n:.1f}",
                f"{sums[1] * 1000 / n:.1f}",
                f"{sums[2] / n:.1f}",
                f"{sums[3] / n:.1f}",
            ]
        )
    table(rows)
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def benchmark(args: argparse.Namespace, server: str, workdir: Path) -> int:
    print(
        f"write cost per article: {', '.join(args.cases)}; {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}; database: {shown(server)}"
    )
    for case in args.cases:
        if case == "tbaq" and not (TBAQ.is_dir() and TE3TEXT.is_file()):
            print("\ntbaq: skipped: TBAQ-cleaned or te3text.py not found")
            continue
        items = made(case, args.articles, workdir)
        with database(server, f"write_cost_{case}") as url:
            measure(case, url, items, args.profile)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", choices=["api", "tbaq"], default=["api", "tbaq"])
    parser.add_argument("--articles", type=int, default=200, metavar="N")
    parser.add_argument("--url", help="a PostgreSQL server (a database URL) instead of a new one")
    parser.add_argument("--profile", action="store_true", help="and cProfile's top functions")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="timeline-write-cost-") as tmp:
        workdir = Path(tmp)
        if args.url:
            return benchmark(args, args.url, workdir)
        pgbin = postgresql_bin()
        if pgbin is None:
            print("write_cost: skipped: no PostgreSQL server (/usr/lib/postgresql/*/bin/initdb)")
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
