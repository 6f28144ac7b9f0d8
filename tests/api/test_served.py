"""schemathesis against a served instance: ``timeline serve`` (waitress) in a process of its
own on 127.0.0.1, on a database of its own, answering generated requests over HTTP.

The in-process passes of ``test_schemathesis.py`` explore more; this one proves that what is
served (the WSGI server, its headers, its error pages) keeps the same contract, with keys
required as in a deployment (schemathesis sends the editor key ``EDITOR_KEY``). DELETE is
left out, so that the seed article is there for the last test to read its timeline.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from timeline.api.keys import create_key

from .test_schemathesis import ACCEPTANCE, CONTRACT, EDITOR_KEY, MALFORMED, Case, json_answers

SERVED_SETTINGS = settings(max_examples=10, deadline=None)
# Under a socket guard: the test talks to the served app on 127.0.0.1 and nothing else.
pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])


def free_port() -> int:
    """A TCP port nothing listens on, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """``timeline serve`` on 127.0.0.1 on a fresh SQLite database in ``folder``, migrated and
    holding the seed articles and ``EDITOR_KEY``, with keys required; its base URL, until
    the block ends."""
    database = f"sqlite:///{folder / 'timeline.db'}"
    env = {
        **os.environ,
        "TIMELINE_DATABASE_URL": database,
        "TIMELINE_REQUIRE_KEYS": "true",
        "NO_PROXY": "127.0.0.1",
        "no_proxy": "127.0.0.1",
    }
    command = [sys.executable, "-m", "timeline"]
    repo = Path(__file__).resolve().parents[2]
    subprocess.run([*command, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [*command, "load", str(repo / "seeds")], env=env, check=True, capture_output=True
    )
    engine = create_engine(database)
    with Session(engine) as session:
        create_key(session, "editor", "schemathesis", secret=EDITOR_KEY)
    engine.dispose()
    port = free_port()
    server = subprocess.Popen(
        [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base, server)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of ``timeline serve`` on a fresh SQLite database, migrated and seeded."""
    with serving(tmp_path_factory.mktemp("served")) as base:
        yield base


def wait_until_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    """Poll ``/ready`` until it answers 200 (or the server dies, or 30 seconds pass)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            errors = server.stderr.read().decode(errors="replace") if server.stderr else ""
            raise RuntimeError(f"timeline serve exited: {errors}")
        try:
            with opener.open(f"{base}/ready", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise RuntimeError("timeline serve did not become ready in 30 seconds")


def call(case: Case, base: str) -> None:
    """Send ``case`` over HTTP; run the schema's checks and ``json_answers``."""
    case.call_and_validate(base_url=base, additional_checks=[json_answers])


@CONTRACT.exclude(name_regex="^DELETE ").parametrize()
@SERVED_SETTINGS
def test_served_contract(case: Case, served: str) -> None:
    call(case, served)


@ACCEPTANCE.exclude(name_regex="^DELETE ").parametrize()
@SERVED_SETTINGS
def test_served_valid_data_is_accepted(case: Case, served: str) -> None:
    call(case, served)


@MALFORMED.exclude(name_regex="^DELETE ").parametrize()
@SERVED_SETTINGS
def test_served_malformed_requests_are_refused(case: Case, served: str) -> None:
    call(case, served)


def test_the_served_seed_timeline_is_in_order(served: str) -> None:
    import json

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{served}/v1/articles?source=Al%20Jazeera", timeout=5) as response:
        items: list[dict[str, Any]] = json.load(response)["items"]
    assert [a["language"] for a in items] == ["en"]
    with opener.open(f"{served}/v1/articles/{items[0]['id']}/timeline", timeout=5) as response:
        events = json.load(response)["events"]
    starts = [e["interval"]["start"] for e in events]
    assert starts == sorted(starts)
    assert starts[0] == "2001-09-11"
    assert starts[-1] == "2021-07-20"
