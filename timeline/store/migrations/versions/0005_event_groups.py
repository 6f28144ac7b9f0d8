"""Events grouped across articles when they are stored, and the index the timeline reads.

``events`` gets what grouping compares (the content lemmas and names of its headline, also
indexed in ``event_words``, and its trigger's lemma), its group (``group_id``), whether it
leads its group (``lead``) and the rank of its granularity; ``event_intervals`` counts each
group's distinct intervals and their supports, which elect its lead; ``ix_events_timeline``
orders the leads as the timeline does.
``timeline db upgrade`` then groups the events stored before this revision
(:func:`timeline.store.timelines.group_ungrouped`).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the grouping columns, ``event_words`` and ``ix_events_timeline``."""
    for column in (
        sa.Column("granularity_rank", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("words", sa.Text(), nullable=False, server_default=""),
        sa.Column("word_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("names", sa.Text(), nullable=False, server_default=""),
        sa.Column("name_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("trigger_lemma", sa.String(200)),
        sa.Column("group_id", sa.Integer()),
        sa.Column("lead", sa.Boolean(), nullable=False, server_default=sa.false()),
    ):
        op.add_column("events", column)
    op.create_index("ix_events_group_id", "events", ["group_id"])
    op.create_index(
        "ix_events_timeline",
        "events",
        ["lead", "interval_start", "interval_end", "granularity_rank", "article_id", "id"],
    )
    op.create_table(
        "event_words",
        sa.Column("word", sa.String(64), primary_key=True),
        sa.Column(
            "event_id",
            sa.Integer(),
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("size", sa.Integer(), nullable=False),
    )
    op.create_index("ix_event_words_event_id", "event_words", ["event_id"])
    op.create_table(
        "event_intervals",
        sa.Column("group_id", sa.Integer(), primary_key=True),
        sa.Column("interval_start", sa.String(32), primary_key=True),
        sa.Column("interval_end", sa.String(32), primary_key=True),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("support", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("event_intervals")
    op.drop_table("event_words")
    op.drop_index("ix_events_timeline", "events")
    op.drop_index("ix_events_group_id", "events")
    for name in (
        "lead",
        "group_id",
        "trigger_lemma",
        "name_count",
        "names",
        "word_count",
        "words",
        "granularity_rank",
    ):
        op.drop_column("events", name)  # SQLite 3.35+ drops plain columns
