"""Timeline entries of one article: intervals, display dates, order and uncertainty."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from timeline import tag
from timeline.events.entries import Entry, build_entries

PUBLISHED = date(2021, 7, 17)


def entries_of(text: str, published: date = PUBLISHED) -> list[Entry]:
    return build_entries(text, published, tag(text, published.isoformat()))


def by_words(entries: list[Entry]) -> dict[str, Entry]:
    return {e.mention.text: e for e in entries}


def test_the_seed_articles_timeline_runs_from_the_attacks_to_the_eid(repo_root: Path) -> None:
    article = json.loads((repo_root / "seeds" / "doha-talks-2021-07-17.json").read_text("utf-8"))
    text = article["text"]
    entries = entries_of(text, date.fromisoformat(article["published_at"][:10]))
    for e in entries:  # every entry cites the words it comes from
        assert text[e.mention.start : e.mention.end] == e.mention.text
        assert e.mention.text in e.text
    expected = [
        ("September 11, 2001", "attacks", "Tuesday 11 September 2001"),
        ("nearly 20 years", "stationed", "about 2001 to 2021"),
        ("several months", "met", None),
        ("recent months", None, None),
        ("recent weeks", "occupied", "recent weeks (late June to 17 July 2021)"),
        ("Friday", "clashed", "Friday 16 July 2021"),
        ("Friday", "said", "Friday 16 July 2021"),
        ("the upcoming Muslim Eid al-Adha", None, "Tuesday 20 July 2021"),
    ]
    found = [
        (e.mention.text, e.anchor.trigger.text if e.anchor.trigger else None, e.display_date)
        for e in entries
    ]
    position = 0
    for words, trigger, shown in expected:
        while position < len(found) and not (
            found[position][0] == words
            and (trigger is None or found[position][1] == trigger)
            and (shown is None or found[position][2] == shown)
        ):
            position += 1
        assert position < len(found), f"{words!r} ({trigger}, {shown}) not in order in {found}"
        position += 1
    stationed = by_words(entries)["nearly 20 years"]
    assert (stationed.start, stationed.end) == ("2001-09-11", "2021-07-18")
    assert stationed.uncertain
    assert "summit" in by_words(entries)["the upcoming Muslim Eid al-Adha"].headline
    # "now" says how things stand as the article is written: no entry of its own
    assert "now" not in by_words(entries)
    kinds = {
        (e.mention.text, e.anchor.trigger.text if e.anchor.trigger else None): e.kind
        for e in entries
    }
    assert kinds[("Friday", "clashed")] == "event"
    assert kinds[("Friday", "said")] == "reporting"
    assert kinds[("nearly 20 years", "stationed")] == "state"


def test_a_length_of_time_up_to_now_runs_back_from_publication() -> None:
    (entry,) = entries_of("The envoys have met in Doha for three months.")
    assert (entry.start, entry.end, entry.granularity) == ("2021-04-17", "2021-07-18", "month")
    assert entry.display_date == "April 2021 to July 2021"


def test_a_length_of_time_since_a_date_starts_there() -> None:
    entries = by_words(entries_of("Since March 2019, the two sides have met for two years."))
    assert entries["two years"].start == "2019-03-01"


def test_a_length_of_time_in_the_past_dates_nothing() -> None:
    assert entries_of("The strike lasted 48 hours.") == []


def test_a_recurrence_dates_nothing() -> None:
    assert entries_of("The council meets every Friday.") == []


def test_entries_are_ordered_by_start_then_end_then_granularity() -> None:
    text = "Prices rose in July. On July 16 the talks resumed. Oil fell in 2021."
    shown = [e.mention.text for e in entries_of(text)]
    assert shown == ["2021", "July", "July 16"]


def test_overlapping_intervals_make_the_order_uncertain() -> None:
    entries = by_words(
        entries_of("In recent weeks the rebels advanced. On Friday the army clashed with them.")
    )
    assert entries["recent weeks"].uncertain
    assert entries["Friday"].uncertain


def test_separate_days_are_in_a_certain_order() -> None:
    entries = by_words(entries_of("The talks opened on July 5. The envoys left on July 9."))
    assert not entries["July 5"].uncertain
    assert not entries["July 9"].uncertain


@pytest.mark.parametrize(
    ("text", "interval", "shown"),
    [
        (
            "Exports rose in 1998-99, the ministry said.",
            ("1998-01-01", "2000-01-01"),
            "1998 to 1999",
        ),
        ("The firm grew from 2004 to 2006.", ("2004-01-01", "2007-01-01"), "2004 to 2006"),
        (
            "The strike ran March-April 2020.",
            ("2020-03-01", "2020-05-01"),
            "March to April 2020",
        ),
    ],
)
def test_a_range_is_one_entry(text: str, interval: tuple[str, str], shown: str) -> None:
    entries = entries_of(text)
    assert [(e.start, e.end) for e in entries] == [interval]
    assert entries[0].display_date == shown


def test_a_date_ahead_does_not_start_a_length_that_runs_up_to_now() -> None:
    text = "The comet brightened over the past ten days, and is seen after dusk from next week."
    [stretch] = [e for e in entries_of(text) if e.mention.type == "DURATION"]
    assert (stretch.start, stretch.end) == ("2021-07-07", "2021-07-18")


def test_a_clock_time_on_a_named_day_is_one_entry_in_its_zone() -> None:
    entries = entries_of("The vote began at 09:30 GMT on Tuesday.", date(2021, 7, 15))
    assert [(e.start, e.granularity) for e in entries] == [("2021-07-13T09:30Z", "minute")]


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("Troops have been stationed there for nearly 20 years.", True),
        ("For the past two months, the father has demanded his return.", True),
        ("By surviving two days at sea, the boy has earned the right to stay.", False),
        # the first or last stretch of something named: not up to now
        ("The vote decides who has the majority for the last two years of his term.", False),
        ("He has lived for the first three years of the war in Paris.", False),
    ],
)
def test_a_length_of_time_is_an_entry_when_it_runs_up_to_now(text: str, entry: bool) -> None:
    durations = [e for e in entries_of(text) if e.mention.type == "DURATION"]
    assert bool(durations) is entry
    if entry:
        assert durations[0].end == "2021-07-18" and durations[0].kind == "state"


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        # quarters are reporting periods: the two that are over before publication
        (
            "The maker of pumps has had losses in the past two quarters.",
            ("2021-01-01", "2021-07-01"),
        ),
        # months are counted back from the day of publication
        ("The mayor has demanded a recount for the past two months.", ("2021-05-17", "2021-07-18")),
        # a rate per month is counted in the calendar months whose figures are out
        (
            "Car sales have grown by 4,000 a month for the last three months.",
            ("2021-04-01", "2021-07-01"),
        ),
        (
            "Exports have risen 2% per month over the past two months.",
            ("2021-05-01", "2021-07-01"),
        ),
    ],
)
def test_a_length_up_to_now_in_quarters_or_of_monthly_figures_covers_whole_ones(
    text: str, interval: tuple[str, str]
) -> None:
    (entry,) = entries_of(text)
    assert (entry.start, entry.end) == interval


@pytest.mark.parametrize(
    ("text", "interval", "shown"),
    [
        (
            "The strike will weigh on the company's earnings through 2022.",
            ("2021-07-17", "2023-01-01"),
            "17 July 2021 to 31 December 2022",
        ),
        (
            "The bridge will stay closed until the third quarter of 2022.",
            ("2021-07-17", "2022-10-01"),
            "17 July 2021 to 30 September 2022",
        ),
    ],
)
def test_a_stretch_until_a_later_date_runs_from_publication(
    text: str, interval: tuple[str, str], shown: str
) -> None:
    (entry,) = entries_of(text)
    assert (entry.start, entry.end, entry.display_date) == (*interval, shown)


def test_a_date_after_until_in_the_past_keeps_its_own_interval() -> None:
    (entry,) = entries_of("The plant ran at a loss through 2019.")
    assert (entry.start, entry.end, entry.display_date) == ("2019-01-01", "2020-01-01", "2019")


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        # "the next year" after a preposition of length is the year from now, not 2022
        ("The plant will be closed over the next year or so.", ("2021-07-17", "2022-07-17")),
        ("The company will cut 300 jobs within the next two years.", ("2021-07-17", "2023-07-17")),
        # "past" ends a length of time at publication whatever the tense
        ("Prices of grain rose over the past year.", ("2020-07-17", "2021-07-18")),
        ("Exports fell sharply in the last two months.", ("2021-05-17", "2021-07-18")),
    ],
)
def test_a_rolling_length_of_time_starts_or_ends_at_publication(
    text: str, interval: tuple[str, str]
) -> None:
    (entry,) = entries_of(text)
    assert (entry.start, entry.end) == interval


@pytest.mark.parametrize(
    "text",
    [
        "The plant will close next year.",  # the calendar year, no length of time
        "He was elected in 2014 and resigned in the next year.",  # the story's next year
    ],
)
def test_the_next_year_without_a_length_is_a_calendar_year(text: str) -> None:
    years = [e for e in entries_of(text) if "year" in e.mention.text]
    assert years and all(e.start.endswith("-01-01") for e in years)
    assert all(e.end.endswith("-01-01") for e in years)


@pytest.mark.parametrize(
    ("text", "interval", "shown"),
    [
        ("The plant has been closed since 2019.", ("2019-01-01", "2021-07-18"), "2019 to 2021"),
        ("Prices have doubled since March.", ("2021-03-01", "2021-07-18"), "March to July 2021"),
    ],
)
def test_a_date_right_after_since_starts_a_stretch_up_to_now(
    text: str, interval: tuple[str, str], shown: str
) -> None:
    (entry,) = entries_of(text)
    assert (entry.start, entry.end, entry.display_date) == (*interval, shown)


def test_a_date_that_names_a_noun_after_since_keeps_its_day() -> None:
    # "since his June 2 arrest": the arrest is dated June 2, not the stretch since
    entries = by_words(entries_of("He has been held since his June 2 arrest in Kabul."))
    assert (entries["June 2"].start, entries["June 2"].end) == ("2021-06-02", "2021-06-03")


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        # the tagger dates "in the past year" as the calendar year before, as TimeBank does
        ("Prices of grain rose in the past year.", ("2020-07-17", "2021-07-18")),
        # a quarter is a reporting period: the last one that is over
        ("Sales of the unit fell in the past quarter.", ("2021-04-01", "2021-07-01")),
        ("Prices of grain rose last year.", ("2020-01-01", "2021-01-01")),
    ],
)
def test_the_past_year_after_a_preposition_runs_up_to_now(
    text: str, interval: tuple[str, str]
) -> None:
    (entry,) = entries_of(text)
    assert (entry.start, entry.end) == interval


def test_one_event_dated_twice_in_a_sentence_is_one_entry() -> None:
    text = (
        "Earlier Friday, the union celebrated the anniversary of the strike on Friday with "
        "marches calling for higher pay."
    )
    entries = entries_of(text)
    assert [e.mention.value for e in entries] == ["2021-07-16"]


def test_the_same_verb_on_the_same_day_of_two_named_places_is_two_entries() -> None:
    text = "Paris shares closed higher Friday. Madrid prices closed lower Friday."
    entries = entries_of(text)
    assert [e.anchor.trigger.text for e in entries if e.anchor.trigger] == ["closed", "closed"]


def test_the_same_verb_on_the_same_day_without_another_name_is_one_entry() -> None:
    text = "Paris shares closed higher Friday. The shares closed at a record Friday."
    assert len(entries_of(text)) == 1


def test_an_event_told_again_in_other_words_is_one_entry() -> None:
    text = (
        "The factory built cars at a record pace in June, the company said. "
        "Its chairman said the factory made 9,000 cars last month."
    )
    assert [e.mention.text for e in entries_of(text)] == ["June"]


@pytest.mark.parametrize(
    "text",
    [
        "The army shelled the town in June. The army left the valley last month.",
        "The army shelled the town in June. The rebels fled the town last month.",
    ],
)
def test_other_events_of_one_period_stay_entries(text: str) -> None:
    assert len(entries_of(text)) == 2


def test_a_state_over_a_stretch_stays_beside_an_event_of_its_kind_within_it() -> None:
    text = (
        "The economy created jobs at a robust pace in May. After a revision, the economy has"
        " been creating jobs at a rate of 300,000 a month for the last four months."
    )
    assert sorted(e.mention.text for e in entries_of(text)) == ["May", "the last four months"]


def test_an_event_dated_again_within_a_shorter_stretch_keeps_the_finer_date() -> None:
    text = (
        "The boy, whose rescue two months ago moved the town, is well. "
        "Fishermen rescued him on 3 May off the coast."
    )
    assert [e.mention.text for e in entries_of(text)] == ["3 May"]


@pytest.mark.parametrize(
    "text",
    [
        # a figure of a year and one of a quarter in it are two figures
        "Sales rose 5% in 2020. Sales rose 2% in the third quarter of 2020.",
        # the same verb of someone or somewhere else
        "Paris traders bought bonds in May. Madrid banks bought bonds on 3 May.",
        # a verb of expecting names no one event
        "Retailers expect record sales before Christmas. Over the next decade, online sales"
        " are expected to overtake store sales.",
    ],
)
def test_other_events_within_a_longer_stretch_stay_entries(text: str) -> None:
    assert len(entries_of(text)) == 2


def _retold_examples() -> list[tuple[str, str]]:
    """The pairs of sentences of ``retold.tsv``'s examples."""
    path = Path(__file__).resolve().parents[2] / "timeline" / "events" / "retold.tsv"
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        first, second = line.split("\t")[2].split(" | ")
        pairs.append((first, second))
    return pairs


