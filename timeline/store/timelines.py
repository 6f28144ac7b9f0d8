"""Timelines from the stored events: grouped across articles when they are stored, read
page by page from an index.

Grouping. When an article is stored, each of its events joins the group of the most similar
stored report of another article that is of the same event (the rule of
:func:`timeline.events.merge.best_group`, here in one SQL statement), or starts a group of its
own (``group_id`` is the id of a group's first report). The reports compared come from
``event_words``, the index of the headlines' content lemmas and names: for each word of the
new report, the latest ``MAX_POSTINGS`` reports that use it (of a common word, one that
``MAX_POSTINGS`` reports use already, the latest ``COMMON_POSTINGS``). That bounds the cost
of grouping however many reports are stored; an old report is still reached through the
rarer words it shares with the new one (its names). Of a group's reports with the same
words, names, trigger lemma, kind and interval (its copies: a story run again, an article
updated), which score alike against any new report, the index holds only the latest
(``group_profiles``): a new report is compared with each distinct report of a group once,
and the postings of a word do not fill up with copies. On PostgreSQL one statement finds
the groups of all of an article's events. A group's ``lead`` is the report whose date
most of the group's reports agree with (:func:`timeline.events.merge.lead`), elected again
in SQL whenever the group changes, from the group's distinct intervals and their supports
(``event_intervals``).

Reading. The timeline across articles is its groups in the order of their leads, read
from ``ix_events_timeline`` (``lead``, interval start, interval end, granularity rank,
article, id), a page at a time: each page ends with the cursor of the next one, the key of
its last lead, so that the next page starts where it stopped, with nothing skipped or
repeated, however many events are stored. The filters choose entries: an entry is in a
timeline filtered by ``source`` or ``q`` when one of its reports is, and by ``from`` and
``to`` when its lead's interval is. One article's timeline is its own events in its order.

Concurrent writers group safely: two articles that report one new event at the same moment
make one group of it (SQLite's single writer does it; on PostgreSQL, locks on the words and
names of the events to group and on the groups joined, :mod:`timeline.store.grouplocks`), while
articles that share no word group side by side.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Float,
    Integer,
    Select,
    String,
    and_,
    any_,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql import ClauseElement, Executable
from sqlalchemy.sql.compiler import Compiled
from sqlalchemy.sql.expression import Insert, TextClause, TextualSelect

from ..events.entries import rank
from ..events.kinds import VISIBLE_KINDS
from ..events.merge import (
    SAME_EVENT,
    SAME_EVENT_NEAR_DATE,
    SAME_EVENT_OTHER_DATE,
    TRIGGER_BONUS,
    Merged,
    common_verbs,
    content_lemmas,
    names_of,
    widened,
)
from ..events.words import lemma
from . import groupreads
from .grouplocks import group_locks, key_locks, lock_everything, lock_groups, lock_keys
from .models import Article, Event, EventInterval, EventWord
from .pgarrays import array_literal
from .reports import REPORT_ROWS, report
from .search import matches

# How many stored reports that use a word (the latest) a new report is compared with, for
# each of its words: what bounds the cost of grouping however many reports are stored.
MAX_POSTINGS = 200
# For a common word, one that MAX_POSTINGS reports use already: a report that shares only
# common words with the new one is looked for among the latest of them, one that shares a
# rarer word (a name) is found through that word however old it is. This keeps the reports
# compared from growing with the database as more of the words become common (the
# statement reads the latest MAX_POSTINGS postings of each word still, a bounded index
# scan; it compares fewer reports, whose rows it reads).
COMMON_POSTINGS = 50
# The largest id an event can have (a 32-bit INTEGER): no event comes after it.
MAX_EVENT_ID = 2**31 - 1
# How many entries a page holds when the request does not say, and at most.
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# The mark of a name in the word index (no word holds it).
NAME = "@"

# The key of ``ix_events_timeline`` after ``lead``: the order of the timeline.
TIMELINE_KEY = (
    Event.interval_start,
    Event.interval_end,
    Event.granularity_rank,
    Event.article_id,
    Event.id,
)
CursorKey = tuple[Any, ...]
# From how many articles that pass ``q`` or ``source`` a timeline walks its leads in order
# and checks each (:func:`leads_statement`) rather than reading the groups of all of them.
FEW_ARTICLES = 2000
# The form of a cursor: the position of the last entry of a page of an article's timeline,
# or the key of the last lead of a page of the timeline across articles (its interval's
# start and end, granularity rank, article and id). No NUL: no database text holds one.
CURSOR = r"[0-9]{1,10}|[^~\x00]{1,32}~[^~\x00]{1,32}~[0-9]{1,10}~[0-9]{1,10}~[0-9]{1,10}"
# The largest number an INTEGER column holds (32 bits on PostgreSQL): positions, ranks, ids.
MAX_INTEGER = 2**31 - 1


def index_words(event: Event, mention_text: str) -> None:
    """Give a new event what it is compared by (the content lemmas and names of its
    headline, its trigger's lemma) and its granularity's rank (its place in the order).
    Its rows of ``event_words`` are :func:`word_rows`, which :func:`.rows.index_insert`
    inserts after the event."""
    fields = indexed_fields(event.headline, event.trigger, event.granularity, mention_text)
    for name, value in fields.items():
        setattr(event, name, value)


def indexed_fields(
    headline: str, trigger: str | None, granularity: str, mention_text: str
) -> dict[str, Any]:
    """What :func:`index_words` gives an event of this ``headline``, ``trigger`` and
    ``granularity``, whose mention's text is ``mention_text``, by attribute."""
    words = sorted(content_lemmas(headline, [mention_text]))
    names = sorted(names_of(headline, [mention_text]))
    return {
        "words": " ".join(words),
        "word_count": len(words),
        "names": " ".join(names),
        "name_count": len(names),
        "trigger_lemma": lemma(trigger.lower()) if trigger else None,
        "granularity_rank": rank(granularity),
    }


def group_events(
    session: Session, events: Sequence[Event], found: Sequence[int | None] | None = None
) -> None:
    """Put each of one article's events (flushed, in its order) in a group: that of the most
    similar report of the same event in another article, or a new one.

    The transaction first locks the events' words and names (:func:`grouplocks.lock_keys`),
    so that two articles reporting one new event at the same moment make one group of it,
    then the groups it joins (:func:`grouplocks.lock_groups`), so that no two transactions
    update one group's rows at once. ``found`` is what :func:`find_groups` found before the
    article was written, outside those locks: inside them, only the events it found no group
    for are looked up again (a group may have been made since), which keeps the locks
    short."""
    lock_keys(session, (key for event in events for key in index_keys(event)))
    groups = find_groups(session, events, found)
    lock_groups(session, groups)
    join_groups(session, events, groups)


def group_and_commit(
    session: Session,
    events: Sequence[Event],
    found: Sequence[int | None],
    first: tuple[TextClause | TextualSelect | Insert, Any] | None = None,
) -> None:
    """:func:`group_events` with what :func:`find_groups` found before the locks, then
    commit; ``first`` (a statement and its parameters: the events' rows of the word index,
    :func:`.rows.index_insert`) runs before, in the same trip when there is one.

    On PostgreSQL, when every event found its group before the locks (so that none is
    looked up inside them), the statements that group them and the commit go to the server
    at once, in one pipeline (:func:`_group_in_one_trip`): the words' locks are then held
    for the server's work and the commit's flush, not also for a round trip to this process
    per statement, each of which waits for a CPU on a busy machine while every other
    article with those words waits for the locks."""
    connection = session.connection()
    settled = _settled(events, found)
    if connection.dialect.name == "postgresql" and settled is not None:
        _group_in_one_trip(connection, events, settled, first)
    else:
        if first is not None:
            connection.execute(*first)
        group_events(session, events, found)
    session.commit()  # after _group_in_one_trip, the session's end: the server has committed


def preset_groups(
    connection: Connection, events: Sequence[Event], found: Sequence[int | None]
) -> None:
    """On PostgreSQL, give new events (not yet inserted) the groups :func:`group_and_commit`
    will join them to without looking any up (:func:`_settled`), so that they go in with
    their group and the join changes none of their rows."""
    if connection.dialect.name != "postgresql":
        return
    settled = _settled(events, found)
    for event, group in zip(events, settled or (), strict=False):
        if group is not None:
            event.group_id = group


@functools.lru_cache(maxsize=16)
def _compiled(statement: ClauseElement, dialect: Dialect) -> Compiled:
    """``statement`` compiled for ``dialect``, once (what SQLAlchemy's cache does for the
    statements it runs)."""
    return statement.compile(dialect=dialect)


def _settled(events: Sequence[Event], found: Sequence[int | None]) -> list[int | None] | None:
    """The groups :func:`find_groups` would give ``events`` inside the locks from ``found``
    without looking any up (each event with words has a group of its own finding, no two
    the same), or ``None`` when it would look some up."""
    taken: set[int] = set()
    groups: list[int | None] = []
    for event, group in zip(events, found, strict=True):
        if group is None or group in taken:
            if event.words:
                return None
            group = None  # nothing to compare it by: a group of its own
        else:
            taken.add(group)
        groups.append(group)
    return groups


def _group_in_one_trip(
    connection: Connection,
    events: Sequence[Event],
    groups: Sequence[int | None],
    first: tuple[TextClause | TextualSelect | Insert, Any] | None = None,
) -> None:
    """On PostgreSQL, run ``first`` (if any), lock the events' keys and groups, join them,
    elect the leads and commit, all sent in one pipeline and answered once: what
    :func:`group_events` and a commit do, for events whose groups are settled
    (:func:`_settled`). Each statement still runs after the one before it has (a lock
    before what it guards), each with its own snapshot."""
    import psycopg  # the driver of every PostgreSQL URL (timeline.store.db)

    batches = _distinct_groups(_joined(events, groups))
    statements: list[tuple[ClauseElement, dict[str, Any]]] = [
        *([first] if first is not None else []),
        *key_locks(key for event in events for key in index_keys(event)),
        *group_locks(groups),
    ]
    for batch in batches:
        statements.append((_JOIN_AT_ONCE, _join_rows(batch)))
        # sent as they are (no bind processing, below): the array's text, as the others'
        statements.append((LEADS_MARKED, {"groups": array_literal(group for _, group in batch)}))
    driver = connection.connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    cursors = []
    sql = ""
    try:
        with driver.pipeline():
            for statement, parameters in statements:
                compiled = _compiled(statement, connection.dialect)
                sql = compiled.string
                cursor = driver.cursor()
                cursor.execute(sql, compiled.construct_params(parameters))
                cursors.append(cursor)
            driver.commit()
    except psycopg.Error as error:  # as SQLAlchemy raises it from a statement it runs
        failure: Any = error  # the driver's error, as SQLAlchemy's dialect reads it
        gone = connection.dialect.is_disconnect(failure, connection.connection, None)
        if gone:  # the pool replaces the connection rather than hand it out again
            connection.invalidate(error)
        raise DBAPIError.instance(
            sql, None, error, psycopg.Error, connection_invalidated=gone
        ) from error
    heads: dict[int, int] = {}
    for (statement, _), cursor in zip(statements, cursors, strict=True):
        if statement is LEADS_MARKED:
            heads.update(cursor.fetchall())
        cursor.close()
    _set_joined(batches, heads)


def index_keys(event: Indexed) -> list[str]:
    """The keys of ``event`` in the word index: its words, and its names marked."""
    return event.words.split() + [NAME + name for name in event.names.split()]


def index_rows(event: Event) -> list[EventWord]:
    """The rows of ``event`` (indexed, :func:`index_words`) in the word index, as objects
    for the ORM to insert with it (``event.word_rows``)."""
    return [EventWord(word=key, size=event.word_count) for key in index_keys(event)]


def word_rows(event: Indexed) -> list[dict[str, Any]]:
    """The rows of ``event`` (indexed, :func:`index_words`, and with its id) in the word
    index ``event_words``."""
    return [
        {"word": key, "event_id": event.id, "size": event.word_count} for key in index_keys(event)
    ]


class Indexed(Protocol):
    """What the word index and a report's profile are made of: an event's id, kind, words,
    names, trigger lemma and interval (an :class:`Event`, or a row of its columns)."""

    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def words(self) -> str: ...
    @property
    def word_count(self) -> int: ...
    @property
    def names(self) -> str: ...
    @property
    def trigger_lemma(self) -> str | None: ...
    @property
    def interval_start(self) -> str: ...
    @property
    def interval_end(self) -> str: ...


def profile_fields(event: Indexed) -> tuple[str, str | None, str, str, str, str]:
    """What grouping compares of a stored report besides its group and article: two reports
    of a group with the same fields score alike against any new report."""
    return (
        event.kind,
        event.trigger_lemma,
        event.words,
        event.names,
        event.interval_start,
        event.interval_end,
    )


def profile_of(event: Indexed) -> int:
    """The profile of a report (:func:`profile_fields`) as a signed 64-bit number."""
    kind, trigger, *rest = profile_fields(event)
    parts = [kind, "\x00" if trigger is None else trigger, *rest]
    data = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


def find_groups(
    session: Session, events: Sequence[Event], known: Sequence[int | None] | None = None
) -> list[int | None]:
    """The group each of one article's events joins (``None``: a new one); the groups
    ``known`` already (found earlier) are kept."""
    stored = [event.id for event in events if event.id is not None]
    taken: set[int] = set()  # the groups that hold one of this article's events already
    found: list[int | None] = []
    with session.no_autoflush:  # what is read here is other articles' events
        connection = session.connection()  # Core statements: no ORM bookkeeping per event
        # read when an event is looked up: none is when every group is known already (most
        # often, inside the locks), and then no statement runs
        own = functools.cache(lambda: _own_events(connection, stored))
        postgresql = connection.dialect.name == "postgresql"
        ranked: dict[int, list[int]] = {}
        unknown = [i for i in range(len(events)) if known is None or known[i] is None]
        if postgresql and any(events[i].words for i in unknown):  # one statement for all
            ranked = _ranked_groups(connection, events, unknown, own())
        for i, event in enumerate(events):
            group = known[i] if known is not None else None
            if group is None or group in taken:
                if not event.words:  # nothing to compare it by: a group of its own
                    group = None
                elif not postgresql:
                    group = _best_group(connection, event, taken, own())
                else:  # a known group taken: this event is looked up now
                    if i not in ranked:
                        ranked |= _ranked_groups(connection, events, [i], own())
                    group = next((g for g in ranked[i] if g not in taken), None)
            found.append(group)
            if group is not None:
                taken.add(group)
    return found


def _ranked_groups(
    connection: Connection, events: Sequence[Event], chosen: Sequence[int], own: dict[str, Any]
) -> dict[int, list[int]]:
    """On PostgreSQL, what :func:`_best_group` reads for each of ``events`` whose index is
    in ``chosen`` (the groups it may join, the best first, :data:`_RANKED_GROUPS`), for all
    of them in one statement: one round trip and one plan per article rather than one per
    event. The groups of an event are the same as its own statement's (the same
    comparison, each event's values a row of ``given``); which of them it joins is then
    chosen in Python as :func:`_best_group` chooses, leaving out the groups taken."""
    picked = [i for i in chosen if events[i].words.split()]
    if not picked:
        return {i: [] for i in chosen}
    columns: dict[str, list[Any]] = {name: [] for name in _RANKED_GIVEN}
    key_n: list[int] = []
    keys: list[str] = []
    for i in picked:
        event = events[i]
        values = {"n": i, **_compared(event)}
        for name, value in values.items():
            columns[name].append(value)
        event_keys = index_keys(event)
        key_n += [i] * len(event_keys)
        keys += event_keys
    thresholds = {
        "loose": SAME_EVENT - TRIGGER_BONUS,
        "bonus": TRIGGER_BONUS,
        "agreeing": SAME_EVENT,
        "near": SAME_EVENT_NEAR_DATE,
        "other": SAME_EVENT_OTHER_DATE,
    }
    params = {
        **{name: array_literal(values) for name, values in columns.items()},
        "key_n": array_literal(key_n),
        "keys": array_literal(keys),
        "postings": MAX_POSTINGS,
        "common": COMMON_POSTINGS,
        **({"own": array_literal(own["own"])} if "own" in own else own),
        **thresholds,
    }
    ranked: dict[int, list[int]] = {i: [] for i in chosen}
    for n, group, _ in connection.execute(_ranked_groups_statement("own" in own), params):
        ranked[n].append(group)
    return ranked


# The values of each new report that :data:`_RANKED_GROUPS` compares, as arrays, and their
# types: a report's place ``n`` and what :func:`_best_group` binds for it.
_RANKED_GIVEN = {
    "n": "INTEGER",
    "count": "INTEGER",
    "trigger_word": "VARCHAR",
    "trigger": "VARCHAR",
    "start": "VARCHAR",
    "end": "VARCHAR",
    "near_start": "VARCHAR",
    "near_end": "VARCHAR",
    "article": "INTEGER",
    "kind": "VARCHAR",
    "unnamed": "BOOLEAN",
}
# :func:`best_group_statement` (arrays) for many new reports at once (PostgreSQL): each row
# of ``given`` is one report's values, ``key`` its words and names (``n``: which report's);
# the same candidates, comparison and conditions, ranked for each report in turn.
_RANKED_GROUPS = """
WITH given AS MATERIALIZED (
    SELECT * FROM unnest({arrays}) AS given({names})
), key AS MATERIALIZED (
    SELECT * FROM unnest(CAST(:key_n AS INTEGER[]), CAST(:keys AS VARCHAR[])) AS key(n, word)
), candidates AS MATERIALIZED (
    SELECT DISTINCT key.n, latest.event_id
    FROM key
    CROSS JOIN LATERAL (
        (SELECT p.event_id FROM event_words AS p
         WHERE p.word = key.word AND {own_p}
         ORDER BY p.event_id DESC LIMIT :common)
        UNION ALL
        (SELECT p.event_id FROM event_words AS p
         WHERE p.word = key.word AND {own_p}
         AND NOT EXISTS (
             SELECT 1 FROM event_words AS q
             WHERE q.word = key.word AND {own_q}
             ORDER BY q.event_id DESC OFFSET :postings - 1
         )
         ORDER BY p.event_id DESC OFFSET :common)
    ) AS latest
), matched AS MATERIALIZED (
    SELECT c.n, w.event_id,
        sum(CASE WHEN (w.word LIKE '{name}%') THEN 0 ELSE 1 END) AS shared,
        sum(CASE WHEN (w.word LIKE '{name}%') THEN 1 ELSE 0 END) AS shared_names,
        sum(CASE WHEN (w.word LIKE '{name}%') THEN 1 WHEN (w.word = g.trigger_word) THEN 0
            ELSE 1 END) AS participants,
        max(w.size) AS size
    FROM candidates AS c
    JOIN given AS g ON g.n = c.n
    JOIN event_words AS w ON w.event_id = c.event_id
    JOIN key AS k ON k.n = c.n AND k.word = w.word
    GROUP BY c.n, w.event_id
)
SELECT m.n, e.group_id, max({score}) AS best
FROM matched AS m
JOIN given AS g ON g.n = m.n
JOIN events AS e ON e.id = m.event_id
WHERE CAST(m.shared AS FLOAT) / CAST(((g.count + m.size) - m.shared) AS NUMERIC)
    >= CAST(:loose AS FLOAT)
AND m.participants > 0
AND e.article_id != g.article AND e.kind = g.kind AND e.group_id IS NOT NULL
AND {score} >= CASE
    WHEN (e.interval_start < g."end" AND e.interval_end > g.start) THEN CAST(:agreeing AS FLOAT)
    WHEN (e.interval_start < g.near_end AND e.interval_end > g.near_start)
    THEN CAST(:near AS FLOAT)
    ELSE CAST(:other AS FLOAT) END
AND (g.unnamed OR e.name_count = 0 OR m.shared_names > 0)
AND m.participants > CASE WHEN (
    EXISTS (SELECT 1 FROM key AS t WHERE t.n = m.n AND t.word = e.trigger_lemma)
    AND e.trigger_lemma != g.trigger_word
    AND EXISTS (SELECT 1 FROM event_words AS x WHERE x.event_id = e.id
                AND x.word = e.trigger_lemma)
) THEN 1 ELSE 0 END
GROUP BY m.n, e.group_id
ORDER BY m.n, best DESC, e.group_id
"""
_RANKED_SCORE = """CAST(m.shared AS FLOAT) / CAST(((g.count + e.word_count) - m.shared) AS NUMERIC)
    + CASE WHEN (e.trigger_lemma = g.trigger) THEN CAST(:bonus AS FLOAT) ELSE 0.0 END"""


@functools.lru_cache(maxsize=4)
def _ranked_groups_statement(listed: bool) -> Executable:
    """:data:`_RANKED_GROUPS`, leaving out the article's own events by their ids ``own``
    (``listed``) or as those after ``through``."""
    own = (
        "NOT ({alias}.event_id = ANY(CAST(:own AS INTEGER[])))"
        if listed
        else "{alias}.event_id <= :through"
    )
    arrays = ", ".join(f"CAST(:{n} AS {kind}[])" for n, kind in _RANKED_GIVEN.items())
    sql = _RANKED_GROUPS.format(
        arrays=arrays,
        names=", ".join(f'"{n}"' for n in _RANKED_GIVEN),
        own_p=own.format(alias="p"),
        own_q=own.format(alias="q"),
        name=NAME,
        score=_RANKED_SCORE,
    )
    return text(sql)


def _own_events(connection: Connection, stored: list[int]) -> dict[str, Any]:
    """How the statement of :func:`_best_group` leaves out the article's own events
    (``stored``, ids): as every event after ``through`` (one bound value, whatever their
    number) when no event of another article has an id from the first of them on (always
    on SQLite, whose single writer holds the lock; on PostgreSQL unless another article
    took ids in between), else by their ids (``own``)."""
    if not stored:
        return {"through": MAX_EVENT_ID}
    first = min(stored)
    ours = set(stored)
    later = connection.scalars(select(Event.id).where(Event.id >= first)).all()
    if all(event_id in ours for event_id in later):
        return {"through": first - 1}
    return {"own": stored}


def join_groups(session: Session, events: Sequence[Event], groups: Sequence[int | None]) -> None:
    """Write the groups :func:`find_groups` found for an article's events (flushed), and
    elect each group's lead again. In SQL, by statements built once, each run for all the
    events at once (an ``executemany``, one round trip on PostgreSQL, pipelined): this runs
    for every article stored, and the events' attributes are set as they are stored. An
    article's events join distinct groups (:func:`find_groups`); should two join one, they
    join it in turn, in their order."""
    connection = session.connection()
    batches = _distinct_groups(_joined(events, groups))
    heads: dict[int, int] = {}
    for batch in batches:
        if connection.dialect.name == "postgresql":
            heads |= _join_at_once(connection, batch)
        else:
            _run_for_each(
                connection, "join", [{"event": event.id, "group": group} for event, group in batch]
            )
            _represent(connection, batch)
            _add_intervals(connection, [(group, event) for event, group in batch])
            heads |= _mark_leads(connection, [group for _, group in batch])
    _set_joined(batches, heads)


def _joined(events: Sequence[Event], groups: Sequence[int | None]) -> list[tuple[Event, int]]:
    """Each event with the group it joins: its own (its id) where ``groups`` has none."""
    return [
        (event, event.id if group is None else group)
        for event, group in zip(events, groups, strict=True)
    ]


def _set_joined(batches: Sequence[Sequence[tuple[Event, int]]], heads: dict[int, int]) -> None:
    """Set the joined events' group and lead as they are stored (``heads``: the lead of each
    group, elected after its last batch)."""
    for batch in batches:
        for event, group in batch:
            set_committed_value(event, "group_id", group)
            set_committed_value(event, "lead", heads.get(group) == event.id)


def _join_at_once(connection: Connection, batch: Sequence[tuple[Event, int]]) -> dict[int, int]:
    """On PostgreSQL, what the statements of :func:`join_groups` do for a batch of events of
    distinct groups, in two statements (:data:`_JOIN_AT_ONCE`, :data:`LEADS_MARKED`): the
    groups are locked while they run (:func:`grouplocks.lock_groups`), and other articles'
    reports of the same words wait (:func:`grouplocks.lock_keys`), so that fewer round trips
    inside the locks let more articles group each second. The groups' leads."""
    connection.execute(_JOIN_AT_ONCE, _join_rows(batch))
    return _mark_leads(connection, [group for _, group in batch])


def _join_rows(batch: Sequence[tuple[Event, int]]) -> dict[str, str]:
    """The parameters of :data:`_JOIN_AT_ONCE` for a batch of events of distinct groups: a
    row of ``given`` for each, as array texts (:func:`.pgarrays.array_literal`)."""
    rows = [
        {
            "event": event.id,
            "group": group,
            "profile": profile_of(event),
            **dict(zip(_PROFILE_PARAMS, profile_fields(event), strict=True)),
            "own": int(event.interval_start < event.interval_end),
        }
        for event, group in batch
    ]
    return {key: array_literal([row[key] for row in rows]) for key in rows[0]}


def _represent(connection: Connection, joined: Sequence[tuple[Event, int]]) -> None:
    """Make each of ``joined`` (new reports, each in a distinct group it has just joined,
    with their rows in the word index) its group's report of its profile
    (:class:`.models.GroupProfile`): the one there was loses its rows of the word index when
    it is still in the group with the same profile, so that the index holds one report, the
    latest, of each profile of each group. A report of the same profile scores alike against
    any new report (:func:`profile_fields`; the article is the one difference, and no report
    is compared with reports of its own article), so the groups found are the same: a new
    report is compared with each distinct report of a group once, however many copies of it
    are stored, and the postings of a word stop growing with them."""
    rows = [
        {"event": event.id, "group": group, "profile": profile_of(event)} for event, group in joined
    ]
    copies = [
        row | dict(zip(_PROFILE_PARAMS, profile_fields(event), strict=True))
        for row, (event, _) in zip(rows, joined, strict=True)
    ]
    _run_for_each(connection, "unindex_copy", copies)
    _run_for_each(connection, "represent", rows)


def _distinct_groups(joined: list[tuple[Event, int]]) -> list[list[tuple[Event, int]]]:
    """``joined`` (events and their groups) in batches of distinct groups, in order: a
    group's events in successive batches."""
    batches: list[list[tuple[Event, int]]] = []
    seen: dict[int, int] = {}  # group -> how many batches hold it
    for event, group in joined:
        at = seen.get(group, 0)
        seen[group] = at + 1
        if at == len(batches):
            batches.append([])
        batches[at].append((event, group))
    return batches


def _compared(event: Event) -> dict[str, Any]:
    """The values of ``event`` that the statements finding its group compare a report's
    with (:func:`best_group_statement`, :data:`_RANKED_GROUPS`)."""
    near_start, near_end = widened(event.interval_start, event.interval_end)
    trigger = event.trigger_lemma
    return {
        "count": len(event.words.split()),
        "trigger_word": trigger or "",  # "": no trigger, no word is
        "trigger": None if trigger in common_verbs() else trigger,
        "start": event.interval_start,
        "end": event.interval_end,
        "near_start": near_start,
        "near_end": near_end,
        "article": event.article_id or 0,  # 0: not stored yet, none of its events is
        "kind": event.kind,
        "unnamed": not event.names.split(),
    }


def _best_group(
    connection: Connection, event: Event, taken: set[int], own: dict[str, Any]
) -> int | None:
    """The group ``event`` joins, if any (:func:`best_group_statement`), but for the groups
    ``taken``: the best of the others (those the statement finds are ranked, and few: the
    latest postings of the report's words). ``own`` leaves out the article's own events
    (:func:`_own_events`)."""
    words = event.words.split()
    if not words:
        return None
    keys = index_keys(event)
    result = connection.execute(
        best_group_statement(len(keys), "own" in own),
        {
            **{f"key{i}": key for i, key in enumerate(keys)},
            "postings": MAX_POSTINGS,
            "common": COMMON_POSTINGS,
            **own,
            **_compared(event),
        },
    )
    try:
        return next((group for group, _ in result if group not in taken), None)
    finally:
        result.close()


@functools.lru_cache(maxsize=256)
def best_group_statement(keys: int, listed: bool = False) -> Executable:
    """:func:`timeline.events.merge.best_group` in SQL, for a new report with ``keys`` words
    and names: the groups of the stored reports of other articles that are similar enough
    to it to be of the same event, the most similar first (ties: the oldest group first).
    The stored reports compared are the latest ``postings`` of each word and name (of a
    common word, one that ``postings`` reports use, the latest ``common``) of other articles
    (not the new report's article's own events: those with an id after
    ``through``, or, ``listed``, the ids ``own``: its ids are not in order with other
    articles' stored at the same time).
    Bound: the words and names (``key0`` ...), the word ``count``, the trigger's lemma
    (``trigger_word``, ``""`` for none) and the ``trigger`` lemma that earns the bonus (none
    for a common verb), ``start`` and ``end``, the interval a near date overlaps
    (``near_start``, ``near_end``), ``article``, ``kind``, whether it has no names
    (``unnamed``). SQLite runs it for each new report; PostgreSQL runs
    :data:`_RANKED_GROUPS`, the same for all of an article's reports at once."""
    key_params = [bindparam(f"key{i}", type_=String) for i in range(keys)]
    own = (
        EventWord.event_id.not_in(bindparam("own", expanding=True, type_=Integer))
        if listed
        else EventWord.event_id <= bindparam("through", type_=Integer)
    )
    postings = bindparam("postings", type_=Integer)
    common = bindparam("common", type_=Integer)
    # of a common word (one that ``postings`` reports use), only the latest ``common``: how
    # many to take is known before any is read, from a count of its postings that stops at
    # ``postings`` (index entries), so that each word's latest are read in index order and
    # no further, with no sort and no ranking of ``postings`` rows
    used = [
        select(func.count())
        .select_from(
            select(literal(1)).where(EventWord.word == key, own).limit(postings).subquery()
        )
        .scalar_subquery()
        for key in key_params
    ]
    latest = [
        select(EventWord.event_id)
        .where(EventWord.word == key, own)
        .order_by(EventWord.event_id.desc())
        .limit(case((used[i] >= postings, common), else_=postings))
        .subquery(f"latest{i}")
        for i, key in enumerate(key_params)
    ]
    candidates = union_all(*(select(q.c.event_id) for q in latest))
    return _best_group_of(candidates, lambda column: column.in_(key_params))


def _best_group_of(candidates: Any, among: Callable[[Any], ColumnElement[bool]]) -> Executable:
    """The statement of :func:`best_group_statement`, comparing the new report with the
    reports ``candidates`` (a statement of their ids) by its words and names: ``among`` is
    the condition that a column holds one of them."""
    # what each candidate shares with the new report, counted over all its words: words,
    # names, and participants but for the candidate's trigger (merge.participants: the
    # words but the two triggers' lemmas, and the names)
    is_name = EventWord.word.like(NAME + "%")
    trigger_word = bindparam("trigger_word", type_=String)
    shared = func.sum(case((is_name, 0), else_=1))
    participants = func.sum(case((is_name, 1), (EventWord.word == trigger_word, 0), else_=1))
    count = bindparam("count", type_=Integer)
    matched = (
        select(
            EventWord.event_id,
            shared.label("shared"),
            func.sum(case((is_name, 1), else_=0)).label("shared_names"),
            participants.label("participants"),
        )
        .where(EventWord.event_id.in_(candidates), among(EventWord.word))
        .group_by(EventWord.event_id)
        # alike enough to be one event at best (with the trigger bonus), and a participant
        # in common at best: most reports that share a word or two with the new one go
        # here, before their rows are read
        .having(
            cast(shared, Float) / (count + func.max(EventWord.size) - shared)
            >= SAME_EVENT - TRIGGER_BONUS,
            participants > 0,
        )
        .subquery("matched")
    )
    # the candidate's trigger lemma, when it is one of the words both have (and not the new
    # report's): no participant
    own_trigger = and_(
        among(Event.trigger_lemma),
        Event.trigger_lemma != trigger_word,
        select(EventWord.event_id)
        .where(EventWord.event_id == Event.id, EventWord.word == Event.trigger_lemma)
        .exists(),
    )
    union = count + Event.word_count - matched.c.shared
    bonus = case(
        (Event.trigger_lemma == bindparam("trigger", type_=String), TRIGGER_BONUS), else_=0.0
    )
    score = cast(matched.c.shared, Float) / union + bonus
    agreeing = and_(
        Event.interval_start < bindparam("end"), Event.interval_end > bindparam("start")
    )
    near = and_(
        Event.interval_start < bindparam("near_end"),
        Event.interval_end > bindparam("near_start"),
    )
    needed = case((agreeing, SAME_EVENT), (near, SAME_EVENT_NEAR_DATE), else_=SAME_EVENT_OTHER_DATE)
    best = func.max(score).label("best")
    return (
        select(Event.group_id, best)
        .join(matched, matched.c.event_id == Event.id)
        .where(
            Event.article_id != bindparam("article"),
            Event.kind == bindparam("kind", type_=String),
            Event.group_id.is_not(None),
            score >= needed,
            # names that tell the reports apart
            or_(
                bindparam("unnamed", type_=Boolean),
                Event.name_count == 0,
                matched.c.shared_names > 0,
            ),
            # a participant in common
            matched.c.participants > case((own_trigger, 1), else_=0),
        )
        .group_by(Event.group_id)
        .order_by(best.desc(), Event.group_id)
    )


JOIN = update(Event).where(Event.id == bindparam("event")).values(group_id=bindparam("group"))
# A group's intervals (``event_intervals``): each distinct interval of its reports, how many
# reports have it, and its support, how many reports of the group it overlaps. A new report
# adds one to the support of the intervals its own overlaps (its own among them, if it is
# there already: then one more report has it), or its interval comes in with the reports
# of those as its support. So joining a group writes a few narrow rows, however many
# reports it holds, and the lead is read off the supports.
_OVERLAPPING = and_(
    EventInterval.group_id == bindparam("group"),
    EventInterval.interval_start < bindparam("end"),
    EventInterval.interval_end > bindparam("start"),
)
_SAME = and_(
    EventInterval.group_id == bindparam("group"),
    EventInterval.interval_start == bindparam("start"),
    EventInterval.interval_end == bindparam("end"),
)
ADD_SUPPORT = update(EventInterval).where(_OVERLAPPING).values(support=EventInterval.support + 1)
ADD_REPORT = update(EventInterval).where(_SAME).values(reports=EventInterval.reports + 1)
OVERLAPPED_REPORTS = select(func.coalesce(func.sum(EventInterval.reports), 0)).where(_OVERLAPPING)
# A report's interval that its group lacks comes in with one report, and as its support the
# reports of the group's intervals it overlaps, its own too when it is not empty (``own``).
NEW_INTERVAL = insert(EventInterval).from_select(
    ["group_id", "interval_start", "interval_end", "reports", "support"],
    select(
        bindparam("group", type_=Integer),
        bindparam("start", type_=String),
        bindparam("end", type_=String),
        literal(1, Integer),
        OVERLAPPED_REPORTS.scalar_subquery() + bindparam("own", type_=Integer),
    ).where(~select(EventInterval.group_id).where(_SAME).exists()),
)


# The leads of groups (:func:`timeline.events.merge.lead`): in each group, the report whose
# interval has the most support, then the finest granularity, then timeline order. All the
# reports of an interval have its support, so the lead is the first report of the interval
# that comes first: each interval of the group (``event_intervals``, a few rows however many
# reports the group holds) gives its first report by granularity and timeline order (one
# seek in ``ix_events_group_best``), and the intervals are ranked by their support and those
# reports. Electing a lead reads a few rows, not every report of the group.
def _ranked(groups: ColumnElement[bool]) -> Any:
    """The first report of each interval of the groups ``groups`` chooses (a condition on
    ``EventInterval.group_id``), ranked in each group (``place``)."""
    first = aliased(Event)

    def of_first(column: Any) -> Any:
        """``column`` of the interval's first report (an index-only seek)."""
        return (
            select(column)
            .where(
                first.group_id == EventInterval.group_id,
                first.interval_start == EventInterval.interval_start,
                first.interval_end == EventInterval.interval_end,
            )
            .order_by(first.granularity_rank, first.article_id, first.id)
            .limit(1)
            .correlate(EventInterval)
            .scalar_subquery()
        )

    firsts = (
        select(
            EventInterval.group_id,
            EventInterval.support,
            EventInterval.interval_start,
            EventInterval.interval_end,
            of_first(first.granularity_rank).label("granularity_rank"),
            of_first(first.article_id).label("article_id"),
            of_first(first.id).label("id"),
        )
        .where(groups)
        .subquery("firsts")
    )
    # the order of :data:`TIMELINE_KEY`, of the interval's first report
    key = [firsts.c[column.key] for column in TIMELINE_KEY]
    return (
        select(
            firsts.c.group_id,
            firsts.c.id,
            func.row_number()
            .over(
                partition_by=firsts.c.group_id,
                order_by=(firsts.c.support.desc(), firsts.c.granularity_rank, *key),
            )
            .label("place"),
        )
        .where(firsts.c.id.is_not(None))  # an interval none of whose reports is left
        .subquery("ranked")
    )


_RANKED = _ranked(EventInterval.group_id.in_(bindparam("groups", expanding=True, type_=Integer)))
LEADS = select(_RANKED.c.group_id, _RANKED.c.id).where(_RANKED.c.place == 1)
# A group's new lead marked and its last one unmarked (:data:`LEADS_MARKED`, :data:`MARK_LEAD`):
# the rows that change, found through the group's one marked report (``ix_events_group_lead``)
# and the new lead's id, not among all of its reports.
# On PostgreSQL, the leads of the groups of the array ``groups`` elected and marked in one
# statement (a CTE of :data:`LEADS`, and an UPDATE of the rows that change from it): the
# leads.
_RANKED_ARRAY = _ranked(EventInterval.group_id == any_(bindparam("groups", type_=ARRAY(Integer))))
_HEADS = (
    select(_RANKED_ARRAY.c.group_id, _RANKED_ARRAY.c.id)
    .where(_RANKED_ARRAY.c.place == 1)
    .cte("heads")
)
# Two UPDATEs, the last lead's and the new one's: one with an OR of the two would join every
# report to the heads when the table looks small to the planner.
LEADS_MARKED = (
    select(_HEADS.c.group_id, _HEADS.c.id)
    .add_cte(
        update(Event)
        .where(Event.group_id == _HEADS.c.group_id, Event.lead, Event.id != _HEADS.c.id)
        .values(lead=False)
        .cte("unmarked")
    )
    .add_cte(
        update(Event)
        .where(Event.id == _HEADS.c.id, Event.lead.is_(False))
        .values(lead=True)
        .cte("marked")
    )
)
IS_HEAD = Event.id == bindparam("head")
MARK_LEAD = (
    update(Event)
    .where(
        or_(and_(Event.group_id == bindparam("group"), Event.lead), IS_HEAD),
        Event.lead != IS_HEAD,
    )
    .values(lead=IS_HEAD)
)


# A group's report of a profile (``rep``, :func:`_represent`) loses its rows of the word index
# to a new report of the group (``event``) with the same fields (:func:`profile_fields`): the
# hash ``profile`` only finds it.
_SAME_PROFILE = """old.id = rep.event_id AND old.group_id = {p}"group"
    AND old.kind = {p}kind AND old.words = {p}words AND old.names = {p}names
    AND old.interval_start = {p}start AND old.interval_end = {p}"end"
    AND (old.trigger_lemma = {p}trigger OR (old.trigger_lemma IS NULL AND {p}trigger IS NULL))"""
UNINDEX_COPY = text(
    f"""DELETE FROM event_words WHERE event_id IN (
    SELECT rep.event_id FROM group_profiles AS rep, events AS old
    WHERE rep.group_id = :group AND rep.profile = :profile AND rep.event_id != :event
    AND {_SAME_PROFILE.format(p=":").replace(':"group"', ":group").replace(':"end"', ":end")})"""
)
REPRESENT = text(
    """INSERT INTO group_profiles (group_id, profile, event_id) VALUES (:group, :profile, :event)
    ON CONFLICT (group_id, profile) DO UPDATE SET event_id = excluded.event_id"""
)


# The statements above for many rows at once on PostgreSQL: each row of ``given`` (its
# parameters as arrays, unnest) does what one run of the statement does. Equivalent to
# running it for each row in turn because the rows are of distinct groups (and events),
# so that none reads or writes what another writes.
_GIVEN = {
    "event": "INTEGER",
    "group": "INTEGER",
    "head": "INTEGER",
    "start": "VARCHAR",
    "end": "VARCHAR",
    "own": "INTEGER",
    "profile": "BIGINT",
    "kind": "VARCHAR",
    "words": "TEXT",
    "names": "TEXT",
    "trigger": "VARCHAR",
}
_FOR_EACH: dict[str, Executable] = {
    "join": JOIN,
    "add_support": ADD_SUPPORT,
    "add_report": ADD_REPORT,
    "new_interval": NEW_INTERVAL,
    "unindex_copy": UNINDEX_COPY,
    "represent": REPRESENT,
}
_SET_BASED = {
    "join": """
        UPDATE events SET group_id = given."group"
        FROM {given} WHERE events.id = given.event
        AND given."group" IS DISTINCT FROM events.group_id""",
    "add_support": """
        UPDATE event_intervals SET support = event_intervals.support + 1
        FROM {given}
        WHERE event_intervals.group_id = given."group"
        AND event_intervals.interval_start < given."end"
        AND event_intervals.interval_end > given.start""",
    "add_report": """
        UPDATE event_intervals SET reports = event_intervals.reports + 1
        FROM {given}
        WHERE event_intervals.group_id = given."group"
        AND event_intervals.interval_start = given.start
        AND event_intervals.interval_end = given."end"
    """,
    "new_interval": """
        INSERT INTO event_intervals (group_id, interval_start, interval_end, reports, support)
        SELECT given."group", given.start, given."end", 1,
            (SELECT coalesce(sum(other.reports), 0) FROM event_intervals AS other
             WHERE other.group_id = given."group"
             AND other.interval_start < given."end" AND other.interval_end > given.start)
            + given.own
        FROM {given}
        WHERE NOT EXISTS (
            SELECT 1 FROM event_intervals AS same
            WHERE same.group_id = given."group"
            AND same.interval_start = given.start AND same.interval_end = given."end"
        )""",
    "unindex_copy": """
        DELETE FROM event_words USING {given}, group_profiles AS rep, events AS old
        WHERE rep.group_id = given."group" AND rep.profile = given.profile
        AND rep.event_id != given.event AND event_words.event_id = rep.event_id
        AND """
    + _SAME_PROFILE.format(p="given."),
    "represent": """
        INSERT INTO group_profiles (group_id, profile, event_id)
        SELECT given."group", given.profile, given.event FROM {given}
        ON CONFLICT (group_id, profile) DO UPDATE SET event_id = excluded.event_id""",
}


# The parameters of a new report's profile (:func:`profile_fields`, in its order).
_PROFILE_PARAMS = ("kind", "trigger", "words", "names", "start", "end")
# On PostgreSQL, the statements of :data:`_SET_BASED` in one (data-modifying
# CTEs, which all see the tables as they were before it): each row of ``given`` joins its
# group, takes the place of its profile's report (:func:`_represent`), and is counted in
# its group's intervals, ``add_support`` and ``add_report`` as one UPDATE (the row of its own
# interval gets both: one row is changed once in a statement). What each part reads is what
# it read after the parts before it in turn: ``unindexed`` reads the profile's report before
# ``represented`` replaces it and another group's events than those joined; the new
# interval's support, the reports of the others (``counted`` changes only its own).
# The columns of ``given`` in :data:`_JOIN_AT_ONCE`, in their order.
_JOIN_GIVEN = (
    "event",
    "group",
    "profile",
    "kind",
    "trigger",
    "words",
    "names",
    "start",
    "end",
    "own",
)


def _unnest(names: tuple[str, ...]) -> str:
    """The rows ``given`` of the parameters ``names``, each an array (:data:`_GIVEN`)."""
    arrays = ", ".join(f"CAST(:{n} AS {_GIVEN[n]}[])" for n in names)
    return f"unnest({arrays}) AS given({', '.join(chr(34) + n + chr(34) for n in names)})"


_JOIN_AT_ONCE = text(
    f"WITH given AS MATERIALIZED (SELECT * FROM {_unnest(_JOIN_GIVEN)})"
    f", joined AS ({_SET_BASED['join'].format(given='given')})"
    f", unindexed AS ({_SET_BASED['unindex_copy'].format(given='given')})"
    f", represented AS ({_SET_BASED['represent'].format(given='given')})"
    """, counted AS (
    UPDATE event_intervals SET
        support = event_intervals.support + CASE WHEN (event_intervals.interval_start
            < given."end" AND event_intervals.interval_end > given.start) THEN 1 ELSE 0 END,
        reports = event_intervals.reports + CASE WHEN (event_intervals.interval_start
            = given.start AND event_intervals.interval_end = given."end") THEN 1 ELSE 0 END
    FROM given
    WHERE event_intervals.group_id = given."group"
    AND ((event_intervals.interval_start < given."end"
          AND event_intervals.interval_end > given.start)
         OR (event_intervals.interval_start = given.start
             AND event_intervals.interval_end = given."end"))
)""" + _SET_BASED["new_interval"].format(given="given")
)


def _run_for_each(connection: Connection, name: str, rows: list[dict[str, Any]]) -> None:
    """Run the statement ``name`` (:data:`_FOR_EACH`) for each of ``rows`` (its parameters,
    the same keys in each): on PostgreSQL as one statement over arrays of them
    (:data:`_SET_BASED`), one round trip and one execution however many rows; elsewhere
    as an ``executemany``."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(_FOR_EACH[name], rows)
        return
    names = tuple(rows[0])
    connection.execute(
        _set_based(name, names), {key: array_literal([row[key] for row in rows]) for key in names}
    )


@functools.lru_cache(maxsize=16)
def _set_based(name: str, names: tuple[str, ...]) -> Executable:
    """The statement ``name`` of :data:`_SET_BASED`, its parameters ``names`` arrays."""
    given = _unnest(names)
    return text(_SET_BASED[name].format(given=given))


def _add_intervals(connection: Connection, reports: Sequence[tuple[int, Event]]) -> None:
    """Count new reports (each of a distinct group, with its interval) in their groups'
    intervals: three statements, each run for every report at once."""
    spans = [
        {
            "group": group,
            "start": event.interval_start,
            "end": event.interval_end,
            "own": int(event.interval_start < event.interval_end),
        }
        for group, event in reports
    ]
    if not spans:
        return
    _run_for_each(connection, "add_support", spans)
    _run_for_each(connection, "add_report", spans)
    _run_for_each(connection, "new_interval", spans)


def _mark_leads(connection: Connection, groups: Sequence[int]) -> dict[int, int]:
    """Mark the leads of ``groups``; the lead of each (none for an empty group). On
    PostgreSQL in one statement (:data:`LEADS_MARKED`), elsewhere one to elect them and one
    run for each group to mark its lead (:data:`MARK_LEAD`)."""
    if not groups:
        return {}
    if connection.dialect.name == "postgresql":
        found = connection.execute(LEADS_MARKED, {"groups": list(groups)})
        return {group: head for group, head in found}
    heads: dict[int, int] = {
        group: head for group, head in connection.execute(LEADS, {"groups": list(groups)})
    }
    if heads:
        connection.execute(MARK_LEAD, [{"group": g, "head": h} for g, h in heads.items()])
    return heads


def _count_intervals(connection: Connection, group: int) -> None:
    """Count a group's intervals again from the reports it holds (after some went)."""
    connection.execute(delete(EventInterval).where(EventInterval.group_id == group))
    counted = (
        select(
            Event.group_id,
            Event.interval_start,
            Event.interval_end,
            func.count(),
            literal(0),
        )
        .where(Event.group_id == group)
        .group_by(Event.group_id, Event.interval_start, Event.interval_end)
    )
    columns = ["group_id", "interval_start", "interval_end", "reports", "support"]
    connection.execute(insert(EventInterval).from_select(columns, counted))
    other = aliased(EventInterval)
    support = (
        select(func.sum(other.reports))
        .where(
            other.group_id == EventInterval.group_id,
            other.interval_start < EventInterval.interval_end,
            other.interval_end > EventInterval.interval_start,
        )
        .correlate(EventInterval)
        .scalar_subquery()
    )
    connection.execute(
        update(EventInterval)
        .where(EventInterval.group_id == group)
        .values(support=func.coalesce(support, 0))
    )


def elect(session: Session, groups: Iterable[int]) -> None:
    """Count the intervals of ``groups`` again and elect their leads, from the reports they
    hold now (after some were deleted)."""
    session.flush()
    lock_everything(session)
    connection = session.connection()
    chosen = sorted(set(groups))
    for group in chosen:
        _count_intervals(connection, group)
        _represent_again(connection, group)
    _mark_leads(connection, chosen)


def _represent_again(connection: Connection, group: int) -> None:
    """Index again the latest report of each profile of ``group`` none of whose reports the
    word index holds now (its report of the profile went, and with it its rows), and make it
    the group's report of the profile (:func:`_represent`)."""
    members = connection.execute(
        select(
            Event.id,
            Event.kind,
            Event.words,
            Event.word_count,
            Event.names,
            Event.trigger_lemma,
            Event.interval_start,
            Event.interval_end,
            select(EventWord.event_id).where(EventWord.event_id == Event.id).exists(),
        )
        .where(Event.group_id == group)
        .order_by(Event.id)
    ).all()
    latest: dict[tuple[str, str | None, str, str, str, str], Any] = {}
    indexed: set[tuple[str, str | None, str, str, str, str]] = set()
    for member in members:
        fields = profile_fields(member)
        latest[fields] = member
        if member[-1]:
            indexed.add(fields)
    for fields, member in latest.items():
        if fields in indexed:
            continue
        rows = word_rows(member)
        if rows:
            connection.execute(insert(EventWord), rows)
        connection.execute(
            REPRESENT, {"group": group, "profile": profile_of(member), "event": member.id}
        )


def delete_article(session: Session, article: Article) -> None:
    """Delete an article (its mentions and events go with it) and elect the leads of the
    groups its events were in again from the reports left."""
    groups = [e.group_id for e in article.events if e.group_id is not None]
    session.delete(article)
    elect(session, groups)


def group_ungrouped(session: Session) -> int:
    """Index and group the events stored before events were grouped (in the order their
    articles were stored); returns how many. Commits."""
    lock_everything(session)  # many articles' words in one transaction: out of lock_keys' order
    articles = session.scalars(
        select(Article).where(Article.events.any(Event.group_id.is_(None))).order_by(Article.id)
    ).all()
    done = 0
    for article in articles:
        events = [e for e in article.events if e.group_id is None]
        for event in events:
            if not event.word_rows:
                index_words(event, event.mention.text)
                event.word_rows = index_rows(event)
        session.flush()
        group_events(session, events)
        done += len(events)
    session.commit()
    return done


# Reading


@dataclass(frozen=True)
class Page:
    """One page of a timeline, and the cursor of the next one (``None`` on the last)."""

    entries: list[Merged]
    next: str | None


def encode_cursor(key: CursorKey) -> str:
    """The cursor of a page that starts after ``key``: its fields joined by ``~``."""
    return "~".join(str(part) for part in key)


def decode_cursor(cursor: str) -> CursorKey:
    """The key a cursor holds (:data:`CURSOR` is its form); ``ValueError`` when it has
    another form."""
    if not re.fullmatch(CURSOR, cursor):
        raise ValueError("not a cursor of a timeline")
    parts = cursor.split("~")
    if len(parts) == 1:
        return _within_integers((int(parts[0]),))
    start, end, *numbers = parts
    return (start, end, *_within_integers(tuple(map(int, numbers))))


def _within_integers(numbers: tuple[int, ...]) -> tuple[int, ...]:
    """The numbers of a cursor as an INTEGER column can compare them: from the first one
    beyond :data:`MAX_INTEGER`, every one is that largest integer. No stored number exceeds
    it, so the same rows lie after either key (``2147483648``: none; ``x~y~9999999999~1~1``:
    those of a later interval), and PostgreSQL is never sent a number its column cannot hold."""
    for i, number in enumerate(numbers):
        if number > MAX_INTEGER:
            return numbers[:i] + (MAX_INTEGER,) * (len(numbers) - i)
    return numbers


def timeline_page(
    session: Session,
    query: dict[str, Any],
    limit: int = DEFAULT_LIMIT,
    after: CursorKey | None = None,
) -> Page:
    """A page of the timeline across articles that ``query``'s filters choose (``from_``,
    ``to``, ``source``, ``q``), from the entry after ``after``: its leads, each with a
    bounded sample of its group's reports (:mod:`timeline.store.groupreads`)."""
    leads, cursor = timeline_leads(session, query, limit, after)
    return Page(groupreads.entries(session, leads), cursor)


def timeline_leads(
    session: Session,
    query: dict[str, Any],
    limit: int = DEFAULT_LIMIT,
    after: CursorKey | None = None,
) -> tuple[list[Event], str | None]:
    """The leads of a page of the timeline across articles (:func:`timeline_page`), and
    the cursor of the next page (``None`` on the last)."""
    if after is not None and len(after) != len(TIMELINE_KEY):
        return [], None
    statement = leads_statement(session, query, limit + 1, after)
    leads: list[Event] = list(session.scalars(statement))
    more, leads = len(leads) > limit, leads[:limit]
    return leads, encode_cursor(_key(leads[-1])) if more else None


def leads_statement(
    session: Session, query: dict[str, Any], limit: int, after: CursorKey | None = None
) -> Select[Any]:
    """The query of the leads of a page of the timeline across articles (what
    ``ix_events_timeline`` serves).

    With ``q`` or ``source``, an entry is chosen when one of its reports' articles passes:
    when few articles do (fewer than :data:`FEW_ARTICLES`), from the groups of their
    reports, a set that stays small; when many do, by walking the leads in order and
    checking each one's group for a report of an article that passes, which finds a
    page's entries after a few of them, however many articles pass."""
    statement = select(Event).where(Event.lead.is_(True)).where(*_dates(query))
    reported = _reported(session, query)
    if reported is not None:
        member = aliased(Event)
        chosen = select(member.group_id).join(Article, member.article_id == Article.id)
        chosen = chosen.where(reported)
        if _passing(session, reported) >= FEW_ARTICLES:
            statement = statement.where(chosen.where(member.group_id == Event.group_id).exists())
        elif session.get_bind().dialect.name == "postgresql":
            return _leads_of_groups(session, statement, chosen, limit, after)
        else:
            statement = statement.where(Event.group_id.in_(chosen))
    if after is not None:
        statement = statement.where(tuple_(*TIMELINE_KEY) > tuple_(*after))
    return statement.order_by(*TIMELINE_KEY).limit(limit)


def _leads_of_groups(
    session: Session,
    statement: Select[Any],
    chosen: Select[Any],
    limit: int,
    after: CursorKey | None,
) -> Select[Any]:
    """:func:`leads_statement` on PostgreSQL when few articles pass: the groups ``chosen``
    selects (those of the reports of fewer than :data:`FEW_ARTICLES` articles, a bounded
    set) are read first and bound as one array, and their leads that ``statement`` keeps
    are found by group (a materialized CTE) before they are put in order. PostgreSQL's
    planner cannot tell from a full-text condition how few articles pass; left to itself,
    it walked the timeline in order and tested each lead's group, which took seconds at
    100,000 articles for a word few articles hold."""
    groups = sorted(set(session.scalars(chosen)))
    picked = (
        statement.where(Event.group_id == func.any(bindparam("groups", groups, ARRAY(Integer))))
        .cte("picked")
        .prefix_with("MATERIALIZED")
    )
    lead = aliased(Event, picked)
    key = [getattr(lead, column.key) for column in TIMELINE_KEY]
    found = select(lead)
    if after is not None:
        found = found.where(tuple_(*key) > tuple_(*after))
    return found.order_by(*key).limit(limit)


def article_page(
    session: Session,
    article_id: int,
    query: dict[str, Any],
    limit: int = DEFAULT_LIMIT,
    after: CursorKey | None = None,
) -> Page:
    """A page of one article's timeline: its events in its order, those that ``query``'s
    filters choose."""
    statement = REPORT_ROWS.where(Event.article_id == article_id, *_dates(query))
    reported = _reported(session, query)
    if reported is not None:
        statement = statement.where(reported)
    if after is not None:
        if len(after) != 1:
            return Page([], None)
        statement = statement.where(Event.position > after[0])
    rows = list(session.execute(statement.order_by(Event.position).limit(limit + 1)))
    more, rows = len(rows) > limit, rows[:limit]
    entries = [Merged(report(*row), group_id=row[0].group_id) for row in rows]
    last = rows[-1][0] if more else None
    return Page(entries, encode_cursor((last.position,)) if last is not None else None)


def _dates(query: dict[str, Any]) -> list[ColumnElement[bool]]:
    """The conditions of ``kind`` (by default the kinds a timeline shows), and of ``from``
    and ``to``: an entry overlaps the window (ending after ``from`` starts, starting by the
    end of ``to``), or with ``within`` lies inside it."""
    conditions: list[ColumnElement[bool]] = [Event.kind.in_(query.get("kind") or VISIBLE_KINDS)]
    within = query.get("within", False)
    if "from_" in query:
        day = query["from_"].isoformat()
        conditions.append(Event.interval_start >= day if within else Event.interval_end > day)
    end = _day_after(query["to"]) if "to" in query else None
    if end is not None:
        conditions.append(Event.interval_end <= end if within else Event.interval_start < end)
    return conditions


def _passing(session: Session, reported: ColumnElement[bool]) -> int:
    """How many articles pass ``reported``, counted up to :data:`FEW_ARTICLES` (a bounded
    read of the search index or of ``ix_articles_source``)."""
    passing = select(Article.id).where(reported).limit(FEW_ARTICLES).subquery()
    return session.scalar(select(func.count()).select_from(passing)) or 0


def _reported(session: Session, query: dict[str, Any]) -> ColumnElement[bool] | None:
    """The condition on an event's article of ``source`` and ``q``, if either is given."""
    conditions = []
    if "source" in query:
        conditions.append(Article.source == query["source"])
    if "q" in query:
        conditions.append(matches(session, query["q"]))
    return and_(*conditions) if conditions else None


def _key(event: Event) -> CursorKey:
    return (
        event.interval_start,
        event.interval_end,
        event.granularity_rank,
        event.article_id,
        event.id,
    )


def _day_after(day: date) -> str | None:
    """The day after ``day``; ``None`` after the last day a date holds (``to=9999-12-31``:
    the window has no end)."""
    return None if day == date.max else (day + timedelta(days=1)).isoformat()
