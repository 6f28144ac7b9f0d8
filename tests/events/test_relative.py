"""Days counted from an event the text names, else from the story's last day."""

from __future__ import annotations

from datetime import date

import pytest

from timeline import tag
from timeline.events.anchoring import anchor_events
from timeline.events.entries import build_entries
from timeline.events.relative import counted_days

PUBLISHED = date(2021, 7, 15)


def dated(text: str) -> dict[str, str]:
    entries = build_entries(text, PUBLISHED, tag(text, PUBLISHED.isoformat()))
    return {e.mention.text: e.start for e in entries}


@pytest.mark.parametrize(
    ("text", "words", "day"),
    [
        (
            "The vote was held on 3 May 2019. Riots followed in 1990. "
            "The day before the vote, police fired shots.",
            "The day",
            "2019-05-02",
        ),
        (
            "The vote was held on 3 May 2019. In 1990 riots broke out. "
            "Two days after the vote, the president resigned.",
            "Two days",
            "2019-05-05",
        ),
        (
            "The talks opened on Monday. Two days later, they collapsed.",
            "Two days later",
            "2021-07-14",
        ),
        (
            "The vote took place on 3 May 2019. Riots followed in 1990. "
            "The night before the vote, police fired shots. The day after the vote, results came.",
            "The day",
            "2019-05-04",
        ),
        (
            "The vote took place on 3 May 2019. In 1990 riots broke out. "
            "The night before the vote, police fired shots.",
            "The night before",
            "2019-05-02T21:00",
        ),
        (
            "Parliament voted on 3 March 2020. Officials met on 9 March 2020. "
            "A week after the vote, the law took effect.",
            "A week",
            "2020-03-10",
        ),
    ],
)
def test_a_day_counted_from_an_event(text: str, words: str, day: str) -> None:
    assert dated(text)[words] == day


@pytest.mark.parametrize(
    ("text", "words", "event"),
    [
        (
            "The court ruled on 3 May 2019. The evening before the ruling, the firms offered "
            "to sell stores.",
            "The evening before",
            "offered",
        ),
        (
            "The vote was held on 3 May 2019. Two days after the vote, the president resigned.",
            "Two days",
            "resigned",
        ),
    ],
)
def test_the_event_counted_from_is_not_the_event_dated(text: str, words: str, event: str) -> None:
    """The noun after "before" or "after" names where the count starts; the entry dates the
    clause's own event."""
    entries = build_entries(text, PUBLISHED, tag(text, PUBLISHED.isoformat()))
    entry = next(e for e in entries if e.mention.text == words)
    assert entry.anchor.trigger is not None
    assert entry.anchor.trigger.text == event


def test_a_length_after_for_is_how_long_not_a_count() -> None:
    """ "for three weeks after ..." says how long something lasted: it counts from no day."""
    text = "The talks opened on Monday. She was jailed for three weeks after leading protests."
    anchors = anchor_events(text, tag(text, PUBLISHED.isoformat()))
    lengths = [i for i, a in enumerate(anchors) if a.mention.text == "three weeks"]
    assert lengths
    assert not set(lengths) & set(counted_days(text, anchors))
    counted = dated("The talks opened on Monday. Three weeks after the talks, they failed.")
    assert counted["Three weeks"] == "2021-08-02"


def test_an_event_not_dated_in_the_article_gives_no_day() -> None:
    text = "The army clashed with rebels on Friday. Twenty years after the first war, peace came."
    assert "Twenty years" not in dated(text)


def _values(text: str, published: date) -> dict[str, str]:
    entries = build_entries(text, published, tag(text, published.isoformat()))
    return {e.mention.text: e.mention.value for e in entries}


def test_a_monday_paper_that_says_what_happened_this_week_tells_the_week_before() -> None:
    # Monday 6 November 2023: the story was written in week 44
    text = (
        "Tokyo shares fell 2% Friday. Profit-taking hit the sharp gains that investors made "
        "this week. Traders blamed the swings seen in New York last week."
    )
    values = _values(text, date(2023, 11, 6))
    assert values["this week"] == "2023-W44"
    assert values["last week"] == "2023-W43"


def test_a_week_of_a_paper_of_another_day_stays() -> None:
    text = "Profit-taking hit the sharp gains that investors made this week."
    assert _values(text, date(2023, 11, 8))["this week"] == "2023-W45"


def test_overnight_before_a_noun_is_the_night_before() -> None:
    text = "On Thursday, Paris shares fell, hit by overnight losses in Tokyo."
    values = _values(text, date(2023, 11, 10))
    assert values["overnight"] == "2023-11-08TNI"


@pytest.mark.parametrize(
    "text",
    [
        "After a revision on Friday, exports have grown by 2% a month over the last three "
        "months after shrinking for a year.",
        "After a revision on Friday, exports have grown 2% a month for three months _ after "
        "shrinking for a year.",
    ],
)
def test_a_length_up_to_now_is_not_counted_from_the_event_after_it(text: str) -> None:
    """A length that runs up to publication, or that a dash parts from the word after it,
    counts from no event: "after" opens a clause of its own."""
    anchors = anchor_events(text, tag(text, PUBLISHED.isoformat()))
    lengths = [i for i, a in enumerate(anchors) if "months" in a.mention.text]
    assert lengths
    assert not set(lengths) & set(counted_days(text, anchors))


@pytest.mark.parametrize(
    ("text", "words", "interval"),
    [
        # an aside after a day relates that day's event to the clause after it
        (
            "A judge on Tuesday blocked the law, a day before it was due to take effect.",
            "a day",
            ("2021-07-14", "2021-07-15"),
        ),
        (
            "The inspectors resumed work in Iraq on Friday, nearly two months after their"
            " team was blocked.",
            "nearly two months",
            ("2021-05-01", "2021-06-01"),
        ),
        # a length of years reaches a year, not a day
        (
            "Poland joined the alliance on Friday, less than a decade after it shed communist"
            " rule.",
            "less than a decade",
            ("2011-01-01", "2012-01-01"),
        ),
    ],
)
def test_an_aside_after_a_day_dates_the_clause_it_opens(
    text: str, words: str, interval: tuple[str, str]
) -> None:
    entries = build_entries(text, PUBLISHED, tag(text, PUBLISHED.isoformat()))
    found = {e.mention.text: (e.start, e.end) for e in entries}
    assert found[words] == interval


def test_an_aside_entry_reads_as_the_event_of_its_clause() -> None:
    text = "Troops pressed on on Friday, a day after the army launched the attack."
    entries = build_entries(text, PUBLISHED, tag(text, PUBLISHED.isoformat()))
    [aside] = [e for e in entries if e.mention.text == "a day"]
    assert aside.start == "2021-07-08"
    assert aside.headline.startswith("The army launched the attack")
    assert aside.kind == "event"
    assert aside.display_date.startswith("Thursday")


def test_an_aside_after_a_day_set_for_later_is_not_counted_from_it() -> None:
    text = (
        "The president called an election for 19 September, two months after the premier resigned."
    )
    entries = build_entries(text, PUBLISHED, tag(text, PUBLISHED.isoformat()))
    assert "two months" not in {e.mention.text for e in entries}
