"""A clock time with no zone of its own is read at the offset of the publication's time
(issue 13, item 6): its TIMEX3 value stays floating, as TimeML writes it, and its interval
is in UTC, so the same words published at +14:00 and at -12:00 name different instants."""

from __future__ import annotations

import pytest

from timeline import Interval, tag

TEXT = "The minister spoke at 10 a.m. Friday."


def clock(published: str) -> tuple[str, Interval | None]:
    """The value and interval of "10 a.m. Friday" in ``TEXT`` published at ``published``."""
    (mention,) = [m for m in tag(TEXT, published) if m.text == "10 a.m. Friday"]
    return mention.value, mention.interval


def test_the_publications_offset_puts_a_clock_time_in_utc() -> None:
    east = clock("2021-07-17T09:30:00+14:00")
    west = clock("2021-07-17T09:30:00-12:00")
    assert east == (
        "2021-07-16T10:00",
        Interval("2021-07-15T20:00Z", "2021-07-15T20:01Z", "minute"),
    )
    assert west == (
        "2021-07-16T10:00",
        Interval("2021-07-16T22:00Z", "2021-07-16T22:01Z", "minute"),
    )


@pytest.mark.parametrize("published", ["2021-07-17", "2021-07-17T09:30:00"])
def test_without_an_offset_a_clock_time_stays_floating(published: str) -> None:
    assert clock(published) == (
        "2021-07-16T10:00",
        Interval("2021-07-16T10:00", "2021-07-16T10:01", "minute"),
    )


def test_a_time_with_its_own_zone_keeps_it() -> None:
    (mention, _) = tag("It opens at 4:30 p.m. EDT on Friday.", "2021-07-17T09:30:00+14:00")
    assert mention.value == "2021-07-23T16:30-04"
    assert mention.interval == Interval("2021-07-23T20:30Z", "2021-07-23T20:31Z", "minute")


def test_a_day_is_not_moved_by_the_offset() -> None:
    (mention,) = tag("They met on Friday.", "2021-07-17T09:30:00+14:00")
    assert mention.interval == Interval("2021-07-16", "2021-07-17", "day")
