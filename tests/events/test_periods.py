"""A period and the day it ends on make one timeline entry."""

from __future__ import annotations

from datetime import date

import pytest

from timeline import tag
from timeline.events.entries import build_entries
from timeline.events.periods import period_value


@pytest.mark.parametrize(
    ("text", "interval", "shown", "value"),
    [
        (
            "Earnings for its fourth quarter ended Sept. 30 fell.",
            ("2021-07-01", "2021-10-01"),
            "fourth quarter ended Thursday 30 September 2021",
            "2021-Q3",
        ),
        (
            "For the year ended June 30, the group earned $4 million.",
            ("2020-07-01", "2021-07-01"),
            "year ended Wednesday 30 June 2021",
            "2021",
        ),
        (
            "In the nine months ending Sept. 30, profit rose.",
            ("2021-01-01", "2021-10-01"),
            "nine months ending Thursday 30 September 2021",
            "P9M",
        ),
    ],
)
def test_a_period_and_the_day_it_ends_on_are_one_entry(
    text: str, interval: tuple[str, str], shown: str, value: str
) -> None:
    published = date(2021, 10, 28)
    entries = build_entries(text, published, tag(text, published.isoformat()))
    assert [(e.start, e.end) for e in entries] == [interval]
    assert entries[0].display_date == shown
    assert entries[0].mention.value == value


@pytest.mark.parametrize(
    ("start", "end", "value"),
    [
        (date(2020, 10, 1), date(2021, 10, 1), "2021"),  # the year ended Sept. 30, 2021
        (date(2020, 7, 5), date(2021, 7, 4), "2021"),  # 52 weeks ended Saturday 3 July
        (date(2021, 1, 4), date(2022, 1, 3), "2021"),  # 52 weeks ended Sunday 2 January
        (date(2021, 2, 1), date(2022, 2, 1), "2022"),  # the year ended Jan. 31, 2022
        (date(2021, 4, 1), date(2021, 7, 1), "2021-Q2"),
        (date(2021, 5, 1), date(2021, 8, 1), "P1Q"),  # a quarter of no calendar's
    ],
)
def test_a_period_takes_the_value_of_the_year_or_quarter_it_covers(
    start: date, end: date, value: str
) -> None:
    assert period_value(start, end, "P1Q") == value


def test_a_years_entry_is_the_company_year_it_ends_in() -> None:
    text = "For the year ended Jan. 2, the chain earned $9 million."
    published = date(2021, 2, 20)
    entries = build_entries(text, published, tag(text, published.isoformat()))
    assert [(e.mention.value, e.start, e.end) for e in entries] == [
        ("2020", "2020-01-03", "2021-01-03")
    ]
