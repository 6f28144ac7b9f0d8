"""Narratives: in a text that tells a story set far from its publication (a history), year-less
dates and anaphora ("that year", "the same month", "the following spring") follow the story's
current date, which moves with each date the story is told in, but not with a year said in
passing.

Each case is an invented history (published 2021-07-15, the story in the 1910s to 1940s)
with one expected mention marked in ``[brackets]``.
"""

from __future__ import annotations

from datetime import date

import pytest
from test_story_time import Case, cases, check_one

from timeline import Mention, tag
from timeline.tagger import is_narrative
from timeline.tagger.engine import extract

PUBLISHED = "2021-07-15"

# Enough years far from the publication for any text that starts with it to be a narrative.
PROLOGUE = (
    "The kingdom was founded in 1901. Its first war came in 1905, a second in 1908 and a "
    "third in 1912. Peace held from 1913 to 1917; a revolt in 1918 and a famine in 1919 "
    "ended it. "
)


def tag_text(text: str) -> list[Mention]:
    """``tag`` read against :data:`PUBLISHED`, checking that every offset points into the text."""
    mentions = tag(text, PUBLISHED)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    return mentions


def test_the_prologue_makes_a_narrative() -> None:
    partials = extract(PROLOGUE)
    assert is_narrative(partials, date.fromisoformat(PUBLISHED))


def story(marked: str, kind: str, value: str) -> Case:
    """A case whose text opens with the :data:`PROLOGUE`."""
    return Case(PROLOGUE + marked, kind, value)


STORY_YEAR = cases(
    # the year-less month takes the year of the story's last date
    story(
        "The army crossed the river on 3 March 1921. By [June] it held the valley.",
        "DATE",
        "1921-06",
    ),
    # a year said since then moves the story on
    story(
        "The army crossed the river in March 1921. In 1923, the rebels rose. By [June] they "
        "held the valley.",
        "DATE",
        "1923-06",
    ),
    # a month long before the story's month is the next year's: the story moves on
    story(
        "The siege began on December 7, 1921. In [January], the garrison surrendered.",
        "DATE",
        "1922-01",
    ),
    # but one a few months before is the same year's, told out of order
    story(
        "The siege ended in October 1921. It had begun in [May], after the harvest.",
        "DATE",
        "1921-05",
    ),
)


@pytest.mark.parametrize("case", STORY_YEAR)
def test_a_year_less_month_follows_the_story(case: Case) -> None:
    check_one(tag_text, case)


ASIDES = cases(
    # "since", brackets: a year said in passing leaves the story where it was
    story(
        "The army crossed the river on 3 March 1921, the largest crossing since 1813. On "
        "[9 March] it took the town.",
        "DATE",
        "1921-03-09",
    ),
    story(
        "On 2 April 1922 the assembly passed the land law (1790 in the old calendar). On "
        "[17 August] it was repealed.",
        "DATE",
        "1922-08-17",
    ),
    # a year far from the story, in the middle of its sentence
    story(
        "The port was bombed on 4 August 1924. Papers declassified in 2005 revealed that the "
        "raid failed. On [5 August], the fleet sailed.",
        "DATE",
        "1924-08-05",
    ),
    # a year that looks ahead: a plan, not the story's time
    story(
        "The offensive opened on 10 March 1925. The generals will wait for 1926 to strike "
        "the capital. The line broke on [11 March].",
        "DATE",
        "1925-03-11",
    ),
    # a year a plan was made for
    story(
        "The offensive opened on 10 March 1925. The town was to be the base for a planned "
        "campaign in 1926. The line broke on [11 March].",
        "DATE",
        "1925-03-11",
    ),
    # one that opens its sentence moves the story, however far
    story(
        "The port was bombed on 4 August 1924. In 1931, the harbour was rebuilt. On "
        "[5 August], the fleet sailed.",
        "DATE",
        "1931-08-05",
    ),
)


@pytest.mark.parametrize("case", ASIDES)
def test_a_year_said_in_passing_leaves_the_story(case: Case) -> None:
    check_one(tag_text, case)


def test_the_previous_year_looks_back_without_moving_the_story() -> None:
    text = PROLOGUE + (
        "The army advanced on 31 August 1920, repeating its successes from the previous year. "
        "On 6 September it took the fortress."
    )
    found = {m.text: m.value for m in tag_text(text)}
    assert found["the previous year"] == "1919"
    assert found["6 September"] == "1920-09-06"


