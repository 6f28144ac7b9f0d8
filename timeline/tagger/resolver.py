"""Resolution: turn each underspecified :class:`Partial` into a :class:`Mention`.

Only this module knows the anchor. Each production names its strategy in ``do=``; each
strategy is a small function of the partial and the :class:`Context` that returns a
:class:`Resolved` (or ``None`` when the words cannot be resolved, e.g. 30 February).
The context carries the publication date and the narrative's last resolved date, which
"the next day" or "two years later" move on from.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from . import calendar as cal
from . import era
from .context import ASCII_LOWER, Reading, Tense, cues_between, read_tense, sentence_bounds
from .holidays import Occurrence, occurrences
from .lexicon import load_lexicon
from .model import Interval, Mention, Partial, TimexType, quick_init

DEFAULT_CONFIDENCE = 0.9
# What "a few" or "several" units span, at least and at most.
FEW = (2, 10)
# How far (in characters) a comparison looks back for the period it compares with.
RECENT_REACH = 400
# How far back a comparison ("up from $5 million a year earlier") looks for the month or
# quarter being reported, even past a day mentioned since ("the quarter ended Sept. 30").
PERIOD_REACH = 1500
# How many days further a date on the side its tense does not point to must be to lose to
# one on the right side ("had been set to expire Dec. 7", published 30 October).
WRONG_SIDE_DAYS = 180
# A bare month said in the future tense is never one gone by ("will open in March" is the next
# March): a whole year is added to the distance of those before the anchor. The past tense is
# less sure (a reporting verb is past: "said a cut in supply in September"), and so is a day.
YEAR_DAYS = 366
# How far before a holiday the words that put an event inside it are looked for.
WITHIN_CHARS = 24
# How many years a range written "1998-99" spans at most (see _year_after).
SHORT_RANGE_YEARS = 20
# A narrative moves on: a year-less month this many months or more before the month the
# story is in is next year's ("On December 7, 1941 ... In January" is January 1942).
ROLLOVER_MONTHS = 9
# From this month on, "the winter" said without a year is the coming one.
WINTER_AHEAD = 6
DECEMBER = 12
# How many years from the story's last month or day a year said in passing may lie and still
# move the story; one further moves it only when it opens its sentence ("In 1954, ...").
ASIDE_YEARS = 3
# How many words may stand before a year at the start of its sentence ("By the spring of").
OPENING_WORDS = 4
# How far (in characters) before a date the word that makes it the end of a stretch may stand
# ("lasted until the fall of Budapest in February 1945").
ENDPOINT_REACH = 40
# How far before a reference a reporting verb that dates it may stand ("said late on").
REPORT_REACH = 30
DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A clock time with no zone ("2021-07-16T10:00", "2021-07-16T10").
FLOATING_CLOCK = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}(?::\d{2}(?::\d{2})?)?")
# What sets a phrase off as an apposition to the date just before it: a comma or a dash
# ("Oct. 12, the day before the plunge", "2 October 1950-the day after the crossing").
APPOSITION = re.compile(r"\s*(?:,|--|[-\u2013\u2014])\s*")
LEVELS = {
    "second": 0,
    "minute": 0,
    "hour": 0,
    "part-of-day": 0,
    "day": 0,
    "week": 1,
    "weekend": 1,
    "month": 2,
    "quarter": 3,
    "season": 3,
    "half-year": 3,
    "year": 4,
}
UNIT_GRANULARITY = {
    "D": "day",
    "W": "week",
    "WE": "week",
    "M": "month",
    "Q": "quarter",
    "Y": "year",
    "DE": "year",
    "CE": "year",
}
# A comparison ("a year earlier") keeps the granularity of the period it compares with.
COMPARABLE = {"month", "quarter", "half-year"}
PERIOD_MONTHS = {"month": 1, "quarter": 3, "half-year": 6}
GRANULARITY_UNITS = {
    "day": "D",
    "week": "W",
    "month": "M",
    "quarter": "Q",
    "year": "Y",
    "half-year": "H",
}


@dataclass
class Context:
    """What the resolver knows while it walks through one text."""

    text: str
    dct: date
    dct_moment: datetime | None = None
    # The publication's offset from UTC, when its time gave one: the zone of clock times
    # that say none.
    dct_offset: timedelta | None = None
    lowered: str | None = None
    region: str | None = None
    narrative: bool = False
    stories: dict[int, tuple[date, str, int]] = field(default_factory=dict)
    period: tuple[date, str, int] | None = None
    # The date last said outright (with its own year), even one said in passing that leaves
    # the story where it was: what "that same spring" refers back to.
    said: tuple[date, str, int] | None = None
    # What the words around each span read (:func:`read_tense`), by ``(start, end)``: a
    # strategy may ask more than once, and the text does not change.
    readings: dict[tuple[int, int], Reading] = field(default_factory=dict)

    @property
    def story(self) -> date | None:
        """The narrative's last resolved date, whatever its granularity."""
        return self.story_at("year")[0] if self.stories else None

    def story_at(self, granularity: str) -> tuple[date | None, str | None, int]:
        """The last date resolved at ``granularity`` or finer ("the next day" needs a day),
        with its own granularity and the offset where its mention ended."""
        found = self.stories.get(LEVELS.get(granularity, LEVELS["year"]))
        return found if found else (None, None, -1)

    def remember(self, day: date, granularity: str, end: int) -> None:
        """Move the narrative on to ``day``, known at ``granularity``."""
        level = LEVELS.get(granularity)
        if level is None:
            return
        for coarser in range(level, max(LEVELS.values()) + 1):
            self.stories[coarser] = (day, granularity, end)
        over = granularity in COMPARABLE and cal.add_months(day, PERIOD_MONTHS[granularity])
        if over and over <= self.dct:  # a period is reported once it is over
            # a later period reported stays the one compared with ("third-quarter net rose
            # ... after a flat second quarter ... from a year ago" is the third quarter's)
            later = self.period and self.period[1] == granularity and self.period[0] > day
            if not later:
                self.period = (day, granularity, end)

    def report_year(self, end: int) -> None:
        """The figures beside the mention that ends at ``end`` are for the year so far ("the
        first nine months"): a comparison with "a year earlier" is with last year."""
        self.period = (date(self.dct.year, 1, 1), "year", end)

    def reference(self) -> tuple[date, bool]:
        """The date a year-less mention is read against, and whether it is the narrative's.

        In a narrative (a text whose dates lie mostly far from its publication), the last
        resolved date is followed ("In 1944 ... in June"); in news the publication date rules.
        """
        if self.narrative and self.story:
            return self.story, True
        return self.dct, False

    def tense(self, p: Partial) -> Tense | None:
        """The rule's ``tense``, else the one the words around ``p`` point to, else ``lean``."""
        return self.read_tense(p).tense

    def read_tense(self, p: Partial) -> Reading:
        """The rule's ``tense`` (sure), else the one the words around ``p`` point to, else
        the rule's ``lean`` (not sure)."""
        forced = p.get("tense")
        if forced in ("past", "future"):
            return Reading(forced, sure=True)  # type: ignore[arg-type]
        found = self.readings.get((p.start, p.end))
        if found is None:
            found = self.readings[p.start, p.end] = read_tense(
                self.text, p.start, p.end, self.lowered
            )
        if found.tense:
            return found
        lean = p.get("lean")
        return Reading(lean if lean in ("past", "future") else None)  # type: ignore[arg-type]


