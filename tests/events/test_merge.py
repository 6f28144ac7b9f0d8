"""One entry per event across articles: similarity, agreement and conflicts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from timeline import tag
from timeline.events.entries import build_entries
from timeline.events.merge import (
    TRIGGER_BONUS,
    Report,
    best_group,
    common_verbs,
    merge,
    participants,
    same_event,
    shifted,
    similarity,
)
from timeline.tagger.rulefiles import read_table


def report(article_id: int, published: str, text: str) -> Report:
    day = date.fromisoformat(published)
    (entry,) = build_entries(text, day, tag(text, published))
    return Report.of_entry(entry, article_id, article_id, f"source {article_id}")


CLASH = report(1, "2021-07-17", "The Afghan army clashed with Taliban fighters on Friday.")
SAME = report(2, "2021-07-19", "Afghan forces clashed with the Taliban on July 16.")
LATER_DATE = report(3, "2021-07-20", "The Afghan army clashed with Taliban fighters on July 9.")
OTHER = report(4, "2021-07-17", "Pakistan closed its border crossing at Chaman on Friday.")


def test_reports_in_other_words_are_alike() -> None:
    assert similarity(CLASH, SAME) >= 0.3
    assert similarity(CLASH, OTHER) < 0.1
    assert same_event(CLASH, SAME)
    assert not same_event(CLASH, OTHER)


def test_a_conflict_needs_a_close_likeness() -> None:
    assert same_event(CLASH, LATER_DATE)  # the same words, another date
    reworded = report(5, "2021-07-20", "Fighting with the Taliban broke out on July 9.")
    assert not same_event(CLASH, reworded)


def test_reports_of_one_article_never_merge() -> None:
    twin = report(1, "2021-07-17", "The Afghan army clashed with Taliban fighters on Friday.")
    assert not same_event(CLASH, twin)
    assert len(merge([CLASH, twin])) == 2


def test_the_date_most_reports_agree_on_leads() -> None:
    (entry,) = merge([LATER_DATE, CLASH, SAME])
    assert entry.main.start == "2021-07-16"
    assert {r.article_id for r in entry.agreeing} | {entry.main.article_id} == {1, 2}
    assert [r.article_id for r in entry.conflicting] == [3]


def test_merged_entries_are_in_timeline_order() -> None:
    older = report(6, "2021-07-17", "The envoys met in Doha on July 2.")
    entries = merge([CLASH, OTHER, older, SAME])
    starts = [e.main.start for e in entries]
    assert starts == sorted(starts)
    assert len(entries) == 3


def test_a_report_joins_the_group_of_its_most_similar_report() -> None:
    reworded = report(7, "2021-07-18", "Afghan soldiers clashed with the Taliban on Friday.")
    candidates = [(10, OTHER), (20, SAME), (30, CLASH)]
    assert best_group(CLASH, [(10, OTHER)]) is None
    assert best_group(reworded, candidates) in {20, 30}
    assert best_group(SAME, candidates) == 30
    assert best_group(SAME, candidates, taken={30}) is None  # 20 is SAME's own article


def test_a_month_and_its_year_are_one_event_dated_by_the_month() -> None:
    year = report(11, "2019-05-02", "Acme opened the Ohio factory in 2015.")
    month = report(12, "2015-04-02", "Acme opened its factory in Ohio in March 2015.")
    for arrived in ([year, month], [month, year]):
        (entry,) = merge(arrived)
        assert (entry.main.start, entry.main.granularity) == ("2015-03-01", "month")
        assert entry.agreeing and not entry.conflicting


# One kidnapping: two reports date it to 6 March, one published days later, in other words,
# to the 5th.
KIDNAPPING = [
    report(21, "2024-03-07", "Gunmen kidnapped 30 pupils from a school in Kaduna on Wednesday."),
    report(22, "2024-03-08", "Gunmen kidnapped 30 pupils from a Kaduna school on March 6."),
    report(23, "2024-03-12", "Gunmen abducted pupils from a school in Kaduna state on March 5."),
]


def test_a_report_a_day_off_is_a_conflict_of_the_entry() -> None:
    (entry,) = merge(KIDNAPPING)
    assert entry.main.start == "2024-03-06"
    assert [r.start for r in entry.conflicting] == ["2024-03-05"]
    assert entry.id == KIDNAPPING[0].id  # the group's first report


def test_a_date_further_off_needs_words_more_alike() -> None:
    first, _, later = KIDNAPPING
    text = "Gunmen abducted pupils from a school in Kaduna state on March 2."
    earlier = report(24, "2024-03-12", text)
    assert 0.45 <= similarity(first, later) == similarity(first, earlier) < 0.6
    assert same_event(first, later)  # a day apart
    assert not same_event(first, earlier)  # four days apart


def common_verb_examples() -> list[tuple[str, str]]:
    """The pairs of sentences of ``common_verbs.tsv``'s examples."""
    _, rows = read_table("common_verbs.tsv", "timeline.events", "")
    pairs = []
    for row in rows:
        a, b = row["example"].split(" | ")
        pairs.append((a, b))
    return pairs


