"""The service at start and stop: it waits for its database (with backoff, for at most
``TIMELINE_DB_WAIT_SECONDS``, then one clear error line and exit status 2), answers 503
problem documents while the database is away, stops cleanly on SIGTERM as on SIGINT, and the
container's entry point migrates unless ``TIMELINE_MIGRATE_AT_START`` is false."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, inspect
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from support import answers, free_port, start_serve, wait_for

from timeline.app import create_app
from timeline.errors import TimelineError
from timeline.store import db
from timeline.store.migrate import upgrade

RunCli = Callable[[Sequence[str]], Any]  # conftest.run_cli
REPO = Path(__file__).resolve().parents[2]


def away_databases(tmp_path: Path) -> list[str]:
    """Database URLs nothing answers at: an SQLite file in a folder that does not exist, and
    a PostgreSQL server on a port nothing listens on."""
    return [
        f"sqlite:///{tmp_path / 'missing' / 'timeline.db'}",
        f"postgresql+psycopg://timeline@127.0.0.1:{free_port()}/timeline",
    ]


@pytest.mark.parametrize("command", [["serve"], ["scheduler"], ["db", "upgrade"]])
@pytest.mark.parametrize("which", [0, 1], ids=["sqlite", "postgresql"])
def test_a_database_that_stays_away_is_one_error_line_and_status_2(
    command: list[str],
    which: int,
    run_cli: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = away_databases(tmp_path)[which]
    monkeypatch.setenv("TIMELINE_DATABASE_URL", url)
    monkeypatch.setenv("TIMELINE_DB_WAIT_SECONDS", "1")
    result = run_cli(command)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert "internal error" not in result.err
    last = result.err.splitlines()[-1]
    shown = db.describe_url(url)
    assert last.startswith(f"timeline: error: database {shown} not reachable after 1 s: ")


def test_waiting_backs_off_up_to_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [0.0]
    slept: list[float] = []
    attempts = [0]

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    def probe(_url: str, _remaining: float) -> None:
        attempts[0] += 1
        engine = create_engine("sqlite:////nonexistent/folder/x.db")
        try:
            engine.connect()  # raises: the database is away
        finally:
            engine.dispose()

    monkeypatch.setattr(db, "_probe", probe)
    with pytest.raises(TimelineError, match="not reachable after 20 s"):
        db.wait_for("sqlite:///x.db", 20, sleep=sleep, clock=lambda: now[0])
    assert slept[:4] == [0.5, 1.0, 2.0, 4.0]
    assert max(slept) == 5.0
    assert sum(slept) == 20
    assert attempts[0] == len(slept) + 1


def test_waiting_ends_when_the_database_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    tries = iter([False, False, True])
    real_probe = db._probe

    def probe(url: str, _remaining: float) -> None:
        if not next(tries):
            real_probe("sqlite:////nonexistent/folder/x.db", 1)  # raises: away

    monkeypatch.setattr(db, "_probe", probe)
    slept: list[float] = []
    db.wait_for("sqlite:///x.db", 30, sleep=slept.append, clock=lambda: 0.0)
    assert slept == [0.5, 1.0]


@pytest.fixture
def served() -> Iterator[Callable[[str, Path], tuple[subprocess.Popen[bytes], str]]]:
    """Start ``timeline serve`` on a free port with a database URL; its output goes to a file.
    Returns the process and its base URL; killed after the test if still running."""
    started: list[subprocess.Popen[bytes]] = []

    def start(url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
        process, base = start_serve(url, log, {"TIMELINE_DB_WAIT_SECONDS": "120"})
        started.append(process)
        return process, base

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_stops_cleanly_on_a_signal(
    signum: signal.Signals,
    tmp_path: Path,
    served: Callable[[str, Path], tuple[subprocess.Popen[bytes], str]],
) -> None:
    url = f"sqlite:///{tmp_path / 'timeline.db'}"
    upgrade(url)
    process, base = served(url, tmp_path / "serve.log")
    wait_for(lambda: answers(f"{base}/health"))
    process.send_signal(signum)
    assert process.wait(timeout=20) == 0
    log = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in log
    assert not answers(f"{base}/health")


def test_serve_waits_for_its_database_then_serves(
    tmp_path: Path, served: Callable[[str, Path], tuple[subprocess.Popen[bytes], str]]
) -> None:
    folder = tmp_path / "later"
    url = f"sqlite:///{folder / 'timeline.db'}"
    log = tmp_path / "serve.log"
    process, base = served(url, log)
    wait_for(lambda: "waiting up to 120 s for database" in log.read_text())
    assert process.poll() is None
    assert not answers(f"{base}/health")
    folder.mkdir()  # the database comes
    upgrade(url)
    wait_for(lambda: answers(f"{base}/v1/articles"))
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0


def away_app(tmp_path: Path, which: int) -> Flask:
    return create_app({"TESTING": True, "DATABASE_URL": away_databases(tmp_path)[which]})


@pytest.mark.parametrize("which", [0, 1], ids=["sqlite", "postgresql"])
def test_a_request_while_the_database_is_away_is_a_503_problem(which: int, tmp_path: Path) -> None:
    app = away_app(tmp_path, which)
    response = app.test_client().get("/v1/articles")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == str(db.RETRY_AFTER_SECONDS)
    body = json.loads(response.get_data(as_text=True))
    assert body["status"] == 503
    assert body["title"] == "Service Unavailable"
    assert "database" in body["detail"]
    assert "Traceback" not in response.get_data(as_text=True)
    assert app.test_client().get("/health").status_code == 200
    db.engine(app).dispose()


def test_other_database_errors_stay_500s(tmp_path: Path) -> None:
    app = away_app(tmp_path, 0)

    @app.get("/broken")
    def broken() -> str:
        raise IntegrityError("INSERT ...", {}, Exception("UNIQUE constraint failed"))

    response = app.test_client().get("/broken")
    assert response.status_code == 500
    assert "Retry-After" not in response.headers


def test_a_connection_that_dies_after_the_answer_leaves_the_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database stopped after the request read what it needed: closing its session
    rolls back on a dead connection, which raised outside every error handler, and waitress
    answered 500 instead of the answer made (benchmarks/soak.py, PostgreSQL stopped -m
    fast)."""
    url = f"sqlite:///{tmp_path / 'timeline.db'}"
    upgrade(url)
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    close = Session.close

    def dies(session: Session) -> None:
        close(session)
        raise OperationalError("ROLLBACK", {}, Exception("terminating connection"))

    monkeypatch.setattr(Session, "close", dies)
    response = app.test_client().get("/v1/articles")
    assert response.status_code == 200
    assert json.loads(response.get_data(as_text=True))["items"] == []
    db.engine(app).dispose()


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX shell")
@pytest.mark.parametrize("setting", [None, "true", "false"])
def test_the_entry_point_migrates_unless_told_not_to(setting: str | None, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'timeline.db'}"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "TIMELINE_DATABASE_URL": url,
    }
    env.pop("TIMELINE_MIGRATE_AT_START", None)
    if setting is not None:
        env["TIMELINE_MIGRATE_AT_START"] = setting
    done = subprocess.run(
        ["sh", str(REPO / "docker" / "entrypoint.sh"), "echo", "command ran"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "command ran"
    engine = create_engine(url)
    migrated = inspect(engine).has_table("alembic_version")
    engine.dispose()
    assert migrated is (setting != "false")


def test_a_setting_that_is_no_boolean_is_an_error(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIMELINE_DATABASE_URL", f"sqlite:///{tmp_path / 'timeline.db'}")
    monkeypatch.setenv("TIMELINE_MIGRATE_AT_START", "perhaps")
    run_cli(["db", "upgrade", "--at-start"]).assert_usage_error("TIMELINE_MIGRATE_AT_START")
