#!/usr/bin/env python3
"""The timeline as an editor judges it, against the editorial gold set (``editorial/``).

For each gold document (TBAQ-cleaned, read through ``../shared/eval/te3text.py``), the
article's timeline entries are built as the service builds them (tag, anchor, choose the
entries, :func:`timeline.events.entries.build_entries`) and compared with the entries an
editor would publish (``editorial/gold-*.tsv``; its README gives the format):

* an entry matches a gold row when their triggers overlap, else when their time references
  overlap and the gold trigger lies in the entry's sentence; each gold row is matched once,
  a second entry for it is a **duplicate**;
* **shown** entries are those a timeline shows by default (kind ``event`` or ``state``);
  gold rows of kind ``reporting`` are to be hidden: one shown is counted apart, and neither
  side counts them in precision or recall;
* **precision**: the share of shown entries that match a gold event; **recall**: the share
  of gold events matched by a shown entry; **date right**: the entry's TIMEX3 value is the
  gold date or a part of the gold day, or its interval is the gold date's interval (by
  day; the ends of a gold stretch ``start/end`` within a day);
* **headline faults**: the rules of ``headlines.headline_faults`` each shown entry breaks;
* **publishable**: shown, matched, not a duplicate, its date right and its headline free of
  faults; printed as a share of the shown entries.

Two sets are scored apart: ``gold-*.tsv``, the development set the timeline's rules were
written against (its figures are optimistic), and ``heldout-*.tsv``, annotated apart from the
rules and never looked at while writing them.

The corpora live outside the repository (``<repo>/../shared``); when they are absent the
script says so and exits 0.

    python benchmarks/editorial.py [--verbose]   # the development set
    python benchmarks/editorial.py --heldout     # the held-out set's figures only

``--verbose`` prints each development entry's verdict; the held-out set is scored without
it, so that its entries are never read while writing rules.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from headlines import headline_faults  # noqa: E402

from timeline import tag  # noqa: E402
from timeline.events.entries import Entry, build_entries  # noqa: E402
from timeline.events.kinds import VISIBLE_KINDS  # noqa: E402
from timeline.tagger import calendar as cal  # noqa: E402

SHARED = REPO.parent / "shared"
TE3TEXT = SHARED / "eval" / "te3text.py"
CORPUS = SHARED / "corpora" / "tempeval3" / "TBAQ-cleaned"
GOLD = Path(__file__).resolve().parent / "editorial"
# The gold sets: the development set the rules were written against, and a held-out set
# annotated apart and never looked at while writing them.
SETS = (("development", "gold-*.tsv"), ("held-out", "heldout-*.tsv"))
COLUMNS = ("doc", "timex_start", "timex_end", "trigger_start", "trigger_end", "kind", "date")


@dataclass(frozen=True)
class Gold:
    """One entry an editor would publish: offsets into the document's text, kind, date."""

    doc: str
    timex: tuple[int, int]
    trigger: tuple[int, int]
    kind: str
    date: str


def read_gold(folder: Path, pattern: str = "gold-*.tsv") -> list[Gold]:
    """Every row of the files of ``folder`` that match ``pattern``."""
    rows = []
    for path in sorted(folder.glob(pattern)):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if len(cells) != len(COLUMNS):
                raise SystemExit(f"{path.name}:{number}: expected {len(COLUMNS)} cells")
            doc, ts, te, gs, ge, kind, value = cells
            rows.append(Gold(doc, (int(ts), int(te)), (int(gs), int(ge)), kind, value.strip()))
    return rows


