"""The events an article dates are stored with it, go with it, and are filled in for the
articles stored before events were kept."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, func, select, update

from timeline.events.entries import rank
from timeline.events.merge import lead, merge
from timeline.store import db
from timeline.store.articles import add_missing_events, reanchor
from timeline.store.models import Event, EventWord
from timeline.store.reports import REPORT_ROWS, report
from timeline.store.timelines import elect, group_ungrouped

from .test_articles import post
from .test_timelines import CLASH, CONTRARY, MARKETS, TALKS


def stored_events(app: Flask, article_id: int) -> list[Event]:
    with app.app_context():
        rows = db.session().scalars(
            select(Event).where(Event.article_id == article_id).order_by(Event.position)
        )
        return list(rows)


def test_posting_an_article_stores_its_timeline(app: Flask, seed_article: dict[str, Any]) -> None:
    events = stored_events(app, seed_article["id"])
    assert [e.position for e in events] == list(range(len(events)))
    assert [e.interval_start for e in events] == sorted(e.interval_start for e in events)
    stationed = [e for e in events if e.trigger == "stationed"]
    assert len(stationed) == 1
    assert (stationed[0].interval_start, stationed[0].interval_end) == ("2001-09-11", "2021-07-18")
    assert stationed[0].display_date == "about 2001 to 2021"
    text = seed_article["text"]
    for e in events:
        assert text[e.sentence_start : e.sentence_end].strip() == e.text
        if e.trigger is not None:
            assert text[e.trigger_start : e.trigger_end] == e.trigger


def test_deleting_an_article_deletes_its_events(
    app: Flask, client: FlaskClient, seed_article: dict[str, Any]
) -> None:
    assert stored_events(app, seed_article["id"])
    assert client.delete(f"/v1/articles/{seed_article['id']}").status_code == 204
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Event)) == 0


def test_articles_stored_without_events_get_them(app: Flask, seed_article: dict[str, Any]) -> None:
    before = [(e.interval_start, e.headline) for e in stored_events(app, seed_article["id"])]
    with app.app_context():
        session = db.session()
        session.execute(delete(Event))
        session.commit()
        assert add_missing_events(session) == 1
        assert add_missing_events(session) == 0  # an article with events is left alone
    after = [(e.interval_start, e.headline) for e in stored_events(app, seed_article["id"])]
    assert after == before


def groups_of(app: Flask) -> list[set[int]]:
    """The stored groups, each as the set of its events' ids."""
    with app.app_context():
        found: dict[int, set[int]] = {}
        for event in db.session().scalars(select(Event)):
            assert event.group_id is not None
            found.setdefault(event.group_id, set()).add(event.id)
        return sorted(found.values(), key=min)


def generated(seed: int, count: int) -> list[dict[str, str]]:
    """Articles that report a few events again and again, in other words, with other
    relative dates, sometimes with another date, beside sentences with common words."""
    rng = random.Random(seed)
    people = ["Varo", "Kelt", "Amsi", "Dorn"]
    deeds = ["clashed with", "fought", "met", "held talks with", "signed a deal with"]
    places = ["Herat", "Lima", "Riga", "the capital"]
    articles = []
    for number in range(count):
        published = date(2021, 7, 10) + timedelta(days=rng.randrange(10))
        sentences = []
        for _ in range(3):
            day = published - timedelta(days=rng.randrange(1, 9))
            when = rng.choice([f"on {day:%A}", f"on {day:%B} {day.day}", "last week", "yesterday"])
            sentences.append(
                f"{rng.choice(people)} rebels {rng.choice(deeds)} the army in "
                f"{rng.choice(places)} {when}."
            )
        sentences.append(f"Prices rose in {rng.choice(places)} in {rng.choice(['May', 'June'])}.")
        articles.append(
            {
                "title": f"Generated {seed} {number}",
                "text": " ".join(sentences),
                "published_at": published.isoformat(),
                "source": rng.choice(["A", "B"]),
            }
        )
    return articles


