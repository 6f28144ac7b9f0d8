"""Writing a new article's mentions, events and word index in bulk.

The ORM's unit of work inserts the rows of an article one object at a time in Python (its
bookkeeping cost more than the rest of storing an article on the write path); here they
go in with one Core ``INSERT`` per table, ids back by ``RETURNING`` in the rows' order, and
the objects are then attached to the session as rows it has loaded: the caller gets the
same objects, with their ids and relationships, that a flush would have left, and nothing
is read back.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Insert, Table, TextClause, TextualSelect, insert, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from .models import Article, Base, Event, EventWord, Mention
from .timelines import word_rows

# A statement that inserts rows, and its parameters (a list of them: an executemany).
Executed = TextClause | TextualSelect | Insert
Statement = tuple[Executed, dict[str, Any] | list[dict[str, Any]]]
Row = TypeVar("Row", bound=Base)


def new_row(model: type[Row], values: dict[str, Any]) -> Row:
    """A new ``model`` object whose attributes are ``values`` (its columns'), as its
    constructor would make it but without the ORM's bookkeeping of each attribute set
    (about 15 microseconds an object of a dozen columns: 25 objects an article): the ORM
    inserts the values it holds as it would the constructor's (a flush reads them from the
    object), and :func:`write_rows` inserts them itself. A relationship that a flush must
    follow (``Event.mention``) is the caller's to set as an attribute."""
    row: Row = model.__mapper__.class_manager.new_instance()
    row.__dict__.update(values)
    return row


def write_rows(
    session: Session, article: Article, mentions: Sequence[Mention], events: Sequence[Event]
) -> None:
    """Insert the ``mentions`` and ``events`` of ``article`` (flushed: it has its id), new
    objects none of which is in a session, and make them the article's ``mentions`` and
    ``events`` as stored. ``events[i].mention`` is one of ``mentions``. The events' rows of
    the word index are the caller's to insert (:func:`index_insert`), with their grouping."""
    connection = session.connection()
    # set in their dicts: the objects are new, and made loaded below (no history to keep)
    for mention in mentions:
        mention.__dict__["article_id"] = article.id
    _insert_returning_ids(connection, Mention, mentions)
    for event in events:
        event.__dict__["article_id"] = article.id
        event.__dict__["mention_id"] = event.mention.id
    _insert_returning_ids(connection, Event, events)
    loaded: list[Base] = [*mentions, *events]
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
    values = [_values(row) for row in rows]
    if connection.dialect.name == "postgresql":
        statement = _from_json(connection.dialect, table, tuple(values[0]), returning=True)
        # the ids come from the table's sequence as the rows go in, in their order
        ids = sorted(connection.execute(statement, {"rows": _json(values)}).scalars().all())
    else:
        returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids = connection.execute(returning, values).scalars().all()
    for row, row_id in zip(rows, ids, strict=True):
        row.__dict__["id"] = row_id


def index_insert(connection: Any, events: Sequence[Event]) -> Statement | None:
    """The ``INSERT`` of the rows of the word index of ``events`` (inserted: they have
    their ids), with its parameters, for the caller to run; ``None`` when they have none."""
    words = [row for event in events for row in word_rows(event)]
    if not words:
        return None
    table: Table = EventWord.__table__  # type: ignore[assignment]
    if connection.dialect.name == "postgresql":
        return _from_json(connection.dialect, table, tuple(words[0]), returning=False), {
            "rows": _json(words)
        }
    return insert(table), words


@functools.lru_cache(maxsize=16)
def _from_json(
    dialect: Dialect, table: Table, columns: tuple[str, ...], *, returning: bool
) -> TextClause | TextualSelect:
    """On PostgreSQL, an ``INSERT`` of many rows of ``table`` from one parameter, ``rows``:
    a JSON array of the rows, each an object of its ``columns`` (``json_populate_recordset``
    reads them as rows of the table, in their order), its ids returned if ``returning``.
    One statement whose text is the same however many rows go in, so that the server
    prepares it; and one string to send, where an array per column costs the driver a
    conversion of every value."""
    quote = dialect.identifier_preparer.quote
    name, listed = quote(table.name), ", ".join(quote(column) for column in columns)
    sql = (
        f"INSERT INTO {name} ({listed}) SELECT {listed}"
        f" FROM json_populate_recordset(NULL::{name}, CAST(:rows AS json))"
        " WITH ORDINALITY AS given ORDER BY given.ordinality"
    )
    if not returning:
        return text(sql)
    return text(sql + " RETURNING id").columns(table.c.id)


def _json(values: Sequence[dict[str, Any]]) -> str:
    """The rows ``values`` as the JSON :func:`_from_json` reads (their values are numbers,
    strings, booleans and nulls)."""
    return json.dumps(values, separators=(",", ":"))


def _values(row: Base) -> dict[str, Any]:
    """The column values of a new ``row``: those set, else the column's default."""
    state = row.__dict__
    return {
        key: state.get(key, default)
        for key, generated, default in _columns(row.__table__)
        if not (generated and state.get(key) is None)
    }


@functools.lru_cache(maxsize=16)
def _columns(table: Table) -> tuple[tuple[str, bool, Any], ...]:
    """The columns of ``table`` as :func:`_values` reads them (once a table, not for each
    column of each row): each one's key, whether it is the ``id`` key the database gives,
    and its default (``None`` when it has none in Python)."""
    return tuple(
        (
            column.key,
            column.key == "id" and column.primary_key,
            column.default.arg if isinstance(column.default, ScalarElementColumnDefault) else None,
        )
        for column in table.columns
    )
