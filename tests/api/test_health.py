"""``GET /health`` (the process answers) and ``GET /ready`` (the database answers and its
schema is the newest migration's)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from timeline.store import db
from timeline.store.migrate import current_revision, head_revision

from .problems import PROBLEM_JSON, assert_problem


def test_health_answers(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_ready_on_a_migrated_database(app: Flask, client: FlaskClient) -> None:
    head = head_revision()
    assert head
    response = client.get("/ready")
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "schema": head}
    assert current_revision(db.engine(app)) == head


def test_ready_on_an_unmigrated_database_is_a_503_problem(
    make_app: Callable[..., Flask], unmigrated_database_url: str
) -> None:
    client = make_app(DATABASE_URL=unmigrated_database_url).test_client()
    problem = assert_problem(client.get("/ready"), 503)
    assert str(head_revision()) in problem["detail"]
    assert client.get("/health").status_code == 200


def test_ready_without_a_database_is_a_503_problem(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'missing' / 'folder' / 'timeline.db'}"
    client = make_app(DATABASE_URL=url).test_client()
    assert_problem(client.get("/ready"), 503)


def test_ready_503_is_documented_as_it_is_answered(
    make_app: Callable[..., Flask], unmigrated_database_url: str
) -> None:
    client = make_app(DATABASE_URL=unmigrated_database_url).test_client()
    response = client.get("/ready")
    assert response.status_code == 503
    document = client.get("/openapi.json").get_json()
    documented = document["paths"]["/ready"]["get"]["responses"]["503"]
    if "$ref" in documented:
        documented = document["components"]["responses"][documented["$ref"].rsplit("/", 1)[-1]]
    assert documented["content"].keys() == {response.mimetype}
    assert response.mimetype == PROBLEM_JSON
