#!/usr/bin/env python3
"""Event anchoring against the event-time links of TimeBank and AQUAINT (TBAQ-cleaned).

TimeBank and AQUAINT annotate EVENTs and the TLINKs between events and time expressions.
For every time reference the tagger finds, the service names the events it dates (its
trigger and other triggers, :mod:`timeline.events.anchoring`). This script counts how often
those words are events the gold data links to the same time expression, over the links
whose event lies in the time expression's sentence:

* precision (P): the share of the service's links that are gold links, counted over the
  time references the annotators linked to some event of their sentence (TimeBank links
  only part of its pairs, so a link to a time expression they left unlinked cannot be
  judged); ``P(all)`` counts every link the service makes;
* recall per gold link (``R(links)``): the share of all gold links made; ``R``: the share
  of the gold-linked time expressions that get at least one of their gold events;
* ``unlinked``: the judged links that are wrong but whose word is an EVENT the annotators
  linked to no time expression of the text, so that TimeBank's sparse links cannot say
  whether the time dates it; ``P(lenient)`` leaves them out of the judged links. It is a
  diagnostic of how much of the shortfall is the corpus's missing links, not the measure:
  ``P`` counts them wrong, as the target does, since a model that dated every unlinked event
  would gain on ``P(lenient)`` without dating anything better.

A word matches a gold event when their spans overlap; a mention matches a gold time
expression the same way.

The event and link models (:mod:`timeline.events.linking`) are learned from these
documents, so the script prints two sets of scores: the shipped models' (``eventness.tsv``
and ``links.tsv``, learned from all of them: optimistic), and cross-validated ones, five
folds by document, each fold scored by models learned from the other four, at several link
thresholds, for two ways of splitting the documents into folds (every fifth by name, and by
a hash of the name). ``--train`` learns both models from every document and writes their
files first.

The corpora live outside the repository (``<repo>/../shared/corpora``); when they are
absent the script says so and exits 0.

    python benchmarks/events.py [--train]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from timeline import tag  # noqa: E402
from timeline.events.anchoring import (  # noqa: E402
    anchor_events,
    link_features,
    word_features,
)
from timeline.events.linking import (  # noqa: E402
    EVENTS_FILE,
    LINKS_FILE,
    Model,
    default_event_model,
    default_model,
    train,
    write_model,
)
from timeline.events.words import WORD  # noqa: E402
from timeline.tagger.context import sentence_bounds  # noqa: E402
from timeline.tagger.model import Mention  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpora" / "tempeval3" / "TBAQ-cleaned"
MODEL_PATH = REPO / "timeline" / "events" / LINKS_FILE
EVENT_MODEL_PATH = REPO / "timeline" / "events" / EVENTS_FILE
FOLDS = 5
C = 0.3  # the inverse strength of the models' L2 penalty
EVENT_ITERATIONS = 300
EVENT_MIN_COUNT = 5  # a feature of the event model seen in fewer words gets no weight
THRESHOLD = 0.52  # the probability above which a further word is linked too
THRESHOLDS = (0.44, 0.48, 0.52, 0.56, 1.0)


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
    unlinked: int = 0

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
    unlinked: list[tuple[int, int]]  # the EVENTs linked to no time expression of the text


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
    dated = {event for event, _ in doc.links}
    unlinked = sorted(span for event, span in doc.events.items() if event not in dated)
    return Prepared(doc, dict(linked), mentions, gold_of, unlinked)


def score(p: Prepared, model: Model | None = None, events: Model | None = None) -> Counts:
    """The counts of one document, its mentions anchored with the link ``model`` and the
    event model ``events``."""
    counts = Counts()
    counts.gold = sum(len(spans) for spans in p.linked.values())
    counts.gold_times = len(p.linked)
    anchors = anchor_events(p.doc.text, p.mentions, model, events)
    for anchor, gold in zip(anchors, p.gold_of, strict=True):
        links = ([anchor.trigger] if anchor.trigger else []) + list(anchor.also)
        counts.predicted += len(links)
        if gold is None or gold not in p.linked:
            continue
        hits = [any(overlaps((w.start, w.end), e) for e in p.linked[gold]) for w in links]
        counts.judged += len(links)
        counts.correct += sum(hits)
        counts.times_right += any(hits)
        counts.unlinked += sum(
            not hit and any(overlaps((w.start, w.end), e) for e in p.unlinked)
            for w, hit in zip(links, hits, strict=True)
        )
    return counts


def examples(p: Prepared, events: Model | None = None) -> list[tuple[dict[str, float], bool]]:
    """The link model's training pairs of one document: every candidate word of every time
    reference the tagger finds, and whether the annotators linked it to the time expression
    the reference overlaps (no word of a reference they left unlinked, or did not annotate,
    is a link: the service anchors those references too). ``events`` is the event model
    whose probabilities are among the features."""
    taken = [(m.start, m.end) for m in p.mentions]
    pairs = []
    for mention, gold in zip(p.mentions, p.gold_of, strict=True):
        linked = p.linked.get(gold or "", [])
        for word, features in link_features(p.doc.text, mention, taken, events):
            span = (word.span.start, word.span.end)
            pairs.append((features, any(overlaps(span, e) for e in linked)))
    return pairs


def event_examples(p: Prepared) -> list[tuple[dict[str, float], bool]]:
    """The event model's training pairs of one document: every word of every sentence, and
    whether the annotators tagged it as (part of) an EVENT."""
    text, spans = p.doc.text, sorted(p.doc.events.values())
    starts = [s for s, _ in spans]
    pairs = []
    at = 0
    while at < len(text):
        left, right = sentence_bounds(text, at, at)
        right = max(right, at + 1)
        every = list(WORD.finditer(text, left, right))
        for i, token in enumerate(every):
            k = bisect_right(starts, token.start()) - 1
            inside = k >= 0 and spans[k][0] < token.end() and token.start() < spans[k][1]
            pairs.append((word_features(every, i), inside))
        at = right
    return pairs


def read_parts(corpus: Path) -> dict[str, list[Prepared]]:
    return {
        part.name: [prepare(read_document(path)) for path in sorted(part.glob("*.tml"))]
        for part in sorted(p for p in corpus.iterdir() if p.is_dir())
    }


def by_position(p: Prepared, ordered: list[str]) -> int:
    """Every FOLDS-th document by name in one fold."""
    return ordered.index(p.doc.name) % FOLDS


def by_hash(p: Prepared, ordered: list[str]) -> int:
    """The documents spread over the folds by a hash of their names."""
    return int(hashlib.sha256(p.doc.name.encode()).hexdigest(), 16) % FOLDS


SPLITS = {"every 5th": by_position, "by hash": by_hash}


def folds(
    docs: list[Prepared], split: Callable[[Prepared, list[str]], int]
) -> list[tuple[list[Prepared], list[Prepared]]]:
    """``FOLDS`` splits of the documents, as (train, test)."""
    names = sorted(p.doc.name for p in docs)
    fold = {p.doc.name: split(p, names) for p in docs}
    return [
        ([p for p in docs if fold[p.doc.name] != k], [p for p in docs if fold[p.doc.name] == k])
        for k in range(FOLDS)
    ]


def fit(docs: list[Prepared]) -> tuple[Model, Model]:
    """The link and event models learned from ``docs``: first the event model from their
    EVENT tags, then the link model from their links, with the event model's probabilities
    among its features."""
    events = Model(
        train(
            [e for p in docs for e in event_examples(p)],
            c=C,
            iterations=EVENT_ITERATIONS,
            min_count=EVENT_MIN_COUNT,
        ),
        0.5,
    )
    links = Model(train([e for p in docs for e in examples(p, events)], c=C), THRESHOLD)
    return links, events


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the TBAQ-cleaned folder")
    parser.add_argument(
        "--train",
        action="store_true",
        help="learn the event and link models from the whole corpus and write their files"
        f" ({EVENT_MODEL_PATH.name}, {MODEL_PATH.name})",
    )
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: corpus not found at {args.corpus}")
        return 0
    parts = read_parts(args.corpus)
    everything = [p for docs in parts.values() for p in docs]
    if args.train:
        links, events = fit(everything)
        note = (
            f"Learned by `python benchmarks/events.py --train` from the {len(everything)}"
            f" documents of TBAQ-cleaned (C={C})."
        )
        write_model(
            str(EVENT_MODEL_PATH),
            events.weights,
            0.5,
            "Weights of the event model (timeline.events.linking): does a word name an event?\n"
            + note,
        )
        write_model(
            str(MODEL_PATH),
            links.weights,
            THRESHOLD,
            "Weights of the link model (timeline.events.linking): is a word an event a time\n"
            "reference dates? " + note + "\nThe threshold was chosen by cross-validation there.",
        )
        print(f"wrote {len(events.weights)} weights to {EVENT_MODEL_PATH}")
        print(f"wrote {len(links.weights)} weights to {MODEL_PATH}")
        default_model.cache_clear()
        default_event_model.cache_clear()
    print(f"event-time links within a sentence, {args.corpus}")
    print(
        "times: gold time expressions linked to an event of their sentence; links: those"
        " links;\nmade: the service's links; judged: those whose time expression is one of"
        " 'times'; right: judged links to a gold event;\nunlinked: wrong judged links to an"
        " EVENT linked to no time of the text (left out of P(lenient), a diagnostic)"
    )
    print(HEADER)
    print("the shipped models (links.tsv, eventness.tsv, learned from all of these documents):")
    total = Counts()
    for name, docs in parts.items():
        counts = Counts()
        for p in docs:
            counts.add(score(p))
        total.add(counts)
        print(row(name, len(docs), counts))
    print(row("all", len(everything), total))
    for split_name, split in SPLITS.items():
        print(
            f"cross-validated, {FOLDS} folds by document ({split_name}), each scored by models"
            " learned from the other folds, at link thresholds:"
        )
        models = [(fit(train_docs), test) for train_docs, test in folds(everything, split)]
        for threshold in THRESHOLDS:
            counts = Counts()
            for (links, events), test in models:
                for p in test:
                    counts.add(score(p, Model(links.weights, threshold), events))
            mark = " (shipped)" if threshold == THRESHOLD else ""
            print(row(f"{threshold:.2f}{mark}", len(everything), counts))
    return 0


HEADER = (
    f"{'part':15s} {'docs':>5s} {'times':>6s} {'links':>6s} {'made':>6s} {'judged':>6s}"
    f" {'right':>6s} {'P':>6s} {'P(all)':>7s} {'R':>6s} {'R(links)':>8s}"
    f" {'unlinked':>8s} {'P(lenient)':>10s}"
)


def row(name: str, docs: int, c: Counts) -> str:
    p = c.correct / c.judged if c.judged else 0.0
    p_all = c.correct / c.predicted if c.predicted else 0.0
    r = c.times_right / c.gold_times if c.gold_times else 0.0
    r_links = c.correct / c.gold if c.gold else 0.0
    lenient = c.judged - c.unlinked
    p_lenient = c.correct / lenient if lenient else 0.0
    return (
        f"{name:15s} {docs:5d} {c.gold_times:6d} {c.gold:6d} {c.predicted:6d} {c.judged:6d}"
        f" {c.correct:6d} {p:6.3f} {p_all:7.3f} {r:6.3f} {r_links:8.3f}"
        f" {c.unlinked:8d} {p_lenient:10.3f}"
    )


if __name__ == "__main__":
    sys.exit(main())
