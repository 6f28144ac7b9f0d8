"""API keys (:mod:`timeline.api.keys`) and ``timeline keys create|list|revoke``: the secret alone
on stdout, only its hash stored, and a key that a served instance accepts until it is
revoked."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session
from support import answers, start_serve, wait_for

from timeline.api.keys import create_key, hash_secret, mark_used
from timeline.store.migrate import upgrade
from timeline.store.models import ApiKey

RunCli = Callable[[Sequence[str]], Any]  # conftest.run_cli: (code, out, err) of one command
REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated SQLite database, the one the commands use (``TIMELINE_DATABASE_URL``)."""
    url = f"sqlite:///{tmp_path / 'timeline.db'}"
    upgrade(url)
    monkeypatch.setenv("TIMELINE_DATABASE_URL", url)
    return url


def rows(url: str) -> list[dict[str, Any]]:
    """Every row of ``api_keys``, as stored."""
    engine = create_engine(url)
    with engine.connect() as connection:
        found = [dict(row._mapping) for row in connection.execute(text("SELECT * FROM api_keys"))]
    engine.dispose()
    return found


def test_create_prints_the_secret_alone_and_stores_its_hash(run_cli: RunCli, database: str) -> None:
    result = run_cli(["keys", "create", "--role", "editor", "--name", "cms"])
    assert result.code == 0
    secret = result.out.removesuffix("\n")
    assert result.out == secret + "\n" and secret.startswith("tl_") and " " not in secret
    assert "editor key 1" in result.err and "'cms'" in result.err and secret not in result.err
    [stored] = rows(database)
    assert stored["secret_hash"] == hash_secret(secret)
    assert (stored["role"], stored["name"], stored["prefix"]) == ("editor", "cms", secret[:11])
    assert not any(secret in str(value) for value in stored.values())
    again = run_cli(["keys", "create", "--role", "reader"])
    assert again.out.strip() != secret
    assert [r["role"] for r in rows(database)] == ["editor", "reader"]


def test_list_shows_no_secret_and_revoke_revokes(run_cli: RunCli, database: str) -> None:
    secret = run_cli(["keys", "create", "--role", "reader", "--name", "partner site"]).out.strip()
    listed = run_cli(["keys", "list"])
    assert listed.code == 0 and secret not in listed.out
    header, line = listed.out.splitlines()
    assert header.split()[:3] == ["id", "role", "prefix"]
    assert line.split()[:3] == ["1", "reader", secret[:11] + "..."]
    assert line.endswith("partner site")
    revoked = run_cli(["keys", "revoke", "1"])
    assert revoked.code == 0 and "revoked key 1" in revoked.out
    assert rows(database)[0]["revoked_at"] is not None
    assert "revoked already" in run_cli(["keys", "revoke", "1"]).out
    moments = re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d", run_cli(["keys", "list"]).out)
    assert len(moments) == 2  # created and revoked (never used)


def test_a_use_is_recorded_at_most_once_a_minute(database: str) -> None:
    engine = create_engine(database)
    first = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    recorded = []
    with Session(engine) as session:
        key_id = create_key(session, "editor", "cms").key.id
        for seconds in (0, 59, 61):
            key = session.get(ApiKey, key_id)
            assert key is not None
            mark_used(session, key, now=first + timedelta(seconds=seconds))
            session.expire_all()
            used = session.scalars(select(ApiKey.last_used_at)).one()
            assert used is not None
            recorded.append(used.astimezone(UTC) if used.tzinfo else used.replace(tzinfo=UTC))
    engine.dispose()
    assert recorded == [first, first, first + timedelta(seconds=61)]


def test_keys_name_their_errors(run_cli: RunCli, database: str) -> None:
    run_cli(["keys", "revoke", "7"]).assert_usage_error("no key 7")
    run_cli(["keys", "create", "--role", "editor", "--name", " "]).assert_usage_error("name")
    with pytest.raises(SystemExit):  # argparse: the role is required and one of two
        run_cli(["keys", "create", "--role", "admin"])


def test_keys_need_the_current_schema(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIMELINE_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    run_cli(["keys", "list"]).assert_usage_error("timeline db upgrade")


def request(url: str, method: str = "GET", key: str | None = None) -> tuple[int, Message]:
    """The status and headers of ``method`` on ``url`` with a JSON body for writes."""
    body = json.dumps({"text": "Talks ended on Friday.", "published_at": "2021-07-17"})
    call = urllib.request.Request(
        url, data=body.encode() if method == "POST" else None, method=method
    )
    call.add_header("Content-Type", "application/json")
    if key:
        call.add_header("Authorization", f"Bearer {key}")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(call, timeout=10) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


@pytest.fixture
def served(database: str, tmp_path: Path) -> Iterator[str]:
    """``timeline serve`` on ``database`` with keys required; its base URL."""
    process, base = start_serve(database, tmp_path / "serve.log", {"TIMELINE_REQUIRE_KEYS": "true"})
    try:
        wait_for(lambda: answers(f"{base}/health"))
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_key_made_by_the_command_opens_the_served_api(database: str, served: str) -> None:
    env = {**os.environ, "TIMELINE_DATABASE_URL": database, "TIMELINE_REQUIRE_KEYS": "true"}
    command = [sys.executable, "-m", "timeline", "keys", "create", "--role", "editor"]
    made = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, check=True)
    lines = made.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tl_"), made.stdout
    assert "note:" not in made.stderr  # keys are checked here
    secret = lines[0]
    status, headers = request(f"{served}/v1/extract", "POST")
    assert status == 401 and headers.get("WWW-Authenticate", "").startswith("Bearer")
    assert request(f"{served}/v1/extract", "POST", key=secret)[0] == 200
    assert request(f"{served}/v1/articles")[0] == 200
    revoke = [sys.executable, "-m", "timeline", "keys", "revoke", "1"]
    subprocess.run(revoke, env=env, cwd=REPO, capture_output=True, check=True)
    assert request(f"{served}/v1/extract", "POST", key=secret)[0] == 401
