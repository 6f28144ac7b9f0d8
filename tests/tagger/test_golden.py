"""The golden tables: what the tagger must find, all read against one reference date.

Each case writes its text with the expected mention in ``[brackets]``. The reference date
is Saturday 2021-07-17, so "Friday" in the past tense is 2021-07-16 and in the future 2021-07-23.

* positive: exactly one mention overlaps the brackets, with exactly that extent, type, value, mod;
* narrative: the same, for mentions anchored on an earlier date of the text, not the reference;
* negative: no mention overlaps the brackets;
* latent: words that may name a time but need not ("2001" with no cue that it is a year).
  The tagger may leave them out; if it tags them, the value must be the given one and the
  confidence lower than for the same value said unambiguously (the ``firm`` text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from timeline import Mention, tag

Tagger = Callable[[str], list[Mention]]


@dataclass(frozen=True)
class Case:
    """A text with one expected mention marked in ``[brackets]``."""

    marked: str
    type: str = ""
    value: str = ""
    mod: str | None = None

    @property
    def text(self) -> str:
        return self.marked.replace("[", "").replace("]", "")

    @property
    def span(self) -> tuple[int, int]:
        start = self.marked.index("[")
        return start, self.marked.index("]") - 1

    @property
    def expected_text(self) -> str:
        start, end = self.span
        return self.text[start:end]


def xfail(reason: str) -> pytest.MarkDecorator:
    """A case the tagger currently gets wrong (the expected value stays the right one)."""
    return pytest.mark.xfail(strict=False, reason=reason)


def cases(*rows: Case | tuple[Case, str]) -> list[object]:
    """Parameters named by their marked text; a ``(case, reason)`` pair is a known failure."""
    params: list[object] = []
    for row in rows:
        case, reason = row if isinstance(row, tuple) else (row, "")
        marks = [xfail(reason)] if reason else []
        params.append(pytest.param(case, id=case.marked, marks=marks))
    return params


def overlapping(mentions: list[Mention], case: Case) -> list[Mention]:
    start, end = case.span
    return [m for m in mentions if m.start < end and m.end > start]


def show(mentions: list[Mention]) -> str:
    return (
        "; ".join(f"{m.text!r} {m.type} {m.value} {m.mod or ''} [{m.rule}]" for m in mentions)
        or "nothing"
    )


POSITIVE = cases(
    # explicit calendar dates
    Case("The attacks of [Sept. 11, 2001] reshaped the region.", "DATE", "2001-09-11"),
    Case("Hijacked planes struck the towers on [11 September 2001].", "DATE", "2001-09-11"),
    Case("The log entry is dated [2001-09-11].", "DATE", "2001-09-11"),
    Case("Border guards reported heavy shelling on [July 16].", "DATE", "2021-07-16"),
    Case("The offensive slowed in [mid-July].", "DATE", "2021-07", "MID"),
    Case("Oil was cheap throughout [the 1990s].", "DATE", "199"),
    Case("The ceasefire collapsed in [early 2021].", "DATE", "2021", "START"),
    Case("The company expects a loss in [the third quarter].", "DATE", "2021-Q3"),
    Case("Revenue fell sharply in [fiscal 2012].", "DATE", "2012"),
    # a comparison is with the period last reported, never with one still to come
    Case(
        "Profit rose 5% in the second quarter from [a year earlier].",
        "DATE",
        "2020-Q2",
    ),
    Case(
        "Profit rose in the second quarter, and the third quarter looks weak. "
        "Sales were up from [a year earlier].",
        "DATE",
        "2020-Q2",
    ),
    # ... and with the latest period reported, not an earlier one named in passing
    Case(
        "Net income rose in the second quarter. After a flat first quarter, demand "
        "recovered. Sales were up from [a year earlier].",
        "DATE",
        "2020-Q2",
    ),
    Case(
        "Net income rose in the second quarter. After a flat first quarter, demand "
        "recovered. Charges were lower than in [the year-earlier period].",
        "DATE",
        "2020-Q2",
    ),
    Case("Sales for [the full year] are expected to rise.", "DATE", "2021"),
    Case("The banks must wait [at least 30 days] before closing.", "DURATION", "P30D", "MORE_THAN"),
    # times of day
    Case("The ministry issued its statement at [4:30 p.m. EDT].", "TIME", "2021-07-17T16:30-04"),
    Case("The ministry issued its statement at [4:30pm].", "TIME", "2021-07-17T16:30"),
    Case("The polls will open at [7am] on Friday.", "TIME", "2021-07-23T07:00"),
    Case("A curfew will take effect at [midnight].", "TIME", "2021-07-17T24:00"),
    # weekdays by tense, units relative to the publication date
    Case(
        "Government forces clashed with insurgents near the border on [Friday].",
        "DATE",
        "2021-07-16",
    ),
    Case("The envoys will meet on [Friday].", "DATE", "2021-07-23"),
    Case("The deputy minister resigned [last week].", "DATE", "2021-W27"),
    Case("The convoy left the capital [two days ago].", "DATE", "2021-07-15"),
    Case("Elections are scheduled for [next month].", "DATE", "2021-08"),
    Case("Grain exports have grown [this year].", "DATE", "2021"),
    Case("The deal signed in March set a deadline of [December this year].", "DATE", "2021-12"),
    # vague references
    Case("The group [now] controls most of the border.", "DATE", "PRESENT_REF"),
    Case("The envoy [recently] stepped down.", "DATE", "PAST_REF"),
    Case("In [recent weeks] the militants seized three districts.", "DURATION", "PXW"),
    Case("In [recent months] most foreign troops have left.", "DURATION", "PXM"),
    Case("In [the past] the crossing was quiet.", "DATE", "PAST_REF"),
    Case("Food prices are expected to climb in [the coming months].", "DURATION", "PXM"),
    Case("For [a long time] the valley has been contested.", "DURATION", "PXY"),
    # durations
    Case("Foreign soldiers stayed for [nearly 20 years].", "DURATION", "P20Y", "APPROX"),
    Case("The delegations have talked on and off for [several months].", "DURATION", "PXM"),
    Case("The dock strike lasted [48 hours].", "DURATION", "PT48H"),
    Case("Rebuilding the bridge took [a decade].", "DURATION", "P10Y"),
    # recurrences
    Case("The council meets [every Friday].", "SET", "XXXX-WXX-5"),
    Case("The survey is published [annually].", "SET", "P1Y"),
    Case("Patrols cross the river [twice a week].", "SET", "P1W"),
    # ranges: each end is its own mention
    Case("The festival ran from [March] to May 2021.", "DATE", "2021-03"),
    Case("The festival ran from March to [May 2021].", "DATE", "2021-05"),
    Case("She governed the province between [2001] and 2021.", "DATE", "2001"),
    Case("She governed the province between 2001 and [2021].", "DATE", "2021"),
    Case("Athens fell in [480 BC].", "DATE", "BC0480"),
    Case("Rome was at war in [1 BC].", "DATE", "BC0001"),
    Case("Prices rose from [March] to May 2021.", "DATE", "2021-03"),
    Case("Prices rose from March to [May 2021].", "DATE", "2021-05"),
    Case("The talks ran from [January 5] to March 2, 2019.", "DATE", "2019-01-05"),
    Case(
        "Output grew between [the second quarter] and the fourth quarter of 2019.",
        "DATE",
        "2019-Q2",
    ),
    Case("The [2019]-2021 budget plan was abandoned.", "DATE", "2019"),
    Case("The 2019-[2021] budget plan was abandoned.", "DATE", "2021"),
    # holidays
    Case(
        "Leaders postponed the summit until after [the upcoming Muslim Eid al-Adha].",
        "DATE",
        "2021-07-20",
    ),
    Case("Food prices soared [last Ramadan].", "DATE", "2021-04-13"),
    Case("Most shops close at [Christmas].", "DATE", "2021-12-25"),
    Case("The churches were full at [Easter].", "DATE", "2021-04-04"),
    Case("Pilgrims walked the old route on [Good Friday].", "DATE", "2021-04-02"),
    Case("Families travelled home for [Nowruz].", "DATE", "2021-03-21"),
    Case("The new tax took effect on [New Year's Day].", "DATE", "2021-01-01"),
)

NARRATIVE = cases(
    Case(
        "The treaty was signed on March 3, 2001. [The next day] protests began.",
        "DATE",
        "2001-03-04",
    ),
    Case(
        "On 7 October 2001 the bombing began. [The next day] strikes hit Kandahar.",
        "DATE",
        "2001-10-08",
    ),
    Case("The army withdrew in 1989. [Two years later] the government fell.", "DATE", "1991"),
    Case(
        "The rebels took the city in May 1996. [The following year] they lost it.", "DATE", "1997"
    ),
    Case("The siege began in March 1944; [later that year] the city fell.", "DATE", "1944"),
    Case(
        "A truce was agreed on 2 February 2020. [Three days later] it collapsed.",
        "DATE",
        "2020-02-05",
    ),
    (
        Case(
            "In 1944 the front moved west. In [June] the allies landed in Normandy.",
            "DATE",
            "1944-06",
        ),
        "a year-less month after a single explicit past year is read against the publication "
        "year (2021-06), not the narrative's 1944",
    ),
)

NEGATIVE = cases(
    Case("The country's [current account] deficit widened."),
    Case("Tickets cost [$48] at the door."),
    Case("At [the March for Life], marchers sang."),
    Case("He read it in the Communist Party [daily Granma]."),
    Case("The flood displaced [123 people]."),
    Case("The ministry sent [1,000 troops] to the border."),
    Case("The guard told him [you may go] home."),
    Case("Organisers said [they march on] regardless."),
    Case("At dawn [the sun rose] over the hills."),
    Case("The stadium held [2001 people]."),
    Case("Call extension [2001] for the front desk."),
    Case("After [the fall] of Kabul, prices doubled."),
)


@dataclass(frozen=True)
class Latent:
    """An ambiguous mention and the same value said unambiguously."""

    case: Case
    firm: Case


LATENT = [
    pytest.param(
        Latent(
            Case("[2001] was the worst harvest on record.", "DATE", "2001"),
            Case("In [2001] the harvest failed.", "DATE", "2001"),
        ),
        id="latent year",
    ),
    pytest.param(
        Latent(
            Case("[May] was wetter than usual.", "DATE", "2021-05"),
            Case("[May 2021] was wetter than usual.", "DATE", "2021-05"),
        ),
        id="latent May",
    ),
    pytest.param(
        Latent(
            Case("[March] saw the heaviest fighting.", "DATE", "2021-03"),
            Case("[March 2021] saw the heaviest fighting.", "DATE", "2021-03"),
        ),
        id="latent March",
    ),
]


def check_one(tag_at: Tagger, case: Case) -> Mention:
    """The one mention over the brackets of ``case``, with its extent, type, value and mod."""
    mentions = tag_at(case.text)
    hits = overlapping(mentions, case)
    assert len(hits) == 1, (
        f"{case.text!r}: expected one mention over {case.expected_text!r}, got {show(mentions)}"
    )
    m = hits[0]
    assert (m.text, m.type, m.value, m.mod) == (case.expected_text, case.type, case.value, case.mod)
    return m


def test_reference_date_is_a_saturday(reference: str) -> None:
    assert date.fromisoformat(reference).isoweekday() == 6


@pytest.mark.parametrize("case", POSITIVE)
def test_positive(tag_at: Tagger, case: Case) -> None:
    check_one(tag_at, case)


@pytest.mark.parametrize("case", NARRATIVE)
def test_narrative(tag_at: Tagger, case: Case) -> None:
    check_one(tag_at, case)


@pytest.mark.parametrize("case", NEGATIVE)
def test_negative(tag_at: Tagger, case: Case) -> None:
    mentions = tag_at(case.text)
    hits = overlapping(mentions, case)
    assert not hits, (
        f"{case.text!r}: {case.expected_text!r} is not a time reference, got {show(hits)}"
    )


@pytest.mark.parametrize("latent", LATENT)
def test_latent(tag_at: Tagger, latent: Latent) -> None:
    firm = check_one(tag_at, latent.firm)
    hits = overlapping(tag_at(latent.case.text), latent.case)
    assert len(hits) <= 1
    for m in hits:
        assert (m.text, m.type, m.value) == (
            latent.case.expected_text,
            latent.case.type,
            latent.case.value,
        )
        assert m.confidence < firm.confidence, (
            f"latent {m.text!r} scored {m.confidence}, as sure as {firm.text!r} ({firm.confidence})"
        )


def test_years_before_the_common_era_have_astronomical_intervals(
    tag_at: Callable[[str], list[Mention]],
) -> None:
    (athens,) = tag_at("Athens fell in 480 BC.")
    assert athens.interval is not None
    assert (athens.interval.start, athens.interval.end) == ("-0479-01-01", "-0478-01-01")


def test_a_vague_count_of_units_ago_spans_two_to_ten_units(
    tag_at: Callable[[str], list[Mention]],
) -> None:
    (mention,) = tag_at("The plant closed several years ago.")
    assert mention.value == "PAST_REF"
    assert mention.interval is not None
    assert (mention.interval.start, mention.interval.end) == ("2011-07-17", "2019-07-17")


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        ("It began in the early 1980s.", ("1980-01-01", "1983-01-01")),
        ("Sales slowed in early 2021.", ("2021-01-01", "2021-05-01")),
        ("Talks resumed in mid-July.", ("2021-07-11", "2021-07-22")),
    ],
)
def test_start_mid_and_end_take_thirds_on_whole_calendar_units(
    tag_at: Callable[[str], list[Mention]], text: str, interval: tuple[str, str]
) -> None:
    (mention,) = tag_at(text)
    assert mention.interval is not None
    assert (mention.interval.start, mention.interval.end) == interval


def test_hours_ago_is_a_time_when_the_publication_time_is_known() -> None:
    (known,) = tag("The blast happened two hours ago.", "2021-07-17T15:30:00")
    assert (known.type, known.value) == ("TIME", "2021-07-17T13:30")
    (day_only,) = tag("The blast happened two hours ago.", "2021-07-17")
    assert (day_only.type, day_only.value) == ("DATE", "2021-07-17")
    assert day_only.confidence < known.confidence