@quick_init
@dataclass(frozen=True)
class Resolved:
    """A resolution: the TIMEX3 value and what goes with it."""

    value: str
    anchor: date
    confidence: float = 1.0
    mod: str | None = None
    interval: tuple[datetime | None, datetime | None, str] | None = None
    type: TimexType | None = None


Strategy = Callable[[Partial, Context], Resolved | None]


def _int(p: Partial, key: str, default: int | None = None) -> int | None:
    raw = p.get(key)
    if raw is None:
        return default
    try:
        return int(float(raw))
    except ValueError:
        return default


def _sign(p: Partial, key: str = "dir") -> int:
    return -1 if (p.get(key) or "+1").startswith("-") else 1


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_for(p: Partial, ctx: Context, month: int, day: int | None) -> tuple[int, date, float]:
    """The year of a year-less month (and day).

    In a narrative, the year of the story so far. In news, the occurrence nearest to the
    publication date, among those on the side the tense points to (if it points anywhere):
    one on the other side counts ``WRONG_SIDE_DAYS`` further, a bare month before the
    publication date said in the future tense a whole year further, and so does a day after
    it where the rule itself says past ("the year ended Jan. 31": a period over by then).
    """
    ref, from_story = ctx.reference()
    if from_story:
        year, ref = _narrative_year(ctx, month)
        return year, ref, 0.8
    reading = ctx.read_tense(p)
    tense = reading.tense
    options = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        first = _date_or_none(year, month, day or 1)
        if first is None:
            continue
        last = first if day else cal.add_months(first, 1) - timedelta(days=1)
        distance = (
            0 if first <= ref <= last else min(abs((first - ref).days), abs((last - ref).days))
        )
        if tense == "past" and first > ref:
            ruled = p.get("tense") == "past"
            distance += YEAR_DAYS if reading.sure and (ruled or not day) else WRONG_SIDE_DAYS
        elif tense == "future" and last < ref:
            distance += WRONG_SIDE_DAYS if day else YEAR_DAYS
        options.append((distance, year))
    if not options:
        return ref.year, ref, 0.5
    return min(options)[1], ref, 0.85 if tense else 0.8


def _narrative_year(ctx: Context, month: int) -> tuple[int, date]:
    """The year of a year-less month in a narrative, and the story date it was read from.

    The year of the last year said since the story's last month or day ("In June 1943 ...
    In 1944, ... by June"); else that month's or day's year, the next one when the month
    named lies ``ROLLOVER_MONTHS`` or more before it ("December 7, 1941 ... In January").
    """
    latest, _, latest_end = ctx.story_at("year")
    fine, _, fine_end = ctx.story_at("month")
    if latest is None:
        return ctx.dct.year, ctx.dct
    if fine is None or (latest_end > fine_end and latest.year != fine.year):
        return latest.year, latest
    if fine.month - month >= ROLLOVER_MONTHS:
        return fine.year + 1, fine
    return fine.year, fine


def resolve_date(p: Partial, ctx: Context) -> Resolved | None:
    """Calendar fields: a year, month, day, quarter, half, season, decade or century."""
    ref, _ = ctx.reference()
    if p.get("bc"):
        return _bc_date(p, ctx)
    year = _explicit_year(p, ctx)
    conf = 1.0
    anchor = ctx.dct
    month, day = _int(p, "m"), _int(p, "d")
    if year is None and p.get("decade"):
        return Resolved(f"{int(p.get('decade') or 0) // 10:03d}", ctx.dct)
    if year is None and p.get("decade2"):
        tens = int(p.get("decade2") or 0) // 10
        decade = ref.year // 100 * 10 + tens
        if decade > ref.year // 10:
            decade -= 10
        return Resolved(f"{decade:03d}", ctx.dct, 0.9)
    if year is None and p.get("century"):
        return Resolved(f"{int(p.get('century') or 1) - 1:02d}", ctx.dct)
    if year is None and month is not None:
        year, anchor, conf = _year_for(p, ctx, month, day)
    if year is None and (p.get("q") or p.get("h") or p.get("season")):
        return _year_less_part(p, ctx)
    if year is None:
        return None
    if month is not None:
        if day is not None:
            if _date_or_none(year, month, day) is None:
                return None
            return Resolved(f"{year:04d}-{month:02d}-{day:02d}", anchor, conf)
        return Resolved(f"{year:04d}-{month:02d}", anchor, conf)
    if p.get("q"):
        return Resolved(f"{year:04d}-Q{p.get('q')}", anchor, conf)
    if p.get("h"):
        return Resolved(f"{year:04d}-H{p.get('h')}", anchor, conf)
    if p.get("season"):
        return Resolved(f"{year:04d}-{p.get('season')}", anchor, conf)
    return Resolved(f"{year:04d}", anchor, conf)


def _bc_date(p: Partial, ctx: Context) -> Resolved | None:
    """A year BC with its month or season ("April 480 BC"), a decade or a century BC."""
    if p.get("decade"):
        return Resolved(f"BC{(_int(p, 'decade', 0) or 0) // 10:03d}", ctx.dct)
    if p.get("century"):
        return Resolved(f"BC{(_int(p, 'century', 1) or 1) - 1:02d}", ctx.dct)
    year = _int(p, "y")
    if not year:
        return None
    return Resolved(era.bc_value(year, _int(p, "m"), p.get("season")), ctx.dct)


def _explicit_year(p: Partial, ctx: Context) -> int | None:
    if p.get("y"):
        return _int(p, "y")
    if p.get("yy") and p.get("yfrom"):
        return _year_after(_int(p, "yfrom") or 0, _int(p, "yy") or 0)
    if p.get("yrel"):
        told = _story_or_said(p, ctx, "year")[0] if p.get("from") in ("story", "said") else None
        base = told or ctx.reference()[0]
        return base.year + int(p.get("yrel") or 0)
    if p.get("y2"):
        yy = int((p.get("y2") or "0").lstrip("'"))
        year = ctx.dct.year // 100 * 100 + yy
        return year - 100 if year > ctx.dct.year + 10 else year
    return None


