"""Alembic's environment: runs the migrations online, on the connection
:func:`timeline.store.migrate.upgrade` passes (inside its transaction, under the migration lock),
else on a connection of its own to the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from timeline.store.models import Base


def run_on(connection: Connection) -> None:
    """Run the migrations on ``connection``."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if isinstance(given, Connection):
    run_on(given)
else:
    url = context.config.attributes.get("url") or context.config.get_main_option("sqlalchemy.url")
    connectable = create_engine(str(url))
    with connectable.connect() as connection:
        run_on(connection)
    connectable.dispose()
