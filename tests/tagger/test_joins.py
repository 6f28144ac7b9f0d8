"""Ranges: what the text joins, read against Thursday 2021-07-15.

TimeML (and the TBAQ-cleaned and WikiWars gold) tags each end of a range as a TIMEX3 of
its own: the tagger keeps those mentions, and says on them what they make together. The
first end of a range carries the interval of the whole (``range``); the other end is
``part_of`` the mention it completes (its ``start``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from timeline import Mention, tag

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
