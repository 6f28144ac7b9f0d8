"""``timeline db upgrade`` under its migration lock: three processes upgrading one empty
database at once all succeed (SQLite always; PostgreSQL when ``TIMELINE_TEST_DATABASE_URL``
names a server), and ``apscheduler_jobs`` is the schema's, as APScheduler 3 would make it."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, MetaData, create_engine, event, inspect, text
from support import DATABASES, EXTERNAL_DATABASE, fresh_postgresql

from timeline.ingest.scheduler import run_scheduled
from timeline.store.migrate import alembic_config, current_revision, head_revision, upgrade
from timeline.store.models import Base

REPO = Path(__file__).resolve().parents[2]
needs_postgresql = pytest.mark.skipif(
    "postgresql" not in DATABASES,
    reason="TIMELINE_TEST_DATABASE_URL names no PostgreSQL server",
)


@pytest.fixture
def empty_postgresql() -> Iterator[str]:
    """The URL of a new, empty database on the server of ``TIMELINE_TEST_DATABASE_URL``,
    dropped after the test."""
    with fresh_postgresql(EXTERNAL_DATABASE) as url:
        yield url


def upgrade_together(url: str, barrier: multiprocessing.synchronize.Barrier) -> None:
    """One of the concurrent upgraders: start with the others, then upgrade."""
    barrier.wait(timeout=60)
    upgrade(url)


def upgrade_three_at_once(url: str) -> list[int | None]:
    """Upgrade ``url`` from three processes released together; their exit codes."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(3)
    workers = [context.Process(target=upgrade_together, args=(url, barrier)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    return [worker.exitcode for worker in workers]


def assert_at_head(url: str) -> None:
    engine = create_engine(url)
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT count(*) FROM alembic_version")).scalar()
        assert versions == 1
        assert inspect(engine).has_table("apscheduler_jobs")
    finally:
        engine.dispose()


def test_three_upgrades_at_once_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert upgrade_three_at_once(url) == [0, 0, 0]
    assert_at_head(url)


@needs_postgresql
def test_three_upgrades_at_once_on_postgresql(empty_postgresql: str) -> None:
    assert upgrade_three_at_once(empty_postgresql) == [0, 0, 0]
    assert_at_head(empty_postgresql)


@needs_postgresql
def test_three_timeline_db_upgrade_commands_at_once_on_postgresql(empty_postgresql: str) -> None:
    env = {**os.environ, "TIMELINE_DATABASE_URL": empty_postgresql}
    commands = [
        subprocess.Popen(
            [sys.executable, "-m", "timeline", "db", "upgrade"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [(c.wait(timeout=300), *c.communicate()) for c in commands]
    assert [code for code, _, _ in results] == [0, 0, 0], [err for _, _, err in results]
    assert all(f"at revision {head_revision()}" in out for _, out, _ in results)
    assert_at_head(empty_postgresql)


def apscheduler_table() -> dict[str, tuple[str, bool, bool]]:
    """APScheduler's own ``apscheduler_jobs``: column -> (type, nullable, primary key)."""
    table = SQLAlchemyJobStore(url="sqlite://", metadata=MetaData()).jobs_t
    return {c.name: (repr(c.type), c.nullable is True, c.primary_key) for c in table.columns}


def job_store_creates(url: str) -> list[str]:
    """The tables a starting APScheduler job store on ``url`` creates."""
    created: list[str] = []
    store = SQLAlchemyJobStore(url=url, metadata=MetaData())
    event.listen(store.jobs_t, "before_create", lambda *_args, **_kw: created.append("jobs"))
    store.jobs_t.create(store.engine, checkfirst=True)  # what its start() does
    store.engine.dispose()
    return created


@pytest.mark.parametrize("where", ["sqlite", pytest.param("postgresql", marks=needs_postgresql)])
def test_the_migration_makes_apscheduler_jobs_as_apscheduler_would(
    where: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if where == "sqlite":
        url = f"sqlite:///{tmp_path / 'jobs.db'}"
    else:
        url = request.getfixturevalue("empty_postgresql")
    upgrade(url)
    engine = create_engine(url)
    found = inspect(engine)
    columns = {c["name"]: c for c in found.get_columns("apscheduler_jobs")}
    expected = apscheduler_table()
    assert set(columns) == set(expected)
    for name, (_type, nullable, _key) in expected.items():
        assert columns[name]["nullable"] is (nullable and name != "id"), name
    assert found.get_pk_constraint("apscheduler_jobs")["constrained_columns"] == ["id"]
    indexes = found.get_indexes("apscheduler_jobs")
    assert [i["column_names"] for i in indexes] == [["next_run_time"]]
    engine.dispose()
    assert job_store_creates(url) == []  # a scheduler starting finds its table


def test_a_job_table_made_by_apscheduler_before_0009_is_kept(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0008")
    assert job_store_creates(url) == ["jobs"]  # as a scheduler of 0008 did at start
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO apscheduler_jobs (id, next_run_time, job_state) VALUES ('j', 1, x'00')"
            )
        )
    upgrade(url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id FROM apscheduler_jobs")).scalars().all() == ["j"]
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_the_migration_can_be_undone(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'down.db'}"
    upgrade(url)
    command.downgrade(alembic_config(url), "0008")
    engine = create_engine(url)
    assert not inspect(engine).has_table("apscheduler_jobs")
    engine.dispose()
    upgrade(url)
    assert_at_head(url)


def stored_job(engine: Engine, func: str) -> bytes:
    """The pickled state APScheduler stores for a source's job that calls ``func``."""
    scheduler = BackgroundScheduler(timezone="UTC")  # never started
    job = Job(
        scheduler,
        id="source-7",
        func="timeline.ingest.scheduler:run_scheduled",
        trigger=IntervalTrigger(minutes=15, timezone="UTC"),
        executor="default",
        args=[7],
        kwargs={},
        name="run_scheduled",
        misfire_grace_time=None,
        coalesce=True,
        max_instances=1,
        next_run_time=datetime(2026, 12, 7, 12, 0, tzinfo=UTC),
    )
    state = job.__getstate__()
    state["func"] = func
    return pickle.dumps(state, pickle.HIGHEST_PROTOCOL)


def restored(engine: Engine) -> list[Any]:
    """The jobs a scheduler's job store restores from ``engine`` (it drops the others)."""
    store = SQLAlchemyJobStore(engine=engine, tablename="apscheduler_jobs")
    store.start(BackgroundScheduler(timezone="UTC"), "default")
    return list(store.get_all_jobs())


def test_stored_jobs_follow_the_scheduler_to_its_package(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    command.upgrade(alembic_config(url), "0012")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO apscheduler_jobs (id, next_run_time, job_state) VALUES (:i, 1, :s)"),
            [
                {"i": "source-7", "s": stored_job(engine, "timeline.scheduler:run_scheduled")},
                {"i": "unreadable", "s": b"\x00"},
            ],
        )
    upgrade(url)
    with engine.connect() as connection:
        ids = connection.execute(text("SELECT id FROM apscheduler_jobs ORDER BY id")).scalars()
        assert ids.all() == ["source-7", "unreadable"]  # the one it cannot read is kept as is
    jobs = restored(engine)
    assert [(j.id, list(j.args), j.func_ref) for j in jobs] == [
        ("source-7", [7], "timeline.ingest.scheduler:run_scheduled")
    ]
    assert jobs[0].func is run_scheduled
    assert jobs[0].next_run_time == datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    command.downgrade(alembic_config(url), "0012")
    with engine.connect() as connection:
        blob = connection.execute(
            text("SELECT job_state FROM apscheduler_jobs WHERE id = 'source-7'")
        ).scalar_one()
    assert pickle.loads(blob)["func"] == "timeline.scheduler:run_scheduled"
    engine.dispose()


@needs_postgresql
def test_an_articles_words_are_kept_for_search_on_postgresql(empty_postgresql: str) -> None:
    url = empty_postgresql
    command.upgrade(alembic_config(url), "0013")
    engine = create_engine(url)
    insert = text(
        "INSERT INTO articles (content_hash, title, language, published_at, published_on,"
        " text, ingested_at, status, published_missing) VALUES (:hash, :title, 'en',"
        " '2021-07-17', '2021-07-17', :text, now(), 'tagged', false)"
    )
    search = text("SELECT count(*) FROM articles WHERE search @@ plainto_tsquery('simple', :words)")
    with engine.begin() as connection:
        connection.execute(insert, {"hash": "a", "title": "Talks in Doha", "text": "Envoys met."})
    upgrade(url)
    with engine.begin() as connection:  # an article stored before, and one after
        connection.execute(insert, {"hash": "b", "title": None, "text": "Talks resume in Doha."})
        assert connection.execute(search, {"words": "doha talks"}).scalar() == 2
        assert connection.execute(search, {"words": "envoys doha"}).scalar() == 1
        indexes = {i["name"] for i in inspect(connection).get_indexes("articles")}
    assert "ix_articles_search_vector" in indexes
    assert "ix_articles_search" not in indexes
    command.downgrade(alembic_config(url), "0013")
    found = inspect(engine)
    assert "search" not in {c["name"] for c in found.get_columns("articles")}
    assert "ix_articles_search" in {i["name"] for i in found.get_indexes("articles")}
    engine.dispose()


def profiles_up_and_down(url: str) -> None:
    """Migration 0015 adds ``group_profiles`` (its rows go with their event) and takes it
    away again."""
    upgrade(url)
    engine = create_engine(url)
    try:
        found = inspect(engine)
        assert {c["name"] for c in found.get_columns("group_profiles")} == {
            "group_id",
            "profile",
            "event_id",
        }
        assert "ix_group_profiles_event_id" in {
            i["name"] for i in found.get_indexes("group_profiles")
        }
        keys = found.get_foreign_keys("group_profiles")
        assert [(k["referred_table"], k["options"].get("ondelete")) for k in keys] == [
            ("events", "CASCADE")
        ]
        command.downgrade(alembic_config(url), "0014")
        assert not inspect(engine).has_table("group_profiles")
        upgrade(url)
        assert inspect(engine).has_table("group_profiles")
    finally:
        engine.dispose()


def test_migration_0015_up_and_down_on_sqlite(tmp_path: Path) -> None:
    profiles_up_and_down(f"sqlite:///{tmp_path / 'profiles.db'}")


@needs_postgresql
def test_migration_0015_up_and_down_on_postgresql(empty_postgresql: str) -> None:
    profiles_up_and_down(empty_postgresql)


def lead_indexes_up_and_down(url: str) -> None:
    """Migration 0016 adds the indexes that elect a group's lead (one of them partial, over
    the leads) and takes them away again."""
    upgrade(url)
    engine = create_engine(url)
    try:
        indexes = {i["name"]: i for i in inspect(engine).get_indexes("events")}
        for name in ("ix_events_group_best", "ix_events_group_lead"):  # as the model has them
            modelled = next(i for i in Base.metadata.tables["events"].indexes if i.name == name)
            assert indexes[name]["column_names"] == [c.name for c in modelled.columns]
        command.downgrade(alembic_config(url), "0015")
        names = {i["name"] for i in inspect(engine).get_indexes("events")}
        assert not names & {"ix_events_group_best", "ix_events_group_lead"}
        upgrade(url)
        names = {i["name"] for i in inspect(engine).get_indexes("events")}
        assert {"ix_events_group_best", "ix_events_group_lead"} <= names
    finally:
        engine.dispose()


def test_migration_0016_up_and_down_on_sqlite(tmp_path: Path) -> None:
    lead_indexes_up_and_down(f"sqlite:///{tmp_path / 'leads.db'}")


@needs_postgresql
def test_migration_0016_up_and_down_on_postgresql(empty_postgresql: str) -> None:
    lead_indexes_up_and_down(empty_postgresql)
