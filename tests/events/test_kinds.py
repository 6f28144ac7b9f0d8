"""What becomes a timeline entry, and of which kind (invented sentences, one reference date)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from timeline import tag
from timeline.events.anchoring import anchor_events
from timeline.events.entries import Entry, build_entries
from timeline.events.kinds import KINDS, VISIBLE_KINDS, entry_words, kind_of, why_not_entry
from timeline.events.words import Span
from timeline.tagger.rulefiles import read_table

PUBLISHED = date(2021, 7, 15)  # a Thursday


def entries_of(text: str, *, dated: bool = True) -> list[Entry]:
    return build_entries(text, PUBLISHED, tag(text, PUBLISHED.isoformat()), dated=dated)


def reasons(text: str) -> dict[str, str | None]:
    """Each time reference's words, with why it makes no entry (``None``: it makes one)."""
    mentions = tag(text, PUBLISHED.isoformat())
    return {a.mention.text: why_not_entry(text, a, mentions) for a in anchor_events(text, mentions)}


@pytest.mark.parametrize(
    ("text", "words", "reason"),
    [
        ("The harvest came a week later than usual.", "a week later", "comparison"),
        ("Travel by rail is quicker than it is today.", "today", "comparison"),
        ("The crossing now takes months.", "now", "measure"),
        ("Bond yields fell to their lowest level in 30 years.", "30 years", "superlative"),
        ("Unemployment rose to its highest level since 1945.", "1945", "superlative"),
        ("It was the third strike in the past two years.", "the past two years", "superlative"),
        ("It was the first strike at the port since 2019.", "2019", "superlative"),
        ("Current prices are high, the minister said.", "Current", "adjective"),
        ("The Taliban now control half of the districts.", "now", "present"),
        ("Now, the company says it will sell the plant.", "Now", "present"),
        ("Recently, the company says, sales have grown.", "Recently", "sentence_adverb"),
        ("KABUL, July 14 (Reuters) --\nThe army clashed with fighters.", "July 14", "dateline"),
        (
            "Net income was $5 million, compared with $4 million a year earlier.",
            "a year earlier",
            "baseline",
        ),
        ("Turnover was 90 million shares, up from 61 million Tuesday.", "Tuesday", "baseline"),
        (
            "Sales this year have grown faster than in comparable months of 2019.",
            "2019",
            "baseline",
        ),
        (
            "The index closed at 2,000, down 3% from the previous Friday.",
            "the previous Friday",
            "baseline",
        ),
        ("Today is a sad day for the farmers, the union said.", "Today", "described"),
        ("Holders may buy 13.5% bonds due 1993 at par.", "1993", "label"),
        ("Traders sold their shares ahead of the weekend.", "the weekend", "limit"),
        ("Profit was below the 2019 level, the bank said.", "2019", "baseline"),
        ("Meat prices were up sharply from last year.", "last year", "baseline"),
        ("Brokers had forecast second-quarter sales of $4 million.", "second-quarter", "forecast"),
        ("Year-end profit was lower, the bank said.", "Year-end", "adjective"),
        ("The approach of the year 2030 has alarmed the planners.", "the year 2030", "limit"),
        ("Prices rose in the run-up to Christmas Day.", "Christmas Day", "limit"),
        ("The yield on the 30-year bond fell.", "30-year", "adjective"),
        ("The year-earlier results were restated.", "year-earlier", "adjective"),
        ("The agency ruled that the boy should go home by Jan. 14.", "Jan. 14", "limit"),
        ("Her pledge to halve the deficit by 2030 was dropped.", "2030", "limit"),
        ("The rebels vowed to leave the valley by Friday.", "Friday", "limit"),
        ("Mail ballots cannot be counted before Election Day.", "Election Day", "limit"),
        (
            "The draft called on countries to phase out coal and strengthen their targets by"
            " the end of next year.",
            "the end of next year",
            "limit",
        ),
        ("The firms had hoped to close the deal before Christmas.", "Christmas", "limit"),
        (
            "Profit fell 8% to $33 million, or 35 cents a share, from $36 million, or 39 cents"
            " a share in the year-ago quarter.",
            "the year-ago quarter",
            "baseline",
        ),
        ("The fair, usually held in mid-October, was called off.", "mid-October", "habitual"),
        ("The budget is normally presented in March.", "March", "habitual"),
        (
            "Ships would be diverted if the strike lasted beyond mid-March.",
            "mid-March",
            "hypothetical",
        ),
        ("Unless the rebels withdraw on Friday, the army will attack.", "Friday", "hypothetical"),
    ],
)
def test_references_that_date_no_event_make_no_entry(text: str, words: str, reason: str) -> None:
    assert reasons(text)[words] == reason
    assert all(e.mention.text != words for e in entries_of(text))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The army clashed with fighters on Friday.", "Friday"),
        ("Prices rose in 2019, the ministry said.", "2019"),
        ("The talks will resume later than planned, on Tuesday.", "Tuesday"),
        ("The election in 1998 was won by the opposition.", "1998"),
        ("Profit fell to $5 million from $9 million a year ago, when demand boomed.", "a year ago"),
        ("Monday's storm was the worst in years.", "Monday"),
        ("The firm built its first plant in March 2015.", "March 2015"),
        ("The envoys left the city by Aug. 10.", "Aug. 10"),
        ("The envoys left the city and reached the coast by Aug. 10.", "Aug. 10"),
        ("The envoys left the city before Aug. 10.", "Aug. 10"),
        ("Brokers forecast on Monday that sales would fall.", "Monday"),
        ("Networks projected on Tuesday that the mayor had won.", "Tuesday"),
        ("The army sent its troops to the border by Friday.", "Friday"),
        ("The rebels had left the valley by Friday, the envoy said.", "Friday"),
        ("The fair, held in mid-October, usually draws crowds.", "mid-October"),
        ("It was not known if the arrest announced on Friday was linked.", "Friday"),
        ("They will appeal if they lose when the case is heard in May.", "May"),
        ("If approved at a meeting on Dec. 5, the merger will close.", "Dec. 5"),
        ("Madrid came from behind to beat Cadiz 2-1 on Saturday night.", "Saturday night"),
        ("Rescuers freed a girl on Friday, more than 100 hours after the quake.", "Friday"),
    ],
)
def test_dated_events_stay_entries(text: str, words: str) -> None:
    assert reasons(text)[words] is None
    assert any(e.mention.text == words for e in entries_of(text))


