"""``group_profiles``: the report of a group that stands in the word index for the group's
reports of one profile (the same words, names, trigger lemma, kind and interval).

A new report that joins a group where a report of its profile is indexed takes its place in
``event_words``, and the older one's rows go: grouping scores the two alike, so a new report
is compared with each distinct report of a group once, however many copies of it are
stored (:mod:`timeline.store.timelines`). The reports stored before keep their rows, as they
were: grouping finds the same groups with them, only reading more of them.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``group_profiles`` and its index of events."""
    op.create_table(
        "group_profiles",
        sa.Column("group_id", sa.Integer(), primary_key=True),
        sa.Column("profile", sa.BigInteger(), primary_key=True),
        sa.Column(
            "event_id",
            sa.Integer(),
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            nullable=False,
        ),
    )
    op.create_index("ix_group_profiles_event_id", "group_profiles", ["event_id"])


def downgrade() -> None:
    """Drop ``group_profiles`` (the word index keeps what it holds: each profile's latest)."""
    op.drop_index("ix_group_profiles_event_id", "group_profiles")
    op.drop_table("group_profiles")
