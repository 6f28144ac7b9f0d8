"""Full-text search of the articles: the ``q`` filter of the listings and timelines.

A query is its words (runs of letters and digits; anything else separates them, so
``al-Adha`` is ``al`` and ``Adha``), and an article matches when its title or text holds
every one of them as a word, in any case. SQLite answers from its FTS5 index, PostgreSQL
from a stored ``tsvector`` column and its GIN index (migrations 0002 and 0014); neither
stems. A query with no words matches nothing.

The words reach the database as bound parameters; on SQLite each is quoted as an FTS5
string, so that no query syntax (``OR``, ``NEAR``, ``*``, ``-``) comes from the user.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, column, false, func, literal_column, text
from sqlalchemy.orm import Session

from .models import Article

WORD = re.compile(r"[^\W_]+")


def words(query: str) -> list[str]:
    """The words of ``query``, lower-cased, each once, in order."""
    return list(dict.fromkeys(word.casefold() for word in WORD.findall(query)))


def matches(session: Session, query: str) -> ColumnElement[bool]:
    """A condition on :class:`Article`: its title or text holds every word of ``query``."""
    terms = words(query)
    if not terms:
        return false()
    if session.get_bind().dialect.name == "sqlite":
        expression = " ".join(f'"{term}"' for term in terms)
        rows = text("SELECT rowid FROM article_search WHERE article_search MATCH :expression")
        return Article.id.in_(rows.bindparams(expression=expression).columns(column("rowid")))
    # PostgreSQL: the stored ``tsvector`` column ``search`` (migration 0014), which its GIN
    # index serves and which a row's check reads rather than computes; the words are a
    # bound parameter.
    document: ColumnElement[Any] = literal_column(f"{Article.__tablename__}.search")
    return document.op("@@")(func.plainto_tsquery(literal_column("'simple'"), " ".join(terms)))