@pytest.mark.parametrize(("told", "referred"), _retold_examples())
def test_an_event_referred_back_to_by_a_dated_noun_is_one_entry(told: str, referred: str) -> None:
    """Each example of ``retold.tsv``: the event told, then a noun its date describes that
    refers back to it ("its second-quarter slump"); the second makes no entry of its own."""
    published = date(2021, 7, 15)
    alone = entries_of(referred, published)
    assert alone, referred  # the reference back alone is an entry
    both = entries_of(f"{told} {referred}", published)
    assert [e.anchor.sentence.text for e in both] == [told]


@pytest.mark.parametrize(
    "text",
    [
        # a different family: two events
        "Exports climbed 8% in March. Lawmakers criticised the March strike.",
        # a different time: two events
        "Sales declined 12% in March. The firm blamed its May slump on the heat.",
        # the date is the event's own, not a description of a noun
        "Sales declined 12% in March. The slump lasted until March.",
    ],
)
def test_events_of_other_words_or_times_stay_apart(text: str) -> None:
    sentences = {e.anchor.sentence.text for e in entries_of(text, date(2021, 7, 15))}
    assert len(sentences) == 2


def test_an_event_dated_coarsely_by_a_noun_gives_way_to_its_finer_date() -> None:
    """ "the bombing of the embassies last month" is the bombings dated June 7 in another
    sentence, whatever names the clauses around the two hold."""
    text = (
        "Bombings at the embassies in Lima and Quito on June 7 killed 20 people. "
        "Ecuador expelled two Peruvians questioned by the police about the bombing of the "
        "embassies last month."
    )
    dates = [e.mention.text for e in entries_of(text, date(2021, 7, 15))]
    assert "June 7" in dates and "last month" not in dates


