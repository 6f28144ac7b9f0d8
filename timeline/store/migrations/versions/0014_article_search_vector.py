"""PostgreSQL: the articles' words kept as a stored ``tsvector`` column, ``search``.

Migration 0002 indexed the expression ``to_tsvector('simple', coalesce(title, '') || ' ' ||
text)``. The index answers "which articles hold these words" well, but a timeline filtered
by ``q`` also asks, of one article at a time, whether it holds them (walking the timeline's
leads and checking each group's reports), and there PostgreSQL computed the expression from
the article's text again for every row: some 0.07 ms an article, seconds for a page when few
articles match. A stored generated column is computed once, when the article is written,
and read from then on; the GIN index moves onto it. SQLite keeps its FTS5 table.

Adding a stored column rewrites ``articles`` under an exclusive lock: on a large database,
run ``timeline db upgrade`` in a quiet moment.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

DOCUMENT = "to_tsvector('simple', coalesce(title, '') || ' ' || text)"


def upgrade() -> None:
    """Add ``search`` and its index, and drop the expression index."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )
    op.execute("CREATE INDEX ix_articles_search_vector ON articles USING gin (search)")
    op.execute("DROP INDEX ix_articles_search")


def downgrade() -> None:
    """Put the expression index back and drop the column."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE INDEX ix_articles_search ON articles USING gin ({DOCUMENT})")
    op.execute("DROP INDEX ix_articles_search_vector")
    op.execute("ALTER TABLE articles DROP COLUMN search")
