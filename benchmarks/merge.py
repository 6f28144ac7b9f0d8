#!/usr/bin/env python3
"""How well grouping tells reports of one event from reports of another.

``timeline.events.merge.same_event`` decides whether the events of two articles are one
event: their kinds, names that tell them apart, a participant in common, and the similarity
of their headlines from ``SAME_EVENT`` when their dates agree, ``SAME_EVENT_NEAR_DATE`` when
they are a day apart and ``SAME_EVENT_OTHER_DATE`` when further. This script reads pairs of
sentences written for it (``benchmarks/merge_pairs.tsv``: pairs that report one event in
other words, at other precisions or with other dates, and pairs that report different events
with words or a common verb in common), makes each sentence's timeline entry, and prints,
for each case of pairs and for all of them, how many pairs the rule judges one event, and
the precision and recall of "same event"; then the same figures over all pairs for other
thresholds, one varied at a time (the rule's in use are marked). ``--show`` prints every
pair the rule judges wrongly.

    python benchmarks/merge.py [--show]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from timeline import tag  # noqa: E402
from timeline.events.entries import build_entries  # noqa: E402
from timeline.events.merge import (  # noqa: E402
    THRESHOLDS,
    Report,
    Thresholds,
    needed,
    participants,
    same_event,
    similarity,
)

PAIRS = Path(__file__).with_name("merge_pairs.tsv")
CASES = ("reworded", "related", "precision", "other_date", "common_verb")
VARIED = {
    "agreeing": [0.2, 0.3, 0.4, 0.5],
    "near_date": [0.3, 0.4, 0.45, 0.5, 0.6],
    "other_date": [0.45, 0.5, 0.6, 0.8],
}


@dataclass(frozen=True)
class Pair:
    same: bool
    case: str
    a: Report
    b: Report


@dataclass(frozen=True)
class Counts:
    """How a rule judged some pairs: merged rightly, merged wrongly, missed, kept apart."""

    right: int = 0
    wrong: int = 0
    missed: int = 0
    apart: int = 0

    @property
    def pairs(self) -> int:
        return self.right + self.wrong + self.missed + self.apart

    @property
    def precision(self) -> float:
        merged = self.right + self.wrong
        return self.right / merged if merged else 0.0

    @property
    def recall(self) -> float:
        same = self.right + self.missed
        return self.right / same if same else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def report(article_id: int, published: str, text: str) -> Report:
    """The report of the first timeline entry of ``text``."""
    day = date.fromisoformat(published)
    entries = build_entries(text, day, tag(text, day))
    if not entries:
        raise SystemExit(f"{PAIRS.name}: no dated event in {text!r}")
    return Report.of_entry(entries[0], article_id, article_id, None)


def read_pairs() -> list[Pair]:
    pairs: list[Pair] = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        same, case, day_a, text_a, day_b, text_b = line.split("\t")
        if case not in CASES:
            raise SystemExit(f"{PAIRS.name}: unknown case {case!r}")
        n = len(pairs) * 2
        a, b = report(n, day_a, text_a), report(n + 1, day_b, text_b)
        pairs.append(Pair(same == "yes", case, a, b))
    return pairs


def counts(pairs: Iterable[Pair], thresholds: Thresholds = THRESHOLDS) -> Counts:
    """How ``same_event`` with ``thresholds`` judges ``pairs``."""
    found = Counts()
    for pair in pairs:
        merged = same_event(pair.a, pair.b, thresholds)
        if merged and pair.same:
            found = replace(found, right=found.right + 1)
        elif merged:
            found = replace(found, wrong=found.wrong + 1)
        elif pair.same:
            found = replace(found, missed=found.missed + 1)
        else:
            found = replace(found, apart=found.apart + 1)
    return found


def row(label: str, found: Counts, mark: str = "") -> str:
    """One line of a table (``-`` for a precision of no merges or a recall of no pairs of
    one event)."""
    merged, same = found.right + found.wrong, found.right + found.missed
    p = f"{found.precision:6.3f}" if merged else f"{'-':>6s}"
    r = f"{found.recall:6.3f}" if same else f"{'-':>6s}"
    f1 = f"{found.f1:6.3f}" if merged and same else f"{'-':>6s}"
    return (
        f"{label:<22s} {found.pairs:5d} {same:5d} {merged:6d} {found.right:5d}"
        f" {found.wrong:5d} {found.missed:6d} {p} {r} {f1}{mark}"
    )


HEADER = (
    f"{'':<22s} {'pairs':>5s} {'same':>5s} {'merged':>6s} {'right':>5s} {'wrong':>5s}"
    f" {'missed':>6s} {'P':>6s} {'R':>6s} {'F1':>6s}"
)


def why_apart(a: Report, b: Report) -> str:
    """Why the rule keeps two reports apart, or how alike it finds them."""
    if a.kind != b.kind:
        return f"of two kinds, {a.kind} and {b.kind}"
    if a.names and b.names and not a.names & b.names:
        return "names tell them apart"
    if not participants(a, b):
        return "no participant in common"
    return f"similarity {similarity(a, b):.2f}, needed {needed(a, b):.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="print the pairs judged wrongly")
    args = parser.parse_args()
    pairs = read_pairs()
    same = sum(p.same for p in pairs)
    print(f"{len(pairs)} pairs ({same} of one event), {PAIRS}")
    print(
        f"thresholds in use: agreeing {THRESHOLDS.agreeing}, near date {THRESHOLDS.near_date},"
        f" other date {THRESHOLDS.other_date}"
    )
    print(HEADER)
    for case in CASES:
        print(row(case, counts(p for p in pairs if p.case == case)))
    print(row("all", counts(pairs)))
    for name, values in VARIED.items():
        print(f"\nall pairs, {name} threshold varied")
        print(HEADER)
        for value in values:
            thresholds = replace(THRESHOLDS, **{name: value})
            mark = "  <- in use" if thresholds == THRESHOLDS else ""
            print(row(f"{name} {value:.2f}", counts(pairs, thresholds), mark))
    if args.show:
        print("\npairs judged wrongly")
        for pair in pairs:
            if same_event(pair.a, pair.b) != pair.same:
                verdict = "missed" if pair.same else "merged"
                print(f"{verdict} ({pair.case}; {why_apart(pair.a, pair.b)}):")
                print(f"    {pair.a.headline!r} ({pair.a.start}, {pair.a.granularity})")
                print(f"    {pair.b.headline!r} ({pair.b.start}, {pair.b.granularity})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
