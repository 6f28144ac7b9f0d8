"""Logs (:mod:`timeline.logs`): one JSON object a line, the id of each request in its
``X-Request-ID`` header, its access record and every record logged while it is served, and
never a header of the request in the logs."""

from __future__ import annotations

import io
import json
import logging
import re
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from support import answers, start_serve, wait_for

from timeline.api.keys import create_key
from timeline.app import create_app
from timeline.errors import InvalidInputError
from timeline.logs import SANE_REQUEST_ID, configure
from timeline.store import db
from timeline.store.migrate import upgrade

Lines = Callable[[], list[dict[str, Any]]]
NEW_ID = re.compile(r"[0-9a-f]{32}")
SECRET = "tl_0123456789abcdefSECRET"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    """An application on a migrated SQLite database, with a route that fails."""
    url = f"sqlite:///{tmp_path / 'timeline.db'}"
    upgrade(url)
    app = create_app({"TESTING": True, "DATABASE_URL": url})

    def fail() -> str:
        logging.getLogger("timeline.test").info("about to fail", extra={"article_id": 7})
        raise RuntimeError("a bug")

    app.add_url_rule("/fail", "fail", fail)
    yield app
    db.engine(app).dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def output() -> io.StringIO:
    """What the logs say, as JSON lines (configured at DEBUG, the most they say)."""
    stream = io.StringIO()
    configure({"LOG_FORMAT": "json", "LOG_LEVEL": "DEBUG"}, stream)
    return stream


@pytest.fixture
def lines(output: io.StringIO) -> Lines:
    """The records logged so far, each line read as JSON (each line must be)."""
    return lambda: [json.loads(line) for line in output.getvalue().splitlines()]


def access(lines: Lines) -> list[dict[str, Any]]:
    """The access records among ``lines``."""
    return [line for line in lines() if line["logger"] == "timeline.access"]


def test_a_request_is_one_json_access_line_with_the_id_its_response_carries(
    client: FlaskClient, lines: Lines
) -> None:
    response = client.get("/v1/articles?limit=5", buffered=True)
    assert response.status_code == 200
    given = response.headers["X-Request-ID"]
    assert NEW_ID.fullmatch(given)
    [record] = access(lines)
    assert record["request_id"] == given
    assert record["level"] == "INFO"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", record["time"])
    assert record["method"] == "GET"
    assert record["path"] == "/v1/articles"
    assert record["query"] == "limit=5"
    assert record["status"] == 200
    assert record["bytes"] == len(response.get_data())
    assert isinstance(record["duration_ms"], float) and record["duration_ms"] >= 0
    assert record["remote_addr"] == "127.0.0.1"
    assert record["message"].startswith("GET /v1/articles 200 ")


def test_each_request_gets_an_id_of_its_own(client: FlaskClient) -> None:
    ids = {client.get("/health").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


@pytest.mark.parametrize(
    "incoming", ["3f2a9c1e-58b4-4e0d-9a7b-0c1d2e3f4a5b", "req.42_a-B", "x" * 128]
)
def test_a_sane_incoming_request_id_is_echoed(
    incoming: str, client: FlaskClient, lines: Lines
) -> None:
    response = client.get("/health", headers={"X-Request-ID": incoming}, buffered=True)
    assert response.headers["X-Request-ID"] == incoming
    assert access(lines)[0]["request_id"] == incoming


@pytest.mark.parametrize(
    "incoming",
    [
        "abc\r\nX-Admin: yes",
        'abc"}\n{"level": "CRITICAL"',
        "x" * 1024,
        "x" * 129,
        "",
        "two words",
        "a,b",
        "caf\u00e9",
    ],
    ids=["header-injection", "log-injection", "1KB", "129", "empty", "space", "comma", "accent"],
)
def test_an_insane_incoming_request_id_is_replaced(
    incoming: str, client: FlaskClient, output: io.StringIO, lines: Lines
) -> None:
    # werkzeug's test client refuses line breaks in a header: put it in the environ directly
    response = client.get(
        "/health", environ_overrides={"HTTP_X_REQUEST_ID": incoming}, buffered=True
    )
    given = response.headers["X-Request-ID"]
    assert NEW_ID.fullmatch(given)
    assert response.headers.getlist("X-Request-ID") == [given]
    assert access(lines)[0]["request_id"] == given
    if incoming:
        assert incoming not in output.getvalue()
    assert len(output.getvalue().splitlines()) == 1


def test_the_pattern_of_a_sane_id_is_short_and_plain() -> None:
    assert SANE_REQUEST_ID.fullmatch("a" * 128)
    assert not SANE_REQUEST_ID.fullmatch("a" * 129)
    assert not SANE_REQUEST_ID.fullmatch("a\n")


def test_records_logged_while_a_request_is_served_carry_its_id(
    client: FlaskClient, lines: Lines
) -> None:
    response = client.get("/fail", headers={"X-Request-ID": "req-1"}, buffered=True)
    assert response.status_code == 500
    assert response.get_json()["request_id"] == "req-1"
    by_logger = {line["logger"]: line for line in lines()}
    told = by_logger["timeline.test"]
    assert (told["message"], told["request_id"], told["article_id"]) == (
        "about to fail",
        "req-1",
        7,
    )
    error = by_logger["timeline.app"]
    assert error["level"] == "ERROR"
    assert error["request_id"] == "req-1"
    assert "RuntimeError: a bug" in error["exception"]
    assert by_logger["timeline.access"]["status"] == 500


def test_a_problem_document_names_the_request_id(client: FlaskClient) -> None:
    response = client.get("/v1/articles/999999")
    assert response.status_code == 404
    assert response.get_json()["request_id"] == response.headers["X-Request-ID"]


def test_the_authorization_header_and_other_headers_are_never_logged(
    client: FlaskClient, output: io.StringIO, lines: Lines
) -> None:
    headers = {"Authorization": f"Bearer {SECRET}", "Cookie": f"session={SECRET}"}
    for method, path in [("GET", "/health"), ("POST", "/v1/articles"), ("GET", "/fail")]:
        client.open(path, method=method, headers=headers, json={"text": "x"}, buffered=True)
    assert len(access(lines)) == 3
    assert SECRET not in output.getvalue()


def test_the_access_record_names_the_key_that_authorised_a_write(
    tmp_path: Path, output: io.StringIO, lines: Lines
) -> None:
    url = f"sqlite:///{tmp_path / 'keys.db'}"
    upgrade(url)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "REQUIRE_KEYS": True})
    with app.app_context():
        created = create_key(db.session(), "editor", "newsroom")
    client = app.test_client()
    body = {"text": "Talks began on Friday.", "published_at": "2021-07-17"}
    headers = {"Authorization": f"Bearer {created.secret}"}
    assert client.post("/v1/extract", json=body, headers=headers, buffered=True).status_code == 200
    assert client.post("/v1/extract", json=body, buffered=True).status_code == 401
    db.engine(app).dispose()
    authorised, refused = access(lines)
    assert authorised["key_id"] == created.key.id
    assert refused["key_id"] is None
    assert created.secret not in output.getvalue()


