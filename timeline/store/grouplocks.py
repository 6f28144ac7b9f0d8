"""The locks that let concurrent transactions group events safely on PostgreSQL, without
serializing them all.

Two reports can only be grouped together when they share a word or a name of the word
index (``event_words``: the statement that finds a report's group reads only the reports
that share one of its keys). So a transaction that groups an article's events first takes
a lock on each of their keys (:func:`lock_keys`): two articles that report one new event at
the same moment share a key, one waits for the other's commit and then finds the group it
made, where articles that share no key group side by side. Then it locks the groups it
joins (:func:`lock_groups`), whose rows (intervals, lead) it updates: two transactions that
join one group do it in turn.

Every lock is a transaction-level advisory lock with two 32-bit keys (a key space apart
from the single 64-bit keys of the migration and leader locks): ``(KEYS, hash of the key)``
and ``(GROUPS, group id)``. No deadlock: a transaction takes its locks in one order, the
shared lock of :data:`EVERYTHING` first, then its keys in increasing order, then its groups
in increasing order, and waits for no lock after the first group. A hash collision only
makes two transactions wait for each other. The rarer changes to groups that do not follow
that order (deleting or tagging an article again, which recounts its old groups before it
groups its new events) take :data:`EVERYTHING` exclusively (:func:`lock_everything`): they
wait until no transaction groups, and group alone.

SQLite has a single writer: the write lock of the article, taken before grouping, serializes
grouping already, and these functions do nothing there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session

from .pgarrays import array_literal

# The first keys of the advisory locks (any 32-bit constants of our own): a word or name of
# the index, a group, and every grouping at once.
KEYS = 0x746C6B01
GROUPS = 0x746C6702
EVERYTHING = 0x746C6103

LOCK_MANY = text(
    "SELECT count(pg_advisory_xact_lock(CAST(:space AS integer), key)) "
    "FROM unnest(CAST(:keys AS integer[])) AS key"
)
LOCK_SHARED = text(
    "SELECT pg_advisory_xact_lock_shared(CAST(:space AS integer), CAST(:key AS integer))"
)
LOCK_EXCLUSIVE = text(
    "SELECT pg_advisory_xact_lock(CAST(:space AS integer), CAST(:key AS integer))"
)


def key_hash(key: str) -> int:
    """A word or name of the index as a signed 32-bit number (the same in every process)."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_keys(session: Session, keys: Iterable[str]) -> None:
    """Wait until no other transaction groups events with one of ``keys`` (the words and
    names of the events to group), and hold them until this transaction ends; and hold
    :data:`EVERYTHING` shared. Call before :func:`lock_groups`, once per transaction."""
    if _postgresql(session):
        for statement, parameters in key_locks(keys):
            session.execute(statement, parameters)


def lock_groups(session: Session, groups: Iterable[int | None]) -> None:
    """Wait until no other transaction changes one of ``groups``, and hold them until this
    transaction ends. After :func:`lock_keys`, once per transaction."""
    if _postgresql(session):
        for statement, parameters in group_locks(groups):
            session.execute(statement, parameters)


def key_locks(keys: Iterable[str]) -> list[tuple[TextClause, dict[str, Any]]]:
    """The statements (with their parameters) that :func:`lock_keys` runs on PostgreSQL."""
    hashes = sorted({key_hash(key) for key in keys})
    statements: list[tuple[TextClause, dict[str, Any]]] = [
        (LOCK_SHARED, {"space": EVERYTHING, "key": 0})
    ]
    if hashes:
        statements.append((LOCK_MANY, {"space": KEYS, "keys": array_literal(hashes)}))
    return statements


def group_locks(groups: Iterable[int | None]) -> list[tuple[TextClause, dict[str, Any]]]:
    """The statements (with their parameters) that :func:`lock_groups` runs on PostgreSQL."""
    ids = sorted({group for group in groups if group is not None})
    return [(LOCK_MANY, {"space": GROUPS, "keys": array_literal(ids)})] if ids else []


def lock_everything(session: Session) -> None:
    """Wait until no other transaction groups events, and keep every other from grouping
    until this one ends (a change to groups out of the order of :func:`lock_keys` and
    :func:`lock_groups`)."""
    if _postgresql(session):
        session.execute(LOCK_EXCLUSIVE, {"space": EVERYTHING, "key": 0})
