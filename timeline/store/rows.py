"""Writing a new article's mentions, events and word index in bulk.

The ORM's unit of work inserts the rows of an article one object at a time in Python (its
bookkeeping cost more than the rest of storing an article on the write path); here they
go in with one Core ``INSERT`` per table, ids back by ``RETURNING`` in the rows' order, and
the objects are then attached to the session as rows it has loaded: the caller gets the
same objects, with their ids and relationships, that a flush would have left, and nothing
is read back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from .models import Article, Base, Event, EventWord, Mention


def write_rows(
    session: Session, article: Article, mentions: Sequence[Mention], events: Sequence[Event]
) -> None:
    """Insert the ``mentions`` and ``events`` (with their ``word_rows``) of ``article``
    (flushed: it has its id), new objects none of which is in a session, and make them the
    article's ``mentions`` and ``events`` as stored. ``events[i].mention`` is one of
    ``mentions``."""
    connection = session.connection()
    for mention in mentions:
        mention.article_id = article.id
    _insert_returning_ids(connection, Mention, mentions)
    for event in events:
        event.article_id = article.id
        event.mention_id = event.mention.id
    _insert_returning_ids(connection, Event, events)
    words = [word for event in events for word in event.word_rows]
    for event in events:
        for word in event.word_rows:
            word.event_id = event.id
    if words:
        connection.execute(insert(EventWord), [_values(word) for word in words])
    loaded: list[Base] = [*mentions, *events, *words]
    for row in loaded:
        make_transient_to_detached(row)  # as if read: no history, nothing to flush
    session.add_all(loaded)
    set_committed_value(article, "mentions", list(mentions))
    set_committed_value(article, "events", list(events))


def _insert_returning_ids(connection: Any, model: type[Base], rows: Sequence[Base]) -> None:
    """Insert ``rows`` of ``model`` (one statement; batches of many rows where the driver
    allows) and give each its id."""
    if not rows:
        return
    table: Table = model.__table__  # type: ignore[assignment]
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids = connection.execute(statement, [_values(row) for row in rows]).scalars().all()
    for row, row_id in zip(rows, ids, strict=True):
        row.id = row_id  # type: ignore[attr-defined]


def _values(row: Base) -> dict[str, Any]:
    """The column values of a new ``row``: those set, else the column's default."""
    values: dict[str, Any] = {}
    state = row.__dict__
    for column in row.__table__.columns:
        if column.key == "id" and column.primary_key and state.get("id") is None:
            continue
        if column.key in state:
            values[column.key] = state[column.key]
        elif column.default is not None and column.default.is_scalar:
            values[column.key] = column.default.arg
        else:
            values[column.key] = None
    return values