def test_a_record_outside_a_request_has_no_request_id(lines: Lines) -> None:
    logging.getLogger("timeline.test").warning("line one\nline two")
    [record] = lines()
    assert "request_id" not in record
    assert record["message"] == "line one\nline two"  # one JSON line all the same


def test_text_logs_are_one_line_a_record_with_the_request_id(client: FlaskClient) -> None:
    stream = io.StringIO()
    configure({"LOG_FORMAT": "text", "LOG_LEVEL": "info"}, stream)
    client.get("/health", headers={"X-Request-ID": "req-2"}, buffered=True)
    logging.getLogger("timeline.test").info("forged\n2025-01-01 CRITICAL fake")
    first, second = stream.getvalue().splitlines()
    assert re.fullmatch(r"\S+Z INFO timeline\.access \[req-2\] GET /health 200 \S+ ms", first)
    assert second.endswith("INFO timeline.test forged\\n2025-01-01 CRITICAL fake")


def test_configuring_again_replaces_the_handler(lines: Lines, output: io.StringIO) -> None:
    configure({"LOG_FORMAT": "json", "LOG_LEVEL": "WARNING"}, output)
    logging.getLogger("timeline.test").info("not shown")
    logging.getLogger("timeline.test").warning("shown once")
    assert [line["message"] for line in lines()] == ["shown once"]


@pytest.mark.parametrize(
    ("config", "named"),
    [
        ({"LOG_FORMAT": "xml"}, "TIMELINE_LOG_FORMAT"),
        ({"LOG_LEVEL": "loud"}, "TIMELINE_LOG_LEVEL"),
    ],
)
def test_a_setting_that_is_not_known_is_an_error(config: dict[str, str], named: str) -> None:
    with pytest.raises(InvalidInputError, match=named):
        configure(config, io.StringIO())


def test_timeline_serve_logs_json_lines_on_stdout(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'timeline.db'}"
    upgrade(url)
    log = tmp_path / "serve.log"
    process, base = start_serve(url, log)
    try:
        wait_for(lambda: answers(f"{base}/health"))
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        request = urllib.request.Request(
            f"{base}/v1/articles",
            headers={"X-Request-ID": "served-1", "Authorization": f"Bearer {SECRET}"},
        )
        with opener.open(request, timeout=10) as response:
            assert response.headers["X-Request-ID"] == "served-1"
        wait_for(lambda: "served-1" in log.read_text())
    finally:
        process.terminate()
        process.wait(timeout=20)
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert any(r["message"].startswith("serving on http://127.0.0.1:") for r in records)
    [served] = [r for r in records if r.get("request_id") == "served-1"]
    assert (served["logger"], served["path"], served["status"]) == (
        "timeline.access",
        "/v1/articles",
        200,
    )
    assert SECRET not in log.read_text()
