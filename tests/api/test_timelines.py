"""``GET /v1/articles/{id}/timeline`` and ``GET /v1/timeline``: the stored events in
chronological order, one entry per event across articles, with their sources, conflicts
and filters."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

import icalendar
import pytest
from flask.testing import FlaskClient

from .test_articles import post

TALKS = {
    "title": "Talks in Doha",
    "text": (
        "The Afghan army clashed with Taliban fighters on Friday. "
        "The war began after the attacks of September 11, 2001. "
        "Talks will resume after Eid al-Adha."
    ),
    "published_at": "2021-07-17",
    "source": "Al Jazeera",
}
MARKETS = {
    "title": "Markets",
    "text": "Shares fell on Monday. The index peaked in March 2020.",
    "published_at": "2021-07-14",
    "source": "Reuters",
}
# Three reports of one clash, dated three ways, and one that dates it otherwise.
CLASH = [
    {
        "title": "Clash at the border",
        "text": "The Afghan army clashed with Taliban fighters in Spin Boldak on Friday.",
        "published_at": "2021-07-17",
        "source": "Al Jazeera",
    },
    {
        "title": "Border fighting",
        "text": (
            "Afghan forces clashed with the Taliban near Spin Boldak on July 16, officials said."
        ),
        "published_at": "2021-07-19",
        "source": "Reuters",
    },
    {
        "title": "Week in review",
        "text": "Afghan troops clashed with Taliban fighters in Spin Boldak last week.",
        "published_at": "2021-07-24",
        "source": "AP",
    },
]
CONTRARY = {
    "title": "Another account",
    "text": "The Afghan army clashed with Taliban fighters in Spin Boldak on July 9.",
    "published_at": "2021-07-20",
    "source": "Daily",
}


@pytest.fixture
def stored(client: FlaskClient) -> dict[str, int]:
    return {"talks": post(client, TALKS)["id"], "markets": post(client, MARKETS)["id"]}


def timeline(client: FlaskClient, path: str = "/v1/timeline", **query: Any) -> list[dict[str, Any]]:
    response = client.get(path, query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    events: list[dict[str, Any]] = response.get_json()["events"]
    return events


def starts(events: list[dict[str, Any]]) -> list[str]:
    return [event["interval"]["start"] for event in events]


def articles_of(events: list[dict[str, Any]]) -> set[int]:
    return {m["article_id"] for e in events for m in e["mentions"]}


def test_an_articles_timeline_is_its_events_in_order(
    client: FlaskClient, stored: dict[str, int]
) -> None:
    events = timeline(client, f"/v1/articles/{stored['talks']}/timeline")
    assert [e["mentions"][0]["text"] for e in events] == [
        "September 11, 2001",
        "Friday",
        "Eid al-Adha",
    ]
    assert [e["display_date"] for e in events] == [
        "Tuesday 11 September 2001",
        "Friday 16 July 2021",
        "Tuesday 20 July 2021",
    ]
    assert starts(events) == sorted(starts(events))
    assert events[1]["headline"] == "The Afghan army clashed with Taliban fighters on Friday"
    assert events[1]["trigger"]["text"] == "clashed"
    for event in events:
        (mention,) = event["mentions"]
        assert mention["article_id"] == stored["talks"]
        assert TALKS["text"][mention["start"] : mention["end"]] == mention["text"]
        assert mention["text"] in event["text"]
        assert event["sources"] == ["Al Jazeera"]
        assert event["conflicts"] == []


def test_an_entry_names_the_other_events_its_time_reference_dates(client: FlaskClient) -> None:
    article = {
        "title": "Warrant",
        "text": "The Canadian warrant issued Monday charged Kopp with murder.",
        "published_at": "2021-07-17",
    }
    article_id = post(client, article)["id"]
    (event,) = timeline(client, f"/v1/articles/{article_id}/timeline")
    assert event["trigger"]["text"] == "issued"
    assert [t["text"] for t in event["other_triggers"]] == ["charged"]
    for word in event["other_triggers"]:
        assert word["article_id"] == article_id
        assert article["text"][word["start"] : word["end"]] == word["text"]
    (entry,) = timeline(client, article=article_id)
    assert entry["other_triggers"] == event["other_triggers"]


def test_the_timeline_across_articles_interleaves_them(
    client: FlaskClient, stored: dict[str, int]
) -> None:
    events = timeline(client)
    assert articles_of(events) == set(stored.values())
    assert starts(events) == sorted(starts(events))
    assert starts(events)[0] == "2001-09-11"


def test_reports_of_one_event_make_one_entry_with_every_source(client: FlaskClient) -> None:
    ids = [post(client, article)["id"] for article in CLASH]
    (event,) = timeline(client)
    assert event["interval"] == {"start": "2021-07-16", "end": "2021-07-17", "granularity": "day"}
    assert event["display_date"] == "Friday 16 July 2021"
    assert sorted(m["article_id"] for m in event["mentions"]) == sorted(ids)
    assert {m["text"] for m in event["mentions"]} == {"Friday", "July 16", "last week"}
    assert sorted(event["sources"]) == ["AP", "Al Jazeera", "Reuters"]
    assert event["conflicts"] == []


def test_a_report_that_dates_the_event_otherwise_is_a_conflict(client: FlaskClient) -> None:
    for article in CLASH:
        post(client, article)
    contrary = post(client, CONTRARY)["id"]
    (event,) = timeline(client)
    assert event["interval"]["start"] == "2021-07-16"
    (conflict,) = event["conflicts"]
    assert (conflict["article_id"], conflict["text"]) == (contrary, "July 9")
    assert conflict["interval"]["start"] == "2021-07-09"
    assert event["uncertain"]
    assert "Daily" in event["sources"]


def test_events_of_one_article_stay_apart(client: FlaskClient) -> None:
    post(
        client,
        {
            "title": "Two clashes",
            "text": "Troops clashed with rebels on Monday. Troops clashed with rebels on Friday.",
            "published_at": "2021-07-17",
        },
    )
    assert len(timeline(client)) == 2


@pytest.mark.parametrize(
    ("query", "articles"),
    [
        ({"q": "taliban"}, {"talks"}),
        ({"q": "shares index"}, {"markets"}),
        ({"q": "taliban shares"}, set()),
        ({"source": "Reuters"}, {"markets"}),
        ({"from": "2021-01-01"}, {"talks", "markets"}),
        ({"to": "2019-12-31"}, {"talks"}),
    ],
)
def test_timeline_filters(
    client: FlaskClient, stored: dict[str, int], query: dict[str, str], articles: set[str]
) -> None:
    events = timeline(client, **query)
    assert articles_of(events) == {stored[name] for name in articles}
    if "from" in query:
        assert all(e["interval"]["end"] > query["from"] for e in events)
    if "to" in query:
        assert all(e["interval"]["start"] <= query["to"] for e in events)


DECADE = {
    "title": "A decade of growth",
    "text": (
        "Growth returned in 2021. The central bank cut rates on 14 July 2021. "
        "The minister resigned on Friday, a spokesman said on Thursday."
    ),
    "published_at": "2021-07-17",
    "source": "Wire",
}


@pytest.mark.parametrize("path", ["/v1/timeline", "/v1/articles/{id}/timeline"])
def test_within_keeps_only_the_entries_inside_the_window(client: FlaskClient, path: str) -> None:
    article = post(client, DECADE)["id"]
    path = path.format(id=article)
    window = {"from": "2021-07-13", "to": "2021-07-15"}
    overlapping = timeline(client, path, **window)
    inside = timeline(client, path, **window, within="true")
    assert any(e["interval"]["start"] == "2021-01-01" for e in overlapping)
    assert inside and len(inside) < len(overlapping)
    for entry in inside:
        assert entry["interval"]["start"] >= "2021-07-13"
        assert entry["interval"]["end"] <= "2021-07-16"
    assert timeline(client, path, **window, within="false") == overlapping


def test_reporting_entries_are_shown_only_when_asked(client: FlaskClient) -> None:
    article = post(client, DECADE)["id"]
    path = f"/v1/articles/{article}/timeline"
    shown = timeline(client, path)
    assert shown and {e["kind"] for e in shown} <= {"event", "state"}
    every = timeline(client, path, kind="event,state,reporting")
    reporting = [e for e in every if e["kind"] == "reporting"]
    assert [e["trigger"]["text"] for e in reporting] == ["said"]
    assert len(every) == len(shown) + 1
    assert timeline(client, path, kind="reporting") == reporting
    assert timeline(client, kind="reporting") == timeline(client, kind="reporting")
    bad = client.get(path, query_string={"kind": "gossip"})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"


def test_the_article_filter_is_that_articles_timeline(
    client: FlaskClient, stored: dict[str, int]
) -> None:
    one = timeline(client, f"/v1/articles/{stored['markets']}/timeline")
    assert timeline(client, article=stored["markets"]) == one
    assert starts(one) == sorted(starts(one)) and one


def test_an_unknown_articles_timeline_is_404(client: FlaskClient, stored: dict[str, int]) -> None:
    response = client.get(f"/v1/articles/{max(stored.values()) + 1}/timeline")
    assert response.status_code == 404


def test_a_source_filter_keeps_every_source_of_an_entry(client: FlaskClient) -> None:
    for article in CLASH:
        post(client, article)
    (event,) = timeline(client, source="AP")
    assert sorted(event["sources"]) == ["AP", "Al Jazeera", "Reuters"]
    assert timeline(client, source="Nobody") == []


def pages(client: FlaskClient, path: str, **query: Any) -> list[list[dict[str, Any]]]:
    """Every page of a timeline, following next_cursor."""
    found, cursor = [], None
    while True:
        asked = {**query, **({"cursor": cursor} if cursor else {})}
        response = client.get(path, query_string=asked)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        found.append(body["events"])
        cursor = body["next_cursor"]
        if cursor is None:
            return found
        assert len(found) < 100, "the cursors go round in circles"


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_a_timeline_read_page_by_page_is_the_whole_timeline(
    client: FlaskClient, stored: dict[str, int], limit: int
) -> None:
    for article in CLASH:
        post(client, article)
    whole = timeline(client)
    read = pages(client, "/v1/timeline", limit=limit)
    assert all(len(page) == limit for page in read[:-1]) and 0 < len(read[-1]) <= limit
    assert [e for page in read for e in page] == whole
    assert len({e["id"] for e in whole}) == len(whole)


def test_an_articles_timeline_reads_page_by_page(
    client: FlaskClient, stored: dict[str, int]
) -> None:
    path = f"/v1/articles/{stored['talks']}/timeline"
    read = pages(client, path, limit=2)
    assert [len(page) for page in read] == [2, 1]
    assert [e for page in read for e in page] == timeline(client, path)
    with_filter = pages(client, "/v1/timeline", article=stored["talks"], limit=2)
    assert with_filter == read


def test_filters_hold_on_every_page(client: FlaskClient, stored: dict[str, int]) -> None:
    read = pages(client, "/v1/timeline", limit=1, **{"from": "2021-01-01"})
    assert [e for page in read for e in page] == timeline(client, **{"from": "2021-01-01"})


@pytest.mark.parametrize(
    "query",
    [
        {"cursor": "not a cursor"},
        {"cursor": ""},
        {"cursor": "2021~2022~1~2"},  # a field short
        {"cursor": "2021~2022~1~2~x"},
        {"cursor": "1" * 11},
        {"limit": 0},
        {"limit": 1001},
        {"limit": "ten"},
    ],
)
def test_a_bad_page_request_is_a_clear_422(
    client: FlaskClient, stored: dict[str, int], query: dict[str, Any]
) -> None:
    response = client.get("/v1/timeline", query_string=query)
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["status"] == 422 and problem["errors"]["query"]


def test_a_cursor_of_another_kind_of_timeline_gives_an_empty_page(
    client: FlaskClient, stored: dict[str, int]
) -> None:
    path = f"/v1/articles/{stored['talks']}/timeline"
    cursor = client.get(path, query_string={"limit": 1}).get_json()["next_cursor"]
    response = client.get("/v1/timeline", query_string={"cursor": cursor})
    assert response.status_code == 200
    assert response.get_json() == {"events": [], "next_cursor": None}


def test_deleting_the_lead_report_leaves_the_others_in_the_timeline(
    client: FlaskClient,
) -> None:
    ids = [post(client, article)["id"] for article in [*CLASH, CONTRARY]]
    (event,) = timeline(client)
    assert client.delete(f"/v1/articles/{event['mentions'][0]['article_id']}").status_code == 204
    (after,) = timeline(client)
    assert after["interval"]["start"] == "2021-07-16"
    assert len(after["mentions"]) == 2 and len(after["conflicts"]) == 1
    for article_id in ids:
        client.delete(f"/v1/articles/{article_id}")
    assert timeline(client) == []


# One factory opening, dated to its year by one article and to its month by another.
OPENING = [
    {
        "title": "Acme at ten",
        "text": "Acme opened the Ohio factory in 2015.",
        "published_at": "2019-05-02",
        "source": "Gazette",
    },
    {
        "title": "Plant opens",
        "text": "Acme opened its factory in Ohio in March 2015.",
        "published_at": "2015-04-02",
        "source": "Wire",
    },
]


@pytest.mark.parametrize("order", [[0, 1], [1, 0]], ids=["year-first", "month-first"])
def test_one_event_at_two_precisions_is_one_entry_with_the_finer_date(
    client: FlaskClient, order: list[int]
) -> None:
    for i in order:
        post(client, OPENING[i])
    (event,) = timeline(client)
    assert event["interval"] == {"start": "2015-03-01", "end": "2015-04-01", "granularity": "month"}
    assert sorted(m["text"] for m in event["mentions"]) == ["2015", "March 2015"]
    assert sorted(event["sources"]) == ["Gazette", "Wire"]
    assert event["conflicts"] == []


# One kidnapping: two reports date it to 6 March, a third, published days later in other
# words, to the day before.
KIDNAPPING = [
    {
        "title": "School attack",
        "text": "Gunmen kidnapped 30 pupils from a school in Kaduna on Wednesday.",
        "published_at": "2024-03-07",
        "source": "Wire",
    },
    {
        "title": "Kaduna",
        "text": "Gunmen kidnapped 30 pupils from a Kaduna school on March 6, police said.",
        "published_at": "2024-03-08",
        "source": "Daily",
    },
    {
        "title": "A week on",
        "text": "Gunmen abducted pupils from a school in Kaduna state on March 5.",
        "published_at": "2024-03-12",
        "source": "Weekly",
    },
]


def test_a_report_that_dates_an_event_a_day_off_is_its_one_conflict(
    client: FlaskClient,
) -> None:
    ids = [post(client, article)["id"] for article in KIDNAPPING]
    (event,) = timeline(client)
    assert event["interval"]["start"] == "2024-03-06"
    assert sorted(m["article_id"] for m in event["mentions"]) == ids[:2]
    (conflict,) = event["conflicts"]
    assert (conflict["article_id"], conflict["text"]) == (ids[2], "March 5")
    assert conflict["interval"]["start"] == "2024-03-05"
    assert event["uncertain"]
    assert sorted(event["sources"]) == ["Daily", "Weekly", "Wire"]


# Pairs of reports that share a reporting or light verb and nothing else.
COMMON_VERB = [
    ("The ministry announced new tariffs on Monday.", "The club announced a new coach on Monday."),
    (
        "The senator admitted on Friday that he had lied.",
        "The bank admitted on Friday that its systems failed.",
    ),
    (
        "The minister said on Monday that taxes would rise.",
        "The coach said on Monday that his squad was ready.",
    ),
    ("Rebels took the airport on Tuesday.", "The president took office on Tuesday."),
]


def post_texts(client: FlaskClient, *texts: str) -> list[int]:
    """Post each text as an article of its own source, published on Saturday 9 March 2024."""
    return [
        post(client, {"text": text, "published_at": "2024-03-09", "source": f"Source {i}"})["id"]
        for i, text in enumerate(texts)
    ]


@pytest.mark.parametrize(("first", "second"), COMMON_VERB)
def test_reports_that_share_only_a_common_verb_are_two_entries(
    client: FlaskClient, first: str, second: str
) -> None:
    ids = post_texts(client, first, second)
    events = timeline(client, kind="event,state,reporting")
    assert sorted([m["article_id"] for m in e["mentions"]] for e in events) == [[i] for i in ids]


def test_reports_with_a_common_verb_and_a_participant_are_one_entry(client: FlaskClient) -> None:
    ids = post_texts(
        client,
        "Rebels took control of the airport on Sunday.",
        "Rebels seized the airport on Sunday.",
    )
    (event,) = timeline(client)
    assert sorted(m["article_id"] for m in event["mentions"]) == ids


def test_an_event_is_not_hidden_by_a_report_of_its_saying(client: FlaskClient) -> None:
    said, happened = post_texts(
        client,
        "The prime minister announced on Monday that he would resign.",
        "The prime minister announced his resignation on Monday.",
    )
    (event,) = timeline(client)
    assert event["kind"] == "event"
    assert [m["article_id"] for m in event["mentions"]] == [happened]
    (saying,) = timeline(client, kind="reporting")
    assert [m["article_id"] for m in saying["mentions"]] == [said]


def own_entry(client: FlaskClient, article_id: int) -> dict[str, Any]:
    """The one entry of an article's timeline."""
    (entry,) = timeline(client, f"/v1/articles/{article_id}/timeline")
    return entry


