"""The job queue on PostgreSQL: procrastinate's tables, types and functions.

On PostgreSQL, article and source jobs go through procrastinate, whose queue is a table of
the service's own database (``procrastinate_jobs``, with its workers' heartbeats, events and
periodic defers): this migration applies the schema of the procrastinate release that
``setup.cfg`` pins (3.10). A later release that changes it comes with a migration of ours
that applies the release's own SQL migrations (``procrastinate.schema.migrations_path``).

SQLite (the embedded default) has no queue: its jobs run in the process that made them
(:mod:`timeline.ingest.jobs`), and this migration changes nothing there.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-10
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLES = (
    "procrastinate_events",
    "procrastinate_periodic_defers",
    "procrastinate_jobs",
    "procrastinate_workers",
)
TYPES = (
    "procrastinate_job_to_defer_v1",
    "procrastinate_job_event_type",
    "procrastinate_job_status",
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from procrastinate.schema import SchemaManager

    # psycopg runs a script of many statements when it is given no parameters
    bind.connection.driver_connection.execute(SchemaManager.get_schema())  # type: ignore[union-attr]


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    functions = bind.exec_driver_sql(
        "SELECT p.oid::regprocedure::text FROM pg_proc p"
        " JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%%'"
    ).scalars()
    for function in list(functions):
        op.execute(f"DROP FUNCTION IF EXISTS {function} CASCADE")
    for name in TYPES:
        op.execute(f"DROP TYPE IF EXISTS {name} CASCADE")
