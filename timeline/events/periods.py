"""Periods that end on a named day: "the quarter ended Sept. 30", "the year ending June 30".

The tagger reports the period ("the quarter", "its fourth quarter", "the nine months") and
the day apart, as TimeML annotates them; the timeline makes one entry of the two: the
period's length, counted back from the day it ends on. "The fiscal fourth quarter ended
Sept. 30" is July to September, whatever calendar quarter the words name, and "the year
ended Sept. 30" runs from October.

The entry's value is the period's own (:func:`period_value`): the calendar quarter a
quarter covers ("1989-Q3" for the quarter ended Sept. 30), and a company's year by the
calendar year it ends in, as companies name them ("the year ended Sept. 30, 1989" is fiscal
1989: "1989").

The words that tie a period to its end are the ``period_link`` class of ``words.tsv``.

A length that is the first or last stretch of the date after it ("the first nine months of
1997", "the last two weeks of March") is one entry too (:func:`period_parts`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..tagger import calendar as cal
from ..tagger.context import read_tense, sentence_bounds
from ..tagger.model import Mention
from .display import display_date, display_range
from .words import class_table, word_classes

__all__ = [
    "Ending",
    "Moved",
    "fiscal_year",
    "period_endings",
    "period_parts",
    "period_value",
    "reported_periods",
    "unreported",
]

# How many months each kind of period lasts, by the granularity of a date or the unit of a
# duration ("P9M": nine months).
PERIOD_MONTHS = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}
UNIT_MONTHS = {"M": 1, "Q": 3, "Y": 12}
# How far before a length of time the word that makes it a part ("the final three months")
# is looked for.
PART_CHARS = 16
# The granularity of a stretch of one unit.
UNIT_GRANULARITY = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
# Between the period and its last day: a link word and white space only.
GAP = re.compile(r"\s+(?P<link>[^\W\d_]+)\s+")
# The same after a comma and a relative word: "the third quarter, which ended Sept. 30".
RELATIVE_GAP = re.compile(r"\s*,\s*(?P<relative>[^\W\d_]+)\s+(?P<link>[^\W\d_]+)\s+")
# A year that ends in the first days of January (a year of 52 or 53 weeks that ends on a
# weekday) is named by the calendar year before.
YEAR_END_SLACK = timedelta(days=7)


@dataclass(frozen=True)
class Ending:
    """The stretch a period that ends on a named day takes up: ``[start, end)`` (ISO
    dates), its granularity, the words a reader sees, the index of the day's mention and
    the period's value (:func:`period_value`)."""

    start: str
    end: str
    granularity: str
    display: str
    day: int
    value: str


def period_endings(text: str, mentions: Sequence[Mention]) -> dict[int, Ending]:
    """For each mention (by its index in ``mentions``) that names a period followed by a
    link word and the day it ends on ("the third quarter ended Sept. 30", also after a
    relative word: "the third quarter, which ended Sept. 30"), the stretch it takes up."""
    links, determiners = word_classes()["period_link"], word_classes()["determiner"]
    relatives = word_classes()["relative"]
    endings: dict[int, Ending] = {}
    for i, (period, day) in enumerate(itertools.pairwise(mentions)):
        gap = GAP.fullmatch(text, period.end, day.start) or RELATIVE_GAP.fullmatch(
            text, period.end, day.start
        )
        if gap is None or gap.group("link").lower() not in links:
            continue
        if "relative" in gap.groupdict() and gap.group("relative").lower() not in relatives:
            continue
        months = _months(period)
        last = _day(day)
        if months is None or last is None:
            continue
        end = last + timedelta(days=1)
        try:
            start = cal.add_months(end, -months)
        except (ValueError, OverflowError):
            continue
        granularity = next((g for g, n in PERIOD_MONTHS.items() if n == months), "month")
        shown = display_date(
            day.type, day.value, day.mod, last.isoformat(), end.isoformat(), "day", day.text
        )
        words = [*text[period.start : period.end].split(), gap.group("link")]
        if len(words) > 2 and words[0].lower() in determiners:
            words = words[1:]  # "its fourth quarter ended": "fourth quarter ended"
        endings[i] = Ending(
            start.isoformat(),
            end.isoformat(),
            granularity,
            f"{' '.join(words)} {shown}",
            i + 1,
            period_value(start, end, period.value),
        )
    return endings