@pytest.mark.parametrize(
    ("text", "words", "kind"),
    [
        ("A spokesman said on Monday that the talks had failed.", "Monday", "reporting"),
        ("The ministry announced on Tuesday a new tax.", "Tuesday", "reporting"),
        ("The minister on Tuesday resigned.", "Tuesday", "event"),
        ("The index added 12 points on Friday.", "Friday", "event"),
        ("Countries reported another 30,000 cases in April.", "April", "event"),
        ("Romania declared a measles epidemic in December.", "December", "event"),
        ("The president declared martial law on Thursday.", "Thursday", "event"),
        ("The rebels proclaimed independence in 1991.", "1991", "event"),
        ("The minister declared on Thursday that the war was over.", "Thursday", "reporting"),
        ("The minister declared on Monday that the war was over.", "Monday", "reporting"),
        ("On Friday the carmakers added to the gloom of the market.", "Friday", "event"),
        ("On Friday the minister added that taxes would rise.", "Friday", "reporting"),
        ("The bank said third-quarter profit fell 8%.", "third-quarter", "event"),
        ("The bank said Friday that profit fell 8%.", "Friday", "reporting"),
        ("The rebels attacked the town on Monday.", "Monday", "event"),
        ("He was chairman of the board in 1995.", "1995", "state"),
        (
            "In recent weeks, the rebels have occupied two border crossings.",
            "recent weeks",
            "background",
        ),
        ("The company recently sold its trucking unit.", "recently", "background"),
        ("A spokesman recently said the plant would close.", "recently", "reporting"),
        ("The army has fought the rebels for weeks.", "weeks", "background"),
        ("The army has fought the rebels for three weeks.", "three weeks", "state"),
        (
            "Foreign troops have been stationed there for nearly 20 years.",
            "nearly 20 years",
            "state",
        ),
    ],
)
def test_each_entry_has_a_kind(text: str, words: str, kind: str) -> None:
    found = {e.mention.text: e for e in entries_of(text)}
    assert found[words].kind == kind
    assert kind in KINDS
    assert (kind in VISIBLE_KINDS) == (kind not in {"reporting", "background"})


