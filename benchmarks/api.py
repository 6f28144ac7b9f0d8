#!/usr/bin/env python3
"""Throughput and latency of the REST API: POST /v1/articles, then each article's timeline.

The service runs in a subprocess (``timeline db upgrade``, then ``timeline serve``) on
127.0.0.1 and a free port, on a fresh SQLite file in a temporary folder, or on the database
``TIMELINE_DATABASE_URL`` names when it is set (the PostgreSQL leg). Once ``/ready``
answers, one ``POST /v1/extract`` of the seed article warms the server up (it compiles the
rules) untimed; then a pool of client threads posts ``--articles`` distinct articles (the
seed article with one generated sentence added) and reads ``GET /v1/articles/{id}/timeline``
for each. Printed per kind of request: requests per second over the phase, and the p50 and
p99 latencies. Each request opens its own connection (urllib sends ``Connection: close``).
The server runs without API keys and rate limits (``TIMELINE_REQUIRE_KEYS=false``,
``TIMELINE_WRITE_RATE=off``: a trial on 127.0.0.1), so the figures leave out the key's
lookup, one indexed SELECT per write.

With ``--processes P`` it starts P ``timeline serve`` processes, each on a port of its own,
and the clients send their requests to them in turn (what a load balancer in front of P
web containers does).

    python benchmarks/api.py [--articles N] [--workers W] [--threads T] [--processes P]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from timeline.ingest.files import Article, load_article

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "doha-talks-2021-07-17.json"
HOST = "127.0.0.1"
DATABASE_URL_ENV = "TIMELINE_DATABASE_URL"
# the benchmark posts from one address as fast as it can: no keys, no rate limits
WITHOUT_ACCESS_CONTROL = {"TIMELINE_REQUIRE_KEYS": "false", "TIMELINE_WRITE_RATE": "off"}
READY_TIMEOUT = 60.0
REQUEST_TIMEOUT = 60.0
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "March", "May", "August", "October", "December")

# No proxy, whatever the environment says: every request goes straight to 127.0.0.1.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

T = TypeVar("T")


@dataclass(frozen=True)
class Sample:
    """One request: its status (0 when no HTTP answer came), seconds taken and JSON body."""

    status: int
    seconds: float
    body: Any


@dataclass(frozen=True)
class Phase:
    """The requests of one kind, and the wall-clock seconds they took together."""

    name: str
    samples: list[Sample]
    seconds: float

    def ok(self, *statuses: int) -> list[Sample]:
        """The samples answered with one of ``statuses``."""
        return [s for s in self.samples if s.status in statuses]


def request(base: str, method: str, path: str, payload: Any = None) -> Sample:
    """Send one request to the service; errors become samples, never exceptions."""
    data = None if payload is None else json.dumps(payload).encode("utf-8")
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    started = time.perf_counter()
    try:
        with OPENER.open(req, timeout=REQUEST_TIMEOUT) as response:
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        raw, status = exc.read(), exc.code
    except OSError as exc:  # refused, reset, timed out
        return Sample(0, time.perf_counter() - started, str(exc))
    seconds = time.perf_counter() - started
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = raw.decode("utf-8", "replace")
    return Sample(status, seconds, body)


def run_phase(name: str, work: Callable[[T], Sample], items: Sequence[T], workers: int) -> Phase:
    """Run ``work`` over ``items`` on ``workers`` threads, timing the whole."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        started = time.perf_counter()
        samples = list(pool.map(work, items))
        seconds = time.perf_counter() - started
    return Phase(name, samples, seconds)