@pytest.mark.parametrize(
    "articles",
    [
        [CLASH[0], TALKS, CLASH[1], CONTRARY, MARKETS, CLASH[2]],
        generated(1, 25),
        generated(2, 25),
    ],
    ids=["written", "generated-1", "generated-2"],
)
def test_grouping_as_articles_arrive_is_merging_them_in_that_order(
    app: Flask, client: FlaskClient, articles: list[dict[str, str]]
) -> None:
    for article in articles:
        post(client, article)
    with app.app_context():
        rows = db.session().execute(REPORT_ROWS.order_by(Event.article_id, Event.position))
        in_memory = merge([report(*row) for row in rows])
        leads = set(db.session().scalars(select(Event.id).where(Event.lead.is_(True))))
    assert groups_of(app) == sorted(({r.id for r in e.reports} for e in in_memory), key=min)
    assert leads == {e.main.id for e in in_memory}
    assert max(len(e.reports) for e in in_memory) >= 4  # reported again and again
    assert any(e.conflicting for e in in_memory) or articles[0] is not CLASH[0]


def test_events_stored_before_grouping_are_grouped_on_upgrade(
    app: Flask, client: FlaskClient
) -> None:
    for article in [*CLASH, TALKS]:
        post(client, article)
    grouped = groups_of(app)
    with app.app_context():
        session = db.session()
        session.execute(delete(EventWord))
        session.execute(update(Event).values(group_id=None, lead=False, words=""))
        session.commit()
        assert group_ungrouped(session) == sum(len(g) for g in grouped)
        assert group_ungrouped(session) == 0
        assert (session.scalar(select(func.count()).select_from(EventWord)) or 0) > 0
    assert groups_of(app) == grouped


def test_reanchoring_rebuilds_every_articles_events_and_their_groups(
    app: Flask, client: FlaskClient
) -> None:
    for article in [*CLASH, TALKS]:
        post(client, article)
    grouped = groups_of(app)
    expected = {e.id: (e.trigger, e.other_triggers, e.headline) for e in all_events(app)}
    with app.app_context():
        session = db.session()  # as anchored by an older version: other words, no others
        session.execute(update(Event).values(trigger="stale", other_triggers="[]"))
        session.commit()
        articles, events = reanchor(session)
    assert (articles, events) == (len(CLASH) + 1, len(expected))
    now = all_events(app)
    assert sorted((e.trigger, e.other_triggers, e.headline) for e in now) == sorted(
        expected.values()
    )
    assert len(groups_of(app)) == len(grouped)  # the same events, grouped the same way
    assert [len(g) for g in groups_of(app)] == [len(g) for g in grouped]
    with app.app_context():
        leads = db.session().scalars(select(Event).where(Event.lead.is_(True))).all()
    assert len(leads) == len(grouped)  # one lead per group, elected anew


def all_events(app: Flask) -> list[Event]:
    with app.app_context():
        return list(db.session().scalars(select(Event).order_by(Event.id)))


