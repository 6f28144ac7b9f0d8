"""The date a newsroom reader sees on a timeline, from a resolved time reference.

``display_date`` turns a TIMEX3 type, value and mod, with the half-open interval
``[start, end)`` the tagger (or the event layer) computed, into English words::

    2021-07-16                         Friday 16 July 2021
    2021-07 with MID                   mid-July 2021
    199 with END                       the late 1990s
    2021-W28-WE                        weekend of 17-18 July 2021 (an en dash)
    PXW, vague, [2021-06-20, 07-18)    recent weeks (late June to 17 July 2021)
    P20Y, APPROX, [2001-07-17, ...)    about 2001 to 2021
    2021-07-13T05:30-04                Tuesday 13 July 2021, 05:30 UTC-4

``display_range`` gives the words for the interval of a whole range ("1998-99", "June 3-5"):
"1998 to 1999", "3-5 June 2021" (an en dash).

Month and weekday names are written here, so the words never depend on the locale, and
nothing reads the wall clock. A value this module cannot read falls back to the article's
words, else to the value itself: a string input never makes ``display_date`` raise.

>>> display_date("DATE", "2021-07", "MID", "2021-07-11", "2021-07-21", "month")
'mid-July 2021'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = ["display_date", "display_range"]

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PARTS_OF_DAY = {
    "MO": "morning",
    "MI": "midday",
    "AF": "afternoon",
    "EV": "evening",
    "NI": "night",
    "DT": "daytime",
}
SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
ORDINALS = ("first", "second", "third", "fourth")
DASH = "\u2013"  # the en dash between the two days of a weekend

# A vague reference without words of its own: "in the past (before 17 July 2021)".
REF_WORDS = {"PRESENT_REF": "now", "PAST_REF": "the past", "FUTURE_REF": "the future"}
# Where a vague interval starts in its month: days 1-10 are early, 11-19 mid, from the 20th
# late ("in recent weeks", four weeks back from 17 July, starts in late June).
MONTH_THIRDS = ((10, "early "), (19, "mid-"), (31, "late "))
# Dropped from the front of a vague reference's words: "in the coming months" -> "coming months".
LEADS = ("in the ", "in ", "the ")
# How a mod other than START, MID and END reads around a date ("about 2021").
MOD_FRAMES = {
    "APPROX": "about {}",
    "BEFORE": "before {}",
    "AFTER": "after {}",
    "ON_OR_BEFORE": "{} or earlier",
    "ON_OR_AFTER": "{} or later",
}

# The units of a TIMEX3 duration (P2Y6M, PT48H), singular and plural.
DATE_UNITS = {
    "Y": ("year", "years"),
    "M": ("month", "months"),
    "W": ("week", "weeks"),
    "D": ("day", "days"),
    "Q": ("quarter", "quarters"),
    "WE": ("weekend", "weekends"),
    "DE": ("decade", "decades"),
    "CE": ("century", "centuries"),
    "ML": ("millennium", "millennia"),
}
TIME_UNITS = {"H": ("hour", "hours"), "M": ("minute", "minutes"), "S": ("second", "seconds")}
UNKNOWN_LENGTH = {"PXX": "some time"}  # "a while": neither count nor unit is known
AMOUNT = r"(\d+(?:\.\d+)?|X)"
DURATION = re.compile(
    rf"P(?P<date>(?:{AMOUNT}(?:DE|CE|ML|WE|[YMWDQ]))*)(?:T(?P<time>(?:{AMOUNT}[HMS])+))?"
)
DATE_AMOUNT = re.compile(rf"{AMOUNT}(DE|CE|ML|WE|[YMWDQ])")
TIME_AMOUNT = re.compile(rf"{AMOUNT}([HMS])")


@dataclass(frozen=True)
class Phrase:
    """A date in words: alone, after a preposition, and early in, in the middle of, late in it."""

    plain: str
    noun: str
    start: str
    mid: str
    end: str

    def with_mod(self, mod: str | None) -> str:
        """The words for the date as ``mod`` narrows or opens it; other mods leave it plain."""
        if mod in MOD_FRAMES:
            return MOD_FRAMES[mod].format(self.noun)
        thirds = {"START": self.start, "MID": self.mid, "END": self.end}
        return thirds.get(mod or "", self.plain)


def display_date(
    kind: str,
    value: str,
    mod: str | None,
    start: str | None,
    end: str | None,
    granularity: str | None,
    text: str = "",
) -> str:
    """The words a timeline shows for a time reference (``end`` is exclusive; None is open)."""
    words = " ".join(text.split())
    try:
        shown = _display(kind, value, mod, start, end, granularity, words)
    except (ValueError, OverflowError):  # a day that does not exist, a year out of range
        shown = ""
    return shown or words or value


def display_range(start: str, end: str, granularity: str) -> str:
    """The words for the interval ``[start, end)`` of a whole range, as fine as its
    granularity, saying once what both ends share.

    >>> display_range("1998-01-01", "2000-01-01", "year")
    '1998 to 1999'
    >>> display_range("2020-03-01", "2020-05-01", "month")
    'March to April 2020'
    >>> display_range("2021-06-28", "2021-07-03", "day")
    '28 June to 2 July 2021'
    >>> display_range("2021-07-13T13:00Z", "2021-07-13T21:01Z", "minute")
    'Tuesday 13 July 2021, 13:00 to 21:00 UTC'
    """
    try:
        first, stop = datetime.fromisoformat(start), datetime.fromisoformat(end)
        last = stop - timedelta(microseconds=1)
        if last <= first:
            return _at_granularity(first, granularity)
        return _range_words(first, last, granularity)
    except (ValueError, OverflowError, TypeError):  # a bound this module cannot read, or
        # one end in UTC and the other floating
        return f"{start} to {end}"


def _range_words(first: datetime, last: datetime, granularity: str) -> str:
    """The two ends of a range in words, what they share said once."""
    a, b = first.date(), last.date()
    match granularity:
        case "month" | "quarter" | "season" | "half-year" if a.year == b.year:
            if a.month == b.month:
                return _month_words(a)
            return f"{MONTHS[a.month - 1]} to {_month_words(b)}"
        case "day" | "days" | "week" | "weekend" if a.year == b.year:
            if a == b:
                return _day_words(a)
            if a.month == b.month:
                return f"{a.day}{DASH}{_day_words(b)}"
            return f"{a.day} {MONTHS[a.month - 1]} to {_day_words(b)}"
        case "hour" | "minute" | "second" | "part-of-day" if a == b:
            zone = " UTC" if first.tzinfo is not None else ""
            lo, hi = _clock(first, granularity), _clock(last, granularity)
            return f"{_day_words(a, weekday=True)}, {lo} to {hi}{zone}"
    lo, hi = _at_granularity(first, granularity), _at_granularity(last, granularity)
    return lo if lo == hi else f"{lo} to {hi}"


def _display(
    kind: str,
    value: str,
    mod: str | None,
    start: str | None,
    end: str | None,
    granularity: str | None,
    words: str,
) -> str:
    """The words for each kind of reference, or "" where the value cannot be read."""
    if kind == "SET":
        return words
    if value in REF_WORDS or granularity == "vague":
        return _vague(value, start, end, words)
    if kind == "DURATION":
        return _duration(value, mod, start, end, granularity, words)
    phrase = _date_phrase(value)
    return phrase.with_mod(mod) if phrase else ""


# Vague references: the article's words, then the interval they honestly cover.


def _vague(value: str, start: str | None, end: str | None, words: str) -> str:
    """A vague reference: "recent weeks (late June to 17 July 2021)", "in the past (before ...)"."""
    label = _vague_words(value, words)
    span = _vague_span(_instant(start), _instant(end))
    return f"{label} ({span})" if span else label


def _vague_words(value: str, words: str) -> str:
    """The article's words, lower-cased: references to the past, present or future keep them
    whole ("the past" reads "in the past"); vague lengths drop a leading "in"/"the"."""
    lowered = words.lower()
    if value in REF_WORDS:
        lowered = lowered or REF_WORDS[value]
        return f"in {lowered}" if lowered.startswith("the ") else lowered
    for lead in LEADS:
        if lowered.startswith(lead):
            return lowered[len(lead) :]
    return lowered or _duration_words(value)


def _vague_span(first: datetime | None, stop: datetime | None) -> str:
    """An interval as "late June to 17 July 2021", "before ...", "after ..." or one day."""
    if first is None:
        return f"before {_day_words(_last_day(stop))}" if stop is not None else ""
    if stop is None:
        return f"after {_day_words(first.date())}"
    last = _last_day(stop)
    if last <= first.date():
        return _day_words(first.date())
    return f"{_part_of_month(first.date(), last.year)} to {_day_words(last)}"


def _part_of_month(day: date, year: int) -> str:
    """A start of interval: "early June" (days 1-10), "mid-June" (11-20), "late June" (21 on),
    with its year when that is not ``year``."""
    third = next(name for last, name in MONTH_THIRDS if day.day <= last)
    words = f"{third}{MONTHS[day.month - 1]}"
    return words if day.year == year else f"{words} {_year_words(day.year)}"


# Durations: the range the caller computed, else the article's words, else the value in English.


def _duration(
    value: str,
    mod: str | None,
    start: str | None,
    end: str | None,
    granularity: str | None,
    words: str,
) -> str:
    """A duration: "about 2001 to 2021" with both ends, else its words ("nearly 20 years")."""
    first, stop = _instant(start), _instant(end)
    if first is None or stop is None:
        return words or _duration_words(value)
    last = stop - timedelta(microseconds=1)
    lo, hi = _at_granularity(first, granularity), _at_granularity(last, granularity)
    span = lo if lo == hi else f"{lo} to {hi}"
    return f"about {span}" if mod == "APPROX" else span


def _at_granularity(moment: datetime, granularity: str | None) -> str:
    """One end of a duration, as fine as its granularity: "2001", "July 2001", "17 July 2001"."""
    day = moment.date()
    match granularity:
        case "century":
            return f"the {_century_words(day.year // 100)}"
        case "decade":
            return f"the {day.year // 10 * 10}s"
        case "year":
            return _year_words(day.year)
        case "month" | "quarter" | "half-year" | "season":
            return _month_words(day)
        case "hour" | "minute" | "second" | "part-of-day":
            return f"{_day_words(day)}, {_clock(moment, granularity)}"
        case _:
            return _day_words(day)


def _clock(moment: datetime, granularity: str) -> str:
    """The time of day, to the hour, minute or second: "16:00", "16:30", "16:30:05"."""
    minute = 0 if granularity == "hour" else moment.minute
    seconds = f":{moment.second:02d}" if granularity == "second" else ""
    return f"{moment.hour:02d}:{minute:02d}{seconds}"


def _duration_words(value: str) -> str:
    """A TIMEX3 duration in English: "20 years", "several months", "2 years and 6 months"."""
    m = DURATION.fullmatch(value)
    if not m or not (m["date"] or m["time"]):
        return UNKNOWN_LENGTH.get(value, "")
    parts = [_amount(n, DATE_UNITS[unit]) for n, unit in DATE_AMOUNT.findall(m["date"])]
    parts += [_amount(n, TIME_UNITS[unit]) for n, unit in TIME_AMOUNT.findall(m["time"] or "")]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _amount(count: str, names: tuple[str, str]) -> str:
    """A count of a unit: "1 year", "20 years", or "several years" for an unknown count (X)."""
    singular, plural = names
    if count == "X":
        return f"several {plural}"
    return f"{count} {singular if count == '1' else plural}"


# Dates and times: one small function per shape of value.


def _year(m: re.Match[str]) -> Phrase:
    """A year: "2021", "mid-2021"."""
    return _compact(_year_words(int(m["y"])))


def _bc_year(m: re.Match[str]) -> Phrase:
    """A year before the Common Era: "480 BC" for BC0480."""
    if int(m["y"]) < 1:
        raise ValueError("there is no year 0 BC")
    return _compact(f"{int(m['y'])} BC")


def _decade(m: re.Match[str]) -> Phrase:
    """A decade: "the 1990s", "the late 1990s" for 199; "the 480s BC" for BC048."""
    era = " BC" if m["bc"] else ""
    return _compact(f"{int(m['de']) * 10}s{era}", the="the ")


def _century(m: re.Match[str]) -> Phrase:
    """A century: "the 20th century" for 19 (the 1900s); "the 5th century BC" for BC04."""
    era = " BC" if m["bc"] else ""
    return _compact(f"{_century_words(int(m['ce']))}{era}", the="the ")


def _month(m: re.Match[str]) -> Phrase:
    """A month: "July 2021", "early July 2021"."""
    return _compact(_month_words(date(int(m["y"]), int(m["m"]), 1)))


def _season(m: re.Match[str]) -> Phrase:
    """A season: "summer 2021", "late summer 2021"."""
    return _compact(f"{SEASONS[m['season']]} {_year_words(int(m['y']))}")


def _quarter(m: re.Match[str]) -> Phrase:
    """A quarter: "third quarter of 2021", "early in the third quarter of 2021"."""
    return _spanning(f"{ORDINALS[int(m['q']) - 1]} quarter of {_year_words(int(m['y']))}")


def _half(m: re.Match[str]) -> Phrase:
    """A half-year: "first half of 2021"."""
    return _spanning(f"{ORDINALS[int(m['h']) - 1]} half of {_year_words(int(m['y']))}")


def _week(m: re.Match[str]) -> Phrase:
    """An ISO week, by its Monday: "week of 12 July 2021"."""
    return _spanning(f"week of {_day_words(_monday(m))}")


def _weekend(m: re.Match[str]) -> Phrase:
    """The Saturday and Sunday of an ISO week: "weekend of 17-18 July 2021"."""
    saturday = _monday(m) + timedelta(days=5)
    return _spanning(f"weekend of {_two_days(saturday, saturday + timedelta(days=1))}")


def _day(m: re.Match[str]) -> Phrase:
    """A day: "Friday 16 July 2021", "late on Friday 16 July 2021"."""
    words = _day_words(_ymd(m), weekday=True)
    return Phrase(words, words, f"early on {words}", f"midway through {words}", f"late on {words}")


def _part_of_day(m: re.Match[str]) -> Phrase:
    """A part of a day: "Friday 16 July 2021, morning", "Friday 16 July 2021, late evening"."""
    day = _day_words(_ymd(m), weekday=True)
    part = PARTS_OF_DAY[m["part"]]
    plain = f"{day}, {part}"
    return Phrase(plain, plain, f"{day}, early {part}", f"{day}, mid-{part}", f"{day}, late {part}")


def _time(m: re.Match[str]) -> Phrase:
    """A clock time: "Friday 16 July 2021, 16:30"; 24:00 is the midnight that ends the day.
    A time said in a zone keeps its own clock and says the zone: "16:30 UTC", "12:30 UTC-4"."""
    hour, minute, second = int(m["hh"]), int(m["mm"] or 0), int(m["ss"] or 0)
    if minute > 59 or second > 59 or hour * 3600 + minute * 60 + second > 24 * 3600:
        raise ValueError(f"no such time of day: {m.group()}")
    midnight = datetime.combine(_ymd(m), datetime.min.time())
    moment = midnight + timedelta(hours=hour, minutes=minute, seconds=second)
    grain = "second" if m["ss"] else "minute"
    zone = _zone_words(m["tz"])
    words = f"{_day_words(moment.date(), weekday=True)}, {_clock(moment, grain)}{zone}"
    return Phrase(words, words, words, words, words)


def _zone_words(zone: str | None) -> str:
    """A TIMEX3 zone for readers: " UTC" for Z, " UTC-4" for -04, " UTC+5:30" for +05:30;
    "" for a floating time."""
    if not zone:
        return ""
    if zone == "Z":
        return " UTC"
    sign, hours, minutes = zone[0], int(zone[1:3]), int(zone[3:].lstrip(":") or 0)
    if not hours and not minutes:
        return " UTC"
    return f" UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


YMD = r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
DATE_FORMS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Phrase]], ...] = (
    (re.compile(r"(?P<y>\d{4})"), _year),
    (re.compile(r"BC(?P<y>\d{4})"), _bc_year),
    (re.compile(r"(?P<bc>BC)?(?P<de>\d{3})"), _decade),
    (re.compile(r"(?P<bc>BC)?(?P<ce>\d{2})"), _century),
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})"), _month),
    (re.compile(r"(?P<y>\d{4})-(?P<season>SP|SU|FA|WI)"), _season),
    (re.compile(r"(?P<y>\d{4})-Q(?P<q>[1-4])"), _quarter),
    (re.compile(r"(?P<y>\d{4})-H(?P<h>[12])"), _half),
    (re.compile(r"(?P<y>\d{4})-W(?P<w>\d{2})"), _week),
    (re.compile(r"(?P<y>\d{4})-W(?P<w>\d{2})-WE"), _weekend),
    (re.compile(YMD), _day),
    (re.compile(rf"{YMD}T(?P<part>MO|MI|AF|EV|NI|DT)"), _part_of_day),
    (
        re.compile(
            rf"{YMD}T(?P<hh>\d{{2}})(?::(?P<mm>\d{{2}})(?::(?P<ss>\d{{2}}))?)?"
            r"(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?"
        ),
        _time,
    ),
)


def _date_phrase(value: str) -> Phrase | None:
    """The phrase for a DATE or TIME value, or None for a shape this module does not know."""
    for pattern, render in DATE_FORMS:
        m = pattern.fullmatch(value)
        if m:
            return render(m)
    return None


# Small pieces shared by the forms above.


def _compact(words: str, the: str = "") -> Phrase:
    """A date that takes "early", "mid-", "late" in front: "mid-July 2021", "the late 1990s"."""
    plain = f"{the}{words}"
    return Phrase(plain, plain, f"{the}early {words}", f"{the}mid-{words}", f"{the}late {words}")


def _spanning(words: str) -> Phrase:
    """A period one is early in or late in: "early in the week of 12 July 2021"."""
    noun = f"the {words}"
    return Phrase(words, noun, f"early in {noun}", f"midway through {noun}", f"late in {noun}")


def _year_words(year: int) -> str:
    """A year as a reader writes it, without leading zeros: "2021", "1"."""
    if year < 1:
        raise ValueError(f"no year {year} in the Common Era")
    return str(year)


def _century_words(hundreds: int) -> str:
    """A century by its hundreds: "20th century" for 19 (the 1900s), "21st century" for 20."""
    n = hundreds + 1
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} century"


def _month_words(day: date) -> str:
    """A month and year: "July 2021"."""
    return f"{MONTHS[day.month - 1]} {_year_words(day.year)}"


def _day_words(day: date, weekday: bool = False) -> str:
    """A day: "16 July 2021", or "Friday 16 July 2021" with the weekday."""
    words = f"{day.day} {_month_words(day)}"
    return f"{WEEKDAYS[day.weekday()]} {words}" if weekday else words


def _two_days(first: date, last: date) -> str:
    """Two days in a row: "17-18 July 2021", "31 July - 1 August 2021", and so on (en dashes)."""
    if first.year != last.year:
        return f"{_day_words(first)} {DASH} {_day_words(last)}"
    if first.month != last.month:
        return f"{first.day} {MONTHS[first.month - 1]} {DASH} {_day_words(last)}"
    return f"{first.day}{DASH}{_day_words(last)}"


def _ymd(m: re.Match[str]) -> date:
    """The calendar day a value names (ValueError for 2021-02-30)."""
    return date(int(m["y"]), int(m["m"]), int(m["d"]))


def _monday(m: re.Match[str]) -> date:
    """The Monday of the ISO week a value names (ValueError for 2021-W53)."""
    return date.fromisocalendar(int(m["y"]), int(m["w"]), 1)


def _instant(text: str | None) -> datetime | None:
    """An ISO 8601 instant ("2021-07-17" or "2021-07-17T16:30"), or None for an open end."""
    return None if text is None else datetime.fromisoformat(text)


def _last_day(stop: datetime) -> date:
    """The last day inside a half-open interval that ends (exclusively) at ``stop``."""
    return (stop - timedelta(microseconds=1)).date()
