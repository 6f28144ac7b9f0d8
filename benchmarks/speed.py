#!/usr/bin/env python3
"""Start-up, throughput and memory of ``timeline.tag`` against ``dateparser.search.search_dates``.

Start-up: the median wall time of ``--runs`` processes of ``python -m timeline extract`` on one
short text, against as many processes that import dateparser and call ``search_dates`` on it
(the tagger's table cache, :mod:`timeline.tagger.tablecache`, in a temporary folder: the
first run, which builds and writes it, is reported apart and not in the median).

Throughput: both read the same TempEval-3 TBAQ documents (converted by ``te3text.py`` from
``<repo>/../shared``; when the corpus or the script is absent the benchmark says so and exits
0), each document against its own creation date. Figures are characters of document text per
second, best of ``--repeat`` runs. Each system is loaded first, untimed, as a process that tags
many texts loads it: the tagger by ``timeline.tagger.warm_up()`` (which compiles every rule, as
the server does at start) and one ``tag()`` call, dateparser by one ``search_dates()`` call
(which imports it and loads its language data; its later passes are no faster than its first).
Without the tagger's warm-up its first timed pass would compile each rule as the documents need
it, a cost of the process's start and not of the text.

    python benchmarks/speed.py [--sample N] [--repeat R] [--seed S] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from timeline import tag
from timeline.tagger import warm_up

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
TE3TEXT = SHARED / "eval" / "te3text.py"
TBAQ = SHARED / "corpora" / "tempeval3" / "TBAQ-cleaned"
MB = 1024 * 1024
# The text and publication date of the start-up runs.
SHORT_TEXT = "The Afghan army clashed with Taliban fighters in Spin Boldak on Friday.\n"
SHORT_DCT = "2021-07-17"
DATEPARSER_ONCE = (
    "import sys, datetime\n"
    "from dateparser.search import search_dates\n"
    "found = search_dates(sys.stdin.read(), languages=['en'],\n"
    "                     settings={'RELATIVE_BASE': datetime.datetime(2021, 7, 17)})\n"
    "print(found)\n"
)


@dataclass(frozen=True)
class Doc:
    """One document of the corpus: its id, creation time and text."""

    doc: str
    dct: str
    text: str

    @property
    def moment(self) -> datetime:
        """The creation time as a naive datetime (dateparser's ``RELATIVE_BASE``)."""
        return datetime.fromisoformat(self.dct.replace("Z", "+00:00")).replace(tzinfo=None)


@dataclass(frozen=True)
class Timing:
    """The best of the timed runs of one system over the documents."""

    seconds: float
    found: int
    errors: int


def load_docs() -> list[Doc] | None:
    """The TBAQ documents, or ``None`` (after saying why) when the corpus is not installed."""
    for what, path in (("eval script", TE3TEXT), ("corpus", TBAQ)):
        if not path.exists():
            print(f"skipped: {what} not found at {path}")
            return None
    with tempfile.TemporaryDirectory(prefix="speed-") as tmp:
        target = Path(tmp) / "tbaq_docs.jsonl"
        subprocess.run(
            [sys.executable, str(TE3TEXT), str(TBAQ), "-o", str(target)],
            check=True,
            capture_output=True,
            text=True,
        )
        lines = target.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    return [Doc(r["doc"], r["dct"], r["text"]) for r in records]


def tag_one(doc: Doc) -> int:
    return len(tag(doc.text, doc.dct))


def dateparser_one(doc: Doc) -> int:
    from dateparser.search import search_dates  # imported late: its memory is not tag()'s

    found = search_dates(doc.text, languages=["en"], settings={"RELATIVE_BASE": doc.moment})
    return len(found or [])


def time_runs(system: Callable[[Doc], int], docs: list[Doc], repeat: int) -> Timing:
    """The fastest of ``repeat`` passes over ``docs``; documents that raise are counted."""
    best: Timing | None = None
    for _ in range(repeat):
        found = errors = 0
        started = time.perf_counter()
        for doc in docs:
            try:
                found += system(doc)
            except Exception:  # a benchmark reports failures instead of stopping on them
                errors += 1
        seconds = time.perf_counter() - started
        if best is None or seconds < best.seconds:
            best = Timing(seconds, found, errors)
    assert best is not None
    return best


def traced_peak(action: Callable[[], Any]) -> float:
    """The peak of memory allocated by Python while ``action`` runs, in MB (tracemalloc)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        action()
        return tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def wall(command: list[str], env: dict[str, str]) -> float:
    """The wall time of one process of ``command`` reading :data:`SHORT_TEXT` on stdin."""
    started = time.perf_counter()
    subprocess.run(
        command, input=SHORT_TEXT, env=env, check=True, capture_output=True, text=True, cwd=REPO
    )
    return time.perf_counter() - started


def startup(runs: int) -> None:
    """Print the median wall time of ``runs`` processes of each command on one short text."""
    with tempfile.TemporaryDirectory(prefix="speed-cache-") as cache:
        env = dict(os.environ, TIMELINE_TAGGER_CACHE=cache)
        path = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
        env["PYTHONPATH"] = path
        extract = [sys.executable, "-m", "timeline", "extract", "--dct", SHORT_DCT, "-"]
        peer = [sys.executable, "-c", DATEPARSER_ONCE]
        first = wall(extract, env)
        wall(peer, env)  # warm-up: the file system's caches, as the tagger's first run had
        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(runs):  # interleaved, so that a busy moment weighs on both
            ours.append(wall(extract, env))
            theirs.append(wall(peer, env))
    median_ours, median_theirs = statistics.median(ours), statistics.median(theirs)
    print(f"start-up on one short text ({len(SHORT_TEXT)} characters), median of {runs} processes:")
    print(f"  {'python -m timeline extract':<45} {median_ours:.3f} s")
    print(f"  {'python -c <import dateparser, search_dates>':<45} {median_theirs:.3f} s")
    print(f"  the first extract, which builds and writes the table cache: {first:.2f} s")
    print(f"  ratio: dateparser's process takes {median_theirs / median_ours:.1f}x as long\n")


def max_rss_mb() -> float:
    """The peak resident set size of this process so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak / 1024


def main(argv: list[str] | None = None) -> int:
    """Print the throughput table and the memory figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sample", type=int, metavar="N", help="time N documents drawn at random (default: all)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="R",
        help="timed passes; the best counts (default 1)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the --sample draw (default 0)")
    parser.add_argument(
        "--runs", type=int, default=7, metavar="N", help="start-up processes of each (default 7)"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.runs < 1 or (args.sample is not None and args.sample < 1):
        parser.error("--sample, --repeat and --runs must be at least 1")
    startup(args.runs)
    corpus = load_docs()
    if corpus is None:
        return 0
    docs = corpus
    if args.sample is not None and args.sample < len(corpus):
        docs = sorted(random.Random(args.seed).sample(corpus, args.sample), key=lambda d: d.doc)
    chars = sum(len(d.text) for d in docs)
    print(f"TBAQ: {len(docs)} of {len(corpus)} documents, {chars:,} characters; ", end="")
    print(f"best of {args.repeat} timed run(s)")

    def load_tagger() -> int:
        warm_up()
        return tag_one(docs[0])

    rules_mb = traced_peak(load_tagger)
    print(
        f"warm-up (not timed): warm_up() and one tag() call first, which load the rule tables "
        f"(from the table cache when it holds them) and compile every rule (traced peak "
        f"{rules_mb:.1f} MB)"
    )
    tagged = time_runs(tag_one, docs, args.repeat)
    tag_peak = traced_peak(lambda: [tag_one(d) for d in docs])
    rss_after_tag = max_rss_mb()

    started = time.perf_counter()
    dateparser_one(docs[0])
    print(
        f"warm-up (not timed): one search_dates() call first, which imports dateparser and loads "
        f"its language data ({time.perf_counter() - started:.2f} s)"
    )
    parsed = time_runs(dateparser_one, docs, args.repeat)
    rss_end = max_rss_mb()

    rows = [("system", "seconds", "chars/s", "found", "errors")]
    for name, timing in (("timeline.tag", tagged), ("dateparser.search_dates", parsed)):
        rate = chars / timing.seconds if timing.seconds else float("inf")
        rows.append(
            (name, f"{timing.seconds:.3f}", f"{rate:,.0f}", str(timing.found), str(timing.errors))
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    print()
    for row in rows:
        print(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    ratio = parsed.seconds / tagged.seconds if tagged.seconds else float("inf")
    print(f"\nratio: timeline.tag is {ratio:,.1f}x the throughput of dateparser.search_dates")
    print(
        f"memory: tracemalloc peak of tag() over the {len(docs)} documents {tag_peak:.2f} MB; "
        f"ru_maxrss {rss_after_tag:.1f} MB after tag(), {rss_end:.1f} MB after dateparser"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
