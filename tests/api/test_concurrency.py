"""Concurrent posts of one article (``timeline/store/articles.py``): the database's unique
constraints decide, so the article is stored once and every post answers with it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask

THREADS = 8


def post_together(app: Flask, bodies: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """Post each body from its own thread and test client, all released at once; the status
    and JSON of every response."""
    start = threading.Barrier(len(bodies))

    def post(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        client = app.test_client()
        start.wait(timeout=30)
        response = client.post("/v1/articles", json=body)
        payload: dict[str, Any] = response.get_json()
        return response.status_code, payload

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, bodies))


def test_the_same_article_posted_concurrently_is_stored_once(
    app: Flask, seed: dict[str, Any]
) -> None:
    results = post_together(app, [seed] * THREADS)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * (THREADS - 1) + [201], results
    ids = {payload["id"] for _, payload in results}
    assert len(ids) == 1
    assert all(payload["text"] == seed["text"] for _, payload in results)
    listing = app.test_client().get("/v1/articles").get_json()
    assert [item["id"] for item in listing["items"]] == list(ids)
    assert listing["next_cursor"] is None


@pytest.mark.parametrize("shared", ["url", "text"])
def test_posts_sharing_a_url_or_a_text_store_one_article(app: Flask, shared: str) -> None:
    bodies = [
        {
            "text": "Talks resumed on Friday." if shared == "text" else f"Version {n}: Friday.",
            "url": "https://example.com/talks" if shared == "url" else f"https://example.com/{n}",
            "published_at": "2021-07-17",
        }
        for n in range(THREADS)
    ]
    results = post_together(app, bodies)
    assert sorted(status for status, _ in results) == [200] * (THREADS - 1) + [201], results
    assert len({payload["id"] for _, payload in results}) == 1
    assert len(app.test_client().get("/v1/articles").get_json()["items"]) == 1


def test_reports_of_one_event_posted_concurrently_are_all_stored(app: Flask) -> None:
    """Every post groups its events with the stored reports of the same events, updating
    their rows: concurrent posts must neither fail (a deadlock on PostgreSQL) nor lose one."""
    bodies = [
        {
            "text": (
                f"Report {n}. The Afghan army clashed with Taliban fighters in Spin Boldak on "
                "Friday. Talks in Doha resumed on Thursday. The summit was postponed until "
                "after Eid al-Adha."
            ),
            "published_at": "2021-07-17",
            "source": f"Source {n}",
        }
        for n in range(THREADS)
    ]
    results = post_together(app, bodies)
    assert [status for status, _ in results] == [201] * len(bodies), results
    events = app.test_client().get("/v1/timeline").get_json()["events"]
    leads = [e for e in events if "clashed" in e["headline"]]
    assert len(leads) == 1
    assert leads[0]["reports"] == len(bodies)
    entry = app.test_client().get(f"/v1/events/{leads[0]['id']}").get_json()
    assert len({r["article_id"] for r in entry["reports"]}) == len(bodies)