def value_interval(value: str) -> tuple[str, str] | None:
    """The days ``[start, end)`` a TIMEX3 date value or an ISO interval ``a/b`` covers."""
    if "/" in value:
        start, end = value.split("/", 1)
        return start[:10], end[:10]
    day = value.split("T", 1)[0]
    try:
        if len(day) == 10:
            first = date.fromisoformat(day)
            return first.isoformat(), (first + timedelta(days=1)).isoformat()
        if len(day) == 7 and day[4] == "-" and day[5:].isdigit():
            first = date(int(day[:4]), int(day[5:]), 1)
            return first.isoformat(), cal.add_months(first, 1).isoformat()
        if len(day) == 4 and day.isdigit():
            return f"{day}-01-01", f"{int(day) + 1:04d}-01-01"
        if len(day) == 3 and day.isdigit():
            return f"{day}0-01-01", f"{int(day) + 1:03d}0-01-01"
        if len(day) == 8 and day[5] == "W":
            monday = date.fromisocalendar(int(day[:4]), int(day[6:]), 1)
            return monday.isoformat(), (monday + timedelta(days=7)).isoformat()
        if len(day) == 7 and day[5] == "Q":
            first = date(int(day[:4]), 3 * int(day[6]) - 2, 1)
            return first.isoformat(), cal.add_months(first, 3).isoformat()
    except ValueError:
        return None
    return None


def date_right(entry: Entry, gold: Gold) -> bool:
    """Whether the entry gives the gold date: the same value, a part of the gold day
    ("1989-10-27TEV" for "1989-10-27"), or the same days; the ends of a stretch may differ
    by a day (whether "for the past two months" includes the day of publication)."""
    value = entry.mention.value
    if value == gold.date or value.startswith(gold.date + "T"):
        return True
    days = value_interval(gold.date)
    if days is None:
        return False
    found = (entry.start[:10], entry.end[:10])
    if "/" not in gold.date:
        return days == found
    return all(_days_apart(a, b) <= 1 for a, b in zip(days, found, strict=True))


def _days_apart(a: str, b: str) -> int:
    """How many days lie between two ISO dates (a large number when either is not one)."""
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)
    except ValueError:
        return 1 << 30


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match(entry: Entry, golds: list[Gold]) -> Gold | None:
    """The gold row ``entry`` reports: by trigger, else by time reference in its sentence."""
    trigger = entry.anchor.trigger
    if trigger is not None:
        for gold in golds:
            if overlaps((trigger.start, trigger.end), gold.trigger):
                return gold
    sentence = entry.anchor.sentence
    for gold in golds:
        inside = sentence.start <= gold.trigger[0] < sentence.end
        if inside and overlaps((entry.mention.start, entry.mention.end), gold.timex):
            return gold
    return None


@dataclass
class Tally:
    """The counts the script prints."""

    shown: int = 0
    hidden: int = 0
    gold_events: int = 0
    gold_reporting: int = 0
    matched: int = 0
    dates_right: int = 0
    duplicates: int = 0
    reporting_shown: int = 0
    reporting_hidden: int = 0
    publishable: int = 0
    recalled: int = 0
    faults: Counter[str] | None = None


def score_document(text: str, dct: str, golds: list[Gold], tally: Tally, verbose: bool) -> None:
    """Build one document's timeline and add its comparison with ``golds`` to ``tally``."""
    published = date.fromisoformat(dct[:10])
    entries = build_entries(text, published, tag(text, dct))
    events = [g for g in golds if g.kind != "reporting"]
    tally.gold_events += len(events)
    tally.gold_reporting += len(golds) - len(events)
    taken: set[Gold] = set()
    faults = tally.faults if tally.faults is not None else Counter()
    for entry in entries:
        gold = match(entry, golds)
        shown = entry.kind in VISIBLE_KINDS
        if gold is not None and gold.kind == "reporting":
            tally.reporting_shown += shown
            tally.reporting_hidden += not shown
            continue
        if not shown:
            tally.hidden += 1
            continue
        tally.shown += 1
        broken = headline_faults(entry.headline, entry.text)
        faults.update(broken)
        verdict = "junk"
        if gold is not None and gold in taken:
            tally.duplicates += 1
            verdict = "duplicate"
        elif gold is not None:
            taken.add(gold)
            tally.matched += 1
            right = date_right(entry, gold)
            tally.dates_right += right
            tally.publishable += right and not broken
            verdict = (
                "ok"
                if right and not broken
                else (f"date {entry.mention.value} not {gold.date}" if not right else "headline")
            )
        if verbose:
            print(f"  {verdict:32} {entry.display_date[:28]:28} {entry.headline[:70]}")
    tally.recalled += len(taken)
    tally.faults = faults


