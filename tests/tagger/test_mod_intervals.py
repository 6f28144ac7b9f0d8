"""A ``mod`` narrows or opens the interval of a date; it never leaves an empty one."""

from __future__ import annotations

from datetime import datetime

import pytest

from timeline import tag
from timeline.tagger.calendar import apply_mod

SPANS = [
    (datetime(2021, 7, 15), datetime(2021, 7, 16)),  # a day
    (datetime(2021, 7, 15), datetime(2021, 7, 17)),  # two days
    (datetime(2021, 7, 1), datetime(2021, 8, 1)),  # a month
    (datetime(2021, 1, 1), datetime(2022, 1, 1)),  # a year
    (datetime(1980, 1, 1), datetime(1990, 1, 1)),  # a decade
]


@pytest.mark.parametrize("span", SPANS)
@pytest.mark.parametrize("mod", ["START", "MID", "END", "APPROX"])
def test_a_part_of_an_interval_is_never_empty(span: tuple[datetime, datetime], mod: str) -> None:
    start, end = apply_mod(*span, mod)
    assert start is not None and end is not None
    assert start < end
    assert (start, end) != span or mod != "APPROX"


def test_a_part_of_a_month_is_inside_it() -> None:
    start, end = apply_mod(datetime(2021, 7, 1), datetime(2021, 8, 1), "END")
    assert start is not None and datetime(2021, 7, 1) < start and end == datetime(2021, 8, 1)


@pytest.mark.parametrize(
    "text", ["Officials were not available late yesterday.", "Earlier yesterday, the board met."]
)
def test_a_part_of_yesterday_is_yesterday(text: str) -> None:
    [mention] = tag(text, "1989-10-28")
    assert mention.interval is not None
    assert (mention.interval.start, mention.interval.end) == ("1989-10-27", "1989-10-28")
