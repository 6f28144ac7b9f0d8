#!/usr/bin/env python3
"""Throughput of ``timeline ingest`` on the embedded default (SQLite).

Writes N generated articles (default 1,000; each a few sentences with dates, durations
and weekdays, different enough to be stored as different articles) to a temporary folder,
migrates a fresh SQLite database next to it, and runs ``python -m timeline ingest FOLDER``
with its progress bar; prints the command's summary and the articles per second measured
around it (process start included).

    python benchmarks/ingest.py [--articles 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLACES = ["Doha", "Kabul", "Spin Boldak", "Islamabad", "Geneva", "Brussels", "Nairobi"]
ACTORS = ["The envoys", "Government forces", "The ministers", "Negotiators", "Rebel fighters"]
ACTIONS = ["met", "clashed", "signed a truce", "withdrew", "resumed talks", "held a summit"]
LATER = ["next week", "after the holiday", "on Monday", "later this month", "in the coming months"]


def article(number: int, rng: random.Random) -> dict[str, str]:
    """A generated article: a publication date and a few dated sentences."""
    published = date(2021, 1, 1) + timedelta(days=rng.randrange(365))
    sentences = [
        f"{rng.choice(ACTORS)} {rng.choice(ACTIONS)} in {rng.choice(PLACES)} on Friday.",
        f"The talks have gone on for {rng.randrange(2, 12)} months.",
        f"They {rng.choice(ACTIONS)} on {published - timedelta(days=rng.randrange(1, 40)):%B %d}.",
        f"Officials expect a new round {rng.choice(LATER)}.",
        f"Report number {number} was filed on {published:%d %B %Y}.",
    ]
    return {
        "title": f"Report {number}",
        "text": " ".join(sentences),
        "published_at": published.isoformat(),
        "source": "Generated",
        "language": "en",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as workdir:
        folder = Path(workdir) / "articles"
        folder.mkdir()
        for number in range(args.articles):
            path = folder / f"{number:05d}.json"
            path.write_text(json.dumps(article(number, rng)), encoding="utf-8")
        env = {**os.environ, "TIMELINE_DATABASE_URL": f"sqlite:///{Path(workdir) / 'bench.db'}"}
        command = [sys.executable, "-m", "timeline"]
        subprocess.run(
            [*command, "db", "upgrade"], env=env, cwd=REPO, check=True, capture_output=True
        )
        started = time.perf_counter()
        done = subprocess.run(
            [*command, "ingest", str(folder)],
            env=env,
            cwd=REPO,
            check=False,
            stdout=subprocess.PIPE,
            text=True,
        )
        seconds = time.perf_counter() - started
    print(done.stdout.strip())
    print(
        f"ingest of {args.articles} generated articles on SQLite: {seconds:.1f} s including"
        f" process start, {args.articles / seconds:.1f} articles/s"
    )
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