def _year_after(first: int, last_two: int) -> int | None:
    """The year that ends a range begun in ``first`` and written with its last two digits
    ("1998-99" ends in 1999, "1999-00" in 2000); None when that is more than
    ``SHORT_RANGE_YEARS`` on ("2021-07" is more likely July 2021 than a range to 2107)."""
    year = first // 100 * 100 + last_two
    if year <= first:
        year += 100
    return year if year - first <= SHORT_RANGE_YEARS else None


def _year_less_part(p: Partial, ctx: Context) -> Resolved:
    """A quarter, half or season without a year: this year's if it has begun, else last
    year's unless the tense points ahead ("the third quarter" in October is this year's)."""
    ref, from_story = ctx.reference()
    if p.get("q"):
        index, current, unit = int(p.get("q") or 1), (ref.month - 1) // 3 + 1, "Q"
    elif p.get("h"):
        index, current, unit = int(p.get("h") or 1), (ref.month - 1) // 6 + 1, "H"
    else:
        season = p.get("season") or "SU"
        year = cal.last_season(ref, season)
        ahead = not from_story and ctx.tense(p) == "future"
        coming = season == "WI" and ref.month >= WINTER_AHEAD
        if (ahead or coming) and not _under_way(ref, season, year):
            year += 1
        return Resolved(f"{year:04d}-{season}", ref, 0.8)
    tense = None if from_story else ctx.tense(p)
    year = ref.year
    if index > current and tense != "future":
        year -= 1
    return Resolved(f"{year:04d}-{unit}{index}", ref, 0.8)


def resolve_weekday(p: Partial, ctx: Context) -> Resolved | None:
    """A day of the week: "last"/"next"/"this" when said, else by the tense of its clause;
    counted from the story's day rather than the publication's with ``from=story`` and in a
    narrative ("On September 13, 2007 ... described Thursday's killing" is that Thursday)."""
    dow = _int(p, "dow")
    if dow is None:
        return resolve_day_of(p, ctx)
    ref = ctx.dct
    if p.get("from") == "story" or ctx.narrative:  # "the previous Friday": before the story's day
        ref = ctx.story_at("day")[0] or ref
    rel = p.get("rel")
    back = (ref.isoweekday() - dow) % 7
    ahead = (dow - ref.isoweekday()) % 7
    if rel == "-1":
        day, conf = ref - timedelta(days=back or 7), 0.9
    elif rel == "+1":
        day, conf = ref + timedelta(days=ahead or 7), 0.85
    elif rel == "0":
        day, conf = ref + timedelta(days=dow - ref.isoweekday()), 0.85
    else:
        tense = ctx.tense(p)
        if tense == "future":
            day, conf = ref + timedelta(days=ahead), 0.8
        else:
            day, conf = ref - timedelta(days=back), 0.8 if tense else 0.7
    return Resolved(day.isoformat(), ref, conf)


def resolve_weekend(p: Partial, ctx: Context) -> Resolved | None:
    """ "The weekend": the one under way or just past when the clause looks back, the one
    under way or next when it looks ahead."""
    ref = ctx.dct
    saturday = ref - timedelta(days=(ref.isoweekday() - 6) % 7)  # the latest on or before
    if ref.isoweekday() < 6 and ctx.tense(p) == "future":
        saturday += timedelta(days=7)
    return Resolved(cal.format_unit(saturday, "WE"), ref, 0.8)


def resolve_day_of(p: Partial, ctx: Context) -> Resolved:
    """The day a bare clock time ("at 10 p.m.") falls on: the day the story just named,
    else the publication day. In news the day named must still be the story's: no other
    date said since that does not hold it (:func:`_left_the_day`), and on the side of the
    publication day the clause's tense points to ("Schools will stay shut on Monday. ...
    Mines had resumed work by midday" is midday of the publication day, not of Monday)."""
    day, _, end = ctx.story_at("day")
    if day is not None and (
        ctx.narrative
        or (
            p.start - end <= RECENT_REACH
            and not _left_the_day(day, end, ctx)
            and _agrees(p, ctx, day)
        )
    ):
        return Resolved(day.isoformat(), day, 0.75)
    return Resolved(ctx.dct.isoformat(), ctx.dct, 0.8)


def _left_the_day(day: date, end: int, ctx: Context) -> bool:
    """Whether the story named a date after the ``day`` it named at ``end``, and that date
    does not hold the day ("ballots cast by Monday. In 2018, ...": the story is no longer on
    Monday)."""
    latest, granularity, latest_end = ctx.story_at("year")
    if latest is None or latest_end <= end:
        return False
    level = LEVELS.get(granularity or "year", LEVELS["year"])
    unit = "D" if level == LEVELS["day"] else GRANULARITY_UNITS.get(granularity or "", "Y")
    return cal.format_unit(latest, unit) != cal.format_unit(day, unit)


def _agrees(p: Partial, ctx: Context, day: date) -> bool:
    """Whether the tense of ``p``'s clause allows ``day``: a past clause no day after the
    publication date, a future one no day before it."""
    tense = ctx.tense(p)
    return not ((tense == "past" and day > ctx.dct) or (tense == "future" and day < ctx.dct))


def resolve_day_of_month(p: Partial, ctx: Context) -> Resolved | None:
    """An ordinal day alone ("on the 5th", "the 28th of that month"): that day of the month the
    story is in, when a month or day was named (in news, shortly before); else nothing."""
    month, _, end = ctx.story_at("month")
    day = _int(p, "d")
    if month is None or day is None or not (ctx.narrative or p.start - end <= RECENT_REACH):
        return None
    found = _date_or_none(month.year, month.month, day)
    return Resolved(found.isoformat(), month, 0.7) if found else None


def _shift_anchor(p: Partial, ctx: Context) -> tuple[date, str | None]:
    """The date a shift counts from, and its granularity when it is the narrative's.

    ``from=story`` counts from the narrative's last date; ``from=recent`` from it only when
    it was mentioned close by (a year-ago figure beside "the third quarter"), else from the
    publication date; a comparison (``gran=anchor``) from the month or quarter last reported.
    ``from=period`` ("two weeks ago") counts from the publication date, except that one year
    ("a year ago" beside a quarter's figures) compares with the period last reported ("three
    years ago" is a year counted from the publication date).
    In a narrative, everything counts from the story.
    """
    origin = p.get("from")
    if origin == "period" and not ctx.narrative:
        compares = p.get("unit") == "Y" and (p.get("n") or "1") == "1"
        reported = _reported_period(p, ctx) if compares else None
        return reported or (ctx.dct, None)
    if origin not in ("story", "said", "recent") and not ctx.narrative:
        return ctx.dct, None
    if origin == "recent" and p.get("gran") == "anchor" and not ctx.narrative:
        reported = _reported_period(p, ctx)
        units = p.get("n") or "1"
        several = units.isdigit() and int(units) > 1
        if reported and not (several and _moved_on(ctx)):
            return reported  # "up from $4 million a year earlier": the period last reported
    day, granularity, end = _story_or_said(
        p, ctx, UNIT_GRANULARITY.get(p.get("unit") or "D", "year")
    )
    if day is None or (origin == "recent" and not ctx.narrative and p.start - end > RECENT_REACH):
        return ctx.dct, None
    return day, granularity


