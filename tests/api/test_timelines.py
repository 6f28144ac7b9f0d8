"""``GET /v1/articles/{id}/timeline`` and ``GET /v1/timeline``: the dated references of the
stored articles, in chronological order, with the sentence around each, and their filters."""

from __future__ import annotations

from typing import Any

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


@pytest.fixture
def stored(client: FlaskClient) -> dict[str, int]:
    return {"talks": post(client, TALKS)["id"], "markets": post(client, MARKETS)["id"]}


def timeline(client: FlaskClient, path: str = "/v1/timeline", **query: Any) -> list[dict[str, Any]]:
    response = client.get(path, query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    entries: list[dict[str, Any]] = response.get_json()["entries"]
    return entries


def starts(entries: list[dict[str, Any]]) -> list[str]:
    return [entry["mention"]["interval"]["start"] for entry in entries]


def test_an_articles_timeline_is_in_chronological_order_with_its_sentences(
    client: FlaskClient, stored: dict[str, int]
) -> None:
    entries = timeline(client, f"/v1/articles/{stored['talks']}/timeline")
    assert [e["mention"]["text"] for e in entries] == [
        "September 11, 2001",
        "Friday",
        "Eid al-Adha",
    ]
    assert starts(entries) == sorted(starts(entries))
    for entry in entries:
        sentence = entry["sentence"]
        assert entry["article_id"] == stored["talks"]
        assert sentence["text"] == TALKS["text"][sentence["start"] : sentence["end"]].strip()
        assert entry["mention"]["text"] in sentence["text"]
    assert entries[1]["sentence"]["text"].startswith("The Afghan army clashed")


def test_the_timeline_across_articles_interleaves_them(
    client: FlaskClient, stored: dict[str, int]
) -> None:
    entries = timeline(client)
    assert {e["article_id"] for e in entries} == set(stored.values())
    assert starts(entries) == sorted(starts(entries))
    assert starts(entries)[0].startswith("2001-09-11")


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
    entries = timeline(client, **query)
    assert {e["article_id"] for e in entries} == {stored[name] for name in articles}
    if "from" in query:
        assert all(e["mention"]["interval"]["end"] > query["from"] for e in entries)
    if "to" in query:
        assert all(e["mention"]["interval"]["start"] <= query["to"] for e in entries)


def test_the_article_filter_is_that_articles_timeline(
    client: FlaskClient, stored: dict[str, int]
) -> None:
    one = timeline(client, f"/v1/articles/{stored['markets']}/timeline")
    assert timeline(client, article=stored["markets"]) == one
    assert starts(one) == sorted(starts(one)) and one


def test_an_unknown_articles_timeline_is_404(client: FlaskClient, stored: dict[str, int]) -> None:
    response = client.get(f"/v1/articles/{max(stored.values()) + 1}/timeline")
    assert response.status_code == 404