def exported_ids(client: FlaskClient, path: str, **query: Any) -> dict[str, list[str]]:
    """The ids a timeline's exports and embed page give its entries: CSV ids, iCalendar
    UIDs, TimelineJS unique_ids, and the embed page's unique_ids."""

    def body(fmt: str) -> bytes:
        response = client.get(path, query_string={**query, "format": fmt})
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_data()

    rows = csv.DictReader(io.StringIO(body("csv").decode()))
    calendar = icalendar.Calendar.from_ical(body("ics"))
    slides = json.loads(body("timelinejs"))["events"]
    embed = client.get("/embed/timeline", query_string=query)
    assert embed.status_code == 200
    data = json.loads(embed.text.split('id="timeline-data">')[1].split("</script>")[0])
    return {
        "csv": [row["id"] for row in rows],
        "ics": [str(event["uid"]) for event in calendar.walk("VEVENT")],
        "timelinejs": [slide["unique_id"] for slide in slides],
        "embed": [slide["unique_id"] for slide in data["events"]],
    }


def test_an_entry_keeps_one_id_in_every_view(client: FlaskClient) -> None:
    # the group's first report dates the clash otherwise: the lead is another's
    contrary = post(client, CONTRARY)["id"]
    articles = [contrary, *(post(client, article)["id"] for article in CLASH)]
    (event,) = timeline(client)
    own = {article_id: own_entry(client, article_id) for article_id in articles}
    group = own[contrary]["report_id"]
    assert event["id"] == group != event["report_id"]
    assert event["report_id"] == own[articles[1]]["report_id"]  # the first on 16 July
    assert len({entry["report_id"] for entry in own.values()}) == len(articles)
    for article_id, entry in own.items():
        assert entry["id"] == group
        assert timeline(client, article=article_id) == [entry]
    expected = {
        "csv": [str(group)],
        "ics": [f"event-{group}@localhost"],
        "timelinejs": [f"event-{group}"],
        "embed": [f"event-{group}"],
    }
    assert exported_ids(client, "/v1/timeline") == expected
    for article_id in articles:
        path = f"/v1/articles/{article_id}/timeline"
        assert exported_ids(client, path, article=article_id) == expected


