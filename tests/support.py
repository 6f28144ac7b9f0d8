"""Helpers of the tests that start the service's processes on 127.0.0.1: a free port,
``timeline serve`` started on one, waiting for a state, whether a URL answers, and a
database of a test's own on a PostgreSQL server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent


def stop_processes(processes: list[subprocess.Popen[bytes]], timeout: float) -> None:
    """SIGTERM those of ``processes`` still running, and kill any that has not ended within
    ``timeout`` seconds (a test's teardown)."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()


def free_port() -> int:
    """A TCP port nothing listens on, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    """Wait (generously) for ``condition`` to come true; fail the test when it does not."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("the condition did not come true in time")


def answers(url: str) -> bool:
    """Whether ``url`` answers 200 within 5 s (no proxy)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def start_serve(
    database: str, log: Path, settings: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """``timeline serve`` on a free port of 127.0.0.1 with ``database`` and the extra
    ``settings`` (``TIMELINE_*`` variables), its output in ``log`` (its logs on stdout, an
    error on stderr): the process and its base URL. The caller stops it."""
    port = free_port()
    env = {**os.environ, "TIMELINE_DATABASE_URL": database, **(settings or {})}
    with log.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "timeline", "serve", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=err,
            stderr=subprocess.STDOUT,
        )
    return process, f"http://127.0.0.1:{port}"


@contextmanager
def fresh_postgresql(server_url: str) -> Iterator[str]:
    """The URL of a new, empty database on the PostgreSQL server of ``server_url``, dropped
    (with whatever is still connected to it) afterwards."""
    server = make_url(server_url)
    name = f"timeline_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


# the databases that tests of several processes run on: SQLite, and PostgreSQL when
# TIMELINE_TEST_DATABASE_URL names a server
EXTERNAL_DATABASE = os.environ.get("TIMELINE_TEST_DATABASE_URL") or ""
DATABASES = ["sqlite"] + (["postgresql"] if EXTERNAL_DATABASE.startswith("postgresql") else [])


@contextmanager
def migrated_database(kind: str, folder: Path) -> Iterator[str]:
    """The URL of an empty database at the newest schema: an SQLite file in ``folder``
    (``kind`` "sqlite"), or a new database on the PostgreSQL server, dropped afterwards."""
    from timeline.store.migrate import upgrade

    if kind == "sqlite":
        url = f"sqlite:///{folder / 'timeline.db'}"
        upgrade(url)
        yield url
        return
    with fresh_postgresql(EXTERNAL_DATABASE) as url:
        upgrade(url)
        yield url