def _story_or_said(
    p: Partial, ctx: Context, granularity: str
) -> tuple[date | None, str | None, int]:
    """The story's date at ``granularity`` (:meth:`Context.story_at`), or for an anaphor
    (``from=said``: "that same spring", "that year") the date said last when it was said
    after it, even in passing ("Saigon surrendered in 1975; Laos was overrun that same
    spring" is the spring of 1975, though 1975 left the story where it was)."""
    found = ctx.story_at(granularity)
    said = ctx.said
    if p.get("from") != "said" or said is None or said[2] <= found[2]:
        return found
    if LEVELS.get(said[1], LEVELS["year"]) > LEVELS.get(granularity, LEVELS["year"]):
        return found
    return said


def _moved_on(ctx: Context) -> bool:
    """Whether the story named a date outside the period last reported after it ("The
    bridge fell last month. Repairs were made in 2017. Cracks were seen two years earlier":
    two years before 2017, not before last month). Asked only of a count of several units:
    "a year earlier" and "the 1988 quarter" stay comparisons with the period, whatever
    dates come between (a company's figures name many)."""
    if ctx.period is None:
        return False
    period, granularity, end = ctx.period
    day, _, story_end = ctx.story_at("year")
    if day is None or story_end <= end:
        return False
    return not period <= day < cal.add_months(period, PERIOD_MONTHS.get(granularity, 12))


def _reported_period(p: Partial, ctx: Context) -> tuple[date, str] | None:
    """The period last reported (a month, quarter, half-year, or the year so far), when it
    was reported close enough before ``p``."""
    if ctx.period is None:
        return None
    period, granularity, end = ctx.period
    return (period, granularity) if p.start - end <= PERIOD_REACH else None


def _apposed(p: Partial, ctx: Context, unit: str) -> date | None:
    """The date a story-relative phrase renames when it stands in apposition to it: set off
    by only a comma or a dash right after a date of the phrase's own unit ("on Oct. 12, the
    day before the plunge" is Oct. 12, the day before the plunge, not the day before Oct. 12;
    "in 1946, the year after the war" is 1946)."""
    if p.get("from") != "story":
        return None
    granularity = UNIT_GRANULARITY.get(unit)
    day, told, end = ctx.story_at(granularity or "year")
    if day is None or told is None or LEVELS.get(told) != LEVELS.get(granularity or ""):
        return None
    return day if APPOSITION.fullmatch(ctx.text, end, p.start) else None


def _day_unknown(p: Partial, ctx: Context, unit: str) -> tuple[date, int] | None:
    """The story's latest date, and the months its period spans, when a count of days cannot
    be counted from a day: the story has moved on since its last day to a month, season or
    year that does not hold it ("The attack began in October; four days later ..." is some
    day of that year, not four days after a day told long before). In news only for a count
    from the story that names no event ("arrested in March last year and suspended the
    following day"). ``None`` when the story's last date is a day, or holds its last day."""
    told = p.get("from") in ("story", "said") or (p.get("n") or "1") != "0"  # not "today"
    if unit != "D" or not told or p.get("from") == "period":
        return None
    if not ctx.narrative and (p.get("from") not in ("story", "said") or _counted_from(p, ctx)):
        return None  # in news, "two days ago" counts from the publication date, and "the
        # night before the vote" from the vote (the timeline counts it)
    latest, granularity, latest_end = ctx.story_at("year")
    if latest is None or granularity is None or LEVELS.get(granularity, 0) <= LEVELS["day"]:
        return None
    day, _, day_end = ctx.story_at("day")
    if day is not None and day_end >= latest_end:
        return None
    months = PERIOD_MONTHS.get(granularity, 3 if granularity == "season" else 12)
    if day is not None and latest <= day < cal.add_months(latest, months):
        return None
    return latest, months


def _days_on(
    p: Partial, latest: date, months: int
) -> tuple[datetime | None, datetime | None, str] | None:
    """The days a count of days from the story's last period (from ``latest``, ``months``
    long) can fall on ("arrested in March 2021 and suspended the following day": 2 March to
    1 April 2021), a vague interval; or ``None`` when the count is not known."""
    raw = p.get("n") or "1"
    if not raw.isdigit():
        return None
    days = timedelta(days=_sign(p) * int(raw))
    start, end = latest + days, cal.add_months(latest, months) + days
    return cal.midnight(min(start, end)), cal.midnight(max(start, end)), "vague"


def _counted_from(p: Partial, ctx: Context) -> bool:
    """Whether ``p`` ends with, or is followed by, a word that counts it from an event the
    text names ("The night before| the vote", "two days| after the attack")."""
    return bool(_counted_from_word().search(ctx.text, p.start, min(len(ctx.text), p.end + 8)))


@functools.cache
def _counted_from_word() -> re.Pattern[str]:
    """The lexicon's ``counted_from`` words as a regex of whole words."""
    return re.compile(rf"\b(?:{load_lexicon().expand('%counted_from')})\b", re.I)


def resolve_shift(p: Partial, ctx: Context) -> Resolved | None:
    """A count of units before or after the anchor ("two days ago", "a year later"), or the
    date a story-relative phrase stands in apposition to (:func:`_apposed`)."""
    unit = p.get("unit") or "D"
    apposed = _apposed(p, ctx, unit)
    if apposed is not None:
        return Resolved(cal.format_unit(apposed, unit), apposed, 0.8)
    moved_on = _day_unknown(p, ctx, unit)
    if moved_on is not None:  # "In April, ... three days later": a day of that year
        latest, months = moved_on
        return Resolved(
            f"{latest.year:04d}-XX-XX", latest, 0.6, interval=_days_on(p, latest, months)
        )
    anchor, anchor_granularity = _shift_anchor(p, ctx)
    raw = p.get("n", "1") or "1"
    sign = _sign(p)
    if raw == "X":  # "several years ago": between about 2 and 10 units away
        value = "PAST_REF" if sign < 0 else "FUTURE_REF"
        if unit.startswith("T"):
            return Resolved(value, anchor, 0.6)
        near, far = sorted(cal.shift(anchor, unit, sign * n) for n in FEW)
        interval = (cal.midnight(near), cal.midnight(far), "vague")
        return Resolved(value, anchor, 0.6, interval=interval)
    n = float(raw)
    if unit.startswith("T"):  # "two hours ago": a time when the publication's is known
        if ctx.dct_moment is None:
            return Resolved(anchor.isoformat(), anchor, 0.6)
        hours = {"TH": 1.0, "TM": 1 / 60, "TS": 1 / 3600}.get(unit, 1.0)
        moment = ctx.dct_moment + sign * timedelta(hours=n * hours)
        return Resolved(moment.isoformat(timespec="minutes"), anchor, 0.8, type="TIME")
    if n != int(n):
        return None
    try:
        day = cal.shift(anchor, unit, sign * int(n))
    except (ValueError, OverflowError):
        return None
    gran = p.get("gran") or unit
    if gran == "anchor":  # a history reports no period: its counts keep their own unit
        gran = unit
        if anchor_granularity in COMPARABLE and not ctx.narrative:
            gran = GRANULARITY_UNITS[anchor_granularity]
    conf = 0.85 if p.get("from") != "story" or ctx.story else 0.6
    return Resolved(cal.format_unit(day, gran), anchor, conf)


