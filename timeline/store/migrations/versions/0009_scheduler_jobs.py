"""The scheduler's job store: ``apscheduler_jobs``, made here rather than by APScheduler.

APScheduler 3's ``SQLAlchemyJobStore`` creates its table when it starts, if the table is
missing; two schedulers starting together on a new PostgreSQL database (a rolling update)
both tried, and one crashed. The table is now the schema's, created by this revision
exactly as the job store would (``id`` a 191-character key, ``next_run_time`` an indexed
float, ``job_state`` the pickled job), so the job store only finds it. A database where a
scheduler already made it keeps its table and jobs.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLE = "apscheduler_jobs"
INDEX = "ix_apscheduler_jobs_next_run_time"


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table(TABLE):
        return
    op.create_table(
        TABLE,
        sa.Column("id", sa.Unicode(191), primary_key=True),
        sa.Column("next_run_time", sa.Float(25)),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
    )
    op.create_index(INDEX, TABLE, ["next_run_time"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name=TABLE)
    op.drop_table(TABLE)