ANAPHORA = cases(
    story(
        "The war resumed in 1921. In [August of that year], the capital fell.", "DATE", "1921-08"
    ),
    story(
        "The war resumed in 1921. On [July 25 of the same year], a truce was signed.",
        "DATE",
        "1921-07-25",
    ),
    # seasons follow the story, its next or its previous one
    story("The siege ended in March 1925; the city fell [that same spring].", "DATE", "1925-SP"),
    story(
        "The army landed in June 1923. [The following spring], it reached the capital.",
        "DATE",
        "1924-SP",
    ),
    story(
        "The army reached the capital in June 1924, a year after it landed [the previous summer].",
        "DATE",
        "1923-SU",
    ),
    story("The army landed in 1923. [The summer] brought a cholera outbreak.", "DATE", "1923-SU"),
    # a season named with the one that carries the year shares its year
    story("Both armies spent [the spring] and early summer of 1926 preparing.", "DATE", "1926-SP"),
    story("The army rested in 1926. The [spring] offensive failed.", "DATE", "1926-SP"),
    # a part of the day named with its date is one time of that day
    Case(
        PROLOGUE + "On [the night of 18 April 1922], the troops marched.", "TIME", "1922-04-18TNI"
    ),
    Case(PROLOGUE + "They left [early in the morning of 29 April 1925].", "TIME", "1925-04-29TMO"),
)


@pytest.mark.parametrize("case", ANAPHORA)
def test_anaphora_and_seasons_follow_the_story(case: Case) -> None:
    check_one(tag_text, case)


EVENTS = cases(
    # in a narrative, a count from an event is a date on the story's time line: the date the
    # sentence just gave, which the words describe ...
    story(
        "On 27 June 1922, [two days] after the army invaded, the envoy resigned.",
        "DATE",
        "1922-06-27",
    ),
    # ... else the count from the story's date
    story(
        "The last fort fell on 5 February 1923. [Five days] after the fall of the fort, the "
        "rebels signed.",
        "DATE",
        "1923-02-10",
    ),
    story(
        "The rebels took the port on 3 May 1923. [A few days] later, the navy arrived.",
        "DATE",
        "FUTURE_REF",
    ),
    # ... a count of years is a year, whatever the story's date says (no period is being
    # reported in a history)
    story(
        "The rebels took the port in July 1922. The port had fallen once before, "
        "[two years earlier].",
        "DATE",
        "1920",
    ),
)


@pytest.mark.parametrize("case", EVENTS)
def test_a_count_from_an_event_is_a_date_in_a_narrative(case: Case) -> None:
    check_one(tag_text, case)


@pytest.mark.parametrize(
    "text", ["They struck [two days] after the vote.", "[A few days] later, the talks resumed."]
)
def test_a_count_from_an_event_is_a_length_in_news(text: str) -> None:
    case = Case(text, "DURATION", "P2D" if "two" in text else "PXD")
    check_one(tag_text, case)


# An invented ancient history: enough years BC for a narrative.
ANCIENT = (
    "The league was founded in 520 BC. Its first war came in 512 BC, a second in 505 BC and a "
    "third in 501 BC. Peace held from 500 BC to 498 BC; a revolt in 495 BC and a famine in "
    "494 BC ended it. "
)

BEFORE_CHRIST = cases(
    # a range written once with its era: both ends are years BC
    Case(ANCIENT + "The long war ([431]-404 BC) ruined the city.", "DATE", "BC0431"),
    Case(ANCIENT + "The siege lasted from [264] to 241 BC.", "DATE", "BC0264"),
    Case(ANCIENT + "The fleet sailed in [April 480 BC].", "DATE", "BC0480-04"),
    Case(ANCIENT + "The allies met in [late autumn of 481 BC].", "DATE", "BC0481-FA"),
    Case(ANCIENT + "The league campaigned throughout [the 470s BC].", "DATE", "BC047"),
    Case(ANCIENT + "The city was founded in [the 9th century B.C.] by traders.", "DATE", "BC08"),
    # the story moves on in years BC: time runs forward while the numbers count down
    Case(
        ANCIENT + "The army landed in 492 BC. [The following year], it sailed home.",
        "DATE",
        "BC0491",
    ),
    Case(
        ANCIENT + "The fleet sailed in April 480 BC. By [mid-August] it held the straits.",
        "DATE",
        "BC0480-08",
    ),
    Case(
        ANCIENT + "The army gathered in the autumn of 481 BC. In [the spring] it marched.",
        "DATE",
        "BC0481-SP",
    ),
    Case(
        ANCIENT + "The truce was signed in 445 BC. War came again [14 years later].",
        "DATE",
        "BC0431",
    ),
)


