"""Ranges and compound dates: what the text joins, read against Thursday 2021-07-15.

TimeML (and the TBAQ-cleaned and WikiWars gold) tags each end of a range as a TIMEX3 of
its own, and a clock time apart from the day after "on" ("5:00 am on October 3, 1935"): the
tagger keeps those mentions, and says on them what they make together. The first end of a
range carries the interval of the whole (``range``); the other end, and the day of a clock
time, are ``part_of`` the mention they complete (its ``start``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from timeline import Mention, tag
from timeline.tagger import calendar as cal
from timeline.tagger.lexicon import load_lexicon

REFERENCE = "2021-07-15"


@dataclass(frozen=True)
class RangeCase:
    """A sentence with a range: its two ends (text, value) and the interval of the whole."""

    sentence: str
    first: tuple[str, str]
    last: tuple[str, str]
    start: str
    end: str
    granularity: str


RANGES = [
    RangeCase("The plant ran at a loss in 1998-99.", ("1998", "1998"), ("99", "1999"),
              "1998-01-01", "2000-01-01", "year"),
    RangeCase("Sales fell in 2004-2006 before a recovery.", ("2004", "2004"), ("2006", "2006"),
              "2004-01-01", "2007-01-01", "year"),
    RangeCase("Output rose from 1998 to 2000.", ("1998", "1998"), ("2000", "2000"),
              "1998-01-01", "2001-01-01", "year"),
    RangeCase("He led the party from 2004 to 2006.", ("2004", "2004"), ("2006", "2006"),
              "2004-01-01", "2007-01-01", "year"),
    RangeCase("The dam was built between 1998 and 2001.", ("1998", "1998"), ("2001", "2001"),
              "1998-01-01", "2002-01-01", "year"),
    RangeCase("The 1999-00 season was cut short.", ("1999", "1999"), ("00", "2000"),
              "1999-01-01", "2001-01-01", "year"),
    RangeCase("The ban held in March-April 2020.", ("March", "2020-03"), ("April 2020", "2020-04"),
              "2020-03-01", "2020-05-01", "month"),
    RangeCase("The festival runs June 3-5.", ("June 3", "2021-06-03"), ("5", "2021-06-05"),
              "2021-06-03", "2021-06-06", "day"),
    RangeCase("Talks ran from Monday to Wednesday.", ("Monday", "2021-07-12"),
              ("Wednesday", "2021-07-14"), "2021-07-12", "2021-07-15", "day"),
    RangeCase("Polls were open from 7 a.m. to 8 p.m. EDT on Tuesday.",
              ("7 a.m.", "2021-07-13T07:00-04"), ("8 p.m. EDT", "2021-07-13T20:00-04"),
              "2021-07-13T11:00Z", "2021-07-14T00:01Z", "minute"),
]  # fmt: skip


def only(mentions: list[Mention], text: str) -> Mention:
    """The one mention whose words are ``text``."""
    found = [m for m in mentions if m.text == text]
    assert len(found) == 1, f"{text!r}: {[(m.text, m.value) for m in mentions]}"
    return found[0]


@pytest.mark.parametrize("case", RANGES, ids=[c.sentence for c in RANGES])
def test_a_range_is_two_mentions_and_one_interval(case: RangeCase) -> None:
    mentions = tag(case.sentence, REFERENCE)
    first, last = only(mentions, case.first[0]), only(mentions, case.last[0])
    assert (first.value, last.value) == (case.first[1], case.last[1])  # as TimeML tags them
    assert first.range is not None
    assert (first.range.start, first.range.end, first.range.granularity) == (
        case.start,
        case.end,
        case.granularity,
    )
    assert (first.part_of, last.part_of, last.range) == (None, first.start, None)
    assert first.to_dict()["range"] == {
        "start": case.start,
        "end": case.end,
        "granularity": case.granularity,
    }
    assert last.to_dict()["part_of"] == first.start


NOT_RANGES = [
    "Elections were held in 1998 and 2001.",  # two years; "and" needs "between"
    "The deal was moved from November 15 to February 15, 1989.",  # the second end is earlier
    "The 2019 and 2020 budgets were cut.",
    "The file is dated 2021-07 in the archive.",  # not a range to 2107
    "Prices rose in 2019, and again in 2021.",
]


@pytest.mark.parametrize("sentence", NOT_RANGES)
def test_dates_side_by_side_are_not_a_range(sentence: str) -> None:
    mentions = tag(sentence, REFERENCE)
    assert mentions, sentence
    assert all(m.range is None and m.part_of is None for m in mentions), [
        (m.text, m.range, m.part_of) for m in mentions
    ]


def test_a_short_end_more_than_twenty_years_on_is_no_year() -> None:
    assert [m.text for m in tag("in 2021-07 the", REFERENCE)] == ["2021"]
    assert only(tag("During the Indochina War (1947-54), ...", REFERENCE), "54").value == "1954"


@dataclass(frozen=True)
class ClockCase:
    """A sentence with a clock time: the time's words, value and interval start, and the
    words of the day mention that is part of it (None when the time's own words say it)."""

    sentence: str
    time: str
    value: str
    start: str
    day: str | None


CLOCKS = [
    ClockCase("The vote closed at 09:30 GMT on Tuesday.", "09:30 GMT", "2021-07-13T09:30Z",
              "2021-07-13T09:30Z", "Tuesday"),
    ClockCase("The minister resigned Tuesday at 9 a.m.", "Tuesday at 9 a.m.",
              "2021-07-13T09:00", "2021-07-13T09:00", None),
    ClockCase("The minister resigned at 9 a.m. Tuesday.", "9 a.m. Tuesday", "2021-07-13T09:00",
              "2021-07-13T09:00", None),
    ClockCase("The minister resigned at 9 a.m. on Tuesday.", "9 a.m.", "2021-07-13T09:00",
              "2021-07-13T09:00", "Tuesday"),
    ClockCase("Markets opened Tuesday at 09:30 GMT.", "09:30 GMT", "2021-07-13T09:30Z",
              "2021-07-13T09:30Z", "Tuesday"),
    ClockCase("Trading halted at 4 p.m. ET on Tuesday.", "4 p.m. ET", "2021-07-13T16:00-04",
              "2021-07-13T20:00Z", "Tuesday"),
    ClockCase("Trading halted at 4 p.m. ET on Jan. 12.", "4 p.m. ET", "2021-01-12T16:00-05",
              "2021-01-12T21:00Z", "Jan. 12"),
    ClockCase("The offer will expire at 5 p.m. EST on Friday.", "5 p.m. EST", "2021-07-16T17:00-05",
              "2021-07-16T22:00Z", "Friday"),
    ClockCase("The polls closed at 8 p.m. EDT on Tuesday.", "8 p.m. EDT", "2021-07-13T20:00-04",
              "2021-07-14T00:00Z", "Tuesday"),
    ClockCase("The quake struck at 11:40 PT on Monday.", "11:40 PT", "2021-07-12T11:40-07",
              "2021-07-12T18:40Z", "Monday"),
    ClockCase("The summit opened at 10:00 CET on Monday.", "10:00 CET", "2021-07-12T10:00+01",
              "2021-07-12T09:00Z", "Monday"),
    ClockCase("The strike began at 10:00 +03:00 on Monday.", "10:00 +03:00",
              "2021-07-12T10:00+03", "2021-07-12T07:00Z", "Monday"),
    ClockCase("The blast came at 05:34 UTC+5:30 on Monday.", "05:34 UTC+5:30",
              "2021-07-12T05:34+05:30", "2021-07-12T00:04Z", "Monday"),
    ClockCase("Shelling began at 06:00 local time on Monday.", "06:00", "2021-07-12T06:00",
              "2021-07-12T06:00", "Monday"),
    ClockCase("At 5:34 AM Baghdad time on March 20, 2003, the strikes began.", "5:34 AM",
              "2003-03-20T05:34", "2003-03-20T05:34", "March 20, 2003"),
    ClockCase("The battle lasted until May 8 1:00AM.", "May 8 1:00AM", "2021-05-08T01:00",
              "2021-05-08T01:00", None),
    ClockCase("The envoy landed at 09:30 GMT.", "09:30 GMT", "2021-07-15T09:30Z",
              "2021-07-15T09:30Z", None),  # no day said: the publication day
    ClockCase("The envoy landed at 9:30 a.m.", "9:30 a.m.", "2021-07-15T09:30",
              "2021-07-15T09:30", None),  # no zone said: floating
]  # fmt: skip


@pytest.mark.parametrize("case", CLOCKS, ids=[c.sentence for c in CLOCKS])
def test_a_clock_time_is_on_the_day_its_sentence_gives_in_its_zone(case: ClockCase) -> None:
    mentions = tag(case.sentence, REFERENCE)
    time = only(mentions, case.time)
    assert (time.type, time.value, time.part_of) == ("TIME", case.value, None)
    assert time.interval is not None and time.interval.start == case.start
    others = [m for m in mentions if m is not time]
    if case.day is None:
        assert all(m.part_of is None for m in others)
        return
    day = only(mentions, case.day)
    assert (day.type, day.part_of) == ("DATE", time.start)  # TimeML's two TIMEX3s, joined
    assert time.value.startswith(day.value + "T")


def test_a_zone_names_one_instant_whatever_its_clock() -> None:
    gmt = only(tag("at 09:30 GMT on Tuesday", REFERENCE), "09:30 GMT")
    edt = only(tag("at 5:30 a.m. EDT on Tuesday", REFERENCE), "5:30 a.m. EDT")
    assert (gmt.value, edt.value) == ("2021-07-13T09:30Z", "2021-07-13T05:30-04")
    assert gmt.interval == edt.interval


def test_the_story_moves_on_to_the_day_of_the_clock_not_the_day_in_utc() -> None:
    text = "The polls closed at 11 p.m. EDT on Tuesday. The count began the next day."
    next_day = only(tag(text, REFERENCE), "the next day")
    assert next_day.value == "2021-07-14"


def test_every_zone_of_the_lexicon_has_an_offset() -> None:
    lexicon = load_lexicon()
    winter = cal.midnight(date(2021, 1, 15))
    for entry in lexicon.classes["tz"]:
        if entry.value == "=":
            continue
        assert cal.zone_offset(entry.value, winter) is not None, entry.value


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2021-07-13T05:30-04", "2021-07-13T09:30Z", "2021-07-13T09:31Z"),
        ("2021-07-13T05:30-04:00", "2021-07-13T09:30Z", "2021-07-13T09:31Z"),
        ("2021-07-13T23:30-04", "2021-07-14T03:30Z", "2021-07-14T03:31Z"),
        ("2021-07-13T00:00Z", "2021-07-13T00:00Z", "2021-07-13T00:01Z"),
        ("2021-07-13T14:00+05:30", "2021-07-13T08:30Z", "2021-07-13T08:31Z"),
        ("2021-07-13T09", "2021-07-13T09:00", "2021-07-13T10:00"),
    ],
)
def test_a_zoned_value_has_its_interval_in_utc(value: str, start: str, end: str) -> None:
    found = cal.value_interval(value)
    assert found is not None
    assert (cal.iso(found[0]), cal.iso(found[1])) == (start, end)


@pytest.mark.parametrize("zone", ["+15:00", "-04:75", "America/Nowhere", "", "EDT"])
def test_a_zone_not_known_leaves_the_time_floating(zone: str) -> None:
    assert cal.zone_offset(zone, cal.midnight(date(2021, 7, 13))) is None
