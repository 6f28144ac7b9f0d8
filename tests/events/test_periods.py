"""A period and the day it ends on make one timeline entry."""

from __future__ import annotations

from datetime import date

import pytest

from timeline import tag
from timeline.events.entries import build_entries


@pytest.mark.parametrize(
    ("text", "interval", "shown"),
    [
        (
            "Earnings for its fourth quarter ended Sept. 30 fell.",
            ("2021-07-01", "2021-10-01"),
            "fourth quarter ended Thursday 30 September 2021",
        ),
        (
            "For the year ended June 30, the group earned $4 million.",
            ("2020-07-01", "2021-07-01"),
            "year ended Wednesday 30 June 2021",
        ),
        (
            "In the nine months ending Sept. 30, profit rose.",
            ("2021-01-01", "2021-10-01"),
            "nine months ending Thursday 30 September 2021",
        ),
    ],
)
def test_a_period_and_the_day_it_ends_on_are_one_entry(
    text: str, interval: tuple[str, str], shown: str
) -> None:
    published = date(2021, 10, 28)
    entries = build_entries(text, published, tag(text, published.isoformat()))
    assert [(e.start, e.end) for e in entries] == [interval]
    assert entries[0].display_date == shown
