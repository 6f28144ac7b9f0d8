"""The database the API tests run on: a SQLite file of their own, or the one named by
``TIMELINE_TEST_DATABASE_URL`` (PostgreSQL in CI)."""

from __future__ import annotations

import os

from sqlalchemy import create_engine, delete

from timeline.store.models import Base

DATABASE_URL_ENV = "TIMELINE_TEST_DATABASE_URL"


def external_database_url() -> str | None:
    """The database named by ``TIMELINE_TEST_DATABASE_URL``, if any."""
    return os.environ.get(DATABASE_URL_ENV) or None


def on_postgresql() -> bool:
    """Whether the tests run on PostgreSQL."""
    return (external_database_url() or "").startswith("postgresql")


def empty_tables(url: str) -> None:
    """Delete every row of the database at ``url`` (children first)."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(delete(table))
    finally:
        engine.dispose()