def test_a_when_clause_dates_its_event_where_the_dates_own_verb_is_another_dates() -> None:
    """The main verb is dated by the nearer quarter; the half-year dates the event of the
    clause that "when" opens after it, an entry with that clause as its headline."""
    text = (
        "Analysts expect the slump to continue into the fourth quarter and through the first "
        "half of next year, when the industry will feel the cuts."
    )
    entries = entries_of(text)
    assert [e.anchor.trigger.text for e in entries if e.anchor.trigger] == ["continue", "feel"]
    assert entries[1].headline == "The industry will feel the cuts"


def test_a_when_clause_after_a_date_with_a_verb_of_its_own_is_no_second_entry() -> None:
    """ "in April next year when the alliance celebrates": most often one moment told
    twice; the date's own event is the entry."""
    text = (
        "Three states are scheduled to become members of the alliance in April next year "
        "when the alliance celebrates its anniversary."
    )
    assert [e.anchor.trigger.text for e in entries_of(text) if e.anchor.trigger] == ["become"]


def test_a_date_without_a_when_clause_dates_one_event() -> None:
    text = "Three states are scheduled to become members of the alliance in April next year."
    assert len([e for e in entries_of(text) if e.kind == "event"]) == 1


def test_a_word_dated_from_across_a_dash_keeps_the_date_of_its_own_phrase() -> None:
    """Two references date one word; the one across a dash is another phrase's, however
    near it is."""
    text = (
        "Exports grew 300 tonnes a month over the last three months _ after averaging 200 "
        "tonnes a month for the first nine months of 2020."
    )
    entries = entries_of(text)
    averaging = [e for e in entries if e.anchor.trigger and e.anchor.trigger.text == "averaging"]
    assert [(e.start, e.end) for e in averaging] == [("2020-01-01", "2020-10-01")]


