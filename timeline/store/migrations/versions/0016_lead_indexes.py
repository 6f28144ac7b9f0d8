"""The indexes that elect a group's lead from a few rows: ``ix_events_group_best`` (the first
report of each of a group's intervals, by granularity and timeline order) and
``ix_events_group_lead`` (a group's marked lead, a partial index of the leads).

A lead was elected by ranking every report of its group, and marked by reading them all
again: with these, each interval of the group gives its first report in one seek, and the
rows whose mark changes are the old lead and the new one (:mod:`timeline.store.timelines`).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

BEST = ["group_id", "interval_start", "interval_end", "granularity_rank", "article_id", "id"]


def upgrade() -> None:
    """Add the two indexes."""
    op.create_index("ix_events_group_best", "events", BEST)
    op.create_index(
        "ix_events_group_lead",
        "events",
        ["group_id"],
        postgresql_where=sa.text("lead"),
        sqlite_where=sa.text("lead"),
    )


def downgrade() -> None:
    """Drop them (leads are elected as before, reading more rows)."""
    op.drop_index("ix_events_group_lead", "events")
    op.drop_index("ix_events_group_best", "events")
