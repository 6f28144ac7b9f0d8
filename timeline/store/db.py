"""The database: one SQLAlchemy engine per application, a session per request.

``init_app(app)`` builds the engine from ``DATABASE_URL`` (SQLite by default, PostgreSQL in
production) and closes the request's session at teardown. The schema is Alembic's
(``timeline db upgrade``), never ``create_all``.

A process that needs its database waits for it at start (:func:`wait_for`: with backoff, for
at most ``DB_WAIT_SECONDS``); a request that finds it away later is answered 503 with
``Retry-After`` (:func:`unavailable_problem`), and the pool's pre-ping reconnects once the
database is back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, Response, current_app, g, request
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from ..errors import DatabaseUnavailableError

EXTENSION = "timeline.db"
# what a client is told to wait before it tries again while the database is away
RETRY_AFTER_SECONDS = 5


def init_app(app: Flask) -> None:
    """Create the application's engine and session factory, and the teardown that closes
    each request's session."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions[EXTENSION] = (engine, sessionmaker(engine, expire_on_commit=False))
    app.teardown_appcontext(_close_session)
    app.register_error_handler(DBAPIError, unavailable_problem)


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
    """Close the request's session. Its rollback on a connection that died meanwhile (the
    database stopped once the answer was made) has nothing to undo: the answer stands, and
    the pool has discarded the connection."""
    current: Session | None = g.pop("db_session", None)
    if current is None:
        return
    try:
        current.close()
    except DBAPIError as exc:
        current_app.logger.warning("database connection lost closing a session: %s", reason(exc))


def reason(error: DBAPIError) -> str:
    """Why the database failed, in one line: the first line of the driver's message (or the
    error's type when it gives none), for logs and one-line errors."""
    cause = error.orig or error
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def is_unavailable(error: DBAPIError) -> bool:
    """Whether ``error`` says the database is away (refused, dropped or shut down, or on
    SQLite locked or not openable) rather than that a statement is wrong."""
    return error.connection_invalidated or isinstance(error, OperationalError | InterfaceError)


def unavailable_problem(error: DBAPIError) -> Response:
    """503 with ``Retry-After`` while the database is away; any other database error is a
    bug, answered as one (500)."""
    from ..api.problems import problem, unexpected_problem

    if not is_unavailable(error):
        return unexpected_problem(error)
    current_app.logger.warning(
        "database unavailable on %s %s: %s", request.method, request.path, reason(error)
    )
    response = problem(
        503, "Service Unavailable", "The database is not reachable; try again shortly."
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def describe_url(url: str) -> str:
    """``url`` without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def wait_for(
    url: str,
    seconds: float,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Return once the database at ``url`` answers ``SELECT 1``, trying again with backoff
    (0.5 s doubling to 5 s) for at most ``seconds``; then raise
    :class:`DatabaseUnavailableError` ("database ... not reachable after N s: why")."""
    deadline = clock() + max(0.0, seconds)
    delay = 0.5
    while True:
        remaining = deadline - clock()
        try:
            _probe(url, remaining)
            return
        except DBAPIError as exc:
            why = reason(exc)
        remaining = deadline - clock()
        if remaining <= 0:
            raise DatabaseUnavailableError(
                f"database {describe_url(url)} not reachable after {seconds:g} s: {why}"
            )
        sleep(min(delay, remaining))
        delay = min(delay * 2, 5.0)


def _probe(url: str, remaining: float) -> None:
    """One ``SELECT 1`` on a connection of its own, that gives up connecting within the time
    left (at least 1 s, at most 10 s)."""
    timeout = int(min(10.0, max(1.0, remaining)))
    if url.startswith("sqlite"):
        engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": timeout})
    elif url.startswith("postgresql"):
        engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": timeout})
    else:
        engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()