@pytest.mark.parametrize(("a", "b"), common_verb_examples())
def test_reports_that_share_only_a_common_verb_are_two_events(a: str, b: str) -> None:
    first, second = report(31, "2024-03-06", a), report(32, "2024-03-06", b)
    assert first.trigger and second.trigger
    assert participants(first, second) == frozenset()
    assert not same_event(first, second)
    assert not same_event(replace(first, kind="event"), replace(second, kind="event"))


def test_a_common_verb_earns_no_bonus() -> None:
    assert {"say", "tell", "announce", "admit", "take", "make", "hold", "give"} <= common_verbs()
    took = report(33, "2024-03-06", "Rebels took the airport on Tuesday.")
    seized = report(34, "2024-03-06", "Rebels seized the airport on Tuesday.")
    clashed = report(35, "2024-03-06", "Rebels clashed with the army on Tuesday.")
    again = report(36, "2024-03-07", "Rebels clashed with the police on Tuesday.")
    assert similarity(took, seized) == 2 / 3  # rebel, airport; "take" is not compared
    assert similarity(clashed, again) == pytest.approx(2 / 4 + TRIGGER_BONUS)


def test_a_common_verb_with_a_participant_in_common_is_one_event() -> None:
    took = report(37, "2024-03-11", "Rebels took control of the airport on Sunday.")
    seized = report(38, "2024-03-12", "Rebels seized the airport on Sunday.")
    assert participants(took, seized) == {"rebel", "airport"}
    assert same_event(took, seized)


def test_reports_of_two_kinds_are_two_entries() -> None:
    resignation = report(
        39, "2024-03-06", "The prime minister announced his resignation on Monday."
    )
    announced = report(
        40, "2024-03-08", "The prime minister announced on Monday that he would resign."
    )
    assert (resignation.kind, announced.kind) == ("event", "reporting")
    assert not same_event(resignation, announced)
    assert same_event(resignation, replace(announced, kind="event"))


def test_an_entry_is_known_by_its_groups_first_report() -> None:
    entries = merge([LATER_DATE, CLASH, SAME, OTHER])
    (clash,) = [e for e in entries if CLASH in e.reports]
    assert clash.main.id != LATER_DATE.id and clash.id == LATER_DATE.id
    (alone,) = [e for e in entries if e.main is OTHER]
    assert alone.id == OTHER.id


@pytest.mark.parametrize(
    ("bound", "days", "found"),
    [
        ("2024-03-05", 1, "2024-03-06"),
        ("2024-03-01", -1, "2024-02-29"),
        ("2021-07-16T09:30", 1, "2021-07-17T09:30"),
        ("9999-12-31", 1, "9999-12-31"),  # no later day: as it is
        ("0001-01-01", -1, "0001-01-01"),
    ],
)
def test_a_bound_shifted_by_days(bound: str, days: int, found: str) -> None:
    assert shifted(bound, days) == found
