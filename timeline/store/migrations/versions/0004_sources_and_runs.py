"""Sources (feeds, pages, folders) on schedules, their runs, and where an article came from.

``runs`` has a unique index on ``source_id`` over the rows whose ``status`` is
``running``: two processes can never run one source at once, whatever schedules them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``sources`` and ``runs``; give ``articles`` a source and a flag for a missing
    publication date."""
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("url", sa.String(2048)),
        sa.Column("path", sa.String(1024)),
        sa.Column("interval_seconds", sa.Integer()),
        sa.Column("cron", sa.String(120)),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("etag", sa.String(512)),
        sa.Column("last_modified", sa.String(128)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "source_id",
            sa.Integer(),
            sa.ForeignKey("sources.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.Column("seen", sa.Integer(), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text()),
    )
    op.create_index("ix_runs_source_id", "runs", ["source_id"])
    op.create_index(
        "ux_runs_one_running",
        "runs",
        ["source_id"],
        unique=True,
        sqlite_where=sa.text("status = 'running'"),
        postgresql_where=sa.text("status = 'running'"),
    )
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a column with its reference
        op.execute(
            "ALTER TABLE articles ADD COLUMN source_id INTEGER"
            " REFERENCES sources (id) ON DELETE SET NULL"
        )
    else:
        op.add_column("articles", sa.Column("source_id", sa.Integer()))
        op.create_foreign_key(
            "fk_articles_source_id",
            "articles",
            "sources",
            ["source_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.add_column(
        "articles",
        sa.Column("published_missing", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_articles_source_id", "articles", ["source_id"])


def downgrade() -> None:
    """Drop what ``upgrade`` added."""
    op.drop_index("ix_articles_source_id", "articles")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_articles_source_id", "articles", type_="foreignkey")
    op.drop_column("articles", "published_missing")  # SQLite 3.35+ drops plain columns
    op.drop_column("articles", "source_id")
    op.drop_table("runs")
    op.drop_table("sources")