def resolve_from_event(p: Partial, ctx: Context) -> Resolved | None:
    """A count of units from an event ("two days after the vote"): the date just said in the
    same sentence, which the words describe ("On 27 June 1950, two days after the invasion"),
    else that count from the story's date (:func:`resolve_shift`)."""
    day, granularity, end = ctx.story_at("year")
    unit = GRANULARITY_UNITS.get(granularity or "")
    left, _ = sentence_bounds(ctx.text, p.start, p.end)
    if day is None or unit is None or not left <= end <= p.start:
        return resolve_shift(p, ctx)
    return Resolved(cal.format_unit(day, unit), day, 0.7)


def resolve_span(p: Partial, ctx: Context) -> Resolved | None:
    """A stretch of ``n`` units running on from the anchor: "over the next decade" is the ten
    years after the publication date (after the story's date in a narrative), a duration with
    that interval, not the calendar decade."""
    unit = p.get("unit") or "Y"
    n = _int(p, "n", 1) or 1
    anchor, _ = _shift_anchor(p, ctx)
    try:
        until = cal.shift(anchor, unit, n)
    except (ValueError, OverflowError):
        return None
    interval = (cal.midnight(anchor), cal.midnight(until), UNIT_GRANULARITY.get(unit, "year"))
    return Resolved(_duration_value(str(n), unit), anchor, 0.85, interval=interval)


def resolve_period_of_year(p: Partial, ctx: Context) -> Resolved | None:
    """The month or quarter being reported, in the year given ("the 1988 quarter" beside
    "the third quarter" is 1988-Q3); the year alone where no such period was reported."""
    year = _int(p, "y")
    if year is None:
        return None
    anchor, granularity = _shift_anchor(p, ctx)
    if granularity not in COMPARABLE:
        return Resolved(f"{year:04d}", ctx.dct, 0.6)
    day = _date_or_none(year, anchor.month, 1)
    if day is None:
        return None
    return Resolved(cal.format_unit(day, GRANULARITY_UNITS[granularity]), anchor, 0.75)


def resolve_relative(p: Partial, ctx: Context) -> Resolved | None:
    """This, last or next unit ("last week", "this year"), month ("last March") or season."""
    rel = int(p.get("rel") or "0")
    anchor, granularity = _shift_anchor(p, ctx)
    month = _int(p, "m")
    if month is not None:
        year = anchor.year
        if rel < 0 and month >= anchor.month:
            year -= 1
        elif rel > 0 and month <= anchor.month:
            year += 1
        return Resolved(f"{year:04d}-{month:02d}", anchor, 0.9)
    season = p.get("season")
    if season and p.get("y"):  # "the Spring Offensive of 1918"
        return Resolved(f"{_int(p, 'y'):04d}-{season}", anchor, 0.9)
    if season and rel > 0 and granularity == "year":  # "in 2014 ... the following spring"
        return Resolved(f"{anchor.year + 1:04d}-{season}", anchor, 0.85)
    if season:
        return Resolved(f"{_season_year(anchor, season, rel):04d}-{season}", anchor, 0.85)
    unit = p.get("unit") or "D"
    try:
        day = cal.shift(anchor, "W" if unit == "WE" else unit, rel)
        return Resolved(cal.format_unit(day, unit), anchor, 0.9)
    except (ValueError, OverflowError):
        return None


def _season_year(anchor: date, season: str, rel: int) -> int:
    """The year of "last" (``rel`` -1), "next" (+1) or "this" (0) ``season`` from ``anchor``.

    Last: the one before the season under way, else the latest to have begun; next: the one
    after the latest to have begun. This: the one under way, else the one of the anchor's year,
    except that from June on "the winter" is the coming one (a winter is the year of its
    January: after "October 1914", "in winter" is 1915-WI)."""
    latest = cal.last_season(anchor, season)
    under_way = _under_way(anchor, season, latest)
    if rel < 0:
        return latest - 1 if under_way else latest
    if rel > 0:
        return latest + 1
    if under_way:
        return latest
    return anchor.year + 1 if season == "WI" and anchor.month >= WINTER_AHEAD else anchor.year


def _under_way(day: date, season: str, year: int) -> bool:
    """Whether ``day`` falls in ``season`` of ``year``."""
    start = cal.season_start(year, season)
    return start <= day < cal.add_months(start, 3)


def resolve_unit_before(p: Partial, ctx: Context) -> Resolved | None:
    """ "In the past year": in news the calendar unit before the publication's, as TimeBank
    reads it ("in the past year" published in October 1989 is 1988); in a narrative, far from
    its publication date, the length of one unit (P1Y)."""
    if ctx.narrative:
        length = resolve_duration(p, ctx)
        return replace(length, type="DURATION") if length else None
    return resolve_relative(p, ctx)


def resolve_reported(p: Partial, ctx: Context) -> Resolved | None:
    """ "The quarter" (or month): the one being reported, named shortly before and over by
    the publication date ("the fiscal first quarter ... in the quarter"); else this, last or
    next one as ``rel`` says."""
    reported = _reported_period(p, ctx)
    unit = p.get("unit") or "Q"
    if reported and GRANULARITY_UNITS.get(reported[1]) == unit:
        return Resolved(cal.format_unit(reported[0], unit), reported[0], 0.8)
    return resolve_relative(p, ctx)


def resolve_quarter_ending(p: Partial, ctx: Context) -> Resolved | None:
    """ "The quarter ended Sept. 30": the calendar quarter that holds most of the three
    months up to that day (a fiscal quarter ended July 31 is mostly the second)."""
    month, day = _int(p, "m"), _int(p, "d")
    if month is None:
        return None
    year = _int(p, "y")
    anchor = ctx.dct
    if year is None:
        year, anchor, _ = _year_for(p, ctx, month, day)
    middle = date(year, month, 1) - timedelta(days=1)  # the middle one of the three months
    return Resolved(cal.format_unit(middle, "Q"), anchor, 0.8)