def articles(seed: Article, count: int) -> list[dict[str, Any]]:
    """``count`` distinct articles: the seed's text with one generated sentence added.

    A token of this run goes into the sentence too, so that a database kept between runs
    (``TIMELINE_DATABASE_URL``) stores every article again instead of finding it there.
    """
    run = uuid.uuid4().hex[:8]
    out = []
    for i in range(count):
        weekday, month = WEEKDAYS[i % len(WEEKDAYS)], MONTHS[i % len(MONTHS)]
        sentence = (
            f"Envoy {i + 1} of delegation {run} said on {weekday} that the talks would "
            f"resume in {month} {2021 + i % 3}."
        )
        out.append(
            {
                "title": f"{seed.title} ({i + 1})",
                "text": seed.text + "\n\n" + sentence,
                "published_at": seed.published_at,
                "source": seed.source,
                "language": seed.language,
                "region": seed.region,
            }
        )
    return out


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank ``p``-th percentile of ``values`` (NaN when empty)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def table(rows: Sequence[Sequence[str]]) -> None:
    """Print ``rows`` as columns: the first left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def shown(url: str) -> str:
    """``url`` with its password, if any, masked."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    userinfo, _, host = parts.netloc.rpartition("@")
    return parts._replace(netloc=f"{userinfo.partition(':')[0]}:***@{host}").geturl()


def tail(path: Path, lines: int = 20) -> str:
    """The last ``lines`` lines of the server's log."""
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def start_server(
    env: dict[str, str], port: int, log: Path, options: Sequence[str] = ()
) -> subprocess.Popen[bytes]:
    """``timeline serve`` on 127.0.0.1 and ``port``, its output in ``log``."""
    serve = ["serve", "--host", HOST, "--port", str(port), *options]
    with open(log, "wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "timeline", *serve],
            env=env,
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float) -> str | None:
    """Wait for ``/ready`` to answer 200; the reason why not, or ``None``."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return f"the server exited with status {server.returncode}"
        sample = request(base, "GET", "/ready")
        if sample.status == 200:
            return None
        last = f"status {sample.status}: {sample.body}"
        time.sleep(0.1)
    return f"not ready after {timeout:.0f} s ({last})"


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server, killing it if it does not end within 10 seconds."""
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def report(phases: Sequence[Phase]) -> None:
    """The table of requests per second and latencies, one row per phase."""
    rows = [("request", "count", "errors", "req/s", "p50 ms", "p99 ms")]
    for phase in phases:
        good = phase.ok(200, 201)
        millis = [s.seconds * 1000 for s in good] or [math.nan]
        rate = len(good) / phase.seconds if phase.seconds else math.inf
        rows.append(
            (
                phase.name,
                str(len(phase.samples)),
                str(len(phase.samples) - len(good)),
                f"{rate:,.1f}",
                f"{percentile(millis, 50):,.1f}",
                f"{percentile(millis, 99):,.1f}",
            )
        )
    table(rows)


def first_errors(phases: Sequence[Phase], limit: int = 3) -> list[str]:
    """A few of the failed requests, to say what went wrong."""
    failed = [
        f"{phase.name}: {sample.status or 'no answer'} {sample.body}"
        for phase in phases
        for sample in phase.samples
        if sample.status not in (200, 201)
    ]
    return [line[:300] for line in failed[:limit]]


