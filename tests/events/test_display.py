"""The date a timeline shows for each kind of time reference: tables of exact strings.

Every row is (kind, value, mod, start, end, granularity, text) and the words expected.
Vague references are read as the tagger resolves them against Saturday 2021-07-17,
so their intervals end (exclusively) on 2021-07-18.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.events import display
from timeline.events.display import display_date

DASH = "\u2013"  # en dash

Row = tuple[str, str, str | None, str | None, str | None, str | None, str]


def shown(row: Row) -> str:
    """``display_date`` on one row of a table."""
    return display_date(*row)


DAYS_AND_TIMES: list[tuple[Row, str]] = [
    (("DATE", "2021-07-16", None, "2021-07-16", "2021-07-17", "day", ""), "Friday 16 July 2021"),
    (("DATE", "2021-07-01", None, None, None, "day", "July 1"), "Thursday 1 July 2021"),
    (("DATE", "2020-02-29", None, None, None, "day", ""), "Saturday 29 February 2020"),
    (("DATE", "0001-01-01", None, None, None, "day", ""), "Monday 1 January 1"),
    (("DATE", "2021-07-16", "START", None, None, "day", ""), "early on Friday 16 July 2021"),
    (("DATE", "2021-07-16", "MID", None, None, "day", ""), "midway through Friday 16 July 2021"),
    (("DATE", "2021-07-16", "END", None, None, "day", ""), "late on Friday 16 July 2021"),
    (("DATE", "2021-07-16", "APPROX", None, None, "day", ""), "about Friday 16 July 2021"),
    (("DATE", "2021-07-16", "BEFORE", None, None, "day", ""), "before Friday 16 July 2021"),
    (("TIME", "2021-07-16T16:30", None, None, None, "minute", ""), "Friday 16 July 2021, 16:30"),
    (
        ("TIME", "2021-07-16T16:30:05", None, None, None, "second", ""),
        "Friday 16 July 2021, 16:30:05",
    ),
    (("TIME", "2021-07-16T09", None, None, None, "hour", ""), "Friday 16 July 2021, 09:00"),
    (("TIME", "2021-07-16T24:00", None, None, None, "minute", ""), "Saturday 17 July 2021, 00:00"),
    (
        ("TIME", "2021-07-16TMO", None, None, None, "part-of-day", ""),
        "Friday 16 July 2021, morning",
    ),
    (
        ("TIME", "2021-07-16TAF", None, None, None, "part-of-day", ""),
        "Friday 16 July 2021, afternoon",
    ),
    (
        ("TIME", "2021-07-16TEV", None, None, None, "part-of-day", ""),
        "Friday 16 July 2021, evening",
    ),
    (("TIME", "2021-07-16TNI", None, None, None, "part-of-day", ""), "Friday 16 July 2021, night"),
    (
        ("TIME", "2021-07-16TDT", None, None, None, "part-of-day", ""),
        "Friday 16 July 2021, daytime",
    ),
    (("TIME", "2021-07-16TMI", None, None, None, "part-of-day", ""), "Friday 16 July 2021, midday"),
    (
        ("TIME", "2021-07-16TMO", "START", None, None, "part-of-day", ""),
        "Friday 16 July 2021, early morning",
    ),
    (
        ("TIME", "2021-07-16TEV", "END", None, None, "part-of-day", ""),
        "Friday 16 July 2021, late evening",
    ),
]

MONTHS_AND_YEARS: list[tuple[Row, str]] = [
    (("DATE", "2021-07", None, "2021-07-01", "2021-08-01", "month", ""), "July 2021"),
    (("DATE", "2021-07", "START", None, None, "month", ""), "early July 2021"),
    (("DATE", "2021-07", "MID", None, None, "month", ""), "mid-July 2021"),
    (("DATE", "2021-07", "END", None, None, "month", ""), "late July 2021"),
    (("DATE", "2021-07", "APPROX", None, None, "month", ""), "about July 2021"),
    (("DATE", "2021-07", "BEFORE", None, None, "month", ""), "before July 2021"),
    (("DATE", "2021-07", "AFTER", None, None, "month", ""), "after July 2021"),
    (("DATE", "2021-07", "ON_OR_BEFORE", None, None, "month", ""), "July 2021 or earlier"),
    (("DATE", "2021-07", "ON_OR_AFTER", None, None, "month", ""), "July 2021 or later"),
    (("DATE", "2021-07", "LESS_THAN", None, None, "month", ""), "July 2021"),
    (("DATE", "2021-02", None, None, None, "month", ""), "February 2021"),
    (("DATE", "2021-12", None, None, None, "month", ""), "December 2021"),
    (("DATE", "2021", None, "2021-01-01", "2022-01-01", "year", ""), "2021"),
    (("DATE", "2021", "MID", None, None, "year", ""), "mid-2021"),
    (("DATE", "2021", "START", None, None, "year", ""), "early 2021"),
    (("DATE", "2021", "END", None, None, "year", ""), "late 2021"),
    (("DATE", "2021", "APPROX", None, None, "year", ""), "about 2021"),
    (("DATE", "2021", "MORE_THAN", None, None, "year", ""), "2021"),
    (("DATE", "0001", None, None, None, "year", ""), "1"),
    (("DATE", "BC0480", None, None, None, "year", ""), "480 BC"),
    (("DATE", "BC0480", "MID", None, None, "year", ""), "mid-480 BC"),
    (("DATE", "BC0001", "APPROX", None, None, "year", ""), "about 1 BC"),
]

PERIODS: list[tuple[Row, str]] = [
    (("DATE", "2021-Q1", None, None, None, "quarter", ""), "first quarter of 2021"),
    (("DATE", "2021-Q2", None, None, None, "quarter", ""), "second quarter of 2021"),
    (("DATE", "2021-Q3", None, None, None, "quarter", ""), "third quarter of 2021"),
    (("DATE", "2021-Q4", None, None, None, "quarter", ""), "fourth quarter of 2021"),
    (("DATE", "2021-Q3", "START", None, None, "quarter", ""), "early in the third quarter of 2021"),
    (("DATE", "2021-Q3", "BEFORE", None, None, "quarter", ""), "before the third quarter of 2021"),
    (("DATE", "2021-H1", None, None, None, "half-year", ""), "first half of 2021"),
    (("DATE", "2021-H2", None, None, None, "half-year", ""), "second half of 2021"),
    (("DATE", "2021-H2", "END", None, None, "half-year", ""), "late in the second half of 2021"),
    (("DATE", "2021-SP", None, None, None, "season", ""), "spring 2021"),
    (("DATE", "2021-SU", None, None, None, "season", ""), "summer 2021"),
    (("DATE", "2021-FA", None, None, None, "season", ""), "autumn 2021"),
    (("DATE", "2021-WI", None, None, None, "season", ""), "winter 2021"),
    (("DATE", "2021-SU", "END", None, None, "season", ""), "late summer 2021"),
    (("DATE", "2021-W28", None, "2021-07-12", "2021-07-19", "week", ""), "week of 12 July 2021"),
    (("DATE", "2020-W53", None, None, None, "week", ""), "week of 28 December 2020"),
    (("DATE", "2020-W01", None, None, None, "week", ""), "week of 30 December 2019"),
    (("DATE", "2021-W28", "END", None, None, "week", ""), "late in the week of 12 July 2021"),
    (("DATE", "2021-W28-WE", None, None, None, "weekend", ""), f"weekend of 17{DASH}18 July 2021"),
    (
        ("DATE", "2021-W30-WE", None, None, None, "weekend", ""),
        f"weekend of 31 July {DASH} 1 August 2021",
    ),
    (
        ("DATE", "2022-W52-WE", None, None, None, "weekend", ""),
        f"weekend of 31 December 2022 {DASH} 1 January 2023",
    ),
    (("DATE", "2020-W53-WE", None, None, None, "weekend", ""), f"weekend of 2{DASH}3 January 2021"),
    (
        ("DATE", "2020-W09-WE", None, None, None, "weekend", ""),
        f"weekend of 29 February {DASH} 1 March 2020",
    ),
    (("DATE", "199", None, None, None, "decade", ""), "the 1990s"),
    (("DATE", "199", "START", None, None, "decade", ""), "the early 1990s"),
    (("DATE", "199", "MID", None, None, "decade", ""), "the mid-1990s"),
    (("DATE", "199", "END", None, None, "decade", ""), "the late 1990s"),
    (("DATE", "199", "APPROX", None, None, "decade", ""), "about the 1990s"),
    (("DATE", "200", None, None, None, "decade", ""), "the 2000s"),
    (("DATE", "BC048", None, None, None, "decade", ""), "the 480s BC"),
    (("DATE", "19", None, None, None, "century", ""), "the 20th century"),
    (("DATE", "20", None, None, None, "century", ""), "the 21st century"),
    (("DATE", "00", None, None, None, "century", ""), "the 1st century"),
    (("DATE", "01", None, None, None, "century", ""), "the 2nd century"),
    (("DATE", "02", None, None, None, "century", ""), "the 3rd century"),
    (("DATE", "10", None, None, None, "century", ""), "the 11th century"),
    (("DATE", "11", None, None, None, "century", ""), "the 12th century"),
    (("DATE", "12", None, None, None, "century", ""), "the 13th century"),
    (("DATE", "21", None, None, None, "century", ""), "the 22nd century"),
    (("DATE", "19", "MID", None, None, "century", ""), "the mid-20th century"),
    (("DATE", "19", "END", None, None, "century", ""), "the late 20th century"),
    (("DATE", "BC04", None, None, None, "century", ""), "the 5th century BC"),
]

VAGUE: list[tuple[Row, str]] = [
    (
        ("DURATION", "PXW", None, "2021-06-21", "2021-07-18", "vague", "recent weeks"),
        "recent weeks (late June to 17 July 2021)",
    ),
    # From the 20th a month is in its late part; the 19th is still mid-month.
    (
        ("DURATION", "PXW", None, "2021-06-20", "2021-07-18", "vague", "recent weeks"),
        "recent weeks (late June to 17 July 2021)",
    ),
    (
        ("DURATION", "PXW", None, "2021-06-19", "2021-07-18", "vague", "in recent weeks"),
        "recent weeks (mid-June to 17 July 2021)",
    ),
    (
        ("DURATION", "PXM", None, "2021-01-19", "2021-07-18", "vague", "In Recent Months"),
        "recent months (mid-January to 17 July 2021)",
    ),
    (
        ("DURATION", "PXD", None, "2021-07-11", "2021-07-18", "vague", "the past few days"),
        "past few days (mid-July to 17 July 2021)",
    ),
    (
        ("DURATION", "PXM", None, "2021-07-10", "2021-07-18", "vague", "recent months"),
        "recent months (early July to 17 July 2021)",
    ),
    (
        ("DURATION", "PXM", None, "2021-07-01", "2021-07-18", "vague", "recent months"),
        "recent months (early July to 17 July 2021)",
    ),
    (
        ("DURATION", "PXM", None, "2020-12-25", "2021-07-18", "vague", "recent months"),
        "recent months (late December 2020 to 17 July 2021)",
    ),
    (
        (
            "DURATION",
            "PXW",
            None,
            "2021-06-21T00:00",
            "2021-07-18T00:00:00",
            "vague",
            "recent weeks",
        ),
        "recent weeks (late June to 17 July 2021)",
    ),
    (
        ("DURATION", "PXM", None, "2021-07-17", None, "vague", "the coming months"),
        "coming months (after 17 July 2021)",
    ),
    (
        ("DURATION", "PXM", None, "2021-07-17", None, "vague", "in the coming months"),
        "coming months (after 17 July 2021)",
    ),
    (("DURATION", "PXW", None, None, None, "vague", ""), "several weeks"),
    (("DURATION", "PXW", None, None, None, "vague", "recent weeks"), "recent weeks"),
    (("DATE", "PRESENT_REF", None, "2021-07-17", "2021-07-18", "day", ""), "now (17 July 2021)"),
    (("DATE", "PRESENT_REF", None, "2021-07-17", "2021-07-18", "day", "now"), "now (17 July 2021)"),
    (
        ("DATE", "PRESENT_REF", None, "2021-07-17", "2021-07-18", "day", "Currently"),
        "currently (17 July 2021)",
    ),
    (("DATE", "PRESENT_REF", None, None, None, None, ""), "now"),
    (
        ("DATE", "PAST_REF", None, None, "2021-07-18", "vague", ""),
        "in the past (before 17 July 2021)",
    ),
    (
        ("DATE", "PAST_REF", None, None, "2021-07-18", "vague", "the past"),
        "in the past (before 17 July 2021)",
    ),
    (
        ("DATE", "PAST_REF", None, None, "2021-07-18", "vague", "in the past"),
        "in the past (before 17 July 2021)",
    ),
    (
        ("DATE", "PAST_REF", None, None, "2021-07-18", "vague", "formerly"),
        "formerly (before 17 July 2021)",
    ),
    (
        ("DATE", "PAST_REF", None, "2021-04-19", "2021-07-18", "vague", "recently"),
        "recently (mid-April to 17 July 2021)",
    ),
    (
        ("DATE", "FUTURE_REF", None, "2021-07-17", None, "vague", ""),
        "in the future (after 17 July 2021)",
    ),
    (
        ("DATE", "FUTURE_REF", None, "2021-07-17", None, "vague", "the near future"),
        "in the near future (after 17 July 2021)",
    ),
    (
        ("DATE", "FUTURE_REF", None, "2021-07-17", "2022-07-17", "vague", "the future"),
        "in the future (mid-July 2021 to 16 July 2022)",
    ),
    (("DATE", "PAST_REF", None, None, None, None, ""), "in the past"),
]

DURATIONS: list[tuple[Row, str]] = [
    (
        ("DURATION", "P20Y", "APPROX", "2001-07-17", "2021-07-18", "year", "nearly 20 years"),
        "about 2001 to 2021",
    ),
    (
        ("DURATION", "P20Y", "MORE_THAN", "2001-07-17", "2021-07-18", "year", "more than 20 years"),
        "2001 to 2021",
    ),
    (
        ("DURATION", "P20Y", "LESS_THAN", "2001-07-17", "2021-07-18", "year", "under 20 years"),
        "2001 to 2021",
    ),
    (
        ("DURATION", "P20Y", None, "2001-07-17", "2021-07-18", "month", "20 years"),
        "July 2001 to July 2021",
    ),
    (
        ("DURATION", "P20Y", None, "2001-07-17", "2021-07-18", "day", "20 years"),
        "17 July 2001 to 17 July 2021",
    ),
    (
        ("DURATION", "P3DE", None, "1991-07-17", "2021-07-18", "decade", "three decades"),
        "the 1990s to the 2020s",
    ),
    (
        ("DURATION", "PT48H", None, "2021-07-15T16:00", "2021-07-17T17:00", "hour", "48 hours"),
        "15 July 2021, 16:00 to 17 July 2021, 16:00",
    ),
    (
        ("DURATION", "P3M", None, "2021-04-17", "2021-07-18", "year", "three months"),
        "2021",
    ),
    (("DURATION", "P20Y", "APPROX", None, None, None, "nearly 20 years"), "nearly 20 years"),
    (("DURATION", "P20Y", None, "2001-07-17", None, "year", "20 years"), "20 years"),
    (("DURATION", "P20Y", None, None, None, None, ""), "20 years"),
    (("DURATION", "PXM", None, None, None, None, ""), "several months"),
    (("DURATION", "PXW", None, None, None, None, ""), "several weeks"),
    (("DURATION", "PT48H", None, None, None, None, ""), "48 hours"),
    (("DURATION", "P1Y", None, None, None, None, ""), "1 year"),
    (("DURATION", "P1.5Y", None, None, None, None, ""), "1.5 years"),
    (("DURATION", "P2Y6M", None, None, None, None, ""), "2 years and 6 months"),
    (("DURATION", "PT1M30S", None, None, None, None, ""), "1 minute and 30 seconds"),
    (
        ("DURATION", "P1Y2M3DT4H", None, None, None, None, ""),
        "1 year, 2 months, 3 days and 4 hours",
    ),
    (("DURATION", "P2CE", None, None, None, None, ""), "2 centuries"),
    (("DURATION", "P1DE", None, None, None, None, ""), "1 decade"),
    (("DURATION", "P1WE", None, None, None, None, ""), "1 weekend"),
    (("DURATION", "PXX", None, None, None, None, ""), "some time"),
]

SETS: list[tuple[Row, str]] = [
    (("SET", "XXXX-WXX-5", None, None, None, None, "every Friday"), "every Friday"),
    (("SET", "P1W", None, None, None, None, "weekly"), "weekly"),
    (("SET", "XXXX-WXX-5", None, None, None, None, ""), "XXXX-WXX-5"),
]

# Values this module cannot read: the article's words, else the value; never an exception.
FALLBACKS: list[tuple[Row, str]] = [
    (("DATE", "2021-02-30", None, None, None, "day", "February 30"), "February 30"),
    (("DATE", "2021-02-30", None, None, None, "day", ""), "2021-02-30"),
    (("DATE", "2021-02-29", None, None, None, "day", ""), "2021-02-29"),
    (("DATE", "2021-13", None, None, None, "month", ""), "2021-13"),
    (("DATE", "2021-00", None, None, None, "month", ""), "2021-00"),
    (("DATE", "2021-W53", None, None, None, "week", ""), "2021-W53"),
    (("DATE", "2021-W00-WE", None, None, None, "weekend", ""), "2021-W00-WE"),
    (("DATE", "9999-W52-WE", None, None, None, "weekend", ""), "9999-W52-WE"),
    (("DATE", "0000", None, None, None, "year", ""), "0000"),
    (("DATE", "BC0000", None, None, None, "year", ""), "BC0000"),
    (("TIME", "2021-07-16T25:00", None, None, None, "hour", ""), "2021-07-16T25:00"),
    (("TIME", "2021-07-16T24:30", None, None, None, "minute", ""), "2021-07-16T24:30"),
    (("TIME", "2021-07-16T16:61", None, None, None, "minute", ""), "2021-07-16T16:61"),
    (("TIME", "2021-07-16TXX", None, None, None, None, "that day"), "that day"),
    (("DATE", "XXXX-07-16", None, None, None, "day", "16 July"), "16 July"),
    (("DATE", "garbage", None, None, None, None, ""), "garbage"),
    (("DATE", "", None, None, None, None, ""), ""),
    (("DATE", "2021-07-16", "START", None, None, "day", "  "), "early on Friday 16 July 2021"),
    (("DURATION", "P", None, None, None, None, ""), "P"),
    (("DURATION", "PT", None, None, None, None, ""), "PT"),
    (("DURATION", "P20", None, None, None, None, ""), "P20"),
    (("DURATION", "PXW", None, "yesterday", "2021-07-18", "vague", "recent weeks"), "recent weeks"),
    (
        ("DURATION", "P2500Y", None, "-0479-01-01", "2021-01-01", "year", "2,500  years"),
        "2,500 years",
    ),
    (("DATE", "PAST_REF", None, None, "0001-01-01", "vague", ""), "PAST_REF"),
]


@pytest.mark.parametrize(("row", "expected"), DAYS_AND_TIMES)
def test_days_and_times(row: Row, expected: str) -> None:
    assert shown(row) == expected


@pytest.mark.parametrize(("row", "expected"), MONTHS_AND_YEARS)
def test_months_and_years(row: Row, expected: str) -> None:
    assert shown(row) == expected


@pytest.mark.parametrize(("row", "expected"), PERIODS)
def test_quarters_halves_seasons_weeks_decades_centuries(row: Row, expected: str) -> None:
    assert shown(row) == expected


@pytest.mark.parametrize(("row", "expected"), VAGUE)
def test_vague_references_show_their_words_and_interval(row: Row, expected: str) -> None:
    assert shown(row) == expected


@pytest.mark.parametrize(("row", "expected"), DURATIONS)
def test_durations(row: Row, expected: str) -> None:
    assert shown(row) == expected


@pytest.mark.parametrize(("row", "expected"), SETS)
def test_sets_show_the_articles_words(row: Row, expected: str) -> None:
    assert shown(row) == expected


@pytest.mark.parametrize(("row", "expected"), FALLBACKS)
def test_unreadable_values_fall_back_to_the_words_or_the_value(row: Row, expected: str) -> None:
    assert shown(row) == expected


def test_month_and_weekday_names_are_english() -> None:
    months = [
        display_date("DATE", f"2021-{m:02d}", None, None, None, "month") for m in range(1, 13)
    ]
    assert months == [
        f"{name} 2021"
        for name in (
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
    ]
    week = [display_date("DATE", f"2021-07-{d}", None, None, None, "day") for d in range(12, 19)]
    assert [day.split()[0] for day in week] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]


def test_the_module_exports_display_date_and_display_range() -> None:
    assert display.__all__ == ["display_date", "display_range"]


ZONED: list[tuple[str, str]] = [
    ("2021-07-13T09:30Z", "Tuesday 13 July 2021, 09:30 UTC"),
    ("2021-07-13T05:30-04", "Tuesday 13 July 2021, 05:30 UTC-4"),
    ("2021-07-13T05:30-04:00", "Tuesday 13 July 2021, 05:30 UTC-4"),
    ("2021-07-13T14:30+05:30", "Tuesday 13 July 2021, 14:30 UTC+5:30"),
    ("2021-07-13T09:30+00", "Tuesday 13 July 2021, 09:30 UTC"),
    ("2021-07-13T23:30-04", "Tuesday 13 July 2021, 23:30 UTC-4"),  # Wednesday in UTC
    ("2021-07-13T09:30", "Tuesday 13 July 2021, 09:30"),  # floating: no zone
]


@pytest.mark.parametrize(("value", "expected"), ZONED, ids=[v for v, _ in ZONED])
def test_a_time_said_in_a_zone_keeps_its_clock_and_says_the_zone(value: str, expected: str) -> None:
    assert display_date("TIME", value, None, None, None, "minute") == expected


RANGES: list[tuple[tuple[str, str, str], str]] = [
    (("1998-01-01", "2000-01-01", "year"), "1998 to 1999"),
    (("2004-01-01", "2007-01-01", "year"), "2004 to 2006"),
    (("2020-03-01", "2020-05-01", "month"), "March to April 2020"),
    (("2019-12-01", "2020-03-01", "month"), "December 2019 to February 2020"),
    (("2021-06-03", "2021-06-06", "day"), f"3{DASH}5 June 2021"),
    (("2021-06-28", "2021-07-03", "day"), "28 June to 2 July 2021"),
    (("2020-12-30", "2021-01-03", "day"), "30 December 2020 to 2 January 2021"),
    (("2021-07-13T09:00", "2021-07-13T17:01", "minute"), "Tuesday 13 July 2021, 09:00 to 17:00"),
    (
        ("2021-07-13T13:00Z", "2021-07-13T21:01Z", "minute"),
        "Tuesday 13 July 2021, 13:00 to 21:00 UTC",
    ),
    (
        ("2021-07-13T22:00", "2021-07-14T02:01", "minute"),
        "13 July 2021, 22:00 to 14 July 2021, 02:00",
    ),
    (("199", "201", "decade"), "199 to 201"),  # not an interval this module reads
]


@pytest.mark.parametrize(("bounds", "expected"), RANGES, ids=[r[1] for r in RANGES])
def test_a_range_says_its_two_ends_and_what_they_share_once(
    bounds: tuple[str, str, str], expected: str
) -> None:
    assert display.display_range(*bounds) == expected


KINDS = st.sampled_from(["DATE", "TIME", "DURATION", "SET", ""])
MODS = st.sampled_from([None, *display.MOD_FRAMES, "START", "MID", "END", "LESS_THAN", "X"])
VALUES = st.one_of(
    st.text(max_size=20),
    st.from_regex(
        r"(BC)?\d{2,4}(-(\d{2}|W\d{2}(-WE)?|Q\d|H\d|SU)"
        r"(-\d{2}(T\d{2}(:\d{2})?(Z|[+-]\d{2}(:\d{2})?)?)?)?)?",
        fullmatch=True,
    ),
    st.from_regex(r"P(\d{1,3}|X)(Y|M|W|D|DE|CE|WE)(T\d{1,2}[HMS])?", fullmatch=True),
    st.sampled_from(list(display.REF_WORDS)),
)
INSTANTS = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat(timespec="minutes") + "Z"),
)
GRANULARITIES = st.sampled_from(
    [None, "vague", "year", "month", "day", "hour", "minute", "second", "decade", "century", "x"]
)


@settings(max_examples=300, derandomize=True)
@given(KINDS, VALUES, MODS, INSTANTS, INSTANTS, GRANULARITIES, st.text(max_size=20))
def test_any_string_input_gives_words_and_never_raises(
    kind: str,
    value: str,
    mod: str | None,
    start: str | None,
    end: str | None,
    granularity: str | None,
    text: str,
) -> None:
    out = display_date(kind, value, mod, start, end, granularity, text)
    assert isinstance(out, str)
    assert out or not (value or text.strip())


@settings(max_examples=300, derandomize=True)
@given(INSTANTS, INSTANTS, GRANULARITIES)
def test_a_range_of_any_strings_gives_words_and_never_raises(
    start: str | None, end: str | None, granularity: str | None
) -> None:
    out = display.display_range(start or "", end or "", granularity or "")
    assert isinstance(out, str) and out
