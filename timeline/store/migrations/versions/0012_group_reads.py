"""The indexes that read an entry's reports a bounded sample at a time.

``ix_events_group_report`` (group, id) finds the latest reports of a group without reading
the others (it takes the place of ``ix_events_group_id``, whose queries it serves too);
``ix_events_group_interval`` (group, interval, id) finds the latest report of a group with a
given date, and the reports of a group's interval when its lead is elected
(:mod:`timeline.store.groupreads`, :mod:`timeline.store.timelines`).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the two indexes and drop ``ix_events_group_id``."""
    op.create_index("ix_events_group_report", "events", ["group_id", "id"])
    op.create_index(
        "ix_events_group_interval",
        "events",
        ["group_id", "interval_start", "interval_end", "id"],
    )
    op.drop_index("ix_events_group_id", "events")


def downgrade() -> None:
    """Put ``ix_events_group_id`` back and drop them."""
    op.create_index("ix_events_group_id", "events", ["group_id"])
    op.drop_index("ix_events_group_interval", "events")
    op.drop_index("ix_events_group_report", "events")
