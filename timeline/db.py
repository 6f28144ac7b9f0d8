"""The database: one SQLAlchemy engine per application, a session per request.

``init_app(app)`` builds the engine from ``DATABASE_URL`` (SQLite by default, PostgreSQL in
production) and closes the request's session at teardown. The schema is Alembic's
(``timeline db upgrade``), never ``create_all``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

EXTENSION = "timeline.db"


def init_app(app: Flask) -> None:
    """Create the application's engine and session factory, and the teardown that closes
    each request's session."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions[EXTENSION] = (engine, sessionmaker(engine, expire_on_commit=False))
    app.teardown_appcontext(_close_session)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):  # type: ignore[no-untyped-def]
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def engine(app: Flask | None = None) -> Engine:
    """The application's engine."""
    found: tuple[Engine, sessionmaker[Session]] = (app or current_app).extensions[EXTENSION]
    return found[0]


def session() -> Session:
    """The current request's session (one per application context)."""
    if "db_session" not in g:
        _, factory = current_app.extensions[EXTENSION]
        g.db_session = factory()
    found: Session = g.db_session
    return found


@contextmanager
def transaction() -> Iterator[Session]:
    """The request's session inside one transaction: committed on success, rolled back on
    any error."""
    current = session()
    try:
        yield current
        current.commit()
    except BaseException:
        current.rollback()
        raise


def _close_session(_exc: BaseException | None) -> None:
    current: Session | None = g.pop("db_session", None)
    if current is not None:
        current.close()
