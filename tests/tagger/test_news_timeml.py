"""TimeML extents and values on news text (TimeBank's conventions, checked against its
statistics): what a determiner, a preposition or a modifier next to a time expression does
to its extent, lengths of time after their prepositions, times of day and recurrences.

Each case marks the expected mention in ``[brackets]``, read against Saturday 2021-07-17
(the golden tables' reference date); the sentences are invented.
"""

from __future__ import annotations

import pytest
from test_golden import Case, Tagger, cases, check_one, overlapping, show

EXTENTS = cases(
    # a possessive is never part of the extent; "the" belongs to a quarter said as a noun,
    # not to the adjective in front of another noun
    Case("The company reported a loss for its [fourth quarter].", "DATE", "2020-Q4"),
    Case("Sales rose in [the third quarter].", "DATE", "2021-Q3"),
    Case("Analysts had expected the [third-quarter] results to be weak.", "DATE", "2021-Q3"),
    Case("The bank reported its [second-quarter] earnings.", "DATE", "2021-Q2"),
    Case("It blamed the [fiscal second-quarter] loss on costs.", "DATE", "2021-Q2"),
    Case("Profit rose in [the fiscal-first quarter].", "DATE", "2021-Q1"),
    Case("Sales fell in [the 2020 second quarter].", "DATE", "2020-Q2"),
    # the same for "year-ago": the noun "period" takes "the", another noun does not
    Case("Sales were above [the year-ago period].", "DATE", "2020"),
    Case("The [year-earlier] profit included a gain.", "DATE", "2020"),
    Case("Rain fell hard [this past spring].", "DATE", "2021-SP"),
    # "about" stays outside a length of time, its mod says it; "over" is the preposition
    # before a number and a modifier before "a"/"an"
    Case("The hearing lasted about [five hours].", "DURATION", "PT5H", "APPROX"),
    Case("Repayments are spread over [three years].", "DURATION", "P3Y"),
    Case("Prices have risen over [several years].", "DURATION", "PXY"),
    Case("The outage lasted [over an hour].", "DURATION", "PT1H", "MORE_THAN"),
    Case("Troops stayed for [nearly 20 years].", "DURATION", "P20Y", "APPROX"),
    # the full stop after a month written in full ends the sentence: it is not the month's
    # (an abbreviation keeps its own: "Sept.")
    Case("The assembly met on [17 June].", "DATE", "2021-06-17"),
    Case("The second round is due on [21 September].", "DATE", "2021-09-21"),
    Case("The talks resume on [28 July].", "DATE", "2021-07-28"),
    Case("The vote is set for [Sept. 9] in the capital.", "DATE", "2021-09-09"),
    # a quarter or half "of last year" is one TIMEX3, as "the third quarter of 2012"; an edge
    # before it ("the end of") is inside with its mod
    Case("The deal should close in [the fourth quarter of this year].", "DATE", "2021-Q4"),
    Case("Sales fell in [the second quarter of last year].", "DATE", "2020-Q2"),
    Case("Growth will slow in [the first half of next year].", "DATE", "2022-H1"),
    Case("Stocks rallied at [the end of the second quarter of 2020].", "DATE", "2020-Q2", "END"),
    Case("Troops will leave during [the spring of next year].", "DATE", "2022-SP"),
    Case("Output recovered in [the later part of 2019].", "DATE", "2019", "END"),
    # a weekday said with its date is one TIMEX3 with the words that place the weekday
    Case("The fair opens [this coming Sunday, July 25].", "DATE", "2021-07-25"),
    Case("The fair opens [this coming Sunday, August first].", "DATE", "2021-08-01"),
    Case("The talks resume [next Tuesday, July 20].", "DATE", "2021-07-20"),
    # "before"/"after" ending the phrase is part of it; before the event it relates the day
    # to, it is a signal outside the TIMEX3 (as in "two days after the vote")
    Case("They voted on July 2, 2021. He left [the day after].", "DATE", "2021-07-03"),
    Case(
        "They voted on July 2, 2021. [The day] after the vote, crowds gathered.",
        "DATE",
        "2021-07-03",
    ),
    Case(
        "They voted on July 2, 2021. [The day] before he left, crowds gathered.",
        "DATE",
        "2021-07-01",
    ),
)


