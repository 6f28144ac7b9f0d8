#!/usr/bin/env python3
"""How well headline similarity tells reports of one event from reports of another.

``timeline.events.merge`` merges two articles' events when the similarity of their
headlines reaches ``SAME_EVENT``. This script reads pairs of sentences written for it
(``benchmarks/merge_pairs.tsv``: 20 pairs that report one event in other words and with
other dates, 20 that report different events with words in common), makes each sentence's
timeline entry, and prints, for a range of thresholds, the precision, recall and F1 of
"same event". Two reports merge from ``SAME_EVENT`` when their dates agree and from the
higher ``SAME_EVENT_OTHER_DATE`` when they do not; the table varies both (the pair in use
is marked).

    python benchmarks/merge.py
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from timeline import tag  # noqa: E402
from timeline.events import merge as merging  # noqa: E402
from timeline.events.entries import build_entries  # noqa: E402
from timeline.events.merge import Report, overlaps, similarity  # noqa: E402

PAIRS = Path(__file__).with_name("merge_pairs.tsv")
THRESHOLDS = [0.2, 0.3, 0.4, 0.5]
OTHER_DATE_THRESHOLDS = [0.3, 0.4, 0.6, 0.8]


@dataclass(frozen=True)
class Pair:
    same: bool
    a: Report
    b: Report


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
        same, day_a, text_a, day_b, text_b = line.split("\t")
        n = len(pairs) * 2
        pairs.append(Pair(same == "yes", report(n, day_a, text_a), report(n + 1, day_b, text_b)))
    return pairs


def apart(a: Report, b: Report) -> bool:
    """Whether the names of two reports tell them apart (both name something, nothing in
    common)."""
    return bool(a.names and b.names and not a.names & b.names)


def main() -> int:
    pairs = read_pairs()
    # a pair whose names tell it apart is never merged (merge.same_event), whatever its score
    scores = [
        (0.0 if apart(p.a, p.b) else similarity(p.a, p.b), overlaps(p.a, p.b), p.same)
        for p in pairs
    ]
    told = [p.same for p in pairs if apart(p.a, p.b)]
    print(
        f"{len(told)} pairs told apart by their names, {sum(told)} of them wrongly"
        " (pairs of one event)"
    )
    same = sum(p.same for p in pairs)
    agree = sum(1 for _, agreeing, _ in scores if agreeing)
    print(f"{len(pairs)} pairs ({same} of one event; dates agree in {agree}), {PAIRS}")
    print(f"{'same':>5s} {'other':>6s} {'merged':>7s} {'right':>6s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    for threshold in THRESHOLDS:
        for other in OTHER_DATE_THRESHOLDS:
            merged = [s for s in scores if s[0] >= (threshold if s[1] else other)]
            right = sum(1 for *_, is_same in merged if is_same)
            p = right / len(merged) if merged else 0.0
            r = right / same if same else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            in_use = (threshold, other) == (merging.SAME_EVENT, merging.SAME_EVENT_OTHER_DATE)
            mark = "  <- in use" if in_use else ""
            print(
                f"{threshold:5.2f} {other:6.2f} {len(merged):7d} {right:6d}"
                f" {p:6.3f} {r:6.3f} {f1:6.3f}{mark}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
