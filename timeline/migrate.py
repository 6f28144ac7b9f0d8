"""Schema migrations with Alembic: ``upgrade(url)`` brings a database to the newest schema.

The migration scripts live in ``timeline/migrations`` (shipped with the package); no
``alembic.ini`` is needed.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

SCRIPTS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic configuration for the database at ``url``."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["url"] = url
    return config


def upgrade(url: str) -> None:
    """Apply every migration the database at ``url`` lacks."""
    command.upgrade(alembic_config(url), "head")


def head_revision() -> str | None:
    """The newest migration's revision."""
    return ScriptDirectory(str(SCRIPTS)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (``None`` before the first migration)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
