"""Error handling (``timeline/api/problems.py``): every error is an RFC 9457 problem document
(``application/problem+json`` with ``type``, ``title`` and ``status``), and an unexpected
exception is answered 500 without its traceback."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .problems import assert_problem, field_errors

VALID = {"text": "Talks resumed on Friday.", "published_at": "2021-07-17"}


@pytest.mark.parametrize("path", ["/nope", "/v1/nope", "/v1/articles/abc", "/v1/articles/1/x"])
def test_unknown_path_is_a_404_problem(client: FlaskClient, path: str) -> None:
    assert_problem(client.get(path), 404)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/v1/articles", {"GET", "POST"}),
        ("PATCH", "/v1/articles/1", {"GET", "DELETE"}),
        ("POST", "/v1/articles/1", {"GET", "DELETE"}),
        ("DELETE", "/v1/articles", {"GET", "POST"}),
        ("GET", "/v1/extract", {"POST"}),
        ("POST", "/health", {"GET"}),
    ],
)
def test_wrong_method_is_a_405_problem_with_allow(
    client: FlaskClient, method: str, path: str, allowed: set[str]
) -> None:
    response = client.open(path, method=method, json=VALID)
    assert_problem(response, 405)
    allow = {m.strip() for m in response.headers["Allow"].split(",")}
    assert allowed <= allow
    assert method not in allow


@pytest.mark.parametrize(
    ("method", "path", "status"), [("PUT", "/v1/articles", 405), ("POST", "/v1/nope", 404)]
)
def test_routing_errors_come_before_the_media_type(
    client: FlaskClient, method: str, path: str, status: int
) -> None:
    response = client.open(path, method=method, data="x", content_type="text/plain")
    assert_problem(response, status)


@pytest.mark.parametrize(
    ("path", "data", "content_type"),
    [
        ("/v1/extract", "Talks resumed on Friday.", "text/plain"),
        (
            "/v1/articles",
            "text=Friday&published_at=2021-07-17",
            "application/x-www-form-urlencoded",
        ),
        ("/v1/articles", '{"text": "Friday", "published_at": "2021-07-17"}', None),
    ],
    ids=["text-plain", "form", "no-content-type"],
)
def test_body_that_is_not_json_is_a_415_problem(
    client: FlaskClient, path: str, data: str, content_type: str | None
) -> None:
    response = client.post(path, data=data, content_type=content_type)
    assert_problem(response, 415)
    assert client.get("/v1/articles").get_json()["items"] == []


@pytest.mark.parametrize(
    "data",
    [b"{not json", b'{"text": "Friday",}', b'{"text": "\xff", "published_at": "2021-07-17"}'],
    ids=["syntax", "trailing-comma", "not-utf-8"],
)
@pytest.mark.parametrize("path", ["/v1/extract", "/v1/articles"])
def test_invalid_json_is_a_400_problem(client: FlaskClient, path: str, data: bytes) -> None:
    response = client.post(path, data=data, content_type="application/json")
    problem = assert_problem(response, 400)
    assert problem["errors"]["json"]


def test_deeply_nested_json_is_a_400_problem(client: FlaskClient) -> None:
    response = client.post("/v1/extract", data=b"[" * 100_000, content_type="application/json")
    assert_problem(response, 400)


def test_body_over_the_limit_is_a_413_problem(make_app: Callable[..., Flask]) -> None:
    client = make_app(MAX_CONTENT_LENGTH=1024).test_client()
    small = client.post("/v1/extract", json=VALID)
    assert small.status_code == 200
    large = {**VALID, "text": "Talks resumed on Friday. " * 50}
    assert_problem(client.post("/v1/extract", json=large), 413)
    assert_problem(client.post("/v1/articles", json=large), 413)
    assert client.get("/v1/articles").get_json()["items"] == []


def test_unexpected_exception_is_a_500_problem_without_traceback(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app()

    def fail() -> str:
        raise RuntimeError("secret-internal-detail")

    app.add_url_rule("/v1/fail", "fail", fail)
    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/v1/fail")
    problem = assert_problem(response, 500)
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
    assert "secret-internal-detail" not in body
    assert "RuntimeError" not in body
    assert "test_errors.py" not in body
    assert problem["title"] == "Internal Server Error"
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is RuntimeError]
    assert logged, "the exception is logged with its traceback"


def test_validation_error_is_a_422_problem(client: FlaskClient) -> None:
    fields = field_errors(client.post("/v1/extract", json={"text": "Friday"}), "json")
    assert set(fields) == {"published_at"}