def test_two_mentions_of_one_event_make_one_entry() -> None:
    text = "The court on Monday ruled against the union. Monday's ruling was welcomed by the firm."
    entries = entries_of(text)
    monday = [e for e in entries if e.mention.text == "Monday"]
    assert len(monday) == 1
    assert monday[0].anchor.trigger is not None and monday[0].anchor.trigger.text == "ruled"


def test_a_word_dated_twice_keeps_the_nearer_date() -> None:
    text = "The agency made a downward revision Friday to December's figures."
    mentions = tag(text, PUBLISHED.isoformat())
    anchors = anchor_events(text, mentions)
    triggers = [a.trigger for a in anchors if a.trigger is not None]
    assert len(triggers) == 2 and triggers[0] == triggers[1]  # both date one word
    entries = entries_of(text)
    assert [e.mention.text for e in entries] == ["Friday"]


def test_an_article_without_a_publication_date_gives_uncertain_entries() -> None:
    text = "The army clashed with fighters on Friday. The election was held on 3 May 2019."
    assert not all(e.uncertain for e in entries_of(text))
    undated = entries_of(text, dated=False)
    assert undated and all(e.uncertain for e in undated)


def test_the_word_classes_are_lower_case_and_known() -> None:
    classes = entry_words()
    for name in (
        "reporting",
        "state",
        "measure",
        "length",
        "comparison",
        "comparative",
        "superlative",
        "superlative_link",
        "adjective",
        "habitual",
        "conditional",
        "modal",
    ):
        assert classes[name], name
        assert all(w == w.lower() for w in classes[name])


def test_a_date_in_a_long_line_of_capitals_is_no_dateline() -> None:
    """A dateline is a short line; a date in a long run of capitalised words is read as any
    other (and finding the line reads a bounded stretch of the text, whatever its length)."""
    text = "UN " * 60 + "Talks Ended On July 14 " + "UN " * 60
    assert reasons(text).get("July 14") != "dateline"
    assert reasons("KABUL, July 14 (Reuters) --\nTalks ended.")["July 14"] == "dateline"


@pytest.mark.parametrize(
    ("text", "words", "kind"),
    [
        ("The steel unit said third-quarter profit fell 8%.", "third-quarter", "event"),
        ("The steel unit said that fourth-quarter sales rose.", "fourth-quarter", "event"),
        ("The steel unit said Friday that profit fell 8%.", "Friday", "reporting"),
    ],
)
def test_a_date_inside_what_is_reported_is_no_reporting_date(
    text: str, words: str, kind: str
) -> None:
    """Dated by "said" (as the link model may choose), a compound that describes the
    report's first noun dates what is reported, not the saying."""
    mentions = tag(text, PUBLISHED.isoformat())
    start = text.index("said")
    said = Span(start, start + 4, "said")
    for anchor in anchor_events(text, mentions):
        if anchor.mention.text == words:
            assert kind_of(text, replace(anchor, trigger=said)) == kind
            break
    else:
        raise AssertionError(words)


@pytest.mark.parametrize(
    ("text", "words", "trigger"),
    [
        ("Sales have risen over comparable months in 2019, when demand was weak.", "2019", "was"),
        (
            "Profit fell to $5 million from $9 million a year ago, when demand boomed.",
            "a year ago",
            "boomed",
        ),
        ("Net rose 5% from 2019, when the firm had closed two plants.", "2019", "closed"),
    ],
)
def test_a_baseline_that_when_describes_dates_the_when_clause(
    text: str, words: str, trigger: str
) -> None:
    found = {e.mention.text: e for e in entries_of(text)}
    dated = found[words].anchor.trigger
    assert dated is not None and dated.text == trigger
    assert trigger in found[words].headline


def test_a_superlatives_when_clause_dates_its_own_event() -> None:
    """ "Since 2019, when ..." measures the superlative and dates what the clause tells."""
    text = (
        "It was the first strike at the port since 2019, when a stoppage cost the city $3 million."
    )
    (entry,) = [e for e in entries_of(text) if e.mention.text == "2019"]
    assert entry.anchor.trigger is not None
    assert entry.anchor.trigger.text == "cost"
    assert (entry.start, entry.end) == ("2019-01-01", "2020-01-01")


def _examples(word_class: str) -> list[str]:
    """The quoted examples of the ``word_class`` row of ``entry_words.tsv``."""
    _, rows = read_table("entry_words.tsv", "timeline.events", "")
    return [
        found
        for row in rows
        if row["class"] == word_class
        for found in re.findall(r'"([^"]+)"', row["note"])
    ]


