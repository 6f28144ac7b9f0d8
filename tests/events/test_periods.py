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
            "Revenue in the third quarter, which ended Sept. 30, fell 9%.",
            ("2021-07-01", "2021-10-01"),
            "third quarter ended Thursday 30 September 2021",
            "2021-Q3",
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


def _values(text: str, published: date) -> dict[str, str]:
    entries = build_entries(text, published, tag(text, published.isoformat()))
    return {e.mention.text: e.mention.value for e in entries}


@pytest.mark.parametrize(
    ("text", "words", "value"),
    [
        # a quarter not over at publication, reported in the past: the one that ended last
        (
            "Acme Foods Inc. posted a 12% drop in fourth-quarter profit.",
            "fourth-quarter",
            "2023-Q3",
        ),
        # a fiscal quarter reported in the past: the one that ended last
        (
            "The retailer posted net income for the fiscal first-quarter of $3 million.",
            "fiscal first-quarter",
            "2023-Q3",
        ),
        # a calendar quarter that is over stays as it is
        (
            "Acme Foods Inc. posted a 12% drop in second-quarter profit.",
            "second-quarter",
            "2023-Q2",
        ),
    ],
)
def test_a_reported_quarter_is_one_that_is_over(text: str, words: str, value: str) -> None:
    assert _values(text, date(2023, 11, 8))[words] == value


def test_a_quarter_not_over_and_not_reported_is_no_entry() -> None:
    text = "The bank has no forecast of the effect of the strike on fourth-quarter earnings."
    assert "fourth-quarter" not in _values(text, date(2023, 11, 8))


def test_last_year_after_a_quarters_results_is_the_year_ago_quarter() -> None:
    text = (
        "Acme Foods Inc. said third-quarter net income rose 8% to $40 million. "
        "Last year, net income was $37 million."
    )
    assert _values(text, date(2023, 10, 25))["Last year"] == "2022-Q3"


def test_last_year_after_a_years_results_stays_the_year() -> None:
    text = (
        "Acme Foods Inc. said net income for the full year rose 8% to $40 million. "
        "Last year, net income was $37 million."
    )
    assert _values(text, date(2023, 10, 25))["Last year"] == "2022"
