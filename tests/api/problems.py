"""Checks of RFC 9457 problem details, shared by the API tests."""

from __future__ import annotations

from typing import Any

from werkzeug.test import TestResponse

PROBLEM_JSON = "application/problem+json"


def assert_problem(response: TestResponse, status: int) -> dict[str, Any]:
    """The problem document of ``response``, after checking its status, its media type and its
    ``type``, ``title`` and ``status`` members."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_JSON
    body = response.get_json()
    assert isinstance(body, dict), body
    assert body["status"] == status
    assert isinstance(body["type"], str) and body["type"]
    assert isinstance(body["title"], str) and body["title"]
    if "detail" in body:
        assert isinstance(body["detail"], str)
    return body


def field_errors(response: TestResponse, location: str) -> dict[str, list[str]]:
    """The field messages of a 422 problem at ``location`` (``json`` or ``query``); each field
    carries at least one message."""
    body = assert_problem(response, 422)
    errors = body.get("errors")
    assert isinstance(errors, dict), body
    fields = errors.get(location)
    assert isinstance(fields, dict), errors
    for name, messages in fields.items():
        assert isinstance(messages, list) and messages, (name, messages)
        assert all(isinstance(m, str) and m for m in messages), (name, messages)
    return fields