MODIFIERS = cases(
    # "early" and "late" before a named day go inside its extent, with mod START or END
    # (TimeML's guideline; TimeBank's "late yesterday", "early Tuesday")
    Case("The minister resigned [late yesterday].", "DATE", "2021-07-16", "END"),
    Case("Rebels shelled the town [early Tuesday].", "DATE", "2021-07-13", "START"),
    Case("The envoys will arrive [late Monday].", "DATE", "2021-07-19", "END"),
    Case("The polls close [late today].", "DATE", "2021-07-17", "END"),
    Case(
        "They met on July 1, 2021. He left [early the next morning].", "DATE", "2021-07-02", "START"
    ),
    Case("[Early 480 BC], the army marched north.", "DATE", "BC0480", "START"),
    Case("They met in 2001 and split [early the next year].", "DATE", "2002", "START"),
    # "early", "late" or "later" in a year or a season: inside, with mod START or END
    Case("The plant was sold [late in 2019].", "DATE", "2019", "END"),
    Case("[Early in 2018], the bank cut its staff.", "DATE", "2018", "START"),
    Case("[Later in the spring] the river rose.", "DATE", "2021-SP", "END"),
    # "or so" after a time expression, and an open end ("or later", "and beyond", "or
    # earlier"): inside, with mod APPROX, ON_OR_AFTER or ON_OR_BEFORE
    Case("The plant will close over [the next year or so].", "DATE", "2022", "APPROX"),
    Case("Talks may take [two weeks or so].", "DURATION", "P2W", "APPROX"),
    Case("No profit is expected until [2024 or later].", "DATE", "2024", "ON_OR_AFTER"),
    Case("The firm is confident about [2023 and beyond].", "DATE", "2023", "ON_OR_AFTER"),
    Case("Loans made in [2019 or earlier] were sold.", "DATE", "2019", "ON_OR_BEFORE"),
    # ... but "and later" joins two clauses
    Case("She flew in [October 1984] and later served in Congress.", "DATE", "1984-10"),
    # "around" before a clock time: inside, mod APPROX
    Case("The blast came at [around 7:15 p.m.]", "TIME", "2021-07-17T19:15", "APPROX"),
    # "earlier"/"later" before a weekday, and "about" before a clock time, stay outside
    # (TimeBank leaves them out more often than not)
    Case("Earlier [Friday], police sealed the road.", "DATE", "2021-07-16"),
    # ... but before "yesterday", "today" or "this afternoon" they go inside, as in "earlier
    # this year", with mod START or END
    Case("[Earlier yesterday], the exchange halted trading.", "DATE", "2021-07-16", "START"),
    Case("The envoy meets the minister [later this afternoon].", "TIME", "2021-07-17TAF", "END"),
    Case("The ship docked at about [10:35 a.m.]", "TIME", "2021-07-17T10:35"),
    # an intensifier that TimeML's mod cannot say stays outside, as "just" before a length
    Case("Right [now] my evidence is scant.", "DATE", "PRESENT_REF"),
)

# the preposition before a present reference stays outside; "to date" before an object is a verb
PREPOSITIONS = cases(
    Case("It was the largest raid to [date].", "DATE", "PRESENT_REF"),
    Case("There are no talks at [the moment].", "DATE", "PRESENT_REF"),
    Case("At [present] the army holds the town.", "DATE", "PRESENT_REF"),
    Case("Experts tried to [date] the bones."),
)


FRACTIONS = cases(
    # "a quarter of" a whole is a share, not a period; a quarter of a century is 25 years
    Case("Funds hold [more than a quarter of] the market."),
    Case("[A quarter of] the voters stayed home."),
    Case("The feud lasted [a quarter of a century].", "DURATION", "P25Y"),
    Case("He left after [nearly a quarter-century] in power.", "DURATION", "P25Y", "APPROX"),
    Case("Sales fell in [the first quarter of 2020].", "DATE", "2020-Q1"),
)


PERIODS_ENDED = cases(
    # the day a period "ended" is over by the publication date (2021-07-17), even when the
    # same day this year lies nearer ahead; a period "ending" may still be under way
    Case("In the fiscal year ended [Aug. 31], sales rose.", "DATE", "2020-08-31"),
    Case("In the fiscal year ended [Jan. 31], sales rose.", "DATE", "2021-01-31"),
    Case("Profit fell in [the quarter] ended July 31.", "DATE", "2020-Q2"),
    Case("Profit will rise in [the quarter] ending Dec. 31.", "DATE", "2021-Q4"),
    Case("Sales will rise in the fiscal year ending [Oct. 31].", "DATE", "2021-10-31"),
)