def test_a_when_clause_between_a_date_and_its_main_verb_is_an_event_of_the_date_too() -> None:
    text = (
        "On Friday, when Albright set aside her vacation plans, the State Department lifted "
        "a warning against travel to Kenya."
    )
    entries = entries_of(text)
    triggers = sorted(e.anchor.trigger.text for e in entries if e.anchor.trigger)
    assert triggers == ["lifted", "set"]
    assert {e.start for e in entries} == {"2021-07-16"}


def test_two_figures_of_one_quarter_are_not_one_event_told_again() -> None:
    """The words of the time reference ("quarter") are no subject, and amounts ("million")
    no object two events share."""
    text = (
        "In the latest quarter, Norvex had a $23 million loss on its car line. "
        "Third-quarter results included capital gains of $48 million."
    )
    entries = entries_of(text, date(2021, 10, 28))
    assert len(entries) == 2
    assert {(e.start, e.end) for e in entries} == {("2021-07-01", "2021-10-01")}


def test_an_event_told_again_by_a_word_of_its_family_keeps_the_finer_date() -> None:
    """ "will leave at 4 a.m. Thursday" and "would be traveling Thursday" are one trip."""
    text = (
        "The father will leave for Paris at 4 a.m. Thursday, the minister said. "
        "The lawyer said the father would be traveling to Paris Thursday with his wife."
    )
    entries = [e for e in entries_of(text) if e.kind == "event"]
    assert [e.anchor.trigger.text for e in entries if e.anchor.trigger] == ["leave"]