def test_entry_ids_hold_page_by_page(client: FlaskClient, stored: dict[str, int]) -> None:
    for article in [CONTRARY, *CLASH]:
        post(client, article)
    across = [e["id"] for page in pages(client, "/v1/timeline", limit=1) for e in page]
    assert across == [e["id"] for e in timeline(client)]
    assert len(set(across)) == len(across)
    for article_id in stored.values():
        path = f"/v1/articles/{article_id}/timeline"
        read = [e["id"] for page in pages(client, path, limit=1) for e in page]
        assert read == [e["id"] for e in timeline(client, path)]
        assert set(read) <= set(across)


def test_an_entry_keeps_its_id_when_its_first_and_lead_reports_go(client: FlaskClient) -> None:
    contrary = post(client, CONTRARY)["id"]
    first, *others = [post(client, article)["id"] for article in CLASH]
    (before,) = timeline(client)
    assert client.delete(f"/v1/articles/{contrary}").status_code == 204
    assert client.delete(f"/v1/articles/{first}").status_code == 204  # the lead's
    (after,) = timeline(client)
    assert after["id"] == before["id"] and after["report_id"] != before["report_id"]
    assert sorted(m["article_id"] for m in after["mentions"]) == others
    assert [own_entry(client, i)["id"] for i in others] == [before["id"]] * len(others)


