"""Full-text search over the articles' titles and texts.

SQLite: an FTS5 index (``article_search``, external content: the rows stay in
``articles``), kept current by triggers. PostgreSQL: a GIN index on the articles'
``tsvector``. Both read words the same way: no stemming ('simple' configuration, the
``unicode61`` tokenizer), case ignored, accents kept.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_UP = [
    """CREATE VIRTUAL TABLE article_search USING fts5(
        title, text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN
        INSERT INTO article_search(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
        INSERT INTO article_search(article_search, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER articles_search_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO article_search(article_search, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO article_search(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    "INSERT INTO article_search(article_search) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER articles_search_update",
    "DROP TRIGGER articles_search_delete",
    "DROP TRIGGER articles_search_insert",
    "DROP TABLE article_search",
]
POSTGRESQL_UP = [
    """CREATE INDEX ix_articles_search ON articles
        USING gin (to_tsvector('simple', coalesce(title, '') || ' ' || text))""",
]
POSTGRESQL_DOWN = ["DROP INDEX ix_articles_search"]


def run(statements: dict[str, list[str]]) -> None:
    """The statements of this database's dialect (SQLite and PostgreSQL are the two served)."""
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def upgrade() -> None:
    """Index the articles' words."""
    run({"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP})


def downgrade() -> None:
    """Drop the index."""
    run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN})
