#!/usr/bin/env python3
"""Heavy posts at once: ``--posts`` distinct articles of about ``--kb`` KB each, posted
together to ``timeline serve`` on a fresh SQLite file (or ``TIMELINE_DATABASE_URL``), first
tagged in the request (``?wait=true``, as every post was before the job queue), then with
the default (queued: 202, tagged by the web process's job thread, or by ``timeline worker``
processes on PostgreSQL, which this script does not start).

Printed per mode: the answers by status, the p50 and slowest answer, the seconds until
every stored article is tagged, and how many posts were lost (answered with an error, or
stored but never tagged within ``--settle`` seconds).

    python benchmarks/heavy_posts.py [--posts 8] [--kb 20] [--threads 8]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from api import (
    DATABASE_URL_ENV,
    HOST,
    SEED,
    WITHOUT_ACCESS_CONTROL,
    Sample,
    free_port,
    percentile,
    request,
    run_phase,
    start_server,
    stop,
    table,
    wait_ready,
)

from timeline.ingest.files import load_article


def heavy_articles(count: int, kilobytes: int) -> list[dict[str, Any]]:
    """``count`` distinct articles of about ``kilobytes`` KB: the seed's text repeated, each
    copy with a sentence of its own."""
    seed = load_article(SEED)
    run = uuid.uuid4().hex[:8]
    copies = max(1, round(kilobytes * 1000 / len(seed.text)))
    return [
        {
            "title": f"{seed.title} ({i + 1})",
            "text": "\n\n".join(
                f"{seed.text}\n\nDispatch {run}-{i}-{c}: envoys met again on Monday."
                for c in range(copies)
            ),
            "published_at": seed.published_at,
            "source": seed.source,
            "language": seed.language,
        }
        for i in range(count)
    ]


def settle(base: str, ids: list[int], seconds: float) -> tuple[float, int]:
    """Poll the articles until none is queued or tagging: the seconds it took, and how
    many were still waiting when ``seconds`` ran out."""
    started = time.perf_counter()
    waiting = list(ids)
    while waiting and time.perf_counter() - started < seconds:
        states = {i: request(base, "GET", f"/v1/articles/{i}") for i in waiting}
        waiting = [i for i, s in states.items() if s.body["status"] in ("queued", "tagging")]
        if waiting:
            time.sleep(0.2)
    return time.perf_counter() - started, len(waiting)


def run_mode(
    base: str, name: str, query: str, bodies: list[dict[str, Any]], settle_s: float
) -> tuple[str, ...]:
    """Post ``bodies`` together with ``query``; the row of the table."""
    phase = run_phase(
        name, lambda body: request(base, "POST", f"/v1/articles{query}", body), bodies, len(bodies)
    )
    statuses = Counter(s.status for s in phase.samples)
    stored: list[Sample] = [s for s in phase.samples if s.status in (200, 201, 202)]
    tagged_after, still = settle(base, [s.body["id"] for s in stored], settle_s)
    failed = sum(
        1
        for s in stored
        if request(base, "GET", f"/v1/articles/{s.body['id']}").body["status"] == "failed"
    )
    millis = [s.seconds * 1000 for s in phase.samples]
    answers = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
    lost = len(bodies) - len(stored) + still
    return (
        name,
        answers,
        f"{percentile(millis, 50):,.0f}",
        f"{max(millis):,.0f}",
        f"{phase.seconds + tagged_after:,.1f}",
        str(failed),
        str(lost),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=8, help="articles posted at once (8)")
    parser.add_argument("--kb", type=int, default=20, help="size of each article in KB (20)")
    parser.add_argument("--threads", type=int, default=8, help="the server's threads (8)")
    parser.add_argument("--settle", type=float, default=300.0, help="seconds to wait (300)")
    args = parser.parse_args(argv)
    rows: list[tuple[str, ...]] = [
        ("mode", "answers", "p50 ms", "max ms", "all tagged s", "failed", "lost")
    ]
    with tempfile.TemporaryDirectory(prefix="timeline-heavy-") as tmp:
        url = os.environ.get(DATABASE_URL_ENV) or "sqlite:///" + os.path.join(tmp, "t.db")
        env = os.environ | {DATABASE_URL_ENV: url} | WITHOUT_ACCESS_CONTROL
        upgraded = subprocess.run(
            [sys.executable, "-m", "timeline", "db", "upgrade"], env=env, capture_output=True
        )
        if upgraded.returncode != 0:
            print(upgraded.stderr.decode(), file=sys.stderr)
            return 1
        port = free_port()
        base = f"http://{HOST}:{port}"
        server = start_server(env, port, Path(tmp) / "server.log", ["--threads", str(args.threads)])
        try:
            why = wait_ready(base, server, 60)
            if why:
                print(f"server not ready: {why}", file=sys.stderr)
                return 1
            size = len(heavy_articles(1, args.kb)[0]["text"]) / 1000
            print(
                f"{args.posts} posts of {size:.1f} KB at once, server with {args.threads}"
                f" threads, database {url.partition(':')[0]}, {os.cpu_count()} CPUs\n"
            )
            for name, query in (
                ("tagged in the request (?wait=true)", "?wait=true"),
                ("queued (default)", ""),
            ):
                rows.append(
                    run_mode(base, name, query, heavy_articles(args.posts, args.kb), args.settle)
                )
        finally:
            stop(server)
    table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