def test_a_clock_time_is_read_at_its_publications_offset(client: FlaskClient) -> None:
    """The same "10 a.m. Friday" published at +14:00 and at -12:00 names two instants a day
    apart in UTC, not one moment: the reports are of one event (near dates merge), whose
    entry has the first instant and lists the other as a conflict; the calendar is in UTC."""
    for offset, source, said in [
        ("+14:00", "Samoa Observer", "The minister spoke at the summit at 10 a.m. Friday."),
        (
            "-12:00",
            "Baker Island Wire",
            "The minister spoke at the summit at 10 a.m. Friday, aides said.",
        ),
    ]:
        post(
            client,
            {
                "title": f"Speech ({offset})",
                "text": said,
                "published_at": f"2021-07-17T09:30:00{offset}",
                "source": source,
            },
        )
    (entry,) = [e for e in timeline(client) if e["mentions"][0]["text"] == "10 a.m. Friday"]
    assert entry["interval"] == {
        "start": "2021-07-15T20:00Z",
        "end": "2021-07-15T20:01Z",
        "granularity": "minute",
    }
    assert entry["mentions"][0]["value"] == "2021-07-16T10:00"  # TimeML's floating value
    assert [c["interval"]["start"] for c in entry["conflicts"]] == ["2021-07-16T22:00Z"]
    assert entry["uncertain"] is True
    response = client.get("/v1/timeline", query_string={"format": "ics"})
    assert response.status_code == 200
    (event,) = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2021, 7, 15, 20, tzinfo=UTC)
    assert b"DTSTART:20210715T200000Z" in response.data