LENGTHS = cases(
    # after "in" the past year is the calendar year before; after "over", "for" its length
    Case("Exports collapsed in [the past year].", "DATE", "2020"),
    Case("Wages lagged prices in [the last decade].", "DATE", "201"),
    Case("Exports collapsed over [the past year].", "DURATION", "P1Y"),
    Case("The rebels held the pass for [the last decade].", "DURATION", "P10Y"),
    Case("Turnout fell in [the last week] of the campaign.", "DURATION", "P1W"),
    Case("In [the fiscal year] ended Jan. 31, sales rose.", "DURATION", "P1Y"),
    # a bare plural unit after a preposition or verb of duration
    Case("Reinforcements will arrive within [weeks].", "DURATION", "PXW"),
    Case("Rebuilding the port took [decades].", "DURATION", "PXDE"),
    Case("The hostage probably died within [weeks or months].", "DURATION", "PXW"),
    Case("Sales grew for the first time in [years].", "DURATION", "PXY"),
    Case("He spent [years] in exile.", "DURATION", "PXY"),
    # "the next"/"the past" with a range of counts or "a couple of" is one length of time;
    # a modifier before "the past"/"the next" is inside with its mod, but not before "the
    # first two quarters of" a year, which is a date
    Case("Deals will close during [the next 12 to 18 months].", "DURATION", "P12M"),
    Case("Over [the next couple of years] exports will grow.", "DURATION", "P2Y"),
    Case("Brewers cut prices for [at least the past 18 months].", "DURATION", "P18M", "MORE_THAN"),
    Case("Losses go on through at least [the first two quarters of 2022].", "DATE", "2022-H1"),
    # "period" names the length itself: the noun phrase is the TIMEX3, with its determiner;
    # "long" after a length is part of it, written apart or joined
    Case("He overstated earnings over [a three-year period].", "DURATION", "P3Y"),
    Case("Deaths fell during [the same 28-day period].", "DURATION", "P28D"),
    Case("The town held out despite a [3 year long] siege.", "DURATION", "P3Y"),
    Case("They escaped in a [months-long] trek.", "DURATION", "PXM"),
    # "past" or "future" before a plural unit: the unit is part of the vague reference
    Case("Tax credits will cut payments in [future quarters].", "DATE", "FUTURE_REF"),
    Case("There were sell programs in [past years], too.", "DATE", "PAST_REF"),
    Case("Prices fell over [the past years].", "DURATION", "PXY"),
    # an ordinal or edge word before a plural unit "of" something: one vague length
    Case("Prisoners were taken in [the first hours] of the war.", "DURATION", "PTXH"),
)

RECURRENCES = cases(
    # a rate recurs
    Case("The merger will save $40 million [a year] in costs.", "SET", "P1Y"),
    Case("Agents conduct hundreds of interviews [a day].", "SET", "P1D"),
    Case("The plant turns out 2,000 engines [a week].", "SET", "P1W"),
    Case("The committee meets [every other week].", "SET", "P2W"),
    Case("Vigils are held [every Friday night].", "SET", "XXXX-WXX-5TNI"),
    Case("Shepherds move the flocks [each spring].", "SET", "XXXX-SP"),
    Case("He signed the lease for $5 million [a year ago].", "DATE", "2020"),
    Case("The board meets [twice per week].", "SET", "P1W"),
)

# "per" makes a unit the measure of a rate, as in "miles per hour": no time expression
RATE_UNITS = cases(
    Case("Militants fired 800 rockets [per day]."),
    Case("Aid reached $600 million [per year]."),
)


@pytest.mark.parametrize("case", EXTENTS)
def test_extent(tag_at: Tagger, case: Case) -> None:
    check_one(tag_at, case)


@pytest.mark.parametrize("case", MODIFIERS)
def test_modifier_inside_with_its_mod(tag_at: Tagger, case: Case) -> None:
    """A part-of-day or approximation modifier: inside the extent with its mod, or outside."""
    check_one(tag_at, case)


@pytest.mark.parametrize("case", PREPOSITIONS)
def test_preposition_outside(tag_at: Tagger, case: Case) -> None:
    """ "at" and "to" stay outside a present reference; "to date" a verb yields nothing."""
    if not case.type:
        assert not overlapping(tag_at(case.text), case), case.text
    else:
        check_one(tag_at, case)


@pytest.mark.parametrize("case", FRACTIONS)
def test_fraction_or_period(tag_at: Tagger, case: Case) -> None:
    """A share of a whole yields no mention; a quarter of a century is a length of time."""
    if not case.type:
        hits = overlapping(tag_at(case.text), case)
        assert not hits, f"{case.text!r}: {case.expected_text!r} is a share, got {show(hits)}"
    else:
        check_one(tag_at, case)


@pytest.mark.parametrize("case", PERIODS_ENDED)
def test_period_ended_is_past(tag_at: Tagger, case: Case) -> None:
    """A day or quarter that a period "ended" on lies before the publication date."""
    check_one(tag_at, case)


@pytest.mark.parametrize("case", LENGTHS)
def test_length_or_date(tag_at: Tagger, case: Case) -> None:
    check_one(tag_at, case)


@pytest.mark.parametrize("case", RECURRENCES)
def test_recurrence(tag_at: Tagger, case: Case) -> None:
    check_one(tag_at, case)


@pytest.mark.parametrize("case", RATE_UNITS)
def test_rate_unit_is_no_time_expression(tag_at: Tagger, case: Case) -> None:
    assert not overlapping(tag_at(case.text), case), case.text
