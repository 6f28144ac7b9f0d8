"""Calendar arithmetic on TIMEX3 values: formatting, shifting and their intervals.

Nothing here reads the wall clock: every function works from the dates it is given.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .model import Interval

SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
PART_HOURS = {
    "MO": (6, 12),
    "MI": (11, 13),
    "AF": (12, 18),
    "EV": (18, 22),
    "NI": (21, 30),
    "DT": (8, 18),
}


def season_start(year: int, season: str) -> date:
    """The first day of ``season`` (SP, SU, FA, WI) of ``year``. A winter is the year of its
    January, as TimeML corpora write it: 1778-WI runs from December 1777 (a winter in year 1
    starts on its first day)."""
    if season == "WI":
        return date(year - 1, 12, 1) if year > 1 else date(1, 1, 1)
    return date(year, SEASON_START[season], 1)


def last_season(day: date, season: str) -> int:
    """The year of the latest ``season`` to have begun on or before ``day``."""
    year = day.year + 1 if season == "WI" and day.month == 12 else day.year
    return year if season_start(year, season) <= day else year - 1


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, clamped to the end of shorter months."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    year = min(max(year, 1), 9999)
    month += 1
    return date(year, month, min(day.day, days_in_month(year, month)))


def days_in_month(year: int, month: int) -> int:
    """The number of days in ``month`` of ``year``."""
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


# A TIMEX3 length of one unit: "P3Y", "P2Q", "PXM" (a number of units not said).
LENGTH = re.compile(r"P(?P<n>\d+|X)(?P<unit>DE|CE|Y|M|W|D|Q)")


def length(value: str) -> tuple[int | None, str] | None:
    """The count and unit of a TIMEX3 length of one unit ("P3Y": ``(3, "Y")``; "PXM":
    ``(None, "M")``), or ``None`` for any other value ("P2Y6M", "PT48H", a date).

    >>> length("P20Y"), length("PXW"), length("2021-07")
    ((20, 'Y'), (None, 'W'), None)
    """
    found = LENGTH.fullmatch(value)
    if found is None:
        return None
    n = found.group("n")
    return (None if n == "X" else int(n)), found.group("unit")


def shift(day: date, unit: str, n: int) -> date:
    """``day`` moved by ``n`` units (D, W, WE, M, Q, Y, DE, CE)."""
    if unit == "D":
        return day + timedelta(days=n)
    if unit in ("W", "WE"):
        return day + timedelta(weeks=n)
    months = {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200}.get(unit)
    if months is None:
        raise ValueError(f"unknown calendar unit {unit!r}")
    return add_months(day, n * months)


def format_unit(day: date, unit: str) -> str:
    """The TIMEX3 value of the ``unit`` (day, week, month ...) that holds ``day``."""
    if unit == "D":
        return day.isoformat()
    if unit == "W":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if unit == "WE":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}-WE"
    if unit == "M":
        return f"{day.year:04d}-{day.month:02d}"
    if unit == "Q":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if unit == "H":
        return f"{day.year:04d}-H{(day.month - 1) // 6 + 1}"
    if unit == "Y":
        return f"{day.year:04d}"
    if unit == "DE":
        return f"{day.year // 10:03d}"
    if unit == "CE":
        return f"{day.year // 100:02d}"
    raise ValueError(f"unknown calendar unit {unit!r}")


# An offset from UTC at the end of a clock time: "Z", "-04", "+05:30" (ISO 8601).
ZONE = r"(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)"
VALUE = re.compile(
    r"^(?P<y>\d{4})(?:-(?:(?P<m>\d{2})(?:-(?P<d>\d{2})(?:T(?:(?P<hh>\d{2})(?::(?P<mm>\d{2})(?::(?P<ss>\d{2}))?)?"
    rf"{ZONE}?|(?P<part>MO|MI|AF|EV|NI|DT)))?)?|W(?P<w>\d{{2}})(?P<we>-WE)?|Q(?P<q>[1-4])"
    r"|H(?P<h>[12])|(?P<season>SP|SU|FA|WI)))?$"
)
OFFSET = re.compile(r"(?P<sign>[+-])(?P<hh>\d{1,2})(?::?(?P<mm>\d{2}))?")


def parse_offset(text: str) -> timedelta | None:
    """The offset from UTC that ``text`` ends with ("Z", "-04", "+05:30", "UTC+3"), or None.

    >>> parse_offset("-04:00")
    datetime.timedelta(days=-1, seconds=72000)
    """
    if text.endswith("Z"):
        return timedelta(0)
    found = OFFSET.search(text)
    if found is None or found.end() != len(text):
        return None
    hours, minutes = int(found["hh"]), int(found["mm"] or 0)
    if hours > 14 or minutes > 59:  # no zone lies further from UTC
        return None
    offset = timedelta(hours=hours, minutes=minutes)
    return -offset if found["sign"] == "-" else offset


def zone_offset(zone: str, local: datetime) -> timedelta | None:
    """The offset from UTC of ``zone`` at the clock time ``local``: ``zone`` is an offset
    ("-04:00", "UTC+3") or an IANA zone ("America/New_York", whose offset changes with
    summer time); None for a zone not known.

    >>> zone_offset("America/New_York", datetime(2021, 1, 13, 9, 30))
    datetime.timedelta(days=-1, seconds=68400)
    """
    offset = parse_offset(zone)
    if offset is not None:
        return offset
    try:
        found = local.replace(tzinfo=ZoneInfo(zone)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return found


def format_offset(offset: timedelta) -> str:
    """A TIMEX3 zone: "Z" for UTC, "-04" for whole hours (as TIDES and WikiWars write them),
    "+05:30" otherwise.

    >>> format_offset(timedelta(hours=-4)), format_offset(timedelta(hours=5, minutes=30))
    ('-04', '+05:30')
    """
    if not offset:
        return "Z"
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    hours, rest = divmod(minutes, 60)
    return f"{sign}{hours:02d}" + (f":{rest:02d}" if rest else "")


# How many values' intervals are remembered.
VALUE_CACHE_SIZE = 4096


@functools.lru_cache(maxsize=VALUE_CACHE_SIZE)
def value_interval(value: str) -> tuple[datetime, datetime, str] | None:
    """The half-open interval ``[start, end)`` a TIMEX3 date/time value names, and its granularity
    (remembered by value: a text names the same days again and again).

    >>> value_interval("2021-07")[2]
    'month'
    """
    if re.fullmatch(r"\d{3}", value):
        start = date(int(value) * 10 or 1, 1, 1)
        return midnight(start), midnight(date(min(int(value) * 10 + 10, 9999), 1, 1)), "decade"
    if re.fullmatch(r"\d{2}", value):
        start = date(int(value) * 100 or 1, 1, 1)
        return midnight(start), midnight(date(min(int(value) * 100 + 100, 9999), 1, 1)), "century"
    m = VALUE.match(value)
    if not m or m.group("y") == "0000":
        return None
    year = int(m.group("y"))
    if year >= 9999:
        return None
    try:
        return _interval(m, year)
    except ValueError:  # a day that does not exist, such as 2021-02-30
        return None


def bc_interval(value: str) -> Interval | None:
    """The year a ``BCyyyy`` value names, in ISO 8601 astronomical years (480 BC is -0479).

    >>> bc_interval("BC0480")
    Interval(start='-0479-01-01', end='-0478-01-01', granularity='year')
    """
    m = re.fullmatch(r"BC(\d{4})", value)
    if not m or int(m.group(1)) == 0:
        return None
    year = 1 - int(m.group(1))
    return Interval(_iso_year(year), _iso_year(year + 1), "year")


def _iso_year(year: int) -> str:
    return f"-{-year:04d}-01-01" if year < 0 else f"{year:04d}-01-01"


def _interval(m: re.Match[str], year: int) -> tuple[datetime, datetime, str]:
    if m.group("d"):
        day = date(year, int(m.group("m")), int(m.group("d")))
        if m.group("hh"):
            return _clock_interval(m, day)
        if m.group("part"):
            lo, hi = PART_HOURS[m.group("part")]
            base = midnight(day)
            return base + timedelta(hours=lo), base + timedelta(hours=hi), "part-of-day"
        return midnight(day), midnight(day + timedelta(days=1)), "day"
    if m.group("m"):
        first = date(year, int(m.group("m")), 1)
        return midnight(first), midnight(add_months(first, 1)), "month"
    if m.group("w"):
        monday = date.fromisocalendar(year, int(m.group("w")), 1)
        if m.group("we"):
            return (
                midnight(monday + timedelta(days=5)),
                midnight(monday + timedelta(days=7)),
                "weekend",
            )
        return midnight(monday), midnight(monday + timedelta(days=7)), "week"
    if m.group("q"):
        first = date(year, 3 * int(m.group("q")) - 2, 1)
        return midnight(first), midnight(add_months(first, 3)), "quarter"
    if m.group("h"):
        first = date(year, 6 * int(m.group("h")) - 5, 1)
        return midnight(first), midnight(add_months(first, 6)), "half-year"
    if m.group("season"):
        first = season_start(year, m.group("season"))
        return midnight(first), midnight(add_months(first, 3)), "season"
    return (
        midnight(date(year, 1, 1)),
        midnight(date(year + 1, 1, 1)) if year < 9998 else midnight(date(9999, 1, 1)),
        "year",
    )


def _clock_interval(m: re.Match[str], day: date) -> tuple[datetime, datetime, str]:
    """The second, minute or hour a clock time names; in UTC when the value has a zone."""
    start = datetime(
        day.year,
        day.month,
        day.day,
        int(m.group("hh")) % 24,
        int(m.group("mm") or 0),
        int(m.group("ss") or 0),
    )
    if m.group("hh") == "24":
        start += timedelta(days=1)
    offset = parse_offset(m.group("tz")) if m.group("tz") else None
    if offset is not None:
        start = start.replace(tzinfo=timezone(offset)).astimezone(UTC)
    if m.group("ss"):
        return start, start + timedelta(seconds=1), "second"
    if m.group("mm"):
        return start, start + timedelta(minutes=1), "minute"
    return start, start + timedelta(hours=1), "hour"


def midnight(day: date) -> datetime:
    """The first instant of ``day``."""
    return datetime(day.year, day.month, day.day)


def apply_mod(
    start: datetime, end: datetime, mod: str | None
) -> tuple[datetime | None, datetime | None]:
    """Narrow or open an interval by a TIMEX3 ``mod``.

    START is the first third, MID the middle one, END the last; APPROX widens the interval by
    its own width on each side; BEFORE and AFTER open it. An interval too short to cut in
    whole units (a day: "late yesterday") stays whole rather than becoming empty.
    """
    if mod in ("START", "MID", "END"):
        first, second = _thirds(start, end)
        if not start < first < second < end:
            return start, end
        return {"START": (start, first), "MID": (first, second), "END": (second, end)}[mod]
    match mod:
        case "APPROX":
            width = end - start
            return start - width, end + width
        case "BEFORE":
            return None, start
        case "ON_OR_BEFORE":
            return None, end
        case "AFTER":
            return end, None
        case "ON_OR_AFTER":
            return start, None
    return start, end


def _thirds(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The two points that cut ``[start, end)`` in thirds, on whole calendar units: years
    for a decade or more ("the early 1980s" is 1980-1983), months for a year or more
    ("early 2021" is January to April), days for a day or more."""
    days = (end - start).days
    if days >= 365:
        months = round((end.year - start.year) * 12 + end.month - start.month)
        step = round(months / 3 / 12) * 12 if days >= 3650 else round(months / 3)
        first = midnight(add_months(start.date(), step))
        second = midnight(add_months(end.date(), -step))
        return first, second
    third = (end - start) / 3
    if days >= 1:
        third = timedelta(days=round(third / timedelta(days=1)))
    return start + third, end - third


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 text of ``moment``: a date when it falls on midnight, else date and time; an
    instant with a zone is written in UTC, always with its time ("2021-07-13T09:30Z").

    >>> iso(datetime(2021, 7, 13, 5, 30, tzinfo=timezone(timedelta(hours=-4))))
    '2021-07-13T09:30Z'
    """
    if moment is None:
        return None
    timespec = "seconds" if moment.second else "minutes"
    if moment.tzinfo is not None:
        naive = moment.astimezone(UTC).replace(tzinfo=None)
        return naive.isoformat(timespec=timespec) + "Z"
    if moment.hour == moment.minute == moment.second == 0:
        return moment.date().isoformat()
    return moment.isoformat(timespec=timespec)
