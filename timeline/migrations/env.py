"""Alembic's environment: runs the migrations online against the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from timeline.models import Base

url = str(context.config.attributes.get("url") or context.config.get_main_option("sqlalchemy.url"))
connectable = create_engine(url)
with connectable.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
connectable.dispose()
