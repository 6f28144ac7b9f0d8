"""One entry per event across articles: similarity, agreement and conflicts."""

from __future__ import annotations

from datetime import date

from timeline import tag
from timeline.events.entries import build_entries
from timeline.events.merge import (
    Report,
    best_group,
    merge,
    same_event,
    similarity,
)


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


def test_an_entry_is_known_by_its_groups_first_report() -> None:
    entries = merge([LATER_DATE, CLASH, SAME, OTHER])
    (clash,) = [e for e in entries if CLASH in e.reports]
    assert clash.main.id != LATER_DATE.id and clash.id == LATER_DATE.id
    (alone,) = [e for e in entries if e.main is OTHER]
    assert alone.id == OTHER.id