def test_a_report_is_compared_with_the_latest_reports_of_each_word(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Grouping reads at most MAX_POSTINGS stored reports per word (COMMON_POSTINGS for a
    word that many use): the latest. A report of an older event still finds it through the
    rarer words they share (its names)."""
    monkeypatch.setattr("timeline.store.timelines.MAX_POSTINGS", 1)
    monkeypatch.setattr("timeline.store.timelines.COMMON_POSTINGS", 1)
    first = post(
        client,
        {"text": "The army clashed with Varo rebels on Friday.", "published_at": "2021-07-17"},
    )
    post(
        client,
        {"text": "The army clashed with Dorn rebels on Friday.", "published_at": "2021-07-17"},
    )
    again = post(
        client,
        {"text": "The army clashed with Varo rebels on July 16.", "published_at": "2021-07-20"},
    )
    varo = [e for e in timeline_of(client) if "Varo" in e["headline"]]
    assert len(varo) == 1
    assert {m["article_id"] for m in varo[0]["mentions"]} == {first["id"], again["id"]}


@pytest.mark.parametrize("common", [1, 2])
def test_a_common_word_is_compared_with_fewer_reports(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch, common: int
) -> None:
    """A word that MAX_POSTINGS stored reports use is common: a new report is compared with
    the latest COMMON_POSTINGS of them. Here every word of the last report is common (two
    reports use it), and the report of its event is the older of the two of each: found
    with COMMON_POSTINGS 2, not with 1."""
    monkeypatch.setattr("timeline.store.timelines.MAX_POSTINGS", 2)
    monkeypatch.setattr("timeline.store.timelines.COMMON_POSTINGS", common)
    day = "2021-07-17"
    first = post(client, {"text": "The army clashed with rebels on Friday.", "published_at": day})
    post(client, {"text": "The army and rebels met for talks on Monday.", "published_at": day})
    post(client, {"text": "Police clashed with protesters on Tuesday.", "published_at": day})
    again = post(
        client, {"text": "The army clashed with rebels on July 16.", "published_at": "2021-07-20"}
    )
    clash = [e for e in timeline_of(client) if first["id"] in _articles(e)]
    assert len(clash) == 1
    assert _articles(clash[0]) == ({first["id"], again["id"]} if common == 2 else {first["id"]})


def _articles(entry: dict[str, Any]) -> set[int]:
    return {m["article_id"] for m in entry["mentions"]}


def timeline_of(client: FlaskClient) -> list[dict[str, Any]]:
    response = client.get("/v1/timeline")
    assert response.status_code == 200
    events: list[dict[str, Any]] = response.get_json()["events"]
    return events


def test_an_article_without_time_references_is_not_anchored_again(
    app: Flask, client: FlaskClient
) -> None:
    post(client, {"text": "The minister spoke to reporters.", "published_at": "2021-07-17"})
    with app.app_context():
        assert add_missing_events(db.session()) == 0


RANGES = {
    "text": "Exports rose in 1998-99. The vote began at 09:30 GMT on Tuesday.",
    "published_at": "2021-07-15",
}


def test_ranges_and_clock_times_stay_one_entry_when_stored_and_reanchored(
    app: Flask, client: FlaskClient
) -> None:
    article = post(client, RANGES)["id"]
    timexes = client.get(f"/v1/articles/{article}/mentions").get_json()["timexes"]
    first, last = (
        next(t for t in timexes if t["text"] == "1998"),
        next(t for t in timexes if t["text"] == "99"),
    )
    assert first["range"] == {"start": "1998-01-01", "end": "2000-01-01", "granularity": "year"}
    assert last["part_of"] == first["start"] and first["part_of"] is None
    expected = [(e.interval_start, e.interval_end) for e in stored_events(app, article)]
    assert expected == [("1998-01-01", "2000-01-01"), ("2021-07-13T09:30Z", "2021-07-13T09:31Z")]
    with app.app_context():
        reanchor(db.session())
    assert [(e.interval_start, e.interval_end) for e in stored_events(app, article)] == expected


@pytest.mark.parametrize("seed", range(6))
def test_a_groups_lead_is_elected_as_merging_elects_it(
    app: Flask, client: FlaskClient, seed: int
) -> None:
    """Many reports of one group, on a few intervals that overlap, nest or repeat, at mixed
    granularities: the lead elected in SQL (from the intervals' supports and each
    interval's first report) is the report :func:`merge.lead` chooses from all of them."""
    rng = random.Random(seed)
    for article in generated(seed, 6):
        post(client, article)
    spans = [
        ("2021-07-16", "2021-07-17"),
        ("2021-07-01", "2021-08-01"),
        ("2021-07-12", "2021-07-19"),
    ]
    spans += [("2021-07-20", "2021-07-21"), ("2021-01-01", "2022-01-01")]
    granularities = ["day", "week", "month", "year"]
    with app.app_context():
        session = db.session()
        ids = session.scalars(select(Event.id).order_by(Event.id)).all()
        assert len(ids) >= 12
        for event_id in ids:
            start, end = rng.choice(spans[: rng.randint(2, len(spans))])
            granularity = rng.choice(granularities)
            session.execute(
                update(Event)
                .where(Event.id == event_id)
                .values(
                    group_id=ids[0],
                    lead=event_id == ids[-1],
                    interval_start=start,
                    interval_end=end,
                    granularity=granularity,
                    granularity_rank=rank(granularity),
                )
            )
        elect(session, [ids[0]])
        session.commit()
        rows = db.session().execute(REPORT_ROWS)
        expected = lead([report(*row) for row in rows]).id
        leads = db.session().scalars(select(Event.id).where(Event.lead.is_(True))).all()
    assert leads == [expected]