def resolve_week_of(p: Partial, ctx: Context) -> Resolved | None:
    """ "The week of March 6": the (ISO) week that holds the day named."""
    found = resolve_date(p, ctx)
    if found is None or not DAY_VALUE.fullmatch(found.value):
        return None
    day = date.fromisoformat(found.value)
    return Resolved(cal.format_unit(day, "W"), found.anchor, found.confidence)


SMALLER_UNIT = {
    "Y": ("M", 12),
    "M": ("D", 30),
    "W": ("D", 7),
    "D": ("TH", 24),
    "TH": ("TM", 60),
    "TM": ("TS", 60),
}


def _duration_value(n: str, unit: str) -> str:
    """The TIMEX3 duration of ``n`` units: "P20Y", "PT48H", "PXM"; a fraction goes to the
    next smaller unit (2.5 years is "P2Y6M", 5.5 hours "PT5H30M")."""
    if n == "X":
        return _duration_text([("X", unit)])
    amount = float(n)
    if unit in ("DE", "CE") and amount == int(amount):
        return _duration_text([(str(int(amount) * (10 if unit == "DE" else 100)), "Y")])
    whole = int(amount)
    parts = [(str(whole), unit)] if whole or amount == 0 else []
    rest = amount - whole
    if rest and unit in SMALLER_UNIT:
        smaller, factor = SMALLER_UNIT[unit]
        if (rest * factor) == int(rest * factor):
            parts.append((str(int(rest * factor)), smaller))
        else:
            parts = [(f"{amount:g}", unit)]
    elif rest:
        parts = [(f"{amount:g}", unit)]
    return _duration_text(parts)


def _duration_text(parts: list[tuple[str, str]]) -> str:
    dates = "".join(f"{n}{u}" for n, u in parts if not u.startswith("T"))
    times = "".join(f"{n}{u[1:]}" for n, u in parts if u.startswith("T"))
    return "P" + dates + (f"T{times}" if times else "")


def resolve_duration(p: Partial, ctx: Context) -> Resolved | None:
    """A length of time: "nearly 20 years" is P20Y, "several months" PXM, "48 hours" PT48H."""
    unit = p.get("unit") or "D"
    value = _duration_value(p.get("n") or "1", unit)
    return Resolved(value, ctx.dct, 0.9 if "X" not in value else 0.75)


# A length a rule's value spells with a clock unit of the lexicon ("P{count}{unitpl}" for
# "every 15 minutes" reads "P15TM"): TIMEX3 writes it after a "T" ("PT15M").
CLOCK_LENGTH = re.compile(r"P(?P<n>\d+|X)(?P<unit>T[HMS])")


def resolve_literal(p: Partial, ctx: Context) -> Resolved | None:
    """A value the rule states outright (sets such as P1W, or XXXX-WXX-5 for "every Friday";
    a length in hours, minutes or seconds as TIMEX3 writes it, "every 15 minutes" PT15M)."""
    value = p.get("value")
    if not value:
        return None
    clock = CLOCK_LENGTH.fullmatch(value)
    if clock:
        value = _duration_text([(clock["n"], clock["unit"])])
    return Resolved(value, ctx.dct)


def resolve_vague(p: Partial, ctx: Context) -> Resolved | None:
    """A vague reference ("recently", "in recent weeks", "now") with an honest interval.

    ``side`` says where it lies from the publication day; ``span`` how far it reaches
    (no span: open on the far side). Past references include the publication day.
    """
    value = p.get("value") or "PRESENT_REF"
    day = datetime(ctx.dct.year, ctx.dct.month, ctx.dct.day)
    next_day = day + timedelta(days=1)
    side = p.get("side") or "now"
    reach = _span(p.get("span"))
    interval: tuple[datetime | None, datetime | None, str]
    if side == "past":
        interval = (next_day - reach if reach else None, next_day, "vague")
    elif side == "future":
        interval = (day, day + reach if reach else None, "vague")
    else:
        interval = (day, next_day, "day")
    return Resolved(value, ctx.dct, 0.7, interval=interval)


def _span(text: str | None) -> timedelta | None:
    if not text:
        return None
    m = re.fullmatch(r"P(\d+)([DWMY])", text)
    if not m:
        return None
    days = {"D": 1, "W": 7, "M": 30, "Y": 365}[m.group(2)]
    return timedelta(days=int(m.group(1)) * days)


def resolve_holiday(p: Partial, ctx: Context) -> Resolved | None:
    """A holiday: in the year said; else "last Ramadan" the previous one and "the upcoming
    Eid al-Adha" the coming one; else the nearest, unless the verb it dates says otherwise
    (:func:`_holiday_by_tense`). In a narrative, the one of the story's year."""
    key = p.get("holiday") or ""
    ref, from_story = ctx.reference()
    if p.get("y"):
        found = occurrences(key, int(p.get("y") or 0), ctx.region)
        if not found:
            return None
        return _holiday(found[0], ref, 1.0)
    around = [
        o for y in (ref.year - 1, ref.year, ref.year + 1) for o in occurrences(key, y, ctx.region)
    ]
    if not around:
        return None
    rel = p.get("rel")
    if rel == "+1":
        after = [o for o in around if o.first > ref]
        return _holiday(after[0], ref, 0.9) if after else None
    if rel == "-1":
        before = [o for o in around if o.first + timedelta(days=o.days) <= ref]
        return _holiday(before[-1], ref, 0.85) if before else None
    if from_story:
        same = [o for o in around if o.first.year == ref.year]
        return _holiday(_nearest(same or around, ref, 0), ref, 0.75)
    return _holiday_by_tense(p, ctx, around, ref)


def _holiday_by_tense(
    p: Partial, ctx: Context, around: list[Occurrence], ref: date
) -> Resolved | None:
    """The occurrence the verb points to: a future verb ("will close for", "ahead of",
    "expected") the coming one; a past verb the previous one, unless the coming one is
    ``WRONG_SIDE_DAYS`` nearer ("the cabinet approved a holiday for Eid", days before it)
    and no word puts the event inside the holiday ("prices rose during Ramadan": the one gone
    by); no tense the nearest."""
    tense = ctx.tense(p)
    if tense == "future":
        after = [o for o in around if o.first > ref]
        return _holiday(after[0], ref, 0.9) if after else None
    if tense == "past":
        within = _within_holiday().search(ctx.text, max(0, p.start - WITHIN_CHARS), p.start)
        later = YEAR_DAYS if within else WRONG_SIDE_DAYS
        return _holiday(_nearest(around, ref, later), ref, 0.85)
    return _holiday(_nearest(around, ref, 0), ref, 0.8)