def period_parts(text: str, mentions: Sequence[Mention]) -> dict[int, Ending]:
    """For each mention (by its index in ``mentions``) that names the first or last
    stretch of a longer date right after it ("the first nine months of 1997", "the last two
    weeks of March": the tagger reports the length and the date apart, as TimeML annotates
    them), the stretch it takes up: counted from the date's start, or back from its end.
    ``Ending.day`` is the index of the date, whose words the entry takes in. The word that
    says which part is in the length's words or right before them. The words are
    the ``part_first``, ``part_last`` and ``part_link`` classes of ``entry_words.tsv``."""
    classes = class_table("entry_words.tsv")
    parts: dict[int, Ending] = {}
    for i, (period, whole) in enumerate(itertools.pairwise(mentions)):
        gap = GAP.fullmatch(text, period.end, whole.start)
        if gap is None or gap.group("link").lower() not in classes["part_link"]:
            continue
        found = cal.length(period.value) if period.type == "DURATION" else None
        interval = whole.interval
        if found is None or whole.type != "DATE" or interval is None:
            continue
        n, unit = found
        if n is None:
            continue  # "the first months of 1997": how many is not said
        if interval.start is None or interval.end is None:
            continue
        before = re.findall(r"[^\W\d_]+", text[max(0, period.start - PART_CHARS) : period.start])
        words = {w.lower() for w in [*before[-1:], *re.findall(r"[^\W\d_]+", period.text)]}
        first, last = bool(words & classes["part_first"]), bool(words & classes["part_last"])
        if first == last:
            continue  # "the nine months of 1997": which nine is not said
        try:
            outer = date.fromisoformat(interval.start[:10]), date.fromisoformat(interval.end[:10])
            if first:
                start, end = outer[0], cal.shift(outer[0], unit, n)
            else:
                start, end = cal.shift(outer[1], unit, -n), outer[1]
        except (ValueError, OverflowError):
            continue
        if not outer[0] <= start < end <= outer[1] or (start, end) == outer:
            continue  # "the first 18 months of 1997": no part of the date
        granularity = UNIT_GRANULARITY.get(unit, "day")
        shown = display_range(start.isoformat(), end.isoformat(), granularity)
        parts[i] = Ending(
            start.isoformat(),
            end.isoformat(),
            granularity,
            shown,
            i + 1,
            period_value(start, end, period.value),
        )
    return parts


def period_value(start: date, end: date, value: str) -> str:
    """The TIMEX3 value of the stretch ``[start, end)`` a period takes up: the calendar
    quarter or year it covers, a year that ends elsewhere by the calendar year it ends in
    (fiscal 1989 ended Sept. 30, 1989), else ``value``, the period's own.

    >>> period_value(date(1989, 7, 1), date(1989, 10, 1), "P1Q")
    '1989-Q3'
    >>> period_value(date(1988, 10, 1), date(1989, 10, 1), "P1Y")
    '1989'
    >>> period_value(date(1989, 1, 3), date(1990, 1, 2), "P1Y")
    '1989'
    """
    months = (end.year - start.year) * 12 + end.month - start.month
    aligned = start.day == 1 and end.day == 1
    if aligned and months == 3 and start.month % 3 == 1:
        return f"{start.year:04d}-Q{(start.month + 2) // 3}"
    if months == 12 or (months == 11 and not aligned):
        return f"{fiscal_year(end):04d}"
    return value


def fiscal_year(after: date) -> int:
    """The name of the company's year that ends the day before ``after``: the calendar year
    it ends in, or the one before for a year that ends in the first days of January."""
    return (after - timedelta(days=1) - YEAR_END_SLACK).year


def _months(period: Mention) -> int | None:
    """How many months the period lasts: by its granularity, or its duration's value."""
    if period.type == "DURATION":
        found = cal.length(period.value)
        if found is None or found[0] is None or found[1] not in UNIT_MONTHS:
            return None
        return found[0] * UNIT_MONTHS[found[1]]
    if period.interval is None:
        return None
    return PERIOD_MONTHS.get(period.interval.granularity)


def _day(mention: Mention) -> date | None:
    """The day a mention names, if it names one."""
    if mention.type != "DATE" or mention.interval is None or mention.interval.granularity != "day":
        return None
    try:
        return date.fromisoformat(mention.value)
    except ValueError:
        return None


@dataclass(frozen=True)
class Moved:
    """A reference the story's frame dates elsewhere than the tagger: ``[start, end)`` (ISO
    dates), its granularity and TIMEX3 value."""

    start: str
    end: str
    granularity: str
    value: str


def reported_periods(text: str, published: date, mentions: Sequence[Mention]) -> dict[int, Moved]:
    """The quarters of results an article reports, where they are not the calendar quarter
    the tagger read (by the mention's index in ``mentions``):

    * a quarter a past-tense clause reports results of is over: one that is not over at
      publication, or one called "fiscal", is a company's quarter, the calendar quarter that
      ended last ("Ralston reported a decline in fourth-quarter earnings" on 2 November
      1989: July to September);
    * "last year" (or "a year ago") with a figure, after a quarter that is the latest
      period the article named, is the same quarter a year earlier ("Third-quarter net fell
      22% ... Last year catastrophe losses totaled $5 million");
    * a length of months named with "the" alone, after a quarter, is the company's year up
      to the end of that quarter ("In the nine months, net rose": :func:`_year_to_date`)."""
    moved: dict[int, Moved] = {}
    latest: tuple[int, int] | None = None  # (year, quarter) of the latest period named
    quarter: tuple[int, int] | None = None  # the last in time of the quarters named, over
    for i, m in enumerate(mentions):
        own = _quarter(m)
        if own is None and quarter is not None:
            to_date = _year_to_date(text, m, quarter)
            if to_date is not None:
                moved[i] = to_date
        if own is not None:
            if _reported_elsewhen(text, published, m, own):
                own = _last_ended(published)
                moved[i] = _quarter_moved(*own)
            latest = own
            if own <= _last_ended(published):  # over: a quarter of results, not a forecast
                quarter = own if quarter is None else max(quarter, own)  # not a year-ago one
        elif m.interval is not None and m.interval.granularity in PERIOD_MONTHS:
            if latest is not None and _year_ago(text, published, m):
                moved[i] = _quarter_moved(latest[0] - 1, latest[1])
            else:
                latest = None
    return moved


