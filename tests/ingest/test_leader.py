"""Leader election (:mod:`timeline.ingest.leader`): of two processes asking, one leads; a clean
stop hands the lead over at once, a lease that is not renewed lapses to the other, and on
PostgreSQL (when ``TIMELINE_TEST_DATABASE_URL`` names a server) the lead goes with the
leader's connection."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from support import DATABASES, migrated_database, wait_for

from timeline.ingest.leader import Leadership, holder_id, live_holder


@pytest.fixture(params=DATABASES)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database at the newest schema: SQLite, and PostgreSQL when there is one."""
    with migrated_database(request.param, tmp_path) as url:
        yield url


def leader_of(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = live_holder(connection)
    finally:
        engine.dispose()
    return found.holder if found else None


def test_one_of_two_leads_and_a_clean_stop_hands_over_at_once(database: str) -> None:
    first = Leadership(database, holder="one:1:aa", lease_seconds=600)
    second = Leadership(database, holder="two:2:bb", lease_seconds=600)
    try:
        assert first.hold() and first.leading()
        assert not second.hold() and not second.leading()
        assert first.hold()  # renewed
        assert leader_of(database) == "one:1:aa"
        first.release()
        assert not first.leading()
        assert second.hold() and leader_of(database) == "two:2:bb"
    finally:
        first.release()
        second.release()


def test_a_lease_that_is_not_renewed_lapses_to_the_other(tmp_path: Path) -> None:
    with migrated_database("sqlite", tmp_path) as url:
        lapses(url)


def lapses(url: str) -> None:
    """A leader that does not renew its lease loses it to the process that waits."""
    silent = Leadership(url, holder="silent:1:aa", lease_seconds=0.5)
    waiting = Leadership(url, holder="waiting:2:bb", lease_seconds=600)
    try:
        assert silent.hold()
        wait_for(waiting.hold)  # once the lease has expired
        assert leader_of(url) == "waiting:2:bb"
        assert not silent.leading()  # it knows, without asking, that its lease is over
        assert not silent.hold()
    finally:
        silent.release()
        waiting.release()


@pytest.mark.skipif("postgresql" not in DATABASES, reason="no PostgreSQL server to test on")
def test_on_postgresql_the_lead_goes_with_the_leaders_connection(tmp_path: Path) -> None:
    with migrated_database("postgresql", tmp_path) as url:
        first = Leadership(url, holder="one:1:aa", lease_seconds=600)
        second = Leadership(url, holder="two:2:bb", lease_seconds=600)
        try:
            assert first.hold() and not second.hold()
            admin = create_engine(url, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:  # as if the leader's process died
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_locks"
                        " WHERE locktype = 'advisory' AND pid <> pg_backend_pid()"
                    )
                )
            admin.dispose()
            wait_for(second.hold)  # its lease row has 10 minutes left: the lock decides
            assert leader_of(url) == "two:2:bb"
            assert not first.hold() and not first.leading()
        finally:
            first.release()
            second.release()


def test_a_holder_names_its_host_and_process() -> None:
    host, pid, tag = holder_id().split(":")
    assert host and int(pid) == os.getpid() and len(tag) == 6
    assert holder_id() == holder_id()
