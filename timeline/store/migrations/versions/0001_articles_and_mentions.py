"""Articles and their mentions.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``articles`` and ``mentions``."""
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.String(2048), unique=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.String(1024)),
        sa.Column("source", sa.String(256)),
        sa.Column("language", sa.String(35), nullable=False),
        sa.Column("region", sa.String(2)),
        sa.Column("published_at", sa.String(40), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text()),
    )
    op.create_index("ix_articles_source", "articles", ["source"])
    op.create_index("ix_articles_language", "articles", ["language"])
    op.create_index("ix_articles_published_on", "articles", ["published_on"])
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("type", sa.String(8), nullable=False),
        sa.Column("value", sa.String(64), nullable=False),
        sa.Column("mod", sa.String(16)),
        sa.Column("interval_start", sa.String(32)),
        sa.Column("interval_end", sa.String(32)),
        sa.Column("granularity", sa.String(16)),
        sa.Column("anchor", sa.String(32), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
    )
    op.create_index("ix_mentions_article_id", "mentions", ["article_id"])
    op.create_index("ix_mentions_interval_start", "mentions", ["interval_start"])


def downgrade() -> None:
    """Drop ``mentions`` and ``articles``."""
    op.drop_table("mentions")
    op.drop_table("articles")
