"""Leader election in the database: of the processes that ask, one leads at a time.

The scheduler runs jobs only while it leads (:mod:`timeline.ingest.scheduler`); a second one (a
rolling update, a replica by mistake) stands by and takes over when the first dies.

- On PostgreSQL the leader holds a session advisory lock (:data:`LEADER_KEY`) on a
  connection of its own for as long as it leads. The server drops the lock with the
  connection, so a killed leader is replaced at the standby's next try. The lease row
  (table ``leases``) only says who leads and since when.
- On SQLite the lease row is the lock: the leader renews ``expires_at`` every third of
  the lease; another process takes the row, in one conditional ``UPDATE``, only once it
  has expired. A killed leader is replaced within one lease.

Either way a leader that cannot renew in time (the database went away) stops leading:
:meth:`Leadership.leading` turns false a lease after its last successful renewal began,
before any standby can take over. Lease times come from the clocks of the processes
(every process of a SQLite database runs on one host; on PostgreSQL keep hosts in time).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import Connection, Engine, case, create_engine, delete, insert, or_, select, text
from sqlalchemy import update as update_rows
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.pool import NullPool

from ..store.db import reason
from ..store.models import Lease

log = logging.getLogger("timeline.leader")
# the key of the PostgreSQL advisory lock the scheduler's leader holds: any fixed 64-bit
# number of our own (the bytes of "tl-sched"), not the migration lock's
LEADER_KEY = int.from_bytes(b"tl-sched", "big", signed=True)
SCHEDULER = "scheduler"


@cache
def holder_id() -> str:
    """Who this process is, in leases and on the runs it carries out: host, pid and a
    random part (a pid can come back in a new container)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(frozen=True)
class Holder:
    """Who holds a lease, since when and until when (times in UTC)."""

    holder: str
    acquired_at: datetime
    expires_at: datetime


class Leadership:
    """The lease ``name`` on the database at ``url``, asked for by ``holder``.

    Call :meth:`hold` every third of ``lease_seconds`` or more often: it takes the lease
    when it is free, renews it when this process holds it, and says whether it does.
    :meth:`release` gives it up at once (a clean stop), so a standby need not wait::

        leadership = Leadership(url, holder=holder_id(), lease_seconds=15)
        while running:
            if leadership.hold(): ...  # lead until leadership.leading() turns false
            time.sleep(5)
        leadership.release()
    """

    def __init__(self, url: str, *, holder: str, lease_seconds: float, name: str = SCHEDULER):
        self.name, self.holder, self.lease_seconds = name, holder, lease_seconds
        # SQLite: wait for another writer (a run storing an article) up to half a lease
        busy = {"timeout": lease_seconds / 2} if url.startswith("sqlite") else {}
        self.engine: Engine = create_engine(url, poolclass=NullPool, connect_args=busy)
        self._postgresql = self.engine.dialect.name == "postgresql"
        self._lock: Connection | None = None  # PostgreSQL: the connection holding the lock
        self._deadline = 0.0  # time.monotonic() after which this process no longer leads

    def hold(self) -> bool:
        """Take or renew the lease; whether this process leads now. A database that does
        not answer means no."""
        began = time.monotonic()
        try:
            held = self._hold_lock() if self._postgresql else self._hold_lease()
        except DBAPIError as exc:
            log.warning(
                "cannot reach the database to hold the %s lease: %s", self.name, reason(exc)
            )
            if self._postgresql:  # the lock may be gone with its connection: lead no more
                self._drop_lock()
                self._deadline = 0.0
            return self.leading()  # SQLite: the lease holds until it expires
        self._deadline = began + self.lease_seconds if held else 0.0
        return held

    def leading(self) -> bool:
        """Whether this process leads: it held the lease at its last :meth:`hold`, and that
        began less than a lease ago."""
        return time.monotonic() < self._deadline

    def current(self) -> Holder | None:
        """The live holder of the lease, if any (``None`` when it expired or was given up)."""
        with self.engine.connect() as connection:
            return live_holder(connection, self.name)

    def release(self) -> None:
        """Stop leading and give the lease up, so that a standby takes over at once."""
        was_leading = self._deadline > 0.0
        self._deadline = 0.0
        try:
            if was_leading:
                with self.engine.begin() as connection:
                    connection.execute(
                        delete(Lease).where(Lease.name == self.name, Lease.holder == self.holder)
                    )
        except DBAPIError as exc:
            log.warning("cannot give the %s lease up: %s", self.name, exc.orig or exc)
        finally:
            self._drop_lock()
            self.engine.dispose()

    def _hold_lease(self) -> bool:
        """SQLite: renew the row when it is ours, take it when it expired or is missing."""
        now = datetime.now(UTC)
        expires = now + timedelta(seconds=self.lease_seconds)
        with self.engine.begin() as connection:
            taken = connection.execute(
                update_rows(Lease)
                .where(
                    Lease.name == self.name,
                    or_(Lease.holder == self.holder, Lease.expires_at < now),
                )
                .values(
                    holder=self.holder,
                    acquired_at=case((Lease.holder == self.holder, Lease.acquired_at), else_=now),
                    expires_at=expires,
                )
            ).rowcount
        if taken:
            return True
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(Lease).values(
                        name=self.name, holder=self.holder, acquired_at=now, expires_at=expires
                    )
                )
        except IntegrityError:  # another process holds it
            return False
        return True

    def _hold_lock(self) -> bool:
        """PostgreSQL: hold the advisory lock on a connection of our own, then write the
        lease row (unconditionally: whoever holds the lock leads)."""
        if self._lock is None:
            connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            locked = connection.scalar(select(text(f"pg_try_advisory_lock({LEADER_KEY})")))
            if not locked:
                connection.close()
                return False
            self._lock = connection
        now = datetime.now(UTC)
        values = {"holder": self.holder, "expires_at": now + timedelta(seconds=self.lease_seconds)}
        upsert = pg_insert(Lease).values(name=self.name, acquired_at=now, **values)
        upsert = upsert.on_conflict_do_update(
            index_elements=[Lease.name],
            set_={
                **values,
                "acquired_at": case(
                    (Lease.holder == self.holder, Lease.acquired_at),
                    else_=upsert.excluded.acquired_at,
                ),
            },
        )
        self._lock.execute(upsert)  # on the lock's connection: a dead one raises
        return True

    def _drop_lock(self) -> None:
        """Close the PostgreSQL lock's connection (which ends the lock), if any."""
        connection, self._lock = self._lock, None
        if connection is not None:
            with suppress(DBAPIError):  # a dead connection: the lock is gone already
                connection.close()


def live_holder(connection: Connection, name: str = SCHEDULER) -> Holder | None:
    """The holder of the lease ``name`` unless it has expired."""
    row = connection.execute(
        select(Lease.holder, Lease.acquired_at, Lease.expires_at).where(
            Lease.name == name, Lease.expires_at > datetime.now(UTC)
        )
    ).first()
    return Holder(row.holder, row.acquired_at, row.expires_at) if row else None
