"""The common verbs leave the words grouping compares: ``events.words`` and ``event_words``.

Reporting and light verbs ("said", "announced", "took", "held": the lemmas of
``timeline/events/common_verbs.tsv`` at this revision, below) say nothing of which event a
report is of, so a headline's compared words no longer hold them
(:func:`timeline.events.merge.content_lemmas`). This revision takes them out of the words of
the events stored before it: from ``events.words`` and ``word_count``, from the rows of
``event_words`` and from the sizes the others carry. The groups stored events are in stay
as they were; ``timeline db reanchor`` groups every article again under this version's rule.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The lemmas of common_verbs.tsv at this revision.
COMMON_VERBS = (
    *("say", "tell", "report", "announce", "admit"),
    *("make", "take", "have", "get", "give", "hold"),
)

events = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("words", sa.Text),
    sa.column("word_count", sa.Integer),
)
event_words = sa.table(
    "event_words",
    sa.column("word", sa.String),
    sa.column("event_id", sa.Integer),
    sa.column("size", sa.Integer),
)


def upgrade() -> None:
    """Take the common verbs out of the stored events' words."""
    connection = op.get_bind()
    holding = (
        sa.select(event_words.c.event_id)
        .where(event_words.c.word.in_(COMMON_VERBS))
        .distinct()
        .scalar_subquery()
    )
    rows = connection.execute(
        sa.select(events.c.id, events.c.words).where(events.c.id.in_(holding))
    ).all()
    verbs = set(COMMON_VERBS)
    kept = {event_id: [w for w in words.split() if w not in verbs] for event_id, words in rows}
    connection.execute(sa.delete(event_words).where(event_words.c.word.in_(COMMON_VERBS)))
    for event_id, words in kept.items():
        connection.execute(
            sa.update(events)
            .where(events.c.id == event_id)
            .values(words=" ".join(words), word_count=len(words))
        )
        connection.execute(
            sa.update(event_words).where(event_words.c.event_id == event_id).values(size=len(words))
        )


def downgrade() -> None:
    """Nothing to put back: the words of older revisions come back with ``timeline db
    reanchor`` at that revision."""
