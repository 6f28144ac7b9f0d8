"""``/v1/sources`` and ``/v1/runs``: register, read, change, pause, delete, run now. Nothing
here fetches anything (the socket guard would fail the test if it did)."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from .problems import assert_problem

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

FEED = {"kind": "feed", "url": "https://news.example/feed.xml", "interval_seconds": 900}


def register(client: FlaskClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/v1/sources", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.headers["Location"].endswith(f"/v1/sources/{response.get_json()['id']}")
    source: dict[str, Any] = response.get_json()
    return source


def test_a_source_is_registered_read_changed_paused_and_deleted(client: FlaskClient) -> None:
    source = register(client, FEED)
    assert source["enabled"] is True and source["cron"] is None
    assert client.get("/v1/sources").get_json()["items"] == [source]
    assert client.get(f"/v1/sources/{source['id']}").get_json() == source
    changed = client.patch(f"/v1/sources/{source['id']}", json={"cron": "0 6 * * *"}).get_json()
    assert (changed["cron"], changed["interval_seconds"]) == ("0 6 * * *", None)
    paused = client.patch(f"/v1/sources/{source['id']}", json={"enabled": False}).get_json()
    assert paused["enabled"] is False and paused["cron"] == "0 6 * * *"
    assert client.delete(f"/v1/sources/{source['id']}").status_code == 204
    assert_problem(client.get(f"/v1/sources/{source['id']}"), 404)


def test_a_private_url_is_stored_and_never_fetched_here(client: FlaskClient) -> None:
    source = register(client, {**FEED, "url": "http://10.0.0.1/feed"})
    assert source["url"] == "http://10.0.0.1/feed"


def test_a_folder_source_takes_a_path_under_the_root(client: FlaskClient) -> None:
    source = register(client, {"kind": "folder", "path": "seeds", "cron": "*/15 * * * *"})
    assert (source["path"], source["url"]) == ("seeds", None)


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "folder", "url": "https://news.example/", "interval_seconds": 60},
        {"kind": "feed", "path": "seeds", "interval_seconds": 60},
        {"kind": "feed", "url": "https://news.example/", "path": "seeds", "interval_seconds": 60},
        {"kind": "feed", "url": "https://news.example/"},
        {
            "kind": "feed",
            "url": "https://news.example/",
            "interval_seconds": 60,
            "cron": "* * * * *",
        },
        {"kind": "feed", "url": "ftp://news.example/", "interval_seconds": 60},
        {"kind": "feed", "url": "https://news.example/", "cron": "*/60 * * * *"},
        {"kind": "feed", "url": "https://news.example/", "cron": "0 6 * *"},
        {"kind": "feed", "url": "https://news.example/", "interval_seconds": 0},
        {"kind": "folder", "path": "../etc", "interval_seconds": 60},
        {"kind": "folder", "path": "/etc", "interval_seconds": 60},
        {"kind": "rss", "url": "https://news.example/", "interval_seconds": 60},
        {**FEED, "enabled": 1},
    ],
)
def test_a_source_that_breaks_the_rules_is_refused(
    client: FlaskClient, body: dict[str, Any]
) -> None:
    assert_problem(client.post("/v1/sources", json=body), 422)
    assert client.get("/v1/sources").get_json()["items"] == []


def test_a_run_asked_for_is_queued_for_the_scheduler(client: FlaskClient) -> None:
    source = register(client, FEED)
    response = client.post(f"/v1/sources/{source['id']}/run")
    assert response.status_code == 202
    run = response.get_json()
    assert (run["status"], run["source_id"], run["seen"]) == ("queued", source["id"], 0)
    assert response.headers["Location"].endswith(f"/v1/runs/{run['id']}")
    assert client.get(f"/v1/runs/{run['id']}").get_json() == run
    assert client.get(f"/v1/sources/{source['id']}/runs").get_json()["items"] == [run]


@pytest.mark.parametrize(
    "path",
    ["/v1/sources/99", "/v1/sources/99/runs", "/v1/runs/99", "/v1/sources/2147483648"],
)
def test_unknown_sources_and_runs_are_404(client: FlaskClient, path: str) -> None:
    assert_problem(client.get(path), 404)


def test_sources_are_listed_a_page_at_a_time(client: FlaskClient) -> None:
    ids = [
        register(client, {**FEED, "url": f"https://news.example/{n}.xml"})["id"] for n in range(5)
    ]
    seen, cursor = [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor is not None else {})}
        page = client.get("/v1/sources", query_string=query).get_json()
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids
    assert client.get("/v1/sources", query_string={"limit": 0}).status_code == 422
    assert client.get("/v1/sources", query_string={"bogus": 1}).status_code == 422