@functools.cache
def _within_holiday() -> re.Pattern[str]:
    """The words right before a holiday that put a past event inside it (``holiday_within``
    of the lexicon: "rose during Ramadan")."""
    return re.compile(load_lexicon().expand(r"\b(?:%holiday_within)\s+(?:the\s+)?\Z"), re.I)


def _nearest(around: list[Occurrence], ref: date, later: int) -> Occurrence:
    """The occurrence nearest to ``ref`` (0 days when under way), counting those still to
    come ``later`` days further."""

    def days(o: Occurrence) -> int:
        end = o.first + timedelta(days=o.days - 1)
        if o.first > ref:
            return (o.first - ref).days + later
        return max(0, (ref - end).days)

    return min(around, key=days)


def _holiday(found: Occurrence, ref: date, conf: float) -> Resolved:
    start = datetime(found.first.year, found.first.month, found.first.day)
    granularity = "day" if found.days == 1 else "days"
    return Resolved(
        found.first.isoformat(),
        ref,
        conf,
        interval=(start, start + timedelta(days=found.days), granularity),
    )


STRATEGIES: dict[str, Strategy] = {
    "date": resolve_date,
    "weekday": resolve_weekday,
    "weekend": resolve_weekend,
    "shift": resolve_shift,
    "from_event": resolve_from_event,
    "day_of_month": resolve_day_of_month,
    "span": resolve_span,
    "period_of_year": resolve_period_of_year,
    "relative": resolve_relative,
    "unit_before": resolve_unit_before,
    "reported": resolve_reported,
    "quarter_ending": resolve_quarter_ending,
    "week_of": resolve_week_of,
    "duration": resolve_duration,
    "literal": resolve_literal,
    "vague": resolve_vague,
    "holiday": resolve_holiday,
}
DEFAULT_STRATEGY = {"DATE": "date", "TIME": "date", "DURATION": "duration", "SET": "literal"}


def with_time_of_day(value: str, p: Partial) -> str:
    """Append the clock time or part of day of ``p`` to a day value ("2021-07-16T16:30"),
    with the offset of its time zone when it names one ("2021-07-16T16:30-04")."""
    hour = _int(p, "hour")
    if hour is not None and DAY_VALUE.fullmatch(value):
        ampm = p.get("ampm")
        if ampm == "PM" and hour < 12:
            hour += 12
        elif ampm == "AM" and hour == 12:
            hour = 0
        minute = _int(p, "min", 0) or 0
        second = _int(p, "sec")
        seconds = f":{second:02d}" if second is not None else ""
        zone = _zone(p, date.fromisoformat(value), hour, minute)
        return f"{value}T{hour:02d}:{minute:02d}{seconds}{zone}"
    part = p.get("part")
    if part and DAY_VALUE.fullmatch(value):
        return f"{value}T{part}"
    return value


def _where_the_day_is(p: Partial) -> Partial:
    """``p`` placed on the words that name its day: a clock time that took its day from the
    words next to it ("at 09:30 GMT on Tuesday") reads the tense where those words are, as
    the day's own mention does."""
    at = p.get("dayat")
    if not at:
        return p
    start, _, end = at.partition(":")
    return replace(p, start=int(start), end=int(end))


def _zone(p: Partial, day: date, hour: int, minute: int) -> str:
    """The TIMEX3 zone of a clock time ("Z", "-04"), or "" for a floating one (no zone said,
    or one not known)."""
    zone = p.get("tz")
    if not zone or hour > 24 or minute > 59:
        return ""
    local = datetime(day.year, day.month, day.day) + timedelta(hours=hour, minutes=minute)
    offset = cal.zone_offset(zone, local)
    return "" if offset is None else cal.format_offset(offset)


def resolve(p: Partial, ctx: Context) -> Mention | None:
    """The mention ``p`` names, resolved against ``ctx``; ``None`` if it cannot be resolved."""
    p = _in_the_story(p, ctx)
    kind = p.get("type") or "DATE"
    strategy = STRATEGIES.get(p.get("do") or DEFAULT_STRATEGY[kind])
    if strategy is None:
        return None
    try:
        if kind == "TIME" and not p.get("do") and not (p.get("m") or p.get("y")):
            resolved: Resolved | None = resolve_day_of(p, ctx)
        else:
            resolved = strategy(_where_the_day_is(p), ctx)
    except (ValueError, OverflowError):  # a date beyond 1-9999 ("Friday" read on 0001-01-01)
        return None
    if resolved is None:
        return None
    if p.get("plus") and DAY_VALUE.fullmatch(resolved.value):  # "the day before <a day>"
        day = date.fromisoformat(resolved.value) + timedelta(days=int(p.get("plus") or 0))
        resolved = replace(resolved, value=day.isoformat(), interval=None)
    holding = p.get("holding")
    if holding and DAY_VALUE.fullmatch(resolved.value):  # "Easter week": the week that holds it
        day = date.fromisoformat(resolved.value)
        resolved = replace(resolved, value=cal.format_unit(day, holding), interval=None)
    value = with_time_of_day(resolved.value, p) if kind in ("TIME", "DATE") else resolved.value
    if not p.get("y"):  # counted from a story told in years BC
        value = era.from_mirror(value)
    mod = resolved.mod or p.get("mod") or p.get("edge")
    mention_type: TimexType = resolved.type or kind  # type: ignore[assignment]
    interval = _interval(_in_publication_zone(value, ctx), mod, mention_type, resolved)
    confidence = round(resolved.confidence * float(p.get("conf") or DEFAULT_CONFIDENCE), 3)
    if p.get("reports") == "year" and not ctx.narrative:
        ctx.report_year(p.end)
    # the story moves on to the date (what "the next day" will count from), and a date said
    # with its own year is what "that same spring" refers back to
    moves = (
        p.get("remember") != "no"
        and (not ctx.narrative or p.get("y") or resolved.anchor != ctx.dct)
        and not (ctx.narrative and _ends_a_stretch(p, ctx))
        and not _aside_year(p, ctx, interval)
        and not (not ctx.narrative and _day_of_a_report(p, ctx, interval))
    )
    said = p.get("y") and p.get("remember") != "no"
    if moves or said:
        point = _story_point(mention_type, interval, value, named=bool(p.get("y")))
        if point is not None and moves:
            ctx.remember(point[0], point[1], p.end)
        if point is not None and said:
            ctx.said = (point[0], point[1], p.end)
    return Mention(
        p.start,
        p.end,
        p.text,
        mention_type,
        value,
        mod,
        interval,
        era.from_mirror(resolved.anchor.isoformat()),
        confidence,
        p.rule,
    )


def _in_the_story(p: Partial, ctx: Context) -> Partial:
    """``p`` as a narrative reads it: a rule with ``narrative=<strategy>`` ("two days after the
    vote", "a few days later": lengths of time in news) is in a narrative a DATE that the
    strategy resolves on the story's time line."""
    strategy = p.get("narrative")
    if not ctx.narrative or not strategy:
        return p
    return replace(p, fields={**p.fields, "do": strategy, "type": "DATE"})


