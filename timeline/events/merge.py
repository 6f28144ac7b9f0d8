"""One entry per event across articles: what several articles report is merged, and a
disagreement about its date is shown, not hidden.

Two events of different articles are the same event when the words that report them are
alike: the similarity of their headlines is the Jaccard index of their content words, each
reduced to its lemma ("clashed" and "clash" are one word; function words, numbers, the words
of time references and the common verbs of ``common_verbs.tsv``, reporting and light verbs
such as "said", "announced", "took", do not count), with a bonus when their triggers share a
lemma that is not a common verb. Reports that both name someone or something (a capitalised
word after the first word of the headline, other than a month or a day) are of one event
only when they share a name: "the Kamo conflict began in 1995" is not "the Tanbel conflict
began in 2003". Reports must share a participant: a name, or a content word other than their
triggers and the common verbs: "the ministry announced tariffs on Monday" is not "the club
announced its coach on Monday". From ``SAME_EVENT`` they merge when their dates agree (a
month and the year it is in agree: "March 2015" and "2015"), from the higher
``SAME_EVENT_NEAR_DATE`` when they are at most ``NEAR_DAYS`` apart (a day: a time zone, a
night or a late report between "Monday" and "March 3"), from the higher still
``SAME_EVENT_OTHER_DATE`` when they are further apart (all measured with
``benchmarks/merge.py`` on pairs written for it). The merged entry takes the date most of
its reports agree with (overlapping intervals agree; the most precise of them leads: a day
before a week, March 2015 before 2015), cites every mention, and lists in ``conflicts`` the
mentions whose interval does not overlap its own ("on Friday" in two articles, "on July 9"
in a third).
Events of the same article are never merged with each other: an article that dates two
things on one day reports two events. Nor are reports of two kinds (:mod:`.kinds`): an entry
has one kind, so that a timeline that hides reporting ("the minister said on Monday") never
hides an event whose group a report of its saying leads.

An entry's ``id`` is its group's, the id of the group's first report (:attr:`Merged.id`):
the same in the timeline across articles, whose entries show their group's lead, and in an
article's timeline, whose entries show that article's own report.

Reports are grouped as they arrive (:func:`best_group`): the store puts each new event in
the group of the most similar stored report of another article that is of the same event,
or starts a group, so that reading a timeline compares nothing (:mod:`timeline.store.timelines`).
:func:`merge` is the same grouping over reports held in memory.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import defaultdict
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, TypeVar

from .entries import Entry, rank
from .words import class_table, lemma, word_classes

# The similarity from which two reports are of the same event: when their dates agree;
# (stronger evidence) when they disagree by at most NEAR_DAYS, as reports of one event
# often do (a time zone, a night, a late report); and (stronger still) when they disagree
# by more, so that a conflict is claimed only between reports that are clearly of one event.
# The bonus for triggers with a lemma in common.
SAME_EVENT = 0.3
SAME_EVENT_NEAR_DATE = 0.45
SAME_EVENT_OTHER_DATE = 0.6
NEAR_DAYS = 1
TRIGGER_BONUS = 0.15
CONTENT_WORD = re.compile(r"[^\W\d_]{2,}")
# The length from which a word is not one a headline compares by (and not one the stored
# word index, 64 characters wide with the mark of a name, can hold).
MAX_WORD = 63
# Capitalised words that are not names.
CALENDAR_WORDS = frozenset(
    {
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december", "jan", "feb", "mar", "apr"),
        *("jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday"),
        *("wednesday", "thursday", "friday", "saturday", "sunday"),
    }
)

# The order of timeline entries: interval start, end, granularity (finer first), then the
# article and the report's id, so that equal dates keep a stable order.
Order = tuple[str, str, int, int, int]


@dataclass(frozen=True)
class Thresholds:
    """The similarities from which two reports are of one event, by how their dates agree
    (the defaults are the rule's; ``benchmarks/merge.py`` tries others)."""

    agreeing: float = SAME_EVENT
    near_date: float = SAME_EVENT_NEAR_DATE
    other_date: float = SAME_EVENT_OTHER_DATE


THRESHOLDS = Thresholds()


class Dated(Protocol):
    """What grouping reads of a report: who reported it, when, and in which words."""

    @property
    def id(self) -> int: ...
    @property
    def article_id(self) -> int: ...
    @property
    def start(self) -> str: ...
    @property
    def end(self) -> str: ...
    @property
    def granularity(self) -> str: ...
    @property
    def trigger(self) -> str | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def words(self) -> frozenset[str]: ...
    @property
    def names(self) -> frozenset[str]: ...


D = TypeVar("D", bound=Dated)


def order(report: Dated) -> Order:
    """Where a report goes in a timeline (see :data:`Order`)."""
    return (report.start, report.end, rank(report.granularity), report.article_id, report.id)


class Dating(Protocol):
    """A time reference as a report cites it (the tagger's mention, or its stored row)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def value(self) -> str: ...


def mention_of(article_id: int, mention: Dating) -> dict[str, object]:
    """The wire shape of the time reference that dates a report."""
    return {
        "article_id": article_id,
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "value": mention.value,
    }


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
    kind: str = "event"  # event, state or reporting (:mod:`.kinds`)
    # the other words the time reference dates: (start, end, text), in text order
    other_triggers: tuple[tuple[int, int, str], ...] = ()
    # the content lemmas of the headline (:func:`content_lemmas`), computed once, when the
    # event is stored
    words: frozenset[str] = field(default=frozenset(), repr=False)
    names: frozenset[str] = field(default=frozenset(), repr=False)  # :func:`names_of`

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
            mention=mention_of(article_id, m),
            confidence=entry.confidence,
            uncertain=entry.uncertain,
            trigger_span=(trigger.start, trigger.end) if trigger else (None, None),
            kind=entry.kind,
            other_triggers=tuple((s.start, s.end, s.text) for s in entry.anchor.also),
            words=content_lemmas(entry.headline, [m.text]),
            names=names_of(entry.headline, [m.text]),
        )


@dataclass
class Merged:
    """An entry of a timeline: its main report and the others, and its group's id
    (``None`` for a report in no group)."""

    main: Report
    agreeing: list[Report] = field(default_factory=list)
    conflicting: list[Report] = field(default_factory=list)
    group_id: int | None = None
    # Read from the database a sample at a time (:mod:`timeline.store.groupreads`): how many
    # reports the group holds, and for each other date (interval) its reports give, how
    # many do; ``None`` when ``agreeing`` and ``conflicting`` hold every report.
    total: int | None = None
    other_dates: dict[tuple[str, str], int] | None = None

    @property
    def id(self) -> int:
        """The entry's id in every view: its group's (the id of the group's first report),
        whichever report it shows; its main report's while that is in no group."""
        return self.main.id if self.group_id is None else self.group_id

    @property
    def reports(self) -> list[Report]:
        return [self.main, *self.agreeing, *self.conflicting]

    @property
    def count(self) -> int:
        """How many reports the entry stands for (all of them, not only those held)."""
        return self.total if self.total is not None else len(self.reports)

    @property
    def articles(self) -> set[int]:
        return {r.article_id for r in self.reports}


@functools.cache
def common_verbs() -> frozenset[str]:
    """The lemmas of ``common_verbs.tsv``: verbs that say nothing of which event a report is
    of."""
    return frozenset().union(*class_table("common_verbs.tsv", "lemmas").values())


def content_lemmas(headline: str, dated: Iterable[str] = ()) -> frozenset[str]:
    """The lemmas of the headline's content words, without the words of ``dated`` (the time
    reference's own words), without function words, without the common verbs (which say
    nothing of the event: "said", "took") and without any of ``MAX_WORD`` characters or
    more: the words a report is compared by."""
    skip = _not_content() | {w.lower() for phrase in dated for w in CONTENT_WORD.findall(phrase)}
    found = (lemma(w.lower()) for w in CONTENT_WORD.findall(headline) if w.lower() not in skip)
    verbs = common_verbs()
    return frozenset(w for w in found if len(w) < MAX_WORD and w not in verbs)


def names_of(headline: str, dated: Iterable[str] = ()) -> frozenset[str]:
    """The names in a headline, lower-cased: its capitalised words after the first, but for
    function words, months and days, the words of ``dated`` and any of ``MAX_WORD``
    characters or more."""
    skip = _not_names() | {w.lower() for phrase in dated for w in CONTENT_WORD.findall(phrase)}
    return frozenset(
        w.lower()
        for w in CONTENT_WORD.findall(headline)[1:]
        if w[0].isupper() and w.lower() not in skip and len(w) < MAX_WORD
    )


@functools.cache
def _not_content() -> frozenset[str]:
    """The words that are no content words (of ``words.tsv``)."""
    classes = word_classes()
    return classes["function"] | classes["never"] | classes["determiner"] | classes["auxiliary"]


@functools.cache
def _not_names() -> frozenset[str]:
    """The capitalised words that are no names: function words, determiners, months and
    days."""
    classes = word_classes()
    return classes["function"] | classes["determiner"] | CALENDAR_WORDS


def trigger_lemma(report: Dated) -> str | None:
    """The lemma of a report's trigger (as the store keeps it: ``events.trigger_lemma``)."""
    return lemma(report.trigger.lower()) if report.trigger else None


def bonus_lemma(report: Dated) -> str | None:
    """The trigger lemma a report earns ``TRIGGER_BONUS`` by sharing: none for a common
    verb ("said", "took")."""
    found = trigger_lemma(report)
    return None if found in common_verbs() else found


def similarity(a: Dated, b: Dated) -> float:
    """How alike two reports are: the Jaccard index of their headlines' content lemmas
    (:func:`content_lemmas`), plus ``TRIGGER_BONUS`` when their triggers share a lemma that
    is not a common verb."""
    words_a, words_b = a.words, b.words
    if not words_a or not words_b:
        return 0.0
    score = len(words_a & words_b) / len(words_a | words_b)
    shared = bonus_lemma(a)
    if shared is not None and shared == trigger_lemma(b):
        score += TRIGGER_BONUS
    return score


def participants(a: Dated, b: Dated) -> frozenset[str]:
    """What two reports share besides their verbs: the content lemmas of both but their
    triggers' (the common verbs are none of their content lemmas), and the names of both."""
    verbs = {trigger_lemma(a), trigger_lemma(b)}
    return frozenset(w for w in a.words & b.words if w not in verbs) | (a.names & b.names)


def overlaps(a: Dated, b: Dated) -> bool:
    """Whether the two reports' intervals share some time."""
    return a.start < b.end and b.start < a.end


def shifted(bound: str, days: int) -> str:
    """An interval bound (``2021-07-16``, ``2021-07-16T09:30``) ``days`` later; a bound
    that is not a date of the Gregorian calendar's years 1 to 9999 stays as it is."""
    try:
        day = date.fromordinal(date.fromisoformat(bound[:10]).toordinal() + days)
    except ValueError:
        return bound
    return day.isoformat() + bound[10:]


def widened(start: str, end: str) -> tuple[str, str]:
    """An interval ``NEAR_DAYS`` longer at each end: what a near date overlaps."""
    return shifted(start, -NEAR_DAYS), shifted(end, NEAR_DAYS)


def near(a: Dated, b: Dated) -> bool:
    """Whether the two reports' intervals are at most ``NEAR_DAYS`` apart (or overlap)."""
    start, end = widened(a.start, a.end)
    return b.start < end and start < b.end


def needed(a: Dated, b: Dated, thresholds: Thresholds = THRESHOLDS) -> float:
    """The similarity from which two reports are of one event, by how their dates agree."""
    if overlaps(a, b):
        return thresholds.agreeing
    return thresholds.near_date if near(a, b) else thresholds.other_date


def same_event(a: Dated, b: Dated, thresholds: Thresholds = THRESHOLDS) -> bool:
    """Whether two reports of different articles are of one event: of one kind, no names
    that tell them apart, a participant in common (:func:`participants`), and similar
    enough for how their dates agree (:func:`needed`)."""
    if a.article_id == b.article_id or a.kind != b.kind:
        return False
    if (a.names and b.names and not a.names & b.names) or not participants(a, b):
        return False
    return similarity(a, b) >= needed(a, b, thresholds)


def best_group(
    report: Dated, candidates: Iterable[tuple[int, Dated]], taken: Container[int] = ()
) -> int | None:
    """The group a new report joins: that of the most similar candidate report (``(group,
    report)`` pairs) that is of the same event, leaving out the groups in ``taken`` (those
    that already hold a report of the same article); ``None`` when there is none."""
    best, best_score = None, 0.0
    for group, other in candidates:
        if group in taken or not same_event(report, other):
            continue
        score = similarity(report, other)
        if score > best_score:
            best, best_score = group, score
    return best


def merge(reports: Sequence[Report]) -> list[Merged]:
    """The entries of a timeline across ``reports``, grouped in the order given (as the
    store groups events in the order they arrive), in timeline order."""
    groups: list[list[Report]] = []
    by_word: dict[str, list[int]] = defaultdict(list)  # word -> groups with a report using it
    for report in reports:
        taken = {
            i
            for i, group in enumerate(groups)
            if report.article_id in {r.article_id for r in group}
        }
        near = {i for w in report.words for i in by_word[w]}
        found = best_group(report, ((i, o) for i in sorted(near) for o in groups[i]), taken)
        if found is None:
            found = len(groups)
            groups.append([])
        groups[found].append(report)
        for w in report.words:
            by_word[w].append(found)
    return sorted(
        (entry(group, group_id=group[0].id) for group in groups), key=lambda e: order(e.main)
    )


def lead(group: Sequence[D]) -> D:
    """The report whose date leads a group: the one most of the others agree with (overlap),
    the most precise among equals, then the first in timeline order."""

    starts = sorted(r.start for r in group)
    ends = sorted(r.end for r in group)

    def support(report: D) -> tuple[int, int, Order]:
        if report.start < report.end:  # those that neither start after it nor end before it
            later = len(starts) - bisect.bisect_left(starts, report.end)
            agreeing = len(group) - later - bisect.bisect_right(ends, report.start)
        else:
            agreeing = sum(overlaps(report, other) for other in group)
        return -agreeing, rank(report.granularity), order(report)

    return min(group, key=support)


def entry(group: list[Report], main: Report | None = None, group_id: int | None = None) -> Merged:
    """A group of reports of one event (whose id is ``group_id``) as an entry: its main
    report is ``main`` (by default the :func:`lead`); the others agree with it or conflict."""
    main = main if main is not None else lead(group)
    merged = Merged(main, group_id=group_id)
    for report in group:
        if report is not main:
            (merged.agreeing if overlaps(report, main) else merged.conflicting).append(report)
    return merged