@pytest.mark.parametrize("text", _examples("future"))
def test_a_quoted_outlook_for_a_season_or_a_year_is_no_entry(text: str) -> None:
    """Each example of ``future``: quoted words in the future date no entry by a season or a
    year; the same words told as the reporter's own, unquoted, do."""
    assert tag(text, PUBLISHED.isoformat())
    assert entries_of(text) == []
    unquoted = text.replace("``", "").replace("''", "")
    assert entries_of(unquoted)


@pytest.mark.parametrize(
    "text",
    [
        "``He will leave at 4 a.m. Thursday,'' the minister said.",  # a plan's day and time
        "``Sales will fall in the fourth quarter,'' the company said.",  # a company's guidance
        "``We had a flat year last year,'' he said.",  # the past
    ],
)
def test_quoted_plans_guidance_and_the_past_stay_entries(text: str) -> None:
    assert [e for e in entries_of(text) if e.kind in VISIBLE_KINDS]


@pytest.mark.parametrize("text", _examples("aspectual"))
def test_a_verb_that_starts_or_ends_an_event_noun_is_the_trigger(text: str) -> None:
    """Each example of ``aspectual``: the verb, not its object the event noun, is the
    event its sentence's date dates."""
    (entry,) = entries_of(text)
    assert entry.anchor.trigger is not None
    verb = text.split()[text.split().index(entry.anchor.trigger.text)]
    assert verb in ("started", "launched", "ended")


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        # another verb stands between: the noun's own
        ("Farmers started to plan a series of protests in 2019.", "plan"),
        # no verb that starts or ends it: the noun stays
        ("Farmers joined a series of protests in 2019.", "joined"),
    ],
)
def test_a_noun_trigger_without_a_verb_that_starts_it_stays(text: str, trigger: str) -> None:
    (entry,) = entries_of(text)
    assert entry.anchor.trigger is not None
    assert entry.anchor.trigger.text in (trigger, "protests")


@pytest.mark.parametrize("text", _examples("since_perfect"))
def test_a_perfect_since_a_dated_clause_is_a_state_from_that_date_to_now(text: str) -> None:
    """Each example of ``since_perfect``: besides the event of the "since" clause, the
    perfect's verb is a state from the start of the clause's date up to publication."""
    mentions = tag(text, PUBLISHED.isoformat())
    (mention,) = mentions
    states = [e for e in entries_of(text) if e.kind == "state"]
    assert len(states) == 1
    (state,) = states
    assert mention.interval is not None and mention.interval.start is not None
    assert state.start <= mention.interval.start[:10] < state.end == "2021-07-16"
    assert state.anchor.trigger is not None
    trigger = state.anchor.trigger.text
    assert text.index(trigger) < text.index(" since ")
    assert state.headline.startswith(text.split()[0])


@pytest.mark.parametrize(
    "text",
    [
        "Since the company lost money in 2019, it cut jobs.",  # "since": because, no perfect
        "The firm cut jobs since the company lost money in 2019.",  # no perfect
    ],
)
def test_since_without_a_perfect_before_it_starts_no_state(text: str) -> None:
    assert not [e for e in entries_of(text) if e.kind == "state"]


def test_a_date_right_after_since_is_one_stretch() -> None:
    (entry,) = entries_of("The plant has been closed since 2019.")
    assert (entry.start, entry.end) == ("2019-01-01", "2021-07-16")


@pytest.mark.parametrize("text", _examples("subject_pronoun"))
def test_an_event_of_a_relative_clause_dated_by_a_decade_is_background(text: str) -> None:
    """Each example of ``subject_pronoun``: the event of the relative clause is dated only
    by a decade, said in passing of its noun: background, hidden by default."""
    (entry,) = entries_of(text)
    assert entry.kind == "background"


@pytest.mark.parametrize(
    "text",
    [
        "The plan aroused anger in the 1980s.",  # the main clause's event
        "Little of the anger that the plan aroused in 1985 remains.",  # a year dates it
        "Officials said that the plan aroused anger in the 1980s.",  # "that" after a verb
    ],
)
def test_other_events_dated_by_a_decade_stay_on_the_timeline(text: str) -> None:
    assert [e.kind for e in entries_of(text)] in (["event"], ["state"])
