"""Holidays and observances resolved to Gregorian dates, from the table ``rules/holidays.tsv``.

Islamic observances follow the Umm al-Qura calendar (``hijridate``) unless a region is given
and the ``holidays`` package knows how that country observed them; Christian movable feasts
follow Western Easter (``dateutil``); Nowruz falls on the day of the March equinox in Tehran.
The three libraries are imported when a holiday is first resolved, not with the tagger.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .rulefiles import read_table


@dataclass(frozen=True)
class Holiday:
    """One row of ``holidays.tsv``."""

    key: str
    calendar: str
    month: int
    day: str
    days: int
    library_name: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Occurrence:
    """One observance of a holiday: its first day and its length in days."""

    first: date
    days: int


@functools.cache
def holiday_table() -> dict[str, Holiday]:
    """The rows of ``holidays.tsv`` by key."""
    _, rows = read_table("holidays.tsv")
    return {
        row["key"]: Holiday(
            row["key"],
            row["calendar"],
            int(row["month"] or 0),
            row["day"],
            int(row["days"] or 1),
            row["library_name"],
            tuple(e.strip() for e in row["examples"].split("|") if e.strip()),
        )
        for row in rows
    }


def occurrences(key: str, year: int, region: str | None = None) -> list[Occurrence]:
    """The observances of holiday ``key`` that begin in Gregorian ``year`` (none if unknown)."""
    holiday = holiday_table().get(key)
    if holiday is None or not 1 < year < 9999:
        return []
    if region and holiday.library_name:
        regional = _regional(holiday.library_name, region.upper(), year)
        if regional:
            return [Occurrence(first, holiday.days) for first in regional]
    return list(_computed(holiday, year))


def _computed(holiday: Holiday, year: int) -> Iterator[Occurrence]:
    if holiday.calendar == "gregorian":
        yield Occurrence(date(year, holiday.month, int(holiday.day)), holiday.days)
    elif holiday.calendar == "easter":
        from dateutil.easter import easter

        yield Occurrence(easter(year) + timedelta(days=int(holiday.day)), holiday.days)
    elif holiday.calendar == "weekday":
        yield Occurrence(_nth_weekday(year, holiday.month, holiday.day), holiday.days)
    elif holiday.calendar == "equinox":
        yield Occurrence(march_equinox_day(year), holiday.days)
    elif holiday.calendar == "hijri":
        yield from _hijri(holiday, year)


def _hijri(holiday: Holiday, year: int) -> Iterator[Occurrence]:
    """The Gregorian dates of a Hijri month/day in a Gregorian year (zero, one or two)."""
    from hijridate import Gregorian, Hijri

    try:
        first_h = Gregorian(year, 1, 1).to_hijri().year
    except (OverflowError, ValueError):
        return
    for hijri_year in (first_h, first_h + 1):
        try:
            start = Hijri(hijri_year, holiday.month, int(holiday.day)).to_gregorian()
            end = (
                Hijri(hijri_year + (holiday.month == 12), holiday.month % 12 + 1, 1).to_gregorian()
                if holiday.days > 1
                else None
            )
        except (OverflowError, ValueError):
            continue
        if start.year == year:
            days = (
                (date(end.year, end.month, end.day) - date(start.year, start.month, start.day)).days
                if end
                else 1
            )
            yield Occurrence(date(start.year, start.month, start.day), days)


def _nth_weekday(year: int, month: int, spec: str) -> date:
    """The ``N-W`` weekday of a month: "4-4" is the fourth Thursday, "-1-1" the last Monday,
    "1-2@2" the first Tuesday from the 2nd on (US Election Day), "4-4+1" the day after the
    fourth Thursday (Black Friday)."""
    spec, _, plus = spec.partition("+")
    spec, _, from_day = spec.partition("@")
    n_text, _, weekday_text = spec.rpartition("-")
    n, weekday, after = int(n_text), int(weekday_text), timedelta(days=int(plus or 0))
    if n > 0:
        first = date(year, month, int(from_day or 1))
        return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1)) + after
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.isoweekday() - weekday) % 7 + 7 * (-n - 1)) + after


def march_equinox_day(year: int) -> date:
    """The day Nowruz begins: the day of the March equinox in Tehran (UTC+3:30) when the
    equinox comes before noon there, else the next day.

    The equinox follows Meeus, *Astronomical Algorithms*, chapter 27.
    """
    y = (year - 2000) / 1000
    jde = 2451623.80984 + 365242.37404 * y + 0.05169 * y**2 - 0.00411 * y**3 - 0.00057 * y**4
    t = (jde - 2451545.0) / 36525
    w = math.radians(35999.373 * t - 2.47)
    dl = 1 + 0.0334 * math.cos(w) + 0.0007 * math.cos(2 * w)
    jde += 0.00001 * _periodic(t) / dl
    moment = datetime(2000, 1, 1, 12) + timedelta(days=jde - 2451545.0) + timedelta(hours=3.5)
    return moment.date() if moment.hour < 12 else moment.date() + timedelta(days=1)


def _periodic(t: float) -> float:
    terms = (
        (485, 324.96, 1934.136),
        (203, 337.23, 32964.467),
        (199, 342.08, 20.186),
        (182, 27.85, 445267.112),
        (156, 73.14, 45036.886),
        (136, 171.52, 22518.443),
        (77, 222.54, 65928.934),
        (74, 296.72, 3034.906),
        (70, 243.58, 9037.513),
        (58, 119.81, 33718.147),
        (52, 297.17, 150.678),
        (50, 21.02, 2281.226),
    )
    return sum(a * math.cos(math.radians(b + c * t)) for a, b, c in terms)


@functools.cache
def _regional(name: str, region: str, year: int) -> tuple[date, ...]:
    """The first days of the runs of days that ``region``'s calendar (the ``holidays``
    package) names ``name`` in ``year``; empty when the package does not know the region."""
    import holidays as holidays_lib

    try:
        calendar = holidays_lib.country_holidays(region, years=year)
    except NotImplementedError:
        return ()
    days = sorted(
        d
        for d, label in calendar.items()
        if name.lower() in label.lower()
        and "observed" not in label.lower()
        and "eve" not in label.lower().split()
    )
    return tuple(d for d in days if d - timedelta(days=1) not in days)