def _year_to_date(text: str, mention: Mention, quarter: tuple[int, int]) -> Moved | None:
    """The months of a company's year up to the end of ``quarter``, the last in time of the
    quarters the article named that are over, for a length of months or quarters named with
    "the" alone ("In the nine months, net rose 4.3%" after third-quarter results: January
    to September; "the year-earlier nine months": those of the year before); ``None`` for
    any other length ("the past nine months", "the nine months ended June 30")."""
    found = cal.length(mention.value) if mention.type == "DURATION" else None
    if found is None or found[0] is None or found[1] not in ("M", "Q"):
        return None
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", mention.text)]
    if not words or words[0] not in word_classes()["to_date"]:
        return None
    entry = class_table("entry_words.tsv")
    named = entry["rolling_past"] | entry["rolling_next"] | entry["part_first"] | entry["part_last"]
    if set(words) & named:
        return None  # "the past nine months", "the first nine months": they say which
    following = re.match(r"\s+([^\W\d_]+)", text[mention.end : mention.end + 20])
    if following is not None and following.group(1).lower() in word_classes()["period_link"]:
        return None  # "the nine months ended Sept. 30": the day it ends on says which
    months = found[0] * UNIT_MONTHS[found[1]]
    end = cal.add_months(date(quarter[0], 3 * quarter[1] - 2, 1), 3)
    if set(words) & word_classes()["year_ago"]:
        end = cal.add_months(end, -12)  # "the year-earlier nine months"
    start = cal.add_months(end, -months)
    if months > 12 or start.year != cal.add_months(end, -1).year:
        return None  # longer than the year the quarter ends
    return Moved(
        start.isoformat(), end.isoformat(), "month", period_value(start, end, mention.value)
    )


def unreported(text: str, published: date, mention: Mention) -> bool:
    """Whether ``mention`` labels the figures of a quarter not over at publication in a
    clause that does not report them as past ("no estimate of the impact on fourth-quarter
    results"): a forecast, which dates no event."""
    own = _quarter(mention)
    if own is None or not LABEL.search(mention.text) or own <= _last_ended(published):
        return False
    return not _said_past(text, mention)


# A quarter as a noun's label: "fourth-quarter earnings", "the fiscal second-quarter".
LABEL = re.compile(r"-quarter$", re.IGNORECASE)
QUARTER_VALUE = re.compile(r"(\d{4})-Q([1-4])")


def _quarter(mention: Mention) -> tuple[int, int] | None:
    """The (year, quarter) of a mention that names a calendar quarter."""
    found = QUARTER_VALUE.fullmatch(mention.value)
    if mention.type != "DATE" or found is None:
        return None
    return int(found.group(1)), int(found.group(2))


def _last_ended(published: date) -> tuple[int, int]:
    """The (year, quarter) of the last calendar quarter over at ``published``."""
    index = published.year * 4 + (published.month - 1) // 3 - 1
    return index // 4, index % 4 + 1


def _quarter_moved(year: int, quarter: int) -> Moved:
    """The stretch of calendar quarter ``quarter`` of ``year``."""
    first = date(year, 3 * quarter - 2, 1)
    return Moved(
        first.isoformat(), cal.add_months(first, 3).isoformat(), "quarter", f"{year:04d}-Q{quarter}"
    )


def _reported_elsewhen(text: str, published: date, mention: Mention, own: tuple[int, int]) -> bool:
    """Whether a quarter of a past-tense clause is a company's own: called fiscal, or the
    label of a figure ("fourth-quarter earnings") not over at publication; and not the
    quarter that ended last."""
    last = _last_ended(published)
    if own == last:
        return False
    words = re.findall(r"[^\W\d_]+", mention.text)
    fiscal = any(w.lower() in word_classes()["fiscal"] for w in words)
    if not fiscal and (own < last or not LABEL.search(mention.text)):
        return False
    return _said_past(text, mention)


def _said_past(text: str, mention: Mention) -> bool:
    """Whether a verb of the mention's own clause, close by, is in the past tense."""
    reading = read_tense(text, mention.start, mention.end)
    return reading.tense == "past" and reading.sure


def _year_ago(text: str, published: date, mention: Mention) -> bool:
    """Whether ``mention`` is "last year" or "a year ago" (the year before publication) in a
    sentence with a figure."""
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", mention.text)}
    if mention.value != f"{published.year - 1:04d}" or not words & word_classes()["year_ago"]:
        return False
    left, right = sentence_bounds(text, mention.start, mention.end)
    return any(ch.isdigit() for ch in text[left:right])