@pytest.mark.parametrize("case", BEFORE_CHRIST)
def test_a_story_told_in_years_bc_moves_on(case: Case) -> None:
    m = check_one(tag_text, case)
    assert m.anchor.startswith(("BC", "2021")), m.anchor


WINTERS = cases(
    # a winter is the year of its January: after a date in the autumn, "the winter" is the
    # coming one, named for the next year
    story(
        "The army camped by the river in December 1927. Over [the winter], it starved.",
        "DATE",
        "1928-WI",
    ),
    story(
        "The offensive stalled in October 1927. In [winter], the front froze.", "DATE", "1928-WI"
    ),
    # after a date in its January or spring, the one just past
    story(
        "The army crossed the ice on 3 January 1928. Throughout [the winter], it raided.",
        "DATE",
        "1928-WI",
    ),
)


@pytest.mark.parametrize("case", WINTERS)
def test_a_winter_is_named_for_its_january(case: Case) -> None:
    check_one(tag_text, case)


def test_a_winter_runs_from_the_december_before() -> None:
    (m,) = [m for m in tag("It snowed in the winter of 1928.", PUBLISHED) if m.value == "1928-WI"]
    assert m.interval is not None
    assert (m.interval.start, m.interval.end) == ("1927-12-01", "1928-03-01")


ORDINAL_DAYS = cases(
    # an ordinal day alone is that day of the month the story is in
    story(
        "The talks opened on 2 October 1920. On [the 5th], the envoys walked out.",
        "DATE",
        "1920-10-05",
    ),
    story(
        "The army took the city on 8 August 1920, and on [the 28th of that month] it moved on.",
        "DATE",
        "1920-08-28",
    ),
)


@pytest.mark.parametrize("case", ORDINAL_DAYS)
def test_an_ordinal_day_is_in_the_story_month(case: Case) -> None:
    check_one(tag_text, case)


def test_an_ordinal_that_names_no_day_is_not_a_date() -> None:
    text = PROLOGUE + "The talks opened on 2 October 1920. The 4th, 15th and 3rd Armies attacked."
    assert [m.text for m in tag_text(text)][-1] == "2 October 1920"


APPOSED = cases(
    # a story-relative phrase set off by a comma or a dash right after a date renames it
    # ("before"/"after" and the event after it are a signal and an event, outside the TIMEX3)
    Case(
        "Shares have lagged since June 12, [the day] before the stock market plunge.",
        "DATE",
        "2021-06-12",
    ),
    Case(
        "He was last seen on Nov. 3, [the day] before the warrant was issued.", "DATE", "2020-11-03"
    ),
    story(
        "The Politburo approved the plan on 2 October 1922-[the day] after the army crossed "
        "the river.",
        "DATE",
        "1922-10-02",
    ),
    story("On 8 October 1922, [the day] after the crossing, the order came.", "DATE", "1922-10-08"),
    story("The treaty was signed in 1923, [the following year], after the war.", "DATE", "1923"),
    # not set off from the date: counted from it
    Case("They signed on July 2, 2021; [the day] before they met.", "DATE", "2021-07-01"),
    story(
        "The fort fell on 5 February 1923. [The next day] the rebels signed.", "DATE", "1923-02-06"
    ),
)


@pytest.mark.parametrize("case", APPOSED)
def test_a_phrase_in_apposition_renames_the_date_before_it(case: Case) -> None:
    check_one(tag_text, case)


WEEKDAYS = cases(
    # in a narrative, a weekday is counted from the story's day, not the publication's
    story(
        "On 14 September 1922 the general was killed in a bomb attack. The rebels described "
        "[Thursday]'s killing as a heroic deed.",
        "DATE",
        "1922-09-14",
    ),
    story(
        "The siege began on 14 September 1922. On [Tuesday] the defenders had surrendered.",
        "DATE",
        "1922-09-12",
    ),
)


@pytest.mark.parametrize("case", WEEKDAYS)
def test_a_weekday_follows_the_story(case: Case) -> None:
    check_one(tag_text, case)


