"""The kind of a timeline entry: ``events.kind``.

Each event is an ``event`` (something happened), a ``state`` (something held over a stretch
of time) or ``reporting`` (the saying of something: "a spokesman said on Monday"), which
timelines show only when asked (:mod:`timeline.events.kinds`). Events stored before this
revision are ``event`` until ``timeline db reanchor`` anchors them again; the timeline
chooses its entries anew then too.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``events.kind``."""
    op.add_column(
        "events", sa.Column("kind", sa.String(16), nullable=False, server_default="event")
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_column("events", "kind")
