"""Timelines as TimelineJS, iCalendar, CSV and TimeML; the embeddable page and its oEmbed
(in process; tests/api/test_embed_browser.py opens the page in a browser)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient

from timeline.api import timelines as timelines_api

from .test_articles import post
from .test_timelines import CLASH, CONTRARY, MARKETS, TALKS, timeline

SCORER = Path(__file__).resolve().parents[3] / "shared" / "eval" / "te3score.py"


def get(client: FlaskClient, path: str, **query: Any) -> Any:
    response = client.get(path, query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


@pytest.fixture
def seed_path(seed_article: dict[str, Any]) -> str:
    return f"/v1/articles/{seed_article['id']}/timeline"


def test_the_icalendar_export_holds_one_event_per_entry(
    client: FlaskClient, seed_path: str
) -> None:
    entries = timeline(client, seed_path)
    response = get(client, seed_path, format="ics")
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    events = calendar.walk("VEVENT")
    assert len(events) == len(entries)
    for event, entry in zip(events, entries, strict=True):
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert type(start) is date and type(end) is date  # all-day: no time of day
        assert (start.isoformat(), end.isoformat()) == (
            entry["interval"]["start"],
            entry["interval"]["end"],
        )
        assert entry["display_date"] in str(event["summary"])
        assert "Al Jazeera" in str(event["description"])
    friday = [e for e in events if e.decoded("dtstart") == date(2021, 7, 16)]
    assert len(friday) == 1  # the clash; "said on Friday" is reporting, shown when asked
    asked = icalendar.Calendar.from_ical(
        get(client, seed_path, format="ics", kind="event,reporting").data
    )
    friday = [e for e in asked.walk("VEVENT") if e.decoded("dtstart") == date(2021, 7, 16)]
    assert len(friday) == 2
    uids = [str(e["uid"]) for e in events]
    again = icalendar.Calendar.from_ical(get(client, seed_path, format="ics").data)
    assert [str(e["uid"]) for e in again.walk("VEVENT")] == uids  # stable
    assert len(set(uids)) == len(uids)


def test_the_accept_header_chooses_a_format(client: FlaskClient, seed_path: str) -> None:
    for accept, mimetype in [
        ("text/calendar", "text/calendar"),
        ("text/csv", "text/csv"),
        ("application/xml", "application/xml"),
        ("text/html,*/*;q=0.8", "application/json"),
    ]:
        response = client.get(seed_path, headers={"Accept": accept})
        assert (response.status_code, response.mimetype) == (200, mimetype), accept
        assert response.data  # read through: an export streams
    assert client.get(seed_path).headers["Vary"] == "Accept"
    across = client.get("/v1/timeline", headers={"Accept": "application/xml"})
    assert across.mimetype == "application/json"  # TimeML is one article's
    assert client.get("/v1/timeline", query_string={"format": "timeml"}).status_code == 422


def test_the_csv_export_has_a_row_per_entry(client: FlaskClient, seed_path: str) -> None:
    entries = timeline(client, seed_path)
    rows = list(csv.DictReader(io.StringIO(get(client, seed_path, format="csv").text)))
    assert [r["date"] for r in rows] == [e["display_date"] for e in entries]
    assert [r["start"] for r in rows] == [e["interval"]["start"] for e in entries]
    assert {r["sources"] for r in rows} == {"Al Jazeera"}
    assert "recent weeks (late June to 17 July 2021)" not in [r["date"] for r in rows]
    asked = get(client, seed_path, format="csv", kind="event,state,background").text
    dates = [r["date"] for r in csv.DictReader(io.StringIO(asked))]
    assert "recent weeks (late June to 17 July 2021)" in dates  # background, on request


def test_a_csv_cell_is_never_a_formula(client: FlaskClient) -> None:
    post(
        client,
        {
            "text": "=HYPERLINK(1) Rebels seized the town on Friday.",
            "published_at": "2021-07-17",
            "source": "@Wire",
        },
    )
    (row,) = csv.DictReader(io.StringIO(get(client, "/v1/timeline", format="csv").text))
    assert row["headline"].startswith("'=HYPERLINK")
    assert row["sources"] == "'@Wire"


def test_the_timelinejs_export(client: FlaskClient, seed_path: str) -> None:
    entries = timeline(client, seed_path)
    document = get(client, seed_path, format="timelinejs").get_json()
    assert document["title"]["text"]["headline"].startswith("High-stakes negotiations")
    slides = document["events"]
    assert [s["display_date"] for s in slides] == [e["display_date"] for e in entries]
    assert [s["unique_id"] for s in slides] == [f"event-{e['id']}" for e in entries]
    first, stationed = slides[0], slides[1]
    assert first["start_date"] == {"year": 2001, "month": 9, "day": 11}
    assert "end_date" not in first  # one day
    assert stationed["display_date"] == "about 2001 to 2021"
    assert stationed["end_date"] == {"year": 2021, "month": 7, "day": 17}
    assert all(s["group"] == "Al Jazeera" for s in slides)


def test_timelinejs_text_is_escaped(client: FlaskClient) -> None:
    post(
        client,
        {
            "title": "<i>T</i>",
            "text": 'Rebels <b onclick="x()">seized</b> the town on Friday.',
            "published_at": "2021-07-17",
            "source": '<b class="x">Wire</b> & co',
        },
    )
    document = get(client, "/v1/timeline", format="timelinejs").get_json()
    (slide,) = document["events"]
    assert "<b" not in slide["text"]["headline"] and "&lt;b onclick" in slide["text"]["headline"]
    assert "&lt;b onclick" in slide["text"]["text"]
    assert set(slide["group"]) & set("<>&\"'") == set()


def test_exports_of_the_timeline_across_articles_merge_reports(client: FlaskClient) -> None:
    for article in [*CLASH, CONTRARY]:
        post(client, article)
    (slide,) = get(client, "/v1/timeline", format="timelinejs").get_json()["events"]
    assert slide["display_date"] == "Friday 16 July 2021"
    assert "another date" in slide["text"]["text"]
    (event,) = icalendar.Calendar.from_ical(get(client, "/v1/timeline", format="ics").data).walk(
        "VEVENT"
    )
    assert "July 9" in str(event["description"])
    assert str(event["status"]) == "TENTATIVE"


def test_a_page_links_to_the_next(client: FlaskClient, seed_path: str) -> None:
    response = get(client, seed_path, limit=2)
    cursor = response.get_json()["next_cursor"]
    assert response.headers["Link"].endswith('; rel="next"') and cursor in response.headers["Link"]
    exported = get(client, seed_path, limit=2, format="csv")
    assert "Link" in exported.headers
    assert "Link" not in get(client, seed_path, format="csv").headers  # all of it


def test_the_timeml_export_is_the_article_with_its_mentions(
    client: FlaskClient, seed_article: dict[str, Any], seed_path: str
) -> None:
    document = get(client, seed_path, format="timeml").data
    root = ElementTree.fromstring(document)
    (dct,) = root.iter("DCT")
    assert dct[0].get("value") == "2021-07-17"
    text = root.find("TEXT")
    assert text is not None
    assert "".join(text.itertext()) == seed_article["text"]
    mentions = client.get(f"/v1/articles/{seed_article['id']}/mentions").get_json()["timexes"]
    tagged = [(t.get("type"), t.get("value"), t.text) for t in text.iter("TIMEX3")]
    assert tagged == [(m["type"], m["value"], m["text"]) for m in mentions]


@pytest.mark.skipif(not SCORER.is_file(), reason=f"no TempEval-3 scorer at {SCORER}")
def test_the_timeml_export_scores_100_against_the_services_mentions(
    client: FlaskClient, seed_article: dict[str, Any], seed_path: str, tmp_path: Path
) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "seed.tml").write_bytes(get(client, seed_path, format="timeml").data)
    mentions = client.get(f"/v1/articles/{seed_article['id']}/mentions").get_json()["timexes"]
    pred = tmp_path / "pred.jsonl"
    timexes = [{k: m[k] for k in ("start", "end", "text", "type", "value")} for m in mentions]
    pred.write_text(json.dumps({"doc": "seed", "timexes": timexes}) + "\n", encoding="utf-8")
    scores = tmp_path / "scores.json"
    command = [sys.executable, str(SCORER), "--gold", str(gold), "--pred", str(pred)]
    subprocess.run([*command, "--json", str(scores)], check=True, capture_output=True)
    found = json.loads(scores.read_text(encoding="utf-8"))
    summary = found["summary"]
    assert summary["gold"] == summary["sys"] == len(mentions) > 10
    for measure in ("strict", "relaxed", "type", "value"):
        assert summary[f"{measure}_F1"] == 1.0, (measure, summary)
    assert found["warnings"] == {}


# The embeddable page and its oEmbed


def test_the_embed_page_carries_the_timeline_and_nothing_from_elsewhere(
    client: FlaskClient, seed_article: dict[str, Any]
) -> None:
    response = get(client, "/embed/timeline", article=seed_article["id"])
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    page = response.text
    sources = [part.split('"')[1] for part in page.split("src=")[1:]]
    hrefs = [part.split('"')[1] for part in page.split("href=")[1:]]
    assert sources and all(s.startswith("/static/") for s in sources)
    assert all(h.startswith("/") for h in hrefs)
    data = json.loads(page.split('id="timeline-data">')[1].split("</script>")[0])
    assert len(data["events"]) == len(
        timeline(client, f"/v1/articles/{seed_article['id']}/timeline")
    )
    assert get(client, "/static/vendor/timelinejs/js/timeline.js").data.startswith(b"/*!")


def test_the_embed_page_keeps_article_text_out_of_markup(client: FlaskClient) -> None:
    article = post(
        client,
        {
            "title": "</script><script>alert(1)</script>",
            "text": 'Rebels </script><img src=x onerror="alert(2)"> seized the town on Friday.',
            "published_at": "2021-07-17",
        },
    )
    page = get(client, "/embed/timeline", article=article["id"]).text
    assert page.count("<script") == 4  # two data blocks, TimelineJS, embed.js
    assert "<img" not in page and "</script><script>alert" not in page


def test_the_embed_page_answers_bad_requests(client: FlaskClient, app: Flask) -> None:
    assert client.get("/embed/timeline", query_string={"article": 999}).status_code == 404
    assert client.get("/embed/timeline", query_string={"bogus": 1}).status_code == 422
    empty = get(client, "/embed/timeline")
    assert "No dated events" in empty.text and "<script" not in empty.text


def test_without_its_assets_the_embed_page_says_so(
    client: FlaskClient, app: Flask, tmp_path: Path
) -> None:
    app.static_folder = str(tmp_path)
    response = client.get("/embed/timeline")
    assert response.status_code == 503
    assert "make assets" in response.get_json()["detail"]


def test_oembed_gives_the_iframe_of_an_embed_page(
    client: FlaskClient, seed_article: dict[str, Any]
) -> None:
    url = f"http://localhost/embed/timeline?article={seed_article['id']}"
    found = get(client, "/oembed", url=url, maxwidth=500).get_json()
    assert (found["version"], found["type"], found["width"]) == ("1.0", "rich", 500)
    assert found["html"].startswith(f'<iframe src="{url}"')
    assert found["title"].startswith("High-stakes negotiations")
    page = get(client, "/embed/timeline", article=seed_article["id"]).text
    assert 'type="application/json+oembed"' in page


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"url": "http://evil.example/embed/timeline"}, 404),
        ({"url": "http://localhost/v1/timeline"}, 404),
        ({"url": "javascript:alert(1)"}, 404),
        ({"url": "http://localhost/embed/timeline?bogus=1"}, 404),
        ({"url": "http://localhost/embed/timeline?article=999"}, 404),
        ({"url": "http://localhost/embed/timeline", "format": "xml"}, 501),
        ({}, 422),
    ],
)
def test_oembed_refuses_what_is_not_ours(
    client: FlaskClient, seed_article: dict[str, Any], query: dict[str, str], status: int
) -> None:
    assert client.get("/oembed", query_string=query).status_code == status


def test_the_docs_show_the_snippet(client: FlaskClient) -> None:
    page = get(client, "/docs").text
    assert "&lt;iframe src=" in page and "/embed/timeline" in page


TIMED = {
    "id": 7,
    "interval": {
        "start": "2021-07-16T09:30:00",
        "end": "2021-07-16T10:30:00",
        "granularity": "hour",
    },
    "display_date": "9.30 am, Friday 16 July 2021",
    "headline": "The talks opened",
    "text": "The talks opened at 9.30 am on Friday.",
    "sources": ["Wire"],
    "mentions": [],
    "conflicts": [],
    "uncertain": False,
}


def test_a_timed_entry_keeps_its_time() -> None:
    from datetime import datetime

    from timeline import exports

    (slide,) = exports.timelinejs([TIMED], "T")["events"]
    assert slide["start_date"] == {"year": 2021, "month": 7, "day": 16, "hour": 9, "minute": 30}
    assert slide["end_date"]["hour"] == 10
    (event,) = icalendar.Calendar.from_ical(exports.ics([TIMED], "T", "example.org")).walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2021, 7, 16, 9, 30)
    assert str(event["uid"]) == "event-7@example.org"
    empty = {
        **TIMED,
        "interval": {"start": "2021-07-16", "end": "2021-07-16", "granularity": "day"},
    }
    assert "end_date" not in exports.timelinejs([empty], "T")["events"][0]


ZONED = {
    **TIMED,
    "id": 8,
    "interval": {"start": "2021-07-13T09:30Z", "end": "2021-07-13T09:31Z", "granularity": "minute"},
    "display_date": "Tuesday 13 July 2021, 05:30 UTC-4",
}


def test_a_time_said_in_a_zone_is_in_utc_in_icalendar_and_kept_elsewhere() -> None:
    from datetime import UTC, datetime

    from timeline import exports

    document = exports.ics([ZONED, TIMED], "T", "example.org")
    assert b"DTSTART:20210713T093000Z" in document
    assert b"DTEND:20210713T093100Z" in document
    zoned, floating = icalendar.Calendar.from_ical(document).walk("VEVENT")
    assert zoned.decoded("dtstart") == datetime(2021, 7, 13, 9, 30, tzinfo=UTC)
    assert floating.decoded("dtstart").tzinfo is None  # no zone said: floating, not UTC
    (row,) = csv.DictReader(io.StringIO(exports.csv_text([ZONED])))
    assert (row["start"], row["end"]) == ("2021-07-13T09:30Z", "2021-07-13T09:31Z")
    assert row["date"] == "Tuesday 13 July 2021, 05:30 UTC-4"
    (slide,) = exports.timelinejs([ZONED], "T")["events"]
    assert slide["start_date"] == {"year": 2021, "month": 7, "day": 13, "hour": 9, "minute": 30}
    assert slide["display_date"] == "Tuesday 13 July 2021, 05:30 UTC-4"


@pytest.mark.parametrize(
    ("sentence", "dtstart"),
    [
        ("The minister resigned at 09:30 GMT on Tuesday.", "20210713T093000Z"),
        ("The minister resigned at 5:30 a.m. EDT on Tuesday.", "20210713T093000Z"),
        ("The minister resigned Tuesday at 10:30 CET.", "20210713T093000Z"),
        ("The minister resigned at 9:30 a.m. on Tuesday.", "20210713T093000"),
    ],
)
def test_an_articles_zoned_time_is_one_entry_in_utc_in_icalendar(
    client: FlaskClient, sentence: str, dtstart: str
) -> None:
    article = post(client, {"text": sentence, "published_at": "2021-07-15", "source": "Wire"})
    path = f"/v1/articles/{article['id']}/timeline"
    (entry,) = timeline(client, path)
    calendar = get(client, path, format="ics").data.decode()
    assert f"DTSTART:{dtstart}\r\n" in calendar
    assert entry["display_date"].startswith("Tuesday 13 July 2021, ")
    rows = list(csv.DictReader(io.StringIO(get(client, path, format="csv").text)))
    assert [r["start"] for r in rows] == [entry["interval"]["start"]]
    assert rows[0]["start"].endswith("Z") == dtstart.endswith("Z")


def test_an_export_streams_its_entries_a_chunk_at_a_time(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    for article in [*CLASH, CONTRARY, TALKS, MARKETS]:
        client.post("/v1/articles", json=article)
    entries = timeline(client, "/v1/timeline")
    assert len(entries) > 2
    monkeypatch.setattr(timelines_api, "EXPORT_CHUNK", 2)
    rows = list(csv.DictReader(io.StringIO(get(client, "/v1/timeline", format="csv").text)))
    assert [int(r["id"]) for r in rows] == [e["id"] for e in entries]
    calendar = icalendar.Calendar.from_ical(get(client, "/v1/timeline", format="ics").data)
    uids = [str(e["uid"]) for e in calendar.walk("VEVENT")]
    assert [u.split("@")[0] for u in uids] == [f"event-{e['id']}" for e in entries]
    slides = get(client, "/v1/timeline", format="timelinejs").get_json()["events"]
    assert [s["unique_id"] for s in slides] == [f"event-{e['id']}" for e in entries]
    first = client.get("/v1/timeline", query_string={"format": "csv", "limit": 2})
    assert first.headers["Link"] and len(list(csv.DictReader(io.StringIO(first.text)))) == 2
