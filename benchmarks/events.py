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
from timeline.events.anchoring import anchor_events, link_features  # noqa: E402
from timeline.events.linking import (  # noqa: E402
    LINKS_FILE,
    Model,
    default_model,
    train,
    write_model,
)
from timeline.tagger.context import sentence_bounds  # noqa: E402
from timeline.tagger.model import Mention  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpora" / "tempeval3" / "TBAQ-cleaned"
MODEL_PATH = REPO / "timeline" / "events" / LINKS_FILE
FOLDS = 5
C = 0.3  # the inverse strength of the link model's L2 penalty
THRESHOLD = 0.48  # the probability above which a further word is linked too
THRESHOLDS = (0.4, 0.44, 0.48, 0.52, 0.56, 1.0)


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
    times_right: int = 0

    def add(self, other: Counts) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Prepared:
    """A document with its gold links within a sentence and the tagger's mentions (tagged
    once, however many models anchor them)."""

    doc: Document
    linked: dict[str, list[tuple[int, int]]]
    mentions: list[Mention]
    gold_of: list[str | None]  # the gold time expression each mention overlaps


def prepare(doc: Document) -> Prepared:
    linked: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for event, time in sorted(doc.links):
        event_span, time_span = doc.events[event], doc.timexes[time]
        left, right = sentence_bounds(doc.text, *time_span)
        if left <= event_span[0] and event_span[1] <= right:
            linked[time].append(event_span)
    mentions = tag(doc.text, doc.dct)
    gold_of = [
        next((t for t, s in doc.timexes.items() if overlaps(s, (m.start, m.end))), None)
        for m in mentions
    ]
    return Prepared(doc, dict(linked), mentions, gold_of)


def score(p: Prepared, model: Model | None = None) -> Counts:
    """The counts of one document, its mentions anchored with ``model``."""
    counts = Counts()
    counts.gold = sum(len(spans) for spans in p.linked.values())
    counts.gold_times = len(p.linked)
    for anchor, gold in zip(anchor_events(p.doc.text, p.mentions, model), p.gold_of, strict=True):
        links = ([anchor.trigger] if anchor.trigger else []) + list(anchor.also)
        counts.predicted += len(links)
        if gold is None or gold not in p.linked:
            continue
        right = sum(any(overlaps((w.start, w.end), e) for e in p.linked[gold]) for w in links)
        counts.judged += len(links)
        counts.correct += right
        counts.times_right += right > 0
    return counts


def examples(p: Prepared) -> list[tuple[dict[str, float], bool]]:
    """The link model's training pairs of one document: every candidate word of every time
    reference the tagger finds, and whether the annotators linked it to the time expression
    the reference overlaps (no word of a reference they left unlinked, or did not annotate,
    is a link: the service anchors those references too)."""
    taken = [(m.start, m.end) for m in p.mentions]
    pairs = []
    for mention, gold in zip(p.mentions, p.gold_of, strict=True):
        events = p.linked.get(gold or "", [])
        for word, features in link_features(p.doc.text, mention, taken):
            span = (word.span.start, word.span.end)
            pairs.append((features, any(overlaps(span, e) for e in events)))
    return pairs


def read_parts(corpus: Path) -> dict[str, list[Prepared]]:
    return {
        part.name: [prepare(read_document(path)) for path in sorted(part.glob("*.tml"))]
        for part in sorted(p for p in corpus.iterdir() if p.is_dir())
    }


def folds(docs: list[Prepared]) -> list[tuple[list[Prepared], list[Prepared]]]:
    """``FOLDS`` splits of the documents (by name, every FOLDS-th), as (train, test)."""
    ordered = sorted(docs, key=lambda p: p.doc.name)
    return [
        (
            [p for i, p in enumerate(ordered) if i % FOLDS != k],
            [p for i, p in enumerate(ordered) if i % FOLDS == k],
        )
        for k in range(FOLDS)
    ]


def fit(docs: list[Prepared], threshold: float) -> Model:
    return Model(train([e for p in docs for e in examples(p)], c=C), threshold)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the TBAQ-cleaned folder")
    parser.add_argument(
        "--train",
        action="store_true",
        help=f"learn the link model from the whole corpus and write it to {MODEL_PATH}",
    )
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: corpus not found at {args.corpus}")
        return 0
    parts = read_parts(args.corpus)
    everything = [p for docs in parts.values() for p in docs]
    if args.train:
        weights = train([e for p in everything for e in examples(p)], c=C)
        note = (
            f"Learned by `python benchmarks/events.py --train` from {len(everything)} documents"
            f" of TBAQ-cleaned\n(C={C}); the threshold was chosen by cross-validation there."
        )
        write_model(str(MODEL_PATH), weights, THRESHOLD, note)
        print(f"wrote {len(weights)} weights to {MODEL_PATH}")
        default_model.cache_clear()
    print(f"event-time links within a sentence, {args.corpus}")
    print(
        "times: gold time expressions linked to an event of their sentence; links: those"
        " links;\nmade: the service's links; judged: those whose time expression is one of"
        " 'times'; right: judged links to a gold event"
    )
    print(HEADER)
    print("the shipped model (links.tsv, learned from all of these documents):")
    total = Counts()
    for name, docs in parts.items():
        counts = Counts()
        for p in docs:
            counts.add(score(p))
        total.add(counts)
        print(row(name, len(docs), counts))
    print(row("all", len(everything), total))
    print(
        f"cross-validated: {FOLDS} folds by document, each scored by a model learned from"
        " the other folds, at link thresholds:"
    )
    models = [(fit(train_docs, THRESHOLD), test) for train_docs, test in folds(everything)]
    for threshold in THRESHOLDS:
        counts = Counts()
        for model, test in models:
            for p in test:
                counts.add(score(p, Model(model.weights, threshold)))
        mark = " (shipped)" if threshold == THRESHOLD else ""
        print(row(f"{threshold:.2f}{mark}", len(everything), counts))
    return 0


HEADER = (
    f"{'part':15s} {'docs':>5s} {'times':>6s} {'links':>6s} {'made':>6s} {'judged':>6s}"
    f" {'right':>6s} {'P':>6s} {'P(all)':>7s} {'R':>6s} {'R(links)':>8s}"
)


def row(name: str, docs: int, c: Counts) -> str:
    p = c.correct / c.judged if c.judged else 0.0
    p_all = c.correct / c.predicted if c.predicted else 0.0
    r = c.times_right / c.gold_times if c.gold_times else 0.0
    r_links = c.correct / c.gold if c.gold else 0.0
    return (
        f"{name:15s} {docs:5d} {c.gold_times:6d} {c.gold:6d} {c.predicted:6d} {c.judged:6d}"
        f" {c.correct:6d} {p:6.3f} {p_all:7.3f} {r:6.3f} {r_links:8.3f}"
    )


if __name__ == "__main__":
    sys.exit(main())
