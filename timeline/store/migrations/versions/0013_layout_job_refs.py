"""The scheduler's stored jobs follow its module to ``timeline.ingest.scheduler``.

APScheduler keeps each job in ``apscheduler_jobs`` as a pickled state whose ``func`` is a
text reference to the function it calls (``module:name``). The scheduler's module moved
from ``timeline.scheduler`` to ``timeline.ingest.scheduler``; a stored job that still named
the old module could not be restored, and APScheduler would drop it (the source's schedule
is made again by the next sync, but its next run time is lost). This revision rewrites the
references; a job state that cannot be read is left as it is, for APScheduler to judge.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import pickle
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLE = "apscheduler_jobs"
BEFORE = "timeline.scheduler:"
AFTER = "timeline.ingest.scheduler:"


def rewrite_refs(old: str, new: str) -> None:
    """Replace the prefix ``old`` of every stored job's function reference by ``new``."""
    bind = op.get_bind()
    if not sa.inspect(bind).has_table(TABLE):
        return
    rows = bind.execute(sa.text(f"SELECT id, job_state FROM {TABLE}")).all()
    for job_id, blob in rows:
        try:
            state: Any = pickle.loads(blob)  # the job store's own rows, as APScheduler reads them
        except Exception:
            continue
        func = state.get("func") if isinstance(state, dict) else None
        if not (isinstance(func, str) and func.startswith(old)):
            continue
        state["func"] = new + func[len(old) :]
        bind.execute(
            sa.text(f"UPDATE {TABLE} SET job_state = :state WHERE id = :id"),
            {"state": pickle.dumps(state, pickle.HIGHEST_PROTOCOL), "id": job_id},
        )


def upgrade() -> None:
    rewrite_refs(BEFORE, AFTER)


def downgrade() -> None:
    rewrite_refs(AFTER, BEFORE)