def main(argv: list[str] | None = None) -> int:
    """Score the gold documents; exit 0 when the corpus or the scorer are not installed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--verbose", action="store_true", help="print every development entry's verdict"
    )
    parser.add_argument(
        "--heldout",
        action="store_true",
        help="score the held-out set instead (figures only, never its entries)",
    )
    args = parser.parse_args(argv)
    if args.heldout and args.verbose:
        parser.error("--verbose is for the development set only")
    if not TE3TEXT.is_file() or not CORPUS.is_dir():
        print(f"skipped: corpus or te3text.py not found under {SHARED}")
        return 0
    chosen = SETS[1:] if args.heldout else SETS[:1]
    sets = {name: read_gold(GOLD, pattern) for name, pattern in chosen}
    wanted = {gold.doc for golds in sets.values() for gold in golds}
    with tempfile.TemporaryDirectory(prefix="editorial-") as tmp:
        docs = Path(tmp) / "docs.jsonl"
        subprocess.run(
            [sys.executable, str(TE3TEXT), str(CORPUS), "-o", str(docs)],
            check=True,
            capture_output=True,
        )
        texts = {}
        for line in docs.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["doc"] in wanted:
                texts[record["doc"]] = (record["text"], record["dct"])
    missing = sorted(wanted - set(texts))
    if missing:
        print(f"gold documents not in the corpus: {', '.join(missing)}", file=sys.stderr)
        return 1
    for name, golds in sets.items():
        if not golds:
            continue
        by_doc: dict[str, list[Gold]] = {}
        for gold in golds:
            by_doc.setdefault(gold.doc, []).append(gold)
        tally = Tally(faults=Counter())
        for doc in sorted(by_doc):
            if args.verbose:
                print(doc)
            score_document(*texts[doc], by_doc[doc], tally, args.verbose)
        report(name, tally, len(by_doc))
    return 0


def report(name: str, tally: Tally, documents: int) -> None:
    """Print the figures."""

    def share(part: int, whole: int) -> str:
        return f"{100 * part / whole:5.1f}%" if whole else "    -"

    faults = tally.faults or Counter()
    print(
        f"== {name}: {documents} documents, {tally.gold_events} gold entries "
        f"(+ {tally.gold_reporting} reporting, to be hidden)"
    )
    print(f"entries shown      {tally.shown:5}   hidden (reporting, background) {tally.hidden}")
    print(
        f"precision          {share(tally.matched, tally.shown)}   "
        f"({tally.matched} shown entries are gold entries)"
    )
    print(
        f"recall             {share(tally.recalled, tally.gold_events)}   "
        f"({tally.recalled} of {tally.gold_events} gold entries shown)"
    )
    print(
        f"dates right        {share(tally.dates_right, tally.matched)}   "
        f"({tally.dates_right} of {tally.matched} matched)"
    )
    print(f"duplicates         {tally.duplicates:5}")
    print(f"reporting shown    {tally.reporting_shown:5}   (hidden: {tally.reporting_hidden})")
    print(
        f"headline faults    {sum(faults.values()):5}   "
        + (", ".join(f"{k} {v}" for k, v in sorted(faults.items())) or "none")
    )
    print(
        f"publishable        {share(tally.publishable, tally.shown)}   "
        f"({tally.publishable} of {tally.shown} shown entries)"
    )


if __name__ == "__main__":
    sys.exit(main())
