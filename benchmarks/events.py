#!/usr/bin/env python3
"""Event anchoring against the event-time links of TimeBank and AQUAINT (TBAQ-cleaned).

TimeBank and AQUAINT annotate EVENTs and the TLINKs between events and time expressions.
For every time reference the tagger finds, the service names the event it dates (its
trigger word, :mod:`timeline.events.anchoring`). This script counts how often that trigger
is an event the gold data links to the same time expression, over the links whose event
lies in the time expression's sentence:

* precision (P): the share of the service's links that are gold links, counted over the
  time references the annotators linked to some event of their sentence (TimeBank links
  only part of its pairs, so a link to a time expression they left unlinked cannot be
  judged); ``P(all)`` counts every link the service makes;
* recall (R): the share of the gold-linked time expressions whose trigger is one of their
  gold events. The service dates one event per time reference (the entry of a timeline),
  while the annotators often link one time expression to several events of its sentence
  (the reporting verb, the event reported, coordinated verbs); ``R(links)`` is the share
  of all gold links made, which one link per time reference can at most bring to the
  share of time expressions among the links.

A trigger matches a gold event when their spans overlap; a mention matches a gold time
expression the same way. The corpora live outside the repository
(``<repo>/../shared/corpora``); when they are absent the script says so and exits 0.

    python benchmarks/events.py
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from timeline import tag  # noqa: E402
from timeline.events.anchoring import anchor_events  # noqa: E402
from timeline.tagger.context import sentence_bounds  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpora" / "tempeval3" / "TBAQ-cleaned"


@dataclass
class Document:
    """A .tml file: its plain text, creation date, events, time expressions and links."""

    name: str
    text: str
    dct: str
    events: dict[str, tuple[int, int]] = field(default_factory=dict)
    timexes: dict[str, tuple[int, int]] = field(default_factory=dict)
    links: set[tuple[str, str]] = field(default_factory=set)  # (event id, time id)


def read_document(path: Path) -> Document:
    """Parse a TimeML file; offsets index the text inside ``<TEXT>`` as te3text.py gives it."""
    root = ElementTree.parse(path).getroot()
    creation = [t for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"]
    dct = creation[0].get("value", "") if creation else ""
    body = root.find("TEXT")
    doc = Document(path.stem, "", dct[:10])
    parts: list[str] = []

    def walk(node: ElementTree.Element) -> None:
        start = sum(len(p) for p in parts)
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")
        end = sum(len(p) for p in parts)
        if node.tag == "EVENT":
            doc.events[node.get("eid", "")] = (start, end)
        elif node.tag == "TIMEX3":
            doc.timexes[node.get("tid", "")] = (start, end)

    if body is not None:
        walk(body)
    doc.text = "".join(parts)
    instances = {m.get("eiid", ""): m.get("eventID", "") for m in root.iter("MAKEINSTANCE")}
    for link in root.iter("TLINK"):
        event = link.get("eventInstanceID") or link.get("relatedToEventInstance")
        time = link.get("timeID") or link.get("relatedToTime")
        one_of_each = bool(link.get("eventInstanceID")) != bool(link.get("relatedToEventInstance"))
        known = instances.get(event or "") in doc.events and time in doc.timexes
        if event and time and one_of_each and known:
            doc.links.add((instances[event], time))
    return doc


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class Counts:
    gold: int = 0
    gold_times: int = 0
    predicted: int = 0
    judged: int = 0
    correct: int = 0

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.gold_times += other.gold_times
        self.predicted += other.predicted
        self.judged += other.judged
        self.correct += other.correct


def score(doc: Document) -> Counts:
    """The counts of one document."""
    counts = Counts()
    linked: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for event, time in doc.links:
        event_span, time_span = doc.events[event], doc.timexes[time]
        left, right = sentence_bounds(doc.text, *time_span)
        if left <= event_span[0] and event_span[1] <= right:
            linked[time].append(event_span)
    counts.gold = sum(len(spans) for spans in linked.values())
    counts.gold_times = len(linked)
    mentions = tag(doc.text, doc.dct)
    for anchor in anchor_events(doc.text, mentions):
        if anchor.trigger is None:
            continue
        counts.predicted += 1
        span = (anchor.mention.start, anchor.mention.end)
        gold = next((t for t, s in doc.timexes.items() if overlaps(s, span)), None)
        if gold is None or gold not in linked:
            continue
        counts.judged += 1
        trigger = (anchor.trigger.start, anchor.trigger.end)
        counts.correct += any(overlaps(trigger, e) for e in linked[gold])
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the TBAQ-cleaned folder")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: corpus not found at {args.corpus}")
        return 0
    print(f"event-time links within a sentence, {args.corpus}")
    print(
        "times: gold time expressions linked to an event of their sentence; links: those"
        " links;\nmade: the service's links; judged: those whose time expression is one of"
        " 'times'; right: judged links to a gold event"
    )
    print(
        f"{'part':12s} {'docs':>5s} {'times':>6s} {'links':>6s} {'made':>6s} {'judged':>6s}"
        f" {'right':>6s} {'P':>6s} {'P(all)':>7s} {'R':>6s} {'R(links)':>8s}"
    )
    total = Counts()
    files = 0
    for part in sorted(p for p in args.corpus.iterdir() if p.is_dir()):
        counts = Counts()
        paths = sorted(part.glob("*.tml"))
        for path in paths:
            counts.add(score(read_document(path)))
        files += len(paths)
        total.add(counts)
        print(row(part.name, len(paths), counts))
    print(row("all", files, total))
    return 0


def row(name: str, docs: int, c: Counts) -> str:
    p = c.correct / c.judged if c.judged else 0.0
    p_all = c.correct / c.predicted if c.predicted else 0.0
    r = c.correct / c.gold_times if c.gold_times else 0.0
    r_links = c.correct / c.gold if c.gold else 0.0
    return (
        f"{name:12s} {docs:5d} {c.gold_times:6d} {c.gold:6d} {c.predicted:6d} {c.judged:6d}"
        f" {c.correct:6d} {p:6.3f} {p_all:7.3f} {r:6.3f} {r_links:8.3f}"
    )


if __name__ == "__main__":
    sys.exit(main())
