"""``timeline serve`` against hostile clients: waitress refuses a body over
``TIMELINE_MAX_CONTENT_LENGTH`` from its headers, without reading it, and idle connections
beyond ``TIMELINE_CONNECTION_LIMIT`` shut nobody out for longer than
``TIMELINE_CHANNEL_TIMEOUT``."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support import answers, start_serve, wait_for

from timeline.cli.service import limits, served_threads
from timeline.errors import InvalidInputError
from timeline.store.migrate import upgrade

REPO = Path(__file__).resolve().parent.parent
Serve = Callable[[dict[str, str]], str]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    """Start ``timeline serve`` on a free port of 127.0.0.1 with extra settings, on a
    migrated SQLite database; its base URL once it answers. Stopped after the test."""
    url = f"sqlite:///{tmp_path / 'timeline.db'}"
    upgrade(url)
    started: list[subprocess.Popen[bytes]] = []

    def start(settings: dict[str, str]) -> str:
        process, base = start_serve(url, tmp_path / "serve.log", settings)
        started.append(process)
        wait_for(lambda: answers(f"{base}/health"))
        return base

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def connect(base: str) -> socket.socket:
    """A TCP connection to the server at ``base``."""
    host, port = base.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=30)


def test_a_body_over_the_limit_is_refused_from_its_headers(serve: Serve) -> None:
    base = serve({"TIMELINE_MAX_CONTENT_LENGTH": "1024"})
    with connect(base) as client:
        client.sendall(
            b"POST /v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 300000000\r\n\r\n"
            + b'{"text": "'
            + b"x" * 100
        )
        # the answer comes although all but 110 bytes of the body were never sent
        answer = client.recv(4096)
    assert answer.split(b"\r\n", 1)[0] == b"HTTP/1.1 413 Request Entity Too Large"


def test_a_body_at_the_limit_still_reaches_the_app(serve: Serve) -> None:
    base = serve({"TIMELINE_MAX_CONTENT_LENGTH": "1024"})
    body = b'{"text": "' + b"x" * (1024 - 12) + b'"}'
    assert len(body) == 1024
    with connect(base) as client:
        client.sendall(
            b"POST /v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1024\r\n\r\n" + body
        )
        answer = client.recv(4096)
    status = answer.split(b"\r\n", 1)[0]
    assert b" 413 " not in status and status.startswith(b"HTTP/1.1 ")  # the app's own answer


def test_idle_connections_beyond_the_limit_time_out_and_requests_are_served(
    serve: Serve, tmp_path: Path
) -> None:
    base = serve({"TIMELINE_CONNECTION_LIMIT": "4", "TIMELINE_CHANNEL_TIMEOUT": "1"})
    idle = [connect(base) for _ in range(8)]
    try:
        # served once the idle connections that hold the limit are closed
        wait_for(lambda: answers(f"{base}/health"), seconds=60)
        log = (tmp_path / "serve.log").read_text()
        assert "reached the connection limit" in log
        idle[0].settimeout(30)
        assert idle[0].recv(1) == b""  # closed by the server
    finally:
        for connection in idle:
            connection.close()


def test_limits_come_from_the_settings() -> None:
    config: dict[str, Any] = {
        "CONNECTION_LIMIT": 1000,
        "CHANNEL_TIMEOUT": "5",
        "MAX_CONTENT_LENGTH": 2048,
    }
    assert limits(config) == {
        "connection_limit": 1000,
        "channel_timeout": 5,
        "cleanup_interval": 5,
        "max_request_body_size": 2049,
    }
    assert "max_request_body_size" not in limits({**config, "MAX_CONTENT_LENGTH": None})


@pytest.mark.parametrize("value", ["0", "-1", "ten", "1.5", True])
def test_a_limit_that_is_no_whole_number_is_an_error(value: object) -> None:
    config = {"CONNECTION_LIMIT": value, "CHANNEL_TIMEOUT": 30, "MAX_CONTENT_LENGTH": None}
    with pytest.raises(InvalidInputError, match="TIMELINE_CONNECTION_LIMIT"):
        limits(config)


def test_the_threads_come_from_the_option_else_the_setting() -> None:
    assert served_threads({"THREADS": "2"}, None) == 2
    assert served_threads({"THREADS": 4}, 1) == 1
    with pytest.raises(InvalidInputError, match="TIMELINE_THREADS"):
        served_threads({"THREADS": "0"}, None)
    with pytest.raises(InvalidInputError, match="--threads"):
        served_threads({"THREADS": 4}, 0)