def _in_publication_zone(value: str, ctx: Context) -> str:
    """``value`` with the publication's zone when it is a clock time that says none and the
    publication's time gave an offset ("2021-07-16T10:00" published at +14:00 is
    "2021-07-16T10:00+14"): what its interval is computed from."""
    if ctx.dct_offset is None or not FLOATING_CLOCK.fullmatch(value):
        return value
    return value + cal.format_offset(ctx.dct_offset)


def _interval(value: str, mod: str | None, kind: str, resolved: Resolved) -> Interval | None:
    if resolved.interval is not None:
        start, end, gran = resolved.interval
        return Interval(cal.iso(start), cal.iso(end), gran)
    if kind not in ("DATE", "TIME"):
        return None
    return _value_interval(value, mod)


@functools.lru_cache(maxsize=cal.VALUE_CACHE_SIZE)
def _value_interval(value: str, mod: str | None) -> Interval | None:
    """The interval of a DATE or TIME ``value`` narrowed or opened by ``mod`` (remembered:
    a text names the same days again and again)."""
    if value.startswith("BC"):
        return cal.bc_interval(value)
    found = cal.value_interval(value)
    if found is None:
        return None
    start, end, gran = found
    lo, hi = cal.apply_mod(start, end, mod)
    return Interval(cal.iso(lo), cal.iso(hi), gran)


def _aside_year(p: Partial, ctx: Context, interval: Interval | None) -> bool:
    """Whether a year alone, in a narrative, is said in passing and leaves the story where it
    was: as its rule says (``story=aside``: "the largest battle since 1813"), in a clause
    that looks ahead ("a campaign planned for 1976"), or more than ``ASIDE_YEARS`` from the
    year of the story's last month or day ("On 4 August 1964 ... documents declassified in
    2005") unless it opens its sentence."""
    if not ctx.narrative or interval is None or interval.granularity != "year":
        return False
    if not p.get("y") or p.get("m") or p.get("season") or p.get("q") or p.get("h"):
        return False
    if p.get("story") == "aside" or ctx.tense(p) == "future":
        return True
    told = ctx.story_at("month")[0]
    year = _int(p, "y")
    if year is not None and p.get("bc"):
        year = era.mirror_year(year)
    if told is None or year is None or abs(year - told.year) <= ASIDE_YEARS:
        return False
    return not _opens_sentence(p, ctx)


def _day_of_a_report(p: Partial, ctx: Context, interval: Interval | None) -> bool:
    """Whether ``p`` is a day that dates a reporting verb right before or after it ("his
    lawyer said on Friday", "the minister on Friday told reporters"): in news, the day a
    report was made is not the day of what it tells, so "that night" after it still counts
    from the story's last day ("arrested late on Thursday, his lawyer said on Friday. ...
    fired tear gas that night" is Thursday night). A period a company reports ("reported
    third-quarter net") is what its figures are of, and stays the story's."""
    if interval is None or LEVELS.get(interval.granularity, LEVELS["year"]) > LEVELS["day"]:
        return False
    before, after = _reporting()
    return bool(
        before.search(ctx.text, max(0, p.start - REPORT_REACH), p.start)
        or after.match(ctx.text, p.end)
    )


@functools.cache
def _reporting() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The lexicon's ``reporting`` verbs right before a reference (but "on" and a word such
    as "late": "said late on Friday") and right after it."""
    verbs = load_lexicon().expand("%reporting")
    return (
        re.compile(rf"\b(?:{verbs})\s+(?:\w+\s+)?(?:on\s+)?\Z", re.I),
        re.compile(rf"\s+(?:{verbs})\b", re.I),
    )


@functools.cache
def _endpoint() -> re.Pattern[str]:
    """The lexicon's ``endpoint`` word ("until") before a date in its clause, not followed by
    an ``endpoint_clause`` word ("until in March 1980, ..." opens a clause of its own)."""
    return re.compile(
        load_lexicon().expand(
            r"\b(?:%endpoint)(?P<rest>\s+(?!(?:%endpoint_clause)\b)[^,.;:]{0,"
            + str(ENDPOINT_REACH)
            + r"})\Z"
        ),
        re.I,
    )


def _ends_a_stretch(p: Partial, ctx: Context) -> bool:
    """Whether ``p`` is the end of a stretch that runs on from the story's time ("an assault
    that lasted until the fall of Budapest in February 1945", "effective until 14 September
    1978"): a narrative that says so goes on where it was, so such a date does not move the
    story. Not when a verb stands between ("until the agreement was reached in January
    1946": the date of an event the story tells)."""
    start = max(0, p.start - ENDPOINT_REACH - 10)
    found = _endpoint().search(ctx.text, start, p.start)
    if found is None:
        return False
    lowered = ctx.lowered if ctx.lowered is not None else ctx.text.translate(ASCII_LOWER)
    return not cues_between(ctx.text, lowered, found.start("rest"), p.start)


def _opens_sentence(p: Partial, ctx: Context) -> bool:
    """Whether ``p`` stands in the phrase that opens its sentence ("In 1954, ...", "By the
    spring of 1915"): at most ``OPENING_WORDS`` words before it, with no comma and no verb
    (no tense cue of ``cues.tsv``) among them."""
    left, _ = sentence_bounds(ctx.text, p.start, p.end)
    opening = ctx.text[left : p.start]
    if "," in opening or len(opening.split()) > OPENING_WORDS:
        return False
    lowered = ctx.lowered if ctx.lowered is not None else ctx.text.translate(ASCII_LOWER)
    return not cues_between(ctx.text, lowered, left, p.start)


def _story_point(
    kind: str, interval: Interval | None, value: str, named: bool = False
) -> tuple[date, str] | None:
    """The day a resolved date puts the story on (what "the next day" will count from), and
    its granularity: a date BC on the mirrored line of :mod:`.era`, a time with a zone on the
    day of its own clock (not the day in UTC), and a
    winter ``named`` with its year on the first of the January it is named for ("the winter
    of 1922" runs from December 1921, but a story told in it is in 1922: "In March" after it
    is March 1922). A winter said without a year ("hold out over the winter", in autumn) is
    the coming one, and stays on its first day."""
    point = era.story_day(value) if kind in ("DATE", "TIME") else None
    if point is None:
        if kind not in ("DATE", "TIME") or interval is None or interval.start is None:
            return None
        start = value if interval.start.endswith("Z") else interval.start
        try:
            point = date.fromisoformat(start[:10]), interval.granularity
        except ValueError:
            return None
    day, granularity = point
    if named and granularity == "season" and value.endswith("-WI") and day.month == DECEMBER:
        return date(day.year + 1, 1, 1), granularity
    return point
