"""The other events a time reference dates: ``events.other_triggers``.

The link model (:mod:`timeline.events.linking`) may date more than one word of a sentence
("The warrant issued Monday charged him": "issued", and "charged" too). Besides the trigger,
an event now keeps the others, as JSON: ``[[start, end, text], ...]`` in text order. Events
stored before this revision keep ``[]``.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``events.other_triggers``."""
    op.add_column(
        "events", sa.Column("other_triggers", sa.Text(), nullable=False, server_default="[]")
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_column("events", "other_triggers")
