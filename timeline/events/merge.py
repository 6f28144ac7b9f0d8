"""One entry per event across articles: what several articles report is merged, and a
disagreement about its date is shown, not hidden.

Two events of different articles are the same event when the words that report them are
alike: the similarity of their headlines is the Jaccard index of their content words,
each reduced to its lemma ("clashed" and "clash" are one word; function words, numbers
and the words of time references do not count), with a bonus when their triggers share a
lemma. From ``SAME_EVENT`` they merge when their dates agree, from the higher
``SAME_EVENT_OTHER_DATE`` when they do not (both measured with ``benchmarks/merge.py`` on
pairs written for it). The merged entry takes the date most of its reports agree with (overlapping
intervals agree; the most precise of them leads: a day before a week), cites every
mention, and lists in ``conflicts`` the mentions whose interval does not overlap its own
("on Friday" in two articles, "on July 9" in a third).
Events of the same article are never merged with each other: an article that dates two
things on one day reports two events.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .anchoring import lemmas, word_classes
from .entries import GRANULARITY_RANK, Entry

# The similarity from which two reports are of the same event: when their dates agree, and
# (stronger evidence) when they disagree, so that a conflict is claimed only between
# reports that are clearly of one event. The bonus for triggers with a lemma in common.
SAME_EVENT = 0.3
SAME_EVENT_OTHER_DATE = 0.6
TRIGGER_BONUS = 0.15
CONTENT_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Report:
    """One stored event as a report of some article: what :func:`merge` reads."""

    id: int
    article_id: int
    source: str | None
    start: str
    end: str
    granularity: str
    display_date: str
    headline: str
    text: str
    trigger: str | None
    mention: dict[str, object]  # article_id, start, end, text, value
    confidence: float
    uncertain: bool
    trigger_span: tuple[int | None, int | None] = (None, None)
    order: tuple[str, str, int, int, int] = field(init=False)
    # the content lemmas of the headline, computed once: merging compares every report with
    # many others
    words: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        rank = GRANULARITY_RANK.get(self.granularity, len(GRANULARITY_RANK))
        object.__setattr__(self, "order", (self.start, self.end, rank, self.article_id, self.id))
        dated = [str(self.mention.get("text", ""))]
        object.__setattr__(self, "words", content_lemmas(self.headline, dated))

    @classmethod
    def of_entry(cls, entry: Entry, id: int, article_id: int, source: str | None) -> Report:
        """The report of an article's timeline entry (as built, before it is stored)."""
        trigger = entry.anchor.trigger
        m = entry.mention
        return cls(
            id=id,
            article_id=article_id,
            source=source,
            start=entry.start,
            end=entry.end,
            granularity=entry.granularity,
            display_date=entry.display_date,
            headline=entry.headline,
            text=entry.text,
            trigger=trigger.text if trigger else None,
            mention={
                "article_id": article_id,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "value": m.value,
            },
            confidence=entry.confidence,
            uncertain=entry.uncertain,
            trigger_span=(trigger.start, trigger.end) if trigger else (None, None),
        )


@dataclass
class Merged:
    """An entry of a timeline across articles: its main report and the others."""

    main: Report
    agreeing: list[Report] = field(default_factory=list)
    conflicting: list[Report] = field(default_factory=list)

    @property
    def reports(self) -> list[Report]:
        return [self.main, *self.agreeing, *self.conflicting]

    @property
    def articles(self) -> set[int]:
        return {r.article_id for r in self.reports}


@functools.lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    """The lemma of a lower-case word (its verb lemma first: "clashed" -> "clash")."""
    found = lemmas(word)
    for pos in ("VERB", "NOUN", "ADJ", "AUX"):
        if pos in found:
            return str(found[pos][0])
    return word


def content_lemmas(headline: str, dated: Iterable[str] = ()) -> frozenset[str]:
    """The lemmas of the headline's content words, without the words of ``dated`` (the time
    reference's own words) and without function words."""
    classes = word_classes()
    skip = classes["function"] | classes["never"] | classes["determiner"] | classes["auxiliary"]
    skip |= {w.lower() for phrase in dated for w in CONTENT_WORD.findall(phrase)}
    return frozenset(
        lemma(w.lower()) for w in CONTENT_WORD.findall(headline) if w.lower() not in skip
    )


def similarity(a: Report, b: Report) -> float:
    """How alike two reports are: the Jaccard index of their headlines' content lemmas,
    plus ``TRIGGER_BONUS`` when their triggers share a lemma."""
    words_a, words_b = a.words, b.words
    if not words_a or not words_b:
        return 0.0
    score = len(words_a & words_b) / len(words_a | words_b)
    if a.trigger and b.trigger and lemma(a.trigger.lower()) == lemma(b.trigger.lower()):
        score += TRIGGER_BONUS
    return score


def overlaps(a: Report, b: Report) -> bool:
    """Whether the two reports' intervals share some time."""
    return a.start < b.end and b.start < a.end


def same_event(a: Report, b: Report) -> bool:
    """Whether two reports of different articles are of one event: similar enough for
    whether their dates agree."""
    needed = SAME_EVENT if overlaps(a, b) else SAME_EVENT_OTHER_DATE
    return a.article_id != b.article_id and similarity(a, b) >= needed


def merge(reports: Sequence[Report]) -> list[Merged]:
    """The entries of a timeline across articles, in timeline order (see the module)."""
    groups: list[list[Report]] = []
    by_word: dict[str, list[int]] = defaultdict(list)
    for report in sorted(reports, key=lambda r: r.order):
        words = report.words
        best, best_score = None, 0.0
        for index in {i for w in words for i in by_word[w]}:
            group = groups[index]
            if any(r.article_id == report.article_id for r in group):
                continue
            score = max(
                (similarity(report, o) for o in group if same_event(report, o)), default=0.0
            )
            if score > best_score:
                best, best_score = index, score
        if best is None:
            best = len(groups)
            groups.append([])
        groups[best].append(report)
        for w in words:
            by_word[w].append(best)
    return sorted((_entry(group) for group in groups), key=lambda e: e.main.order)


def _entry(group: list[Report]) -> Merged:
    """A group of reports of one event as an entry: its main report has the date most
    reports agree with (the most precise one among equals); the others agree with it or
    conflict."""

    def support(report: Report) -> tuple[int, int, tuple[str, str, int, int, int]]:
        agreeing = sum(overlaps(report, other) for other in group)
        rank = GRANULARITY_RANK.get(report.granularity, len(GRANULARITY_RANK))
        return -agreeing, rank, report.order

    main = min(group, key=support)
    entry = Merged(main)
    for report in group:
        if report is not main:
            (entry.agreeing if overlaps(report, main) else entry.conflicting).append(report)
    return entry
