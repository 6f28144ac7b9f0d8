"""Schema migrations with Alembic: ``upgrade(url)`` brings a database to the newest schema.

The migration scripts live in ``timeline/store/migrations`` (shipped with the package); no
``alembic.ini`` is needed.

Migrations run once however many processes start them together (replicas that each run
``timeline db upgrade`` at start): every upgrade runs in one transaction that first takes
the database's migration lock, so the others wait for it and then find the schema current.
On PostgreSQL the lock is a transaction-level advisory lock on :data:`LOCK_KEY`; on SQLite
the transaction begins with ``BEGIN IMMEDIATE``, which takes the database's one writer lock.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.pool import NullPool

SCRIPTS = Path(__file__).parent / "migrations"
# the key of the PostgreSQL advisory lock held while migrating: any fixed 64-bit number
# (these are the bytes of "timeline" read as a signed integer)
LOCK_KEY = int.from_bytes(b"timeline", "big", signed=True)
# how long an upgrade waits on SQLite for another process's upgrade (or any writer) to end
SQLITE_LOCK_SECONDS = 600


def alembic_config(url: str, connection: Connection | None = None) -> Config:
    """An Alembic configuration for the database at ``url`` (migrated on ``connection``
    when one is given: ``env.py`` then runs inside its transaction)."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["url"] = url
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str) -> None:
    """Apply every migration the database at ``url`` lacks, under the migration lock."""
    engine = migration_engine(url)
    try:
        with engine.connect() as connection, connection.begin():
            take_migration_lock(connection)
            command.upgrade(alembic_config(url, connection), "head")
    finally:
        engine.dispose()


def migration_engine(url: str) -> Engine:
    """An engine for migrating ``url``: no pool, and on SQLite transactions that the driver
    leaves to SQLAlchemy and that begin with ``BEGIN IMMEDIATE`` (the writer lock at once,
    and DDL inside the transaction)."""
    if not url.startswith("sqlite"):
        return create_engine(url, poolclass=NullPool)
    engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": SQLITE_LOCK_SECONDS})

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def take_migration_lock(connection: Connection) -> None:
    """Wait for, and hold until the transaction ends, the lock migrations run under (on
    SQLite the transaction's ``BEGIN IMMEDIATE`` already holds it)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def head_revision() -> str | None:
    """The newest migration's revision."""
    return ScriptDirectory(str(SCRIPTS)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (``None`` before the first migration)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
