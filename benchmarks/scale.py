#!/usr/bin/env python3
"""Seconds per article against its size and against its number of time references.

Each article goes through :func:`timeline.store.articles.store_article`, what ``POST /v1/articles``
calls (tagging, anchoring, entries, grouping, one transaction), in this process, on a new
SQLite database in a temporary folder, with the limits lifted (:data:`timeline.limits.NONE`)
so that the curve goes on past them; a column says which limit of the defaults would refuse
the article. Two series:

* size, 1 KB to 2 MB of news text: the TBAQ-cleaned documents of TempEval-3 one after the
  other (from ``<repo>/../shared``), else the seed article repeated;
* time references, 10 to 20,000: a list of weekdays ("Monday, Tuesday, ...") and
  "Friday, " repeated, every word a time reference in one run-on sentence.

For each series it prints the table and the slope of log(seconds) against log(size) fitted
by least squares over the larger half of the points (where fixed costs no longer count):
1 is linear, 2 quadratic.

    python benchmarks/scale.py [--max-kb 2048] [--max-mentions 20000]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.etree import ElementTree

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
TBAQ = SHARED / "corpora" / "tempeval3" / "TBAQ-cleaned"
SEED = REPO / "seeds" / "doha-talks-2021-07-17.json"
PUBLISHED = "2021-07-17"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SIZES_KB = (1, 4, 16, 64, 256, 1024, 2048)
MENTIONS = (10, 100, 1_000, 5_000, 10_000, 20_000)

sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from api import table  # noqa: E402

from timeline.app import create_app  # noqa: E402
from timeline.errors import LimitExceededError  # noqa: E402
from timeline.events.anchoring import warm_up  # noqa: E402
from timeline.limits import NONE, Limits  # noqa: E402
from timeline.store import db  # noqa: E402
from timeline.store.articles import store_article  # noqa: E402
from timeline.store.migrate import upgrade  # noqa: E402


def news_text() -> tuple[str, str]:
    """The text the size series cuts from, and where it comes from."""
    documents = sorted(TBAQ.glob("**/*.tml"))
    if documents:
        texts = []
        for path in documents:
            body = ElementTree.parse(path).getroot().find("TEXT")
            if body is not None:
                texts.append("".join(body.itertext()).strip())
        return "\n\n".join(texts), f"TBAQ-cleaned, {len(documents)} documents one after another"
    seed = json.loads(SEED.read_text(encoding="utf-8"))["text"]
    return seed, f"{SEED.name} repeated (no TBAQ-cleaned at {TBAQ})"


def cut(source: str, size: int) -> str:
    """``size`` characters of ``source`` (repeated as needed), ending at a paragraph or a
    sentence when one ends in the last tenth."""
    text = (source + "\n\n") * (size // (len(source) + 2) + 1)
    end = max(text.rfind("\n\n", 0, size), text.rfind(". ", 0, size) + 1)
    return text[: end if end > size * 0.9 else size]


def weekdays(mentions: int) -> str:
    """A list of ``mentions`` weekdays, in turn."""
    return ", ".join(WEEKDAYS[i % 7] for i in range(mentions)) + "."


def fridays(mentions: int) -> str:
    """ "Friday, " ``mentions`` times."""
    return "Friday, " * mentions


def refused_by_defaults(text: str, mentions: int) -> str:
    """The limit of the defaults that refuses an article of ``text`` with ``mentions`` time
    references before it is anchored, or ``-``; the work budget is not counted here."""
    try:
        Limits().check_text(text)
        Limits().check_mentions(mentions)
    except LimitExceededError as exc:
        return exc.limit
    return "-"


def store_once(text: str, number: int) -> tuple[float, float, int, int]:
    """Seconds to store ``text`` as a new article on a new database, on the clock and of
    this process's CPU (which other processes on a shared machine do not lengthen), and the
    article's time references and events."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'scale.db'}"
        upgrade(url)
        app = create_app({"DATABASE_URL": url})
        with app.app_context():
            fields = {"text": text, "published_at": PUBLISHED, "title": f"Scale {number}"}
            started, cpu = time.perf_counter(), time.process_time()
            stored = store_article(db.session(), fields, NONE)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            article = stored.article
            if article.status != "tagged":
                raise SystemExit(f"article {number} was not tagged: {article.error}")
            counts = len(article.mentions), len(article.events)
            db.session().close()
        db.engine(app).dispose()
    return seconds, cpu, *counts


def slope(points: Sequence[tuple[float, float]]) -> float:
    """The least-squares slope of log(y) against log(x) over the larger half of ``points``."""
    upper = sorted(points)[len(points) // 2 :]
    xs = [math.log(x) for x, _ in upper]
    ys = [math.log(max(y, 1e-6)) for _, y in upper]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return math.nan
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def size_series(max_kb: int) -> None:
    """Seconds per article against its size."""
    source, origin = news_text()
    print(f"== size: news text from {origin}; published {PUBLISHED}; limits lifted")
    rows: list[tuple[str, ...]] = [("size", "characters", "references", "events", "seconds")]
    rows[0] += ("CPU s", "CPU ms/KB", "defaults")
    points, cpu_points = [], []
    for kb in (k for k in SIZES_KB if k <= max_kb):
        text = cut(source, kb * 1024)
        seconds, cpu, mentions, events = store_once(text, kb)
        points.append((len(text), seconds))
        cpu_points.append((len(text), cpu))
        rows.append(
            (
                f"{kb} KB",
                f"{len(text):,}",
                f"{mentions:,}",
                f"{events:,}",
                f"{seconds:.2f}",
                f"{cpu:.2f}",
                f"{cpu * 1000 / (len(text) / 1024):.1f}",
                refused_by_defaults(text, mentions),
            )
        )
    table(rows)
    print(
        f"slope of log(seconds) on log(characters), larger half: {slope(points):.2f}"
        f" (CPU seconds: {slope(cpu_points):.2f})"
    )


def mention_series(name: str, make: Callable[[int], str], max_mentions: int) -> None:
    """Seconds per article against its number of time references."""
    print(f"== time references: {name}; published {PUBLISHED}; limits lifted")
    rows: list[tuple[str, ...]] = [("asked", "characters", "references", "events", "seconds")]
    rows[0] += ("CPU s", "CPU ms/ref", "defaults")
    points, cpu_points = [], []
    for wanted in (n for n in MENTIONS if n <= max_mentions):
        text = make(wanted)
        seconds, cpu, mentions, events = store_once(text, wanted)
        points.append((max(mentions, 1), seconds))
        cpu_points.append((max(mentions, 1), cpu))
        rows.append(
            (
                f"{wanted:,}",
                f"{len(text):,}",
                f"{mentions:,}",
                f"{events:,}",
                f"{seconds:.2f}",
                f"{cpu:.2f}",
                f"{cpu * 1000 / max(mentions, 1):.2f}",
                refused_by_defaults(text, mentions),
            )
        )
    table(rows)
    print(
        f"slope of log(seconds) on log(references), larger half: {slope(points):.2f}"
        f" (CPU seconds: {slope(cpu_points):.2f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-kb", type=int, default=SIZES_KB[-1])
    parser.add_argument("--max-mentions", type=int, default=MENTIONS[-1])
    args = parser.parse_args()
    warm_up()
    store_once("The envoys met on Friday.", 0)  # the rules and models loaded before timing
    size_series(args.max_kb)
    mention_series('weekdays ("Monday, Tuesday, ...")', weekdays, args.max_mentions)
    mention_series('"Friday, " repeated', fridays, args.max_mentions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
