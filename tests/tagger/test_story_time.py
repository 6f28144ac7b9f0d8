"""Dates in the story's time frame: a weekday, a bare month or a holiday follows the tense of
the verb it dates; "over the next decade" runs ten years from its anchor.

Every table is read against one publication date, Thursday 2021-07-15: "Tuesday" is
2021-07-13 when the clause looks back and 2021-07-20 when it looks ahead; "Friday" is
2021-07-09 or 2021-07-16; "November" is 2020-11 or 2021-11; Eid al-Adha falls on 2021-07-20
(and fell on 2020-07-31).

Each case writes its text with the expected mention in ``[brackets]``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from timeline import Mention, tag
from timeline.tagger.context import tense_near

PUBLISHED = "2021-07-15"

Tagger = Callable[[str], list[Mention]]


@dataclass(frozen=True)
class Case:
    """A text with one expected mention marked in ``[brackets]``."""

    marked: str
    type: str
    value: str

    @property
    def text(self) -> str:
        return self.marked.replace("[", "").replace("]", "")

    @property
    def span(self) -> tuple[int, int]:
        start = self.marked.index("[")
        return start, self.marked.index("]") - 1


def cases(*rows: Case) -> list[object]:
    """Parameters named by their marked text."""
    return [pytest.param(case, id=case.marked) for case in rows]


def check_one(tag_at: Tagger, case: Case) -> Mention:
    """The one mention over the brackets of ``case``, with exactly their extent, its type and
    value."""
    start, end = case.span
    mentions = tag_at(case.text)
    hits = [m for m in mentions if m.start < end and m.end > start]
    found = "; ".join(f"{m.text!r} {m.type} {m.value} [{m.rule}]" for m in mentions)
    assert len(hits) == 1, f"{case.text!r}: one mention expected over the brackets, got {found}"
    m = hits[0]
    assert (m.text, m.type, m.value) == (case.text[start:end], case.type, case.value), found
    return m


@pytest.fixture
def tag_on_thursday() -> Tagger:
    """``tag`` read against Thursday 2021-07-15, checking that every offset points into the text."""

    def run(text: str) -> list[Mention]:
        mentions = tag(text, PUBLISHED)
        for m in mentions:
            assert text[m.start : m.end] == m.text
        return mentions

    return run


def test_the_publication_date_is_a_thursday() -> None:
    assert date.fromisoformat(PUBLISHED).isoweekday() == 4


WEEKDAYS = cases(
    # the verb the weekday dates looks back
    Case("The minister on [Tuesday] resigned.", "DATE", "2021-07-13"),
    Case("The minister resigned on [Tuesday].", "DATE", "2021-07-13"),
    Case("The company said [Tuesday] it will cut 500 jobs.", "DATE", "2021-07-13"),
    Case("Police said on [Monday] that the suspect will appear in court.", "DATE", "2021-07-12"),
    Case(
        "The suspect, arrested on [Tuesday], will appear in court next week.", "DATE", "2021-07-13"
    ),
    Case(
        "The suspect, who was arrested [Tuesday], is expected to appear in court.",
        "DATE",
        "2021-07-13",
    ),
    Case(
        "The bank, which raised rates on [Tuesday], expects inflation to ease.",
        "DATE",
        "2021-07-13",
    ),
    Case("Until [Tuesday], police had not named a suspect.", "DATE", "2021-07-13"),
    Case("Police did not name a suspect until [Tuesday].", "DATE", "2021-07-13"),
    Case(
        "The company completed its offer, with holders tendering 99% of the shares "
        "by the [Tuesday] deadline.",
        "DATE",
        "2021-07-13",
    ),
    Case("Holders had tendered 90% of the shares by [Tuesday].", "DATE", "2021-07-13"),
    # the verb the weekday dates looks ahead
    Case("The ministers will meet on [Monday].", "DATE", "2021-07-19"),
    Case("The minister said he will resign on [Friday].", "DATE", "2021-07-16"),
    Case("The suspect will appear in court on [Monday], police said.", "DATE", "2021-07-19"),
    Case("The verdict is expected [Monday].", "DATE", "2021-07-19"),
    Case("Officials said the vote, expected on [Monday], would be close.", "DATE", "2021-07-19"),
    Case("Talks are postponed until [Monday].", "DATE", "2021-07-19"),
    Case("The judge adjourned the trial until [Monday].", "DATE", "2021-07-19"),
    Case("Holders must tender their shares by the [Friday] deadline.", "DATE", "2021-07-16"),
    Case("The offer is open until [Friday].", "DATE", "2021-07-16"),
    # a participle after "will stay", "will be" is part of the verb that looks ahead
    Case("Schools will stay closed on [Monday], the governor said.", "DATE", "2021-07-19"),
    Case("The border will be shut on [Monday].", "DATE", "2021-07-19"),
    Case("The shop would remain closed until [Monday], he said.", "DATE", "2021-07-19"),
    Case("The board will set the date on [Monday].", "DATE", "2021-07-19"),
    Case("The border was shut on [Monday].", "DATE", "2021-07-12"),
    # a present tense of a fixture looks ahead
    Case("Madrid host Chelsea on [Wednesday] in the first leg.", "DATE", "2021-07-21"),
    Case("The champions take on Leeds on [Saturday].", "DATE", "2021-07-17"),
    Case("The four-day celebrations end on [Sunday] with a pageant.", "DATE", "2021-07-18"),
    # a plan told in the past tense was for a date gone by
    Case("The plant was due to open on [Monday], but it is not ready.", "DATE", "2021-07-12"),
)


@pytest.mark.parametrize("case", WEEKDAYS)
def test_a_weekday_follows_the_tense_of_the_verb_it_dates(
    tag_on_thursday: Tagger, case: Case
) -> None:
    check_one(tag_on_thursday, case)


MONTHS = cases(
    # a verb close by that looks back: the last one, even when the next is nearer
    Case("The minister resigned in [September].", "DATE", "2020-09"),
    Case("In [September], the minister resigned.", "DATE", "2020-09"),
    Case("The company agreed to sell the plant in [November].", "DATE", "2020-11"),
    Case("The army has held the town since [August].", "DATE", "2020-08"),
    # a verb that looks ahead: the coming one, even when the last is nearer
    Case("The plant will reopen in [June].", "DATE", "2022-06"),
    Case("The dividend would be paid in [January].", "DATE", "2022-01"),
    Case("The summit was set for [May].", "DATE", "2022-05"),
    # a reporting verb further off says less than the month's nearness
    Case("Officials said the tax rise takes effect in [September].", "DATE", "2021-09"),
    Case("Prices fell in [June].", "DATE", "2021-06"),
    Case(
        "The plant, which was due to open in [March], will not be ready until next year.",
        "DATE",
        "2021-03",
    ),
    # a comma inside a figure is no clause break; "which cut" is past
    Case(
        "The company, which cut 6,000 jobs in [September], said it would hire again.",
        "DATE",
        "2020-09",
    ),
)


@pytest.mark.parametrize("case", MONTHS)
def test_a_bare_month_follows_the_tense_of_the_verb_it_dates(
    tag_on_thursday: Tagger, case: Case
) -> None:
    check_one(tag_on_thursday, case)


HOLIDAYS = cases(
    # words that look ahead: the coming one, even when the last one is nearer
    Case("Pilgrims are expected in Jerusalem for [Easter].", "DATE", "2022-04-17"),
    Case("Prices will rise ahead of [Ramadan].", "DATE", "2022-04-02"),
    Case("Shops are stocking up ahead of [Nowruz].", "DATE", "2022-03-21"),
    # a past verb: the previous one, unless the coming one is days away
    Case("The cabinet approved a holiday for [Eid al-Adha].", "DATE", "2021-07-20"),
    Case("The ministry said on Monday that schools close for [Eid al-Adha].", "DATE", "2021-07-20"),
    Case("Prices soared at [Christmas].", "DATE", "2020-12-25"),
    # a past event inside the holiday: the one gone by, however near the coming one
    Case("Prices rose sharply during [Eid al-Adha].", "DATE", "2020-07-31"),
    Case("Shops were closed on [Eid al-Adha], traders said.", "DATE", "2020-07-31"),
    # "last" and "upcoming" say which; nothing said: the nearest
    Case("Sales rose [last Christmas].", "DATE", "2020-12-25"),
    Case("The city prepares for [the upcoming Easter].", "DATE", "2022-04-17"),
    Case("Most shops close at [Christmas].", "DATE", "2021-12-25"),
    Case("Fireworks light the sky at [New Year].", "DATE", "2022-01-01"),
    # in a narrative, the one of the story's year
    Case(
        "The war began in 1939. France fell in 1940. Germany invaded the Soviet Union in 1941. "
        "The tide turned in 1942. Italy surrendered in 1943. The allies landed in June 1944. "
        "Paris was freed in August 1944. The siege of Bastogne began in December 1944, and by "
        "[Christmas] the siege was broken.",
        "DATE",
        "1944-12-25",
    ),
)


@pytest.mark.parametrize("case", HOLIDAYS)
def test_a_holiday_is_the_nearest_unless_the_words_say_otherwise(
    tag_on_thursday: Tagger, case: Case
) -> None:
    check_one(tag_on_thursday, case)


SPANS = cases(
    # years counted back are years, whatever period the story reported before
    Case("The plant closed [three years ago].", "DATE", "2018"),
    Case("Sales rose in June. The plant closed [three years ago].", "DATE", "2018"),
    Case("Profits rose in the second quarter. The plant closed [41 years ago].", "DATE", "1980"),
    # one year back beside a period's figures compares with that period
    Case("Sales rose 5% in June from [a year ago].", "DATE", "2020-06"),
    Case("Sales rose in June. In 2015 they fell, and [a year earlier] too.", "DATE", "2020-06"),
    # years counted back from a year named after the period count from that year
    Case("Sales fell in June. In 2015 the plant was built, [two years earlier].", "DATE", "2013"),
    # the next decade is a length of time from the anchor, not the calendar decade
    Case("The company will invest $2 billion over [the next decade].", "DURATION", "P10Y"),
    Case("Emissions must fall in [the coming decade].", "DURATION", "P10Y"),
)


@pytest.mark.parametrize("case", SPANS)
def test_years_ago_and_the_next_decade(tag_on_thursday: Tagger, case: Case) -> None:
    check_one(tag_on_thursday, case)


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        ("Over the next decade, the fleet will be replaced.", ("2021-07-15", "2031-07-15")),
        ("Sea levels may rise in the coming century.", ("2021-07-15", "2121-07-15")),
    ],
)
def test_the_next_decade_runs_from_the_publication_date(
    tag_on_thursday: Tagger, text: str, interval: tuple[str, str]
) -> None:
    (mention,) = tag_on_thursday(text)
    assert mention.interval is not None
    assert (mention.interval.start, mention.interval.end) == interval


def test_in_a_narrative_the_next_decade_runs_from_the_story() -> None:
    text = (
        "The war began in 1939. France fell in 1940. Germany invaded the Soviet Union in 1941. "
        "The tide turned in 1942. Italy surrendered in 1943. The allies landed in 1944. "
        "The war ended in 1945. The republic was founded in 1946, and over the next decade "
        "it rebuilt its cities."
    )
    decade = next(m for m in tag(text, PUBLISHED) if m.text == "the next decade")
    assert (decade.type, decade.value) == ("DURATION", "P10Y")
    assert decade.interval is not None
    assert decade.interval.start is not None and decade.interval.start.startswith("1946")
    assert decade.interval.end is not None and decade.interval.end.startswith("1956")


@pytest.mark.parametrize(
    ("sentence", "tense"),
    [
        ("The offer stands until Friday.", "future"),
        ("The offer stood until Friday.", "past"),
        ("By Friday, the rebels had left the town.", "past"),
        ("The rebels must leave the town by Friday.", "future"),
    ],
)
def test_until_and_by_lean_ahead_unless_a_verb_says(sentence: str, tense: str) -> None:
    start = sentence.index("Friday")
    assert tense_near(sentence, start, start + len("Friday")) == tense


CLOCKS = cases(
    # a clock time takes the day the story just named ...
    Case(
        "The army clashed with fighters on Tuesday. It ended at [4 p.m.]",
        "TIME",
        "2021-07-13T16:00",
    ),
    # ... but not once the story has left that day for another date
    Case(
        "Ballots were cast by Tuesday. In 2018, fewer voted. Polls open at [6 a.m.]",
        "TIME",
        "2021-07-15T06:00",
    ),
    # ... nor a day on the other side of the publication date from its clause's tense
    Case(
        "Schools will stay shut on Monday. The mines had reopened by [midday].",
        "TIME",
        "2021-07-15T12:00",
    ),
    # the day of a report is not the story's
    Case(
        "The leader was arrested on Tuesday, his lawyer said on Wednesday. Police fired tear"
        " gas [that night].",
        "TIME",
        "2021-07-13TNI",
    ),
    Case(
        "The suspect was arrested on Tuesday. He will appear in court at [10 a.m.]",
        "TIME",
        "2021-07-15T10:00",
    ),
)


@pytest.mark.parametrize("case", CLOCKS)
def test_a_clock_time_takes_the_day_the_story_is_on(tag_on_thursday: Tagger, case: Case) -> None:
    check_one(tag_on_thursday, case)


def test_a_thanksgiving_in_lower_case_is_no_holiday(tag_on_thursday: Tagger) -> None:
    text = "The queen missed a thanksgiving service on Friday, before Thanksgiving."
    assert [m.text for m in tag_on_thursday(text)] == ["Friday", "Thanksgiving"]


def test_a_day_counted_from_a_month_the_story_moved_to_is_a_day_of_it(
    tag_on_thursday: Tagger,
) -> None:
    """In news too, "the following day" after "in March last year" is some day after a day
    of that March, not the day after the last day named ("on Tuesday")."""
    text = (
        "A jury on Tuesday convicted him. He was arrested in March last year and freed the"
        " following day."
    )
    following = {m.text: m for m in tag_on_thursday(text)}["the following day"]
    assert following.value == "2020-XX-XX"
    assert following.interval is not None
    assert (following.interval.start, following.interval.end) == ("2020-03-02", "2020-04-02")
