"""``/v1/articles``: an article is stored once (by URL or text) with its mentions, listed a
page at a time with filters, read, and deleted with its mentions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from timeline.store import db
from timeline.store.models import Mention

from .problems import assert_problem, field_errors

# Articles that the filters tell apart, keyed by a name the tests use.
LIBRARY: dict[str, dict[str, Any]] = {
    "doha": {
        "title": "Talks in Doha",
        "text": "The Taliban control more than 50% of the country, a reporter said on Friday.",
        "published_at": "2021-07-17",
        "source": "Al Jazeera",
        "language": "en",
        "region": "AF",
    },
    "paris": {
        "title": "Négociations à Doha",
        "text": "Les négociations ont repris vendredi à Doha.",
        "published_at": "2021-07-10T08:00:00+02:00",
        "source": "Reuters",
        "language": "fr",
    },
    "snake": {
        "title": "A 100 percent snake_case headline",
        "text": "The file upload_date.txt was written on 30 June 2021.",
        "published_at": "2021-06-30",
        "source": "Reuters",
        "language": "en",
        "url": "https://example.com/snake",
    },
    "backslash": {
        "title": None,
        "text": "A path C:\\temp\\new was named in 1000 reports.",
        "published_at": "2021-07-20",
        "source": None,
        "language": "en",
    },
    "decoy": {
        "title": "Snakes and ladders",
        "text": "Snakexcase and 50 percent, 1000 reports, no special characters here.",
        "published_at": "2021-07-18",
        "source": "AP",
        "language": "en",
    },
}


def post(client: FlaskClient, body: dict[str, Any]) -> dict[str, Any]:
    """Post a new article; its stored representation."""
    response = client.post("/v1/articles", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    article: dict[str, Any] = response.get_json()
    return article


def list_ids(client: FlaskClient, **query: Any) -> list[int]:
    """The ids of every article ``GET /v1/articles`` lists for ``query``, following the
    cursors to the last page."""
    ids: list[int] = []
    cursor: str | None = None
    for _ in range(1000):
        params = dict(query, **({"cursor": cursor} if cursor is not None else {}))
        response = client.get("/v1/articles", query_string=params)
        assert response.status_code == 200, response.get_data(as_text=True)
        page = response.get_json()
        ids.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return ids
        assert page["items"], "a page with a next cursor must not be empty"
    raise AssertionError("the cursors never reached a last page")


@pytest.fixture
def library(client: FlaskClient) -> dict[str, int]:
    """The ``LIBRARY`` articles, posted: their ids by name."""
    return {name: post(client, body)["id"] for name, body in LIBRARY.items()}


# Posting


def test_post_stores_the_article_at_its_location(client: FlaskClient, seed: dict[str, Any]) -> None:
    response = client.post("/v1/articles", json=seed)
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    for field, value in seed.items():
        assert created[field] == value, field
    assert created["url"] is None
    assert created["status"] == "tagged"
    assert created["error"] is None
    assert created["mention_count"] > 0
    location = response.headers["Location"]
    assert location.endswith(f"/v1/articles/{created['id']}")
    fetched = client.get(location)
    assert fetched.status_code == 200
    assert fetched.get_json() == created


def test_post_the_same_article_again_returns_the_stored_one(
    client: FlaskClient, seed: dict[str, Any], seed_article: dict[str, Any]
) -> None:
    again = client.post("/v1/articles", json=seed)
    assert again.status_code == 200, again.get_data(as_text=True)
    assert "Location" not in again.headers
    assert again.get_json() == seed_article
    assert list_ids(client) == [seed_article["id"]]


def test_post_the_same_url_with_other_text_returns_the_stored_one(client: FlaskClient) -> None:
    first = post(client, {**LIBRARY["snake"]})
    changed = {**LIBRARY["snake"], "text": "A corrected story, updated on 1 July 2021."}
    again = client.post("/v1/articles", json=changed)
    assert again.status_code == 200, again.get_data(as_text=True)
    assert again.get_json()["id"] == first["id"]
    assert again.get_json()["text"] == LIBRARY["snake"]["text"]
    assert list_ids(client) == [first["id"]]


def test_post_the_same_text_under_another_url_returns_the_stored_one(
    client: FlaskClient,
) -> None:
    first = post(client, LIBRARY["snake"])
    moved = {**LIBRARY["snake"], "url": "https://example.org/mirror"}
    again = client.post("/v1/articles", json=moved)
    assert again.status_code == 200
    assert again.get_json()["id"] == first["id"]
    assert again.get_json()["url"] == LIBRARY["snake"]["url"]


def test_post_different_articles_stores_each(client: FlaskClient) -> None:
    ids = [post(client, body)["id"] for body in LIBRARY.values()]
    assert len(set(ids)) == len(LIBRARY)
    assert list_ids(client) == sorted(ids)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"text": None}, "text", id="missing-text"),
        pytest.param({"published_at": "July 17"}, "published_at", id="bad-published_at"),
        pytest.param({"url": "ftp://example.com/a"}, "url", id="url-not-http"),
        pytest.param({"url": "not a url"}, "url", id="url-not-a-url"),
        pytest.param({"title": "t" * 1025}, "title", id="title-too-long"),
        pytest.param({"source": 7}, "source", id="source-a-number"),
        pytest.param({"id": 1}, "id", id="unknown-field"),
    ],
)
def test_post_rejects_invalid_article(
    client: FlaskClient, seed: dict[str, Any], changes: dict[str, Any], field: str
) -> None:
    body = {k: v for k, v in {**seed, **changes}.items() if v is not None}
    fields = field_errors(client.post("/v1/articles", json=body), "json")
    assert set(fields) == {field}
    assert list_ids(client) == []


def test_post_keeps_text_with_a_nul_character(client: FlaskClient) -> None:
    text = "Talks resumed on Friday.\x00 They ended on Sunday."
    response = client.post("/v1/articles", json={"text": text, "published_at": "2021-07-17"})
    assert response.status_code in (201, 422), response.get_data(as_text=True)
    if response.status_code == 201:
        assert client.get(response.headers["Location"]).get_json()["text"] == text
    else:
        field_errors(response, "json")


def test_post_refuses_or_stores_a_lone_surrogate(client: FlaskClient) -> None:
    body = '{"text": "\\ud800 on Friday", "published_at": "2021-07-17"}'
    response = client.post("/v1/articles", data=body, content_type="application/json")
    assert response.status_code in (201, 422), response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "width"),
    [
        ("language", "en-" + "-".join(["abcdefgh"] * 5), 35),
        ("published_at", "2021-07-17T09:30:00." + "1" * 30 + "+00:00", 40),
        ("region", "AF\n", 2),
    ],
)
def test_post_refuses_values_wider_than_their_column(
    client: FlaskClient, field: str, value: str, width: int
) -> None:
    body = {"text": f"Wide {field} on Friday.", "published_at": "2021-07-17", field: value}
    response = client.post("/v1/articles", json=body)
    if response.status_code == 201:
        assert len(response.get_json()[field]) <= width
    else:
        assert set(field_errors(response, "json")) == {field}


# Listing


def test_list_is_empty_without_articles(client: FlaskClient) -> None:
    response = client.get("/v1/articles")
    assert response.status_code == 200
    assert response.get_json() == {"items": [], "next_cursor": None}


def test_list_shows_articles_without_their_text(
    client: FlaskClient, seed_article: dict[str, Any]
) -> None:
    page = client.get("/v1/articles").get_json()
    assert page["next_cursor"] is None
    assert len(page["items"]) == 1
    item = page["items"][0]
    assert "text" not in item
    assert item == {k: v for k, v in seed_article.items() if k != "text"}


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 8, 100])
def test_pages_cover_every_article_exactly_once(client: FlaskClient, limit: int) -> None:
    bodies = [
        {"text": f"Report {n}: talks on Friday.", "published_at": "2021-07-17"} for n in range(7)
    ]
    ids = [post(client, body)["id"] for body in bodies]
    pages: list[list[int]] = []
    cursor: int | None = None
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        page = client.get("/v1/articles", query_string=params).get_json()
        pages.append([item["id"] for item in page["items"]])
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert len(pages) <= len(ids), "more pages than articles"
    assert all(len(p) <= limit for p in pages)
    assert all(len(p) == limit for p in pages[:-1])
    assert [i for p in pages for i in p] == ids
    assert len(pages) == max(1, -(-len(ids) // limit))


def test_list_uses_the_configured_page_size(make_app: Callable[..., Flask]) -> None:
    client = make_app(PAGE_SIZE=2).test_client()
    for n in range(3):
        post(client, {"text": f"Item {n} of the day.", "published_at": "2021-07-17"})
    first = client.get("/v1/articles").get_json()
    assert len(first["items"]) == 2
    assert first["next_cursor"] is not None


@pytest.mark.parametrize(
    ("query", "names"),
    [
        pytest.param({"source": "Reuters"}, {"paris", "snake"}, id="source"),
        pytest.param({"source": "reuters"}, set(), id="source-exact"),
        pytest.param({"language": "fr"}, {"paris"}, id="language"),
        pytest.param({"language": "en"}, {"doha", "snake", "backslash", "decoy"}, id="language-en"),
        pytest.param({"published_from": "2021-07-17"}, {"doha", "backslash", "decoy"}, id="from"),
        pytest.param({"published_to": "2021-07-10"}, {"paris", "snake"}, id="to"),
        pytest.param(
            {"published_from": "2021-07-10", "published_to": "2021-07-17"},
            {"paris", "doha"},
            id="from-to",
        ),
        pytest.param(
            {"published_from": "2021-07-18", "published_to": "2021-07-17"}, set(), id="empty"
        ),
        pytest.param({"source": "Reuters", "language": "en"}, {"snake"}, id="source-language"),
        pytest.param({"q": "doha"}, {"doha", "paris"}, id="q-title-and-text"),
        pytest.param({"q": "TALIBAN"}, {"doha"}, id="q-ignores-case"),
        pytest.param({"q": "snake"}, {"snake"}, id="q-whole-words"),
        pytest.param({"q": "talks doha"}, {"doha"}, id="q-every-word"),
        pytest.param({"q": "Doha, talks!"}, {"doha"}, id="q-any-order-and-punctuation"),
        pytest.param({"q": "doha vendredi"}, {"paris"}, id="q-title-with-text"),
        pytest.param({"q": "négociations"}, {"paris"}, id="q-accents"),
        pytest.param({"q": "50%"}, {"doha", "decoy"}, id="q-percent-is-not-a-word"),
        pytest.param({"q": "snake_case"}, {"snake"}, id="q-underscore-separates"),
        pytest.param({"q": "\\temp"}, {"backslash"}, id="q-backslash-separates"),
        pytest.param({"q": "1000 reports"}, {"backslash", "decoy"}, id="q-numbers"),
        pytest.param({"q": "doha OR snake"}, set(), id="q-no-query-syntax"),
        pytest.param({"q": "snake*"}, {"snake"}, id="q-no-prefix-syntax"),
        pytest.param({"q": "%_"}, set(), id="q-no-words"),
    ],
)
def test_list_filters(
    client: FlaskClient, library: dict[str, int], query: dict[str, str], names: set[str]
) -> None:
    expected = sorted(library[name] for name in names)
    assert list_ids(client, **query) == expected
    assert list_ids(client, limit=1, **query) == expected


VOCABULARY = ["doha", "Talks", "SNAKE", "case", "50", "reports", "négociations", "absent"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    chosen=st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=3),
    separator=st.sampled_from([" ", ", ", "-", "_", " % ", '" ']),
)
def test_q_finds_the_articles_holding_every_word(
    client: FlaskClient, library: dict[str, int], chosen: list[str], separator: str
) -> None:
    def words(text: str | None) -> set[str]:
        return {word.lower() for word in re.findall(r"[^\W_]+", text or "")}

    wanted = {word.lower() for word in chosen}
    expected = sorted(
        library[name]
        for name, body in LIBRARY.items()
        if wanted <= words(body["title"]) | words(body["text"])
    )
    assert list_ids(client, q=separator.join(chosen)) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"published_from": "2021-02-30"}, "published_from"),
        ({"published_to": "yesterday"}, "published_to"),
        ({"q": ""}, "q"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_list_rejects_invalid_query(client: FlaskClient, query: dict[str, Any], field: str) -> None:
    fields = field_errors(client.get("/v1/articles", query_string=query), "query")
    assert set(fields) == {field}


def test_list_rejects_an_unknown_query_parameter(
    client: FlaskClient, library: dict[str, int]
) -> None:
    response = client.get("/v1/articles", query_string={"sorce": "Reuters"})
    assert set(field_errors(response, "query")) == {"sorce"}


@pytest.mark.parametrize("cursor", ["", "abc", "!!!!", "-1", "1.5", "0x10"])
def test_list_rejects_a_cursor_it_did_not_give_out(
    client: FlaskClient, seed_article: dict[str, Any], cursor: str
) -> None:
    fields = field_errors(client.get("/v1/articles", query_string={"cursor": cursor}), "query")
    assert set(fields) == {"cursor"}


def test_a_cursor_beyond_any_id_is_an_empty_page(client: FlaskClient) -> None:
    cursor = "9" * 23
    response = client.get("/v1/articles", query_string={"cursor": cursor})
    assert response.status_code == 200
    assert response.get_json() == {"items": [], "next_cursor": None}


# Reading


def test_get_one_has_the_text_as_posted(
    client: FlaskClient, seed: dict[str, Any], seed_article: dict[str, Any]
) -> None:
    response = client.get(f"/v1/articles/{seed_article['id']}")
    assert response.status_code == 200
    article = response.get_json()
    assert article["text"] == seed["text"]
    assert article["id"] == seed_article["id"]
    assert article["ingested_at"].endswith("+00:00")


def test_mentions_index_the_stored_text(
    client: FlaskClient, seed: dict[str, Any], seed_article: dict[str, Any]
) -> None:
    article_id = seed_article["id"]
    response = client.get(f"/v1/articles/{article_id}/mentions")
    assert response.status_code == 200
    body = response.get_json()
    assert body["article_id"] == article_id
    timexes = body["timexes"]
    assert len(timexes) == seed_article["mention_count"]
    text = client.get(f"/v1/articles/{article_id}").get_json()["text"]
    for timex in timexes:
        assert text[timex["start"] : timex["end"]] == timex["text"], timex
        assert timex["anchor"] == "2021-07-17"
    assert [t["start"] for t in timexes] == sorted(t["start"] for t in timexes)
    found = {(t["text"], t["value"]) for t in timexes}
    assert ("Friday", "2021-07-16") in found
    eid = [t for t in timexes if "Eid al-Adha" in t["text"]]
    assert [t["value"] for t in eid] == ["2021-07-20"]
    assert eid[0]["type"] == "DATE"


# Deleting


def mention_rows(app: Flask, article_id: int) -> int:
    """How many mention rows the database holds for the article."""
    with db.engine(app).connect() as connection:
        count = connection.scalar(
            select(func.count()).select_from(Mention).where(Mention.article_id == article_id)
        )
    return int(count or 0)


def test_delete_removes_the_article_and_its_mentions(
    app: Flask, client: FlaskClient, seed_article: dict[str, Any]
) -> None:
    article_id = seed_article["id"]
    assert mention_rows(app, article_id) == seed_article["mention_count"] > 0
    response = client.delete(f"/v1/articles/{article_id}")
    assert response.status_code == 204
    assert response.get_data() == b""
    assert_problem(client.get(f"/v1/articles/{article_id}"), 404)
    assert_problem(client.get(f"/v1/articles/{article_id}/mentions"), 404)
    assert_problem(client.delete(f"/v1/articles/{article_id}"), 404)
    assert mention_rows(app, article_id) == 0
    assert list_ids(client) == []


def test_delete_keeps_the_other_articles(client: FlaskClient, library: dict[str, int]) -> None:
    assert client.delete(f"/v1/articles/{library['paris']}").status_code == 204
    assert list_ids(client) == sorted(i for name, i in library.items() if name != "paris")
    assert client.get(f"/v1/articles/{library['doha']}/mentions").get_json()["timexes"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/articles/999999"),
        ("DELETE", "/v1/articles/999999"),
        ("GET", "/v1/articles/999999/mentions"),
    ],
)
def test_unknown_article_is_a_404_problem(
    client: FlaskClient, seed_article: dict[str, Any], method: str, path: str
) -> None:
    problem = assert_problem(client.open(path, method=method), 404)
    assert "999999" in problem["detail"]