def benchmark(bases: Sequence[str], count: int, workers: int) -> int:
    """Post the articles, read their timelines, print the figures; 1 if any request failed.
    The ``i``-th request of a phase goes to ``bases[i % len(bases)]``."""
    seed = load_article(SEED)
    for base in bases:
        warm = request(
            base, "POST", "/v1/extract", {"text": seed.text, "published_at": seed.published_at}
        )
        if warm.status != 200:
            print(f"warm-up failed: {warm.status or 'no answer'} {warm.body}", file=sys.stderr)
            return 1
    print(
        f"warm-up (not timed): one POST /v1/extract of the seed article per server "
        f"({warm.seconds * 1000:.0f} ms)\n"
    )
    posts = run_phase(
        "POST /v1/articles",
        lambda item: request(bases[item[0] % len(bases)], "POST", "/v1/articles", item[1]),
        list(enumerate(articles(seed, count))),
        workers,
    )
    stored = posts.ok(200, 201)
    timelines = run_phase(
        "GET /v1/articles/{id}/timeline",
        lambda item: request(
            bases[item[0] % len(bases)], "GET", f"/v1/articles/{item[1].body['id']}/timeline"
        ),
        list(enumerate(stored)),
        workers,
    )
    report([posts, timelines])
    created = len(posts.ok(201))
    mentions = sum(s.body["mention_count"] for s in stored)
    events = sum(len(s.body["events"]) for s in timelines.ok(200))
    print(
        f"\narticles: {created} stored (201), {len(stored) - created} already there (200); "
        f"{mentions / max(len(stored), 1):.1f} mentions and "
        f"{events / max(len(timelines.ok(200)), 1):.1f} timeline events per article"
    )
    errors = first_errors([posts, timelines])
    for line in errors:
        print(f"error: {line}", file=sys.stderr)
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    """Start the service, run the benchmark against it, stop it; the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles", type=int, default=200, metavar="N", help="articles to post (default 200)"
    )
    parser.add_argument(
        "--workers", type=int, default=8, metavar="W", help="client threads (default 8)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=2,
        metavar="T",
        help="the server's threads (default 2, as timeline serve's)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        metavar="P",
        help="server processes, each on its own port (default 1)",
    )
    args = parser.parse_args(argv)
    if min(args.articles, args.workers, args.threads, args.processes) < 1:
        parser.error("--articles, --workers, --threads and --processes must be at least 1")

    with tempfile.TemporaryDirectory(prefix="timeline-api-bench-") as tmp:
        external = os.environ.get(DATABASE_URL_ENV)
        url = external or "sqlite:///" + os.path.join(tmp, "timeline.db")
        env = os.environ | {DATABASE_URL_ENV: url} | WITHOUT_ACCESS_CONTROL
        ports = [free_port() for _ in range(args.processes)]
        bases = [f"http://{HOST}:{port}" for port in ports]
        print(
            f"timeline API benchmark: {args.articles} articles, {args.workers} client threads, "
            f"{args.processes} server process(es) on {', '.join(bases)} "
            f"with {args.threads} threads each"
        )
        print(
            f"machine: {os.cpu_count()} CPUs, {platform.platform()}, "
            f"{platform.python_implementation()} {platform.python_version()}; "
            f"a reference loop takes {reference_ms():.1f} ms (best of 5, before the run: "
            "the host's speed, which varies, to compare runs of other times by)"
        )
        where = shown(url) if external else "a fresh file in a temporary folder"
        kind = url.partition(":")[0]
        version = f" {sqlite3.sqlite_version}" if kind.startswith("sqlite") else ""
        print(f"database: {kind}{version}, {where}")

        command = [sys.executable, "-m", "timeline"]
        migrated = subprocess.run(
            [*command, "db", "upgrade"], env=env, capture_output=True, text=True, check=False
        )
        if migrated.returncode != 0:
            print(f"timeline db upgrade failed:\n{migrated.stderr.strip()}", file=sys.stderr)
            return 1
        servers = []
        try:
            for n, port in enumerate(ports):
                log = Path(tmp) / f"server-{n}.log"
                servers.append(start_server(env, port, log, ["--threads", str(args.threads)]))
            for n, (base, server) in enumerate(zip(bases, servers, strict=True)):
                problem = wait_ready(base, server, READY_TIMEOUT)
                if problem:
                    log = Path(tmp) / f"server-{n}.log"
                    print(f"the service did not start: {problem}\n{tail(log)}", file=sys.stderr)
                    return 1
            return benchmark(bases, args.articles, args.workers)
        finally:
            for server in servers:
                stop(server)


REFERENCE_STEPS = 300_000


def reference_ms() -> float:
    """Milliseconds a fixed pure-Python loop takes in this process, best of 5: the same work
    whatever the code under test, so that figures of runs at other times, on a host whose
    speed varies, can be compared."""
    best = math.inf
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for i in range(REFERENCE_STEPS):
            total += i * i % 7
        best = min(best, time.perf_counter() - started)
    return best * 1000


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the server is stopped already (main's finally)
        sys.exit(130)