DAYS_UNKNOWN = cases(
    # a count of days after the story moved on from its last day to a month that does not hold
    # it: a day of that year, not a day counted from the old one
    story(
        "The war began on 3 June 1922. The second offensive came in October; [four days later] "
        "the allies joined the attack.",
        "DATE",
        "1922-XX-XX",
    ),
    # counted from the story's day when it is the story's last date, or lies in the month named
    story(
        "The second offensive began on 3 October 1922; [four days later] the allies joined.",
        "DATE",
        "1922-10-07",
    ),
    story(
        "The offensive began on 3 October 1922. In October the rains came, and [four days later] "
        "the allies joined.",
        "DATE",
        "1922-10-07",
    ),
)


@pytest.mark.parametrize("case", DAYS_UNKNOWN)
def test_a_count_of_days_needs_a_day_to_count_from(case: Case) -> None:
    check_one(tag_text, case)


EVENT_WORDS = cases(
    # in a narrative, a count before or after an event named by a name or a gerund is a date
    story(
        "The fort fell on 12 April 1922. The arsenal was seized [eight days] after Fort Keller.",
        "DATE",
        "1922-04-20",
    ),
    story(
        "The siege was lifted on 27 September 1922. [Two days] after relieving the siege, the "
        "general took power.",
        "DATE",
        "1922-09-29",
    ),
    # ... but a length of time after "for", "over", "within" or "during"
    story(
        "The battle ended on 3 May 1922. The troops held the line for about [a week] after the "
        "battle.",
        "DURATION",
        "P1W",
    ),
    # in news, a length of time
    Case("The arsenal was seized [eight days] after Fort Keller fell.", "DURATION", "P8D"),
)


@pytest.mark.parametrize("case", EVENT_WORDS)
def test_a_count_from_a_named_event(case: Case) -> None:
    check_one(tag_text, case)


ATTRIBUTIVE = cases(
    # a year used as a modifier ("the 1614 rules") names what a thing is, not where the story
    # is: it leaves the story where it was, as a year said in passing does
    story(
        "The assembly met in June 1922. The 1614 rules it kept were old. On [27 December] the "
        "king agreed.",
        "DATE",
        "1922-12-27",
    ),
    # a year before a season names that season
    story(
        "After the failure of their [1982 summer] offensives, the army waited.", "DATE", "1982-SU"
    ),
)


@pytest.mark.parametrize("case", ATTRIBUTIVE)
def test_an_attributive_year_leaves_the_story(case: Case) -> None:
    check_one(tag_text, case)


ENDPOINTS = cases(
    # the end of a stretch ("lasted until ...") does not move the story: it goes on where it was
    story(
        "The siege began in March 1922 and lasted until the fall of the port in May 1924. In "
        "[June] the rebels attacked the coast.",
        "DATE",
        "1922-06",
    ),
    # ... but the date of an event told after "until" does
    story(
        "The talks went on until the treaty was signed in January 1924. In [June] the army left.",
        "DATE",
        "1924-06",
    ),
)


@pytest.mark.parametrize("case", ENDPOINTS)
def test_the_end_of_a_stretch_leaves_the_story(case: Case) -> None:
    check_one(tag_text, case)


SAID_LAST = cases(
    # an anaphor refers back to the date said last, even one said in passing that left the
    # story where it was
    story(
        "The rebels took the port in May 1922. The capital surrendered to them in 1926; the "
        "provinces were overrun [that same spring].",
        "DATE",
        "1926-SP",
    ),
    # ... and to the story's date when that was said last
    story(
        "The capital surrendered in 1926. The rebels took the port in May 1922, and the "
        "provinces were overrun [that same spring].",
        "DATE",
        "1922-SP",
    ),
)


@pytest.mark.parametrize("case", SAID_LAST)
def test_an_anaphor_refers_to_the_date_said_last(case: Case) -> None:
    check_one(tag_text, case)


NAMED_WINTERS = cases(
    # a story told in "the winter of 1922" is in 1922, though that winter began in December 1921
    story(
        "The offensive stalled in the winter of 1922. In [March] the rebels attacked.",
        "DATE",
        "1922-03",
    ),
    story(
        "The offensive stalled in the winter of 1922. [That spring] the rebels attacked.",
        "DATE",
        "1922-SP",
    ),
    story("The army froze in the winter of 1922. [Later that year] it withdrew.", "DATE", "1922"),
)


@pytest.mark.parametrize("case", NAMED_WINTERS)
def test_a_named_winter_is_in_its_year(case: Case) -> None:
    check_one(tag_text, case)
