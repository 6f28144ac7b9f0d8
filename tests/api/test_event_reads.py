"""Entries that many articles report: a report count and bounded samples in the timeline,
and ``GET /v1/events/{id}`` with every report a page at a time."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from timeline.api.schemas import TimelineSchema
from timeline.api.timelines import event_json
from timeline.events.merge import Report, entry
from timeline.store import timelines
from timeline.store.groupreads import SAMPLE

from .problems import assert_problem
from .test_articles import post
from .test_timelines import CLASH, CONTRARY, MARKETS, TALKS, timeline

AGREEING = 2 * SAMPLE  # reports that date the clash as CLASH does
CONTRARY_REPORTS = 2  # reports that date it to July 9


def copy(article: dict[str, str], number: int) -> dict[str, str]:
    """Another article with the same report of the clash (another source, another text)."""
    return {
        **article,
        "title": f"{article['title']} ({number})",
        "text": article["text"] + f" This is dispatch {number}.",
        "source": f"Wire {number}",
    }


@pytest.fixture
def many(client: FlaskClient) -> dict[str, list[int]]:
    """The ids of the articles that report the clash: those that agree, those that do not."""
    agreeing = [post(client, copy(CLASH[n % len(CLASH)], n))["id"] for n in range(AGREEING)]
    contrary = [post(client, copy(CONTRARY, AGREEING + n))["id"] for n in range(CONTRARY_REPORTS)]
    return {"agreeing": agreeing, "contrary": contrary}


def the_entry(client: FlaskClient) -> dict[str, Any]:
    (event,) = timeline(client)
    return event


def test_an_entry_counts_its_reports_and_shows_a_bounded_sample(
    client: FlaskClient, many: dict[str, list[int]]
) -> None:
    event = the_entry(client)
    assert event["reports"] == AGREEING + CONTRARY_REPORTS
    mentions = [m["article_id"] for m in event["mentions"]]
    assert len(mentions) == SAMPLE
    lead = mentions[0]
    assert lead in many["agreeing"]
    others = sorted((a for a in many["agreeing"] if a != lead), reverse=True)
    assert mentions[1:] == others[: SAMPLE - 1]  # the lead's own, then the latest
    assert 0 < len(event["sources"]) <= SAMPLE
    (conflict,) = event["conflicts"]  # one other date, and how many give it
    assert conflict["reports"] == CONTRARY_REPORTS
    assert conflict["article_id"] == max(many["contrary"])
    assert conflict["interval"]["start"] == "2021-07-09"
    assert event["uncertain"]


def test_a_page_of_a_thousand_entries_holds_no_more_than_its_samples(
    client: FlaskClient, many: dict[str, list[int]]
) -> None:
    (event,) = timeline(client, limit=1000, kind="event,state,reporting,background")[:1]
    assert len(event["mentions"]) <= SAMPLE and len(event["conflicts"]) <= SAMPLE


def test_one_event_with_every_report_a_page_at_a_time(
    client: FlaskClient, many: dict[str, list[int]]
) -> None:
    event = the_entry(client)
    first = client.get(f"/v1/events/{event['id']}", query_string={"limit": 3})
    assert first.status_code == 200, first.get_data(as_text=True)
    body = first.get_json()
    assert body["event"] == event
    reports, cursor, pages = list(body["reports"]), body["next_cursor"], 1
    while cursor is not None:
        query = {"limit": 3, "cursor": cursor}
        page = client.get(f"/v1/events/{event['id']}", query_string=query).get_json()
        assert page["event"] == event
        reports += page["reports"]
        cursor, pages = page["next_cursor"], pages + 1
    assert pages == -(-(AGREEING + CONTRARY_REPORTS) // 3)
    ids = [r["id"] for r in reports]
    assert ids == sorted(set(ids))  # each once, in the order they were stored
    assert sorted(r["article_id"] for r in reports) == sorted(many["agreeing"] + many["contrary"])
    disagreeing = {r["article_id"] for r in reports if not r["agrees"]}
    assert disagreeing == set(many["contrary"])
    assert event["report_id"] in ids


def test_an_unknown_event_is_a_404_problem(client: FlaskClient, many: dict[str, list[int]]) -> None:
    event = the_entry(client)
    member = next(
        r["id"]
        for r in client.get(f"/v1/events/{event['id']}").get_json()["reports"]
        if r["id"] != event["id"]
    )
    for unknown in (member, 2**31, 999999):  # a report of the group is not its id
        assert_problem(client.get(f"/v1/events/{unknown}"), 404)


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 1001}, {"cursor": "x"}, {"x": 1}])
def test_a_bad_query_of_one_event_is_a_422_problem(
    client: FlaskClient, query: dict[str, Any]
) -> None:
    assert_problem(client.get("/v1/events/1", query_string=query), 422)


def a_report(number: int, start: str, end: str) -> Report:
    return Report(
        id=number,
        article_id=number,
        source=f"Wire {number}",
        start=start,
        end=end,
        granularity="day",
        display_date=start,
        headline="Forces clashed",
        text="Forces clashed.",
        trigger="clashed",
        mention={"article_id": number, "start": 0, "end": 1, "text": "x", "value": start},
        confidence=0.5 + number / 1000,
        uncertain=False,
    )


def test_an_entry_held_in_memory_is_bounded_alike() -> None:
    agreeing = [a_report(n, "2021-07-16", "2021-07-17") for n in range(1, 21)]
    others = [a_report(n, "2021-07-09", "2021-07-10") for n in range(21, 24)]
    others += [a_report(n, f"2021-06-{n - 13:02d}", f"2021-06-{n - 12:02d}") for n in range(24, 32)]
    shown = event_json(entry(agreeing + others, agreeing[0], 1))
    assert shown["reports"] == 31
    assert [m["article_id"] for m in shown["mentions"]] == [1, 20, 19, 18, 17]
    assert len(shown["sources"]) == SAMPLE
    assert len(shown["conflicts"]) == SAMPLE
    assert (shown["conflicts"][0]["article_id"], shown["conflicts"][0]["reports"]) == (23, 3)
    assert all(c["reports"] == 1 for c in shown["conflicts"][1:])
    assert shown["confidence"] == max(r.confidence for r in agreeing[:1] + agreeing[-4:])


@pytest.mark.parametrize(
    "query", [{"q": "Spin Boldak"}, {"q": "Doha"}, {"source": "Wire 3"}, {"q": "nowhere"}]
)
def test_a_filter_chooses_the_same_entries_however_many_articles_pass(
    client: FlaskClient, many: dict[str, list[int]], monkeypatch: pytest.MonkeyPatch, query: Any
) -> None:
    post(client, TALKS)
    post(client, MARKETS)
    few = timeline(client, **query)
    monkeypatch.setattr(timelines, "FEW_ARTICLES", 1)  # walk the leads and check each
    assert timeline(client, **query) == few
    assert bool(few) == (query != {"q": "nowhere"})


@pytest.mark.parametrize("few_articles", [timelines.FEW_ARTICLES, 1])
def test_a_filtered_timeline_reads_the_same_page_by_page(
    client: FlaskClient,
    many: dict[str, list[int]],
    monkeypatch: pytest.MonkeyPatch,
    few_articles: int,
) -> None:
    post(client, TALKS)
    post(client, MARKETS)
    monkeypatch.setattr(timelines, "FEW_ARTICLES", few_articles)
    whole = timeline(client, q="Doha")
    assert len(whole) > 2
    paged: list[dict[str, Any]] = []
    cursor = None
    while True:
        query: dict[str, Any] = {"q": "Doha", "limit": 2}
        if cursor is not None:
            query["cursor"] = cursor
        response = client.get("/v1/timeline", query_string=query)
        assert response.status_code == 200
        paged += response.get_json()["events"]
        cursor = response.get_json()["next_cursor"]
        if cursor is None:
            break
    assert [e["id"] for e in paged] == [e["id"] for e in whole]


def test_a_page_is_already_in_the_shape_its_schema_gives(
    client: FlaskClient, many: dict[str, list[int]]
) -> None:
    """Timeline pages are serialized as built, not dumped through ``TimelineSchema``: the
    schema must find nothing to drop, rename or convert in them (conflicts, samples, other
    triggers and a null trigger included)."""
    post(client, TALKS)
    post(client, MARKETS)
    pages = [
        client.get("/v1/timeline").get_json(),
        client.get("/v1/timeline", query_string={"limit": 1}).get_json(),
        client.get(f"/v1/articles/{many['contrary'][0]}/timeline").get_json(),
    ]
    assert any(event["conflicts"] for event in pages[0]["events"])
    for body in pages:
        assert body["events"]
        assert TimelineSchema().dump(body) == body