def test_other_words_on_the_same_day_stay_apart() -> None:
    text = (
        "The father will leave for Paris at 4 a.m. Thursday, the minister said. "
        "The lawyer said the court would rule on the case Thursday."
    )
    assert len([e for e in entries_of(text) if e.kind == "event"]) == 2


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        # a word that may be a noun after a name, with a verb after it: the verb
        ("The city fell on Monday and in 1968, when Russian troops swept through it.", "swept"),
        # a word that may be a verb after a name, with no verb after it
        ("On Friday, when Albright set aside her plans, the department lifted a warning.", "set"),
    ],
)
def test_the_event_of_a_when_clause_is_its_verb(text: str, trigger: str) -> None:
    triggers = [e.anchor.trigger.text for e in entries_of(text) if e.anchor.trigger]
    assert trigger in triggers


def test_a_when_clause_of_be_is_no_event() -> None:
    text = "Her father fled to Miami in 1962, when she was four."
    assert [e.anchor.trigger.text for e in entries_of(text) if e.anchor.trigger] == ["fled"]


def test_a_when_clause_after_since_dates_the_day_not_the_stretch() -> None:
    text = "The shares have fallen sharply this week and since August, when they traded at $20."
    (traded,) = [
        e for e in entries_of(text) if e.anchor.trigger and e.anchor.trigger.text == "traded"
    ]
    assert (traded.start, traded.end) == ("2020-08-01", "2020-09-01")


def test_a_stretch_of_many_events_keeps_its_entry_beside_one_of_its_family() -> None:
    text = (
        "Police have linked the group to 14 attacks since 2015. "
        "A car bomb exploded outside the ministry on March 3, 2018."
    )
    assert len(entries_of(text)) == 2


def test_a_date_that_ends_a_stretch_leaves_the_trigger_to_the_date_beside_it() -> None:
    text = "Countries must act now instead of waiting until 2025 as agreed in Paris in 2015."
    assert "2015" in {e.mention.text for e in entries_of(text)}
