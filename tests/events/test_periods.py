"""A period and the day it ends on make one timeline entry."""

from __future__ import annotations

import re
from datetime import date

import pytest

from timeline import tag
from timeline.events.entries import build_entries
from timeline.events.periods import period_value
from timeline.tagger.rulefiles import read_table


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


@pytest.mark.parametrize(
    ("text", "interval", "value"),
    [
        ("Sales rose 5% in the first nine months of 2020.", ("2020-01-01", "2020-10-01"), "P9M"),
        ("Sales fell in the last two months of 2020.", ("2020-11-01", "2021-01-01"), "P2M"),
        ("Sales fell in the first three months of 2020.", ("2020-01-01", "2020-04-01"), "2020-Q1"),
    ],
)
def test_the_first_or_last_stretch_of_a_date_is_one_entry(
    text: str, interval: tuple[str, str], value: str
) -> None:
    """The tagger reports the length and the date apart; the entry is the part of the date."""
    published = date(2021, 7, 15)
    entries = build_entries(text, published, tag(text, published.isoformat()))
    assert [(e.start, e.end, e.mention.value) for e in entries] == [(*interval, value)]


@pytest.mark.parametrize(
    "text",
    [
        "Sales rose 5% in the nine months of 2020.",  # which nine is not said
        "Sales rose 5% in the first 18 months of 2020.",  # longer than the year
    ],
)
def test_a_length_that_is_no_first_or_last_part_of_its_date_is_not_one(text: str) -> None:
    published = date(2021, 7, 15)
    entries = build_entries(text, published, tag(text, published.isoformat()))
    assert ("2020-01-01", "2021-01-01") in [(e.start, e.end) for e in entries]


def _part_examples() -> list[str]:
    """The quoted examples of the ``part_first`` and ``part_last`` rows of
    ``entry_words.tsv``."""
    _, rows = read_table("entry_words.tsv", "timeline.events", "")
    return [
        found
        for row in rows
        if row["class"] in ("part_first", "part_last")
        for found in re.findall(r'"([^"]+)"', row["note"])
    ]


@pytest.mark.parametrize("phrase", _part_examples())
def test_each_example_of_a_part_of_a_date_is_one_entry_inside_the_date(phrase: str) -> None:
    """Each example of ``part_first`` and ``part_last``: one entry, a stretch strictly
    inside the date the phrase ends with, at one of its ends."""
    published = date(2021, 7, 15)
    text = f"Sales rose 5% in {phrase}."
    mentions = tag(text, published.isoformat())
    whole = mentions[-1].interval
    assert whole is not None and whole.start and whole.end
    (entry,) = build_entries(text, published, mentions)
    assert whole.start[:10] <= entry.start < entry.end <= whole.end[:10]
    assert (entry.start, entry.end) != (whole.start[:10], whole.end[:10])
    assert entry.start == whole.start[:10] or entry.end == whole.end[:10]


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        (
            "Net fell 8% in the third quarter. In the nine months, net rose 4%.",
            ("2021-01-01", "2021-10-01"),
        ),
        (
            "Net fell 8% in the second quarter. For the six months, sales were flat.",
            ("2021-01-01", "2021-07-01"),
        ),
    ],
)
def test_the_months_after_a_quarters_results_are_the_year_to_its_end(
    text: str, interval: tuple[str, str]
) -> None:
    published = date(2021, 10, 28)
    entries = build_entries(text, published, tag(text, published.isoformat()))
    assert interval in [(e.start, e.end) for e in entries]


@pytest.mark.parametrize(
    "text",
    [
        "In the nine months, net rose 4%.",  # no quarter named before
        "Net fell 8% in the third quarter. In the past nine months, net rose 4%.",
    ],
)
def test_other_lengths_of_months_are_not_the_year_to_date(text: str) -> None:
    published = date(2021, 10, 28)
    entries = build_entries(text, published, tag(text, published.isoformat()))
    assert ("2021-01-01", "2021-10-01") not in [(e.start, e.end) for e in entries]


def test_the_months_after_a_year_ago_quarter_are_those_of_the_latest_quarters_year() -> None:
    text = (
        "Net fell 8% in the third quarter. A year earlier, in the third quarter of 2020, "
        "net was $2 million. In the nine months, net rose 4%. For the year-earlier nine "
        "months, net was $9 million."
    )
    published = date(2021, 10, 28)
    entries = build_entries(text, published, tag(text, published.isoformat()))
    spans = {(e.start, e.end) for e in entries}
    assert ("2021-01-01", "2021-10-01") in spans
    assert ("2020-01-01", "2020-10-01") in spans
