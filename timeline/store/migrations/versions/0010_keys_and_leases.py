"""API keys, the scheduler's lease and run heartbeats.

- ``api_keys``: the keys that writes are authorised with (``timeline keys create``). Only a
  SHA-256 hash of each secret is kept, with its first characters (``prefix``) to tell keys
  apart in listings; ``role`` is ``editor`` (reads and writes) or ``reader`` (reads).
- ``leases``: named leases held by one process at a time until ``expires_at``; the
  scheduler's leader lease is ``scheduler`` (on PostgreSQL the leader also holds a session
  advisory lock; the lease row then says who it is and when it was last seen).
- ``runs.heartbeat_at`` and ``runs.holder``: a running run's last sign of life and the
  process carrying it out, so that a run whose process died is failed and run again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "leases",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("holder", sa.String(128), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.add_column("runs", sa.Column("heartbeat_at", sa.DateTime(timezone=True)))
    op.add_column("runs", sa.Column("holder", sa.String(128)))


def downgrade() -> None:
    op.drop_column("runs", "holder")
    op.drop_column("runs", "heartbeat_at")
    op.drop_table("leases")
    op.drop_table("api_keys")
