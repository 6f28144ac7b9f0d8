"""``GET /metrics`` (:mod:`timeline.api.metrics`): the requests and their latencies by route
template, the tagging time, and the articles and runs the database holds, by status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from timeline.store import db
from timeline.store.models import Article, Run, Source

from .problems import assert_problem

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: FlaskClient) -> Samples:
    """Every sample ``/metrics`` gives, by name and labels."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """The sample ``name`` with exactly ``labels``; 0 when there is none."""
    return samples.get((name, frozenset(labels.items())), 0.0)


def requests(samples: Samples, method: str, route: str, status: str) -> float:
    return value(samples, "timeline_http_requests_total", method=method, route=route, status=status)


def test_requests_are_counted_by_route_template_and_status(client: FlaskClient) -> None:
    before = scrape(client)
    for _ in range(2):
        assert client.get("/v1/articles").status_code == 200
    assert client.get("/v1/articles/123456").status_code == 404
    after = scrape(client)
    assert (
        requests(after, "GET", "/v1/articles", "200")
        - requests(before, "GET", "/v1/articles", "200")
        == 2
    )
    assert requests(after, "GET", "/v1/articles/<int:article_id>", "404") == 1
    assert (
        requests(after, "GET", "/metrics", "200") == requests(before, "GET", "/metrics", "200") + 1
    )
    latency = "timeline_http_request_duration_seconds_count"
    assert value(after, latency, method="GET", route="/v1/articles") == 2
    assert (
        value(
            after, "timeline_http_request_duration_seconds_sum", method="GET", route="/v1/articles"
        )
        > 0
    )


def test_paths_and_methods_of_clients_add_no_series(client: FlaskClient) -> None:
    for path in ("/nothing-here", "/v1/nothing/1", "/v1/articles/abc"):
        assert client.get(path).status_code == 404
    assert client.open("/health", method="BREW").status_code == 405
    samples = scrape(client)
    assert requests(samples, "GET", "unmatched", "404") == 3
    assert requests(samples, "other", "unmatched", "405") == 1
    routes = {
        dict(labels).get("route") for name, labels in samples if name.startswith("timeline_http")
    }
    assert not routes & {"/nothing-here", "/v1/nothing/1", "/v1/articles/abc"}


def test_an_error_answered_before_the_view_is_counted(client: FlaskClient) -> None:
    response = client.post("/v1/articles", data="x", content_type="text/plain")
    assert response.status_code == 415
    assert requests(scrape(client), "POST", "/v1/articles", "415") == 1


def test_articles_stored_and_tagging_time(
    app: Flask, client: FlaskClient, seed: dict[str, Any]
) -> None:
    samples = scrape(client)
    assert value(samples, "timeline_articles_stored", status="tagged") == 0
    assert value(samples, "timeline_tagging_duration_seconds_count") == 0
    assert client.post("/v1/articles", json=seed).status_code == 201
    assert client.post("/v1/articles", json=seed).status_code == 200  # already stored
    extract = {"text": seed["text"], "published_at": seed["published_at"]}
    assert client.post("/v1/extract", json=extract).status_code == 200
    samples = scrape(client)
    with app.app_context():
        stored = db.session().scalar(select(func.count()).select_from(Article))
    assert value(samples, "timeline_articles_stored", status="tagged") == stored == 1
    assert value(samples, "timeline_articles_stored", status="failed") == 0
    assert value(samples, "timeline_tagging_duration_seconds_count") == 2
    assert value(samples, "timeline_tagging_duration_seconds_sum") > 0
    assert value(samples, "timeline_database_up") == 1


def test_runs_by_status_are_the_databases(app: Flask, client: FlaskClient) -> None:
    now = datetime.now(UTC)
    with app.app_context():
        session = db.session()
        source = Source(
            kind="feed", url="https://example.org/feed", interval_seconds=3600, created_at=now
        )
        session.add(source)
        statuses = ["done", "done", "done", "failed", "queued", "running"]
        session.add_all(Run(source=source, status=s, requested_at=now) for s in statuses)
        session.commit()
        counted = dict(session.execute(select(Run.status, func.count()).group_by(Run.status)).all())
    samples = scrape(client)
    for status in ("queued", "running", "done", "failed"):
        assert value(samples, "timeline_runs", status=status) == counted[status]
    assert counted == {"done": 3, "failed": 1, "queued": 1, "running": 1}


def test_an_empty_database_gives_every_status_at_zero(client: FlaskClient) -> None:
    samples = scrape(client)
    for status in ("queued", "running", "done", "failed"):
        assert ("timeline_runs", frozenset({("status", status)})) in samples
        assert value(samples, "timeline_runs", status=status) == 0


def test_without_its_database_metrics_still_answer(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'missing' / 'folder' / 'timeline.db'}"
    client = make_app(DATABASE_URL=url).test_client()
    client.get("/health")
    samples = scrape(client)
    assert value(samples, "timeline_database_up") == 0
    assert not any(name == "timeline_articles_stored" for name, _ in samples)
    assert requests(samples, "GET", "/health", "200") == 1


def test_each_application_counts_its_own(make_app: Callable[..., Flask]) -> None:
    first, second = make_app().test_client(), make_app().test_client()
    first.get("/health")
    assert requests(scrape(first), "GET", "/health", "200") == 1
    assert requests(scrape(second), "GET", "/health", "200") == 0


def test_process_metrics_are_there(client: FlaskClient) -> None:
    assert any(name == "process_resident_memory_bytes" for name, _ in scrape(client))


def test_metrics_can_be_turned_off(make_app: Callable[..., Flask]) -> None:
    client = make_app(METRICS="false").test_client()
    assert_problem(client.get("/metrics"), 404)


def test_a_metrics_setting_that_is_no_boolean_fails_at_start(
    make_app: Callable[..., Flask],
) -> None:
    from timeline.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="TIMELINE_METRICS"):
        make_app(METRICS="perhaps")


def test_metrics_are_not_part_of_the_api_contract(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()
    assert "/metrics" not in document["paths"]
