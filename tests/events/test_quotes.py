"""Dates inside quoted words from another time."""

from __future__ import annotations

from datetime import date

import pytest

from timeline import tag
from timeline.events.entries import build_entries
from timeline.events.quotes import quotations, quoted_elsewhen, quoted_moves

PUBLISHED = date(2021, 7, 15)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('He said: "We will win." Then he left.', ["We will win."]),
        ("“Not now,” she said, “but soon.”", ["Not now,", "but soon."]),
        ("``We agreed,'' the envoy said.", ["We agreed,"]),
        ('"An open quote\n\nA new paragraph "closed"', ["An open quote", "closed"]),
        ("No quotation at all.", []),
        # an apostrophe or a lone backtick is no mark; a doubled one is read before a single
        ("``It's done,' he said'' ``'Twas `so`''", ["It's done,' he said", "'Twas `so`"]),
        ("“A “nested” one” then “open", ["A “nested", "open"]),
    ],
)
def test_quotations_are_found_by_their_marks(text: str, quoted: list[str]) -> None:
    assert [text[s:e] for s, e in quotations(text)] == quoted


@pytest.mark.parametrize(
    ("text", "words", "elsewhen"),
    [
        ('"We will meet on Monday," he wrote in a letter dated 2 May 2019.', "Monday", True),
        ('In a note of 2 May 2019 he wrote: "We land on Friday."', "Friday", True),
        ('"We will meet on Monday," he said on Tuesday.', "Monday", False),
        ('"We will meet on Monday," he wrote on 13 July 2021.', "Monday", False),
        ('"The deal was signed on 2 May 2019," he wrote in 2018.', "2 May 2019", False),
        ("We will meet on Monday, he wrote in a letter dated 2 May 2019.", "Monday", False),
    ],
)
def test_a_relative_date_in_quoted_words_of_another_time(
    text: str, words: str, elsewhen: bool
) -> None:
    mentions = tag(text, PUBLISHED.isoformat())
    mention = next(m for m in mentions if m.text == words)
    assert quoted_elsewhen(text, mention, mentions, PUBLISHED) is elsewhen
    entries = [e for e in build_entries(text, PUBLISHED, mentions) if e.mention.text == words]
    if elsewhen:
        assert entries and all(e.uncertain for e in entries)


@pytest.mark.parametrize(
    ("text", "words", "start"),
    [
        (
            '"Today we begin a new era," the president said in a speech on Friday.',
            "Today",
            "2021-07-09",
        ),
        ('"We sign tomorrow," she said on Tuesday.', "tomorrow", "2021-07-14"),
        ('"We will meet on Monday," the envoy said on Friday.', "Monday", "2021-07-12"),
        # said in a year: its years, not its months or days, follow that year
        (
            'In an interview in 2016, the farmer said: "Last year the floods took everything."',
            "Last year",
            "2015-01-01",
        ),
    ],
)
def test_quoted_words_are_read_against_the_day_they_were_said(
    text: str, words: str, start: str
) -> None:
    """A relative date inside a quotation follows the day its sentence says the words were
    said on, not the publication date."""
    mentions = tag(text, PUBLISHED.isoformat())
    (entry,) = [e for e in build_entries(text, PUBLISHED, mentions) if e.mention.text == words]
    assert entry.start == start


def test_quoted_words_said_on_the_publication_day_keep_their_reading() -> None:
    text = '"We sign tomorrow," she said on Thursday.'
    mentions = tag(text, PUBLISHED.isoformat())
    assert quoted_moves(text, PUBLISHED, mentions) == {}


def test_quoted_words_said_in_a_year_keep_the_reading_of_their_months() -> None:
    text = 'In an interview in 2016, the farmer said: "Last month the floods took everything."'
    mentions = tag(text, PUBLISHED.isoformat())
    assert quoted_moves(text, PUBLISHED, mentions) == {}
