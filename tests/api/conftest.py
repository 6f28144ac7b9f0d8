"""Fixtures of the REST API tests: an application on a migrated, empty database, its test
client, and the seed article posted through the API.

The database is a SQLite file under ``tmp_path``, unless ``TIMELINE_TEST_DATABASE_URL`` names
another one (PostgreSQL in CI): that database is migrated and emptied before each test.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient

from timeline.app import create_app
from timeline.store import db
from timeline.store.migrate import alembic_config, upgrade

from .database import empty_tables, external_database_url

SEED = Path("seeds") / "doha-talks-2021-07-17.json"
SEED_FIELDS = ("title", "text", "published_at", "source", "language", "region")


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The URL of a database at the newest schema, with no rows."""
    url = external_database_url()
    if url is None:
        url = f"sqlite:///{tmp_path / 'timeline.db'}"
        upgrade(url)
        return url
    upgrade(url)
    empty_tables(url)
    return url


@pytest.fixture
def unmigrated_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with no schema: a new SQLite file, or the external database
    downgraded to ``base`` for the test (after ``database_url`` migrated it, and upgraded
    again after the test)."""
    url = external_database_url()
    if url is None:
        yield f"sqlite:///{tmp_path / 'unmigrated.db'}"
        return
    command.downgrade(alembic_config(url), "base")
    try:
        yield url
    finally:
        upgrade(url)


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """A factory of applications in testing mode on ``database_url``; keyword arguments are
    more configuration (``make_app(MAX_CONTENT_LENGTH=1024)``). Their engines are disposed of
    after the test."""
    apps: list[Flask] = []

    def make(**config: Any) -> Flask:
        app = create_app({"TESTING": True, "DATABASE_URL": database_url, **config})
        apps.append(app)
        return app

    yield make
    for app in apps:
        db.engine(app).dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """The application on a migrated, empty database."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture
def seed(repo_root: Path) -> dict[str, Any]:
    """The request body that posts the seed article: its title, text, publication date,
    source, language and region."""
    data: dict[str, Any] = json.loads((repo_root / SEED).read_text(encoding="utf-8"))
    return {field: data[field] for field in SEED_FIELDS}


@pytest.fixture
def seed_article(client: FlaskClient, seed: dict[str, Any]) -> dict[str, Any]:
    """The seed article, posted to ``/v1/articles``: the stored article the API answered."""
    response = client.post("/v1/articles", json=seed)
    assert response.status_code == 201, response.get_data(as_text=True)
    article: dict[str, Any] = response.get_json()
    return article
