"""Property-based contract tests: schemathesis reads the committed ``openapi.yaml`` and sends
every operation generated requests, in-process, to the WSGI app of the fixtures.

Three passes over every operation, each test on a fresh database holding the seed article:

* the contract: schema-valid requests and every response check of schemathesis (no 5xx;
  documented status codes, content types, headers and bodies; 405 with ``Allow`` for an
  undocumented method; ...) except the acceptance of schema-valid data, which has its own pass;
* the acceptance: a schema-valid request is not refused;
* malformed requests (negative generation): refused with a 4xx, never a 5xx (a generated
  request that turns out schema-valid is left to the acceptance pass).

On top of schemathesis' checks, every answer but a 204 is JSON, and every error a problem
document (RFC 9457) of its status.

The schemas are loaded at import time, so ``schema.parametrize()`` makes one test per
operation; each gets the function-scoped ``app`` of ``conftest.py`` (a migrated database of
its own) once, shared by the examples of that operation. The seed is fixed and Hypothesis'
example database off, so that every run (here or in CI, on SQLite or PostgreSQL) sends the
same requests; ids beyond the databases' integers (which once gave 500s) are mixed into the
generated ones, which seldom reach them on their own. Plain tests at the end pin those ids
one request each, and the answer to OPTIONS (which ``json_answers`` leaves out).

Keys are required, as they are by default: every request carries the editor key
``EDITOR_KEY`` (schemathesis' ``auth`` for the ``bearerAuth`` scheme, and the test client's
for the seed article), so that schemathesis' ``ignored_auth`` check also sends each write
without the key and with a wrong one, and finds both refused.

The acceptance pass holds because openapi.yaml states every rule the API keeps on a request
field: the exact forms of ``published_at`` (a pattern that admits only days that exist), no
NUL in any text, and an ``html`` page with some text outside its tags (``not`` a pattern).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeAlias

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings

from timeline.api.keys import create_key
from timeline.store import db

from .problems import PROBLEM_JSON, assert_problem

# Under a socket guard: a generated request reaches the app in-process (or the served app on
# 127.0.0.1) and nothing else; a source URL is validated and stored, never fetched.
pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])


# a generated request (schemathesis' Case is generic in the type of its operation)
Case: TypeAlias = schemathesis.Case[Any]

OPENAPI = Path(__file__).resolve().parents[2] / "openapi.yaml"
SEED = 20210717
# the editor key of the tests' applications (stored by the ``app`` fixture below)
EDITOR_KEY = "tl_schemathesis-editor-key-of-the-tests-0000000"
JSON_TYPES = {"application/json", PROBLEM_JSON}
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    # the app and its database are made once per operation, not once per example
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Ids just past the integers of the databases (PostgreSQL's INTEGER column ends at 2**31 - 1,
# SQLite's integers at 2**63 - 1): openapi.yaml does not bound article ids, and these are
# mixed into the generated ones, which seldom reach them on their own.
BEYOND_INT32 = 2**31
BEYOND_INT64 = 2**63
BEYOND_THE_DATABASE = [BEYOND_INT32, BEYOND_INT64, -BEYOND_INT32 - 1, -BEYOND_INT64 - 1]

# The operations that take an article id (in the path or the ``article`` filter), by label.
INTEGER_OVERFLOW = r"^(GET|DELETE) /v1/articles/\{article_id\}|^GET /v1/timeline$"


def load(mode: str, checks: dict[str, Any]) -> schemathesis.BaseSchema:
    """``openapi.yaml``, generating ``mode`` (``positive`` or ``negative``) data, with
    schemathesis' ``[checks]`` configuration ``checks``."""
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"mode": mode, "database": "none"},
            "checks": checks,
            "auth": {"openapi": {"bearerAuth": {"bearer": EDITOR_KEY}}},
            "dictionaries": {"beyond": {"values": BEYOND_THE_DATABASE}},
            "parameters": {
                "path.article_id": {"dictionary": "beyond", "probability": 0.2},
                "query.article": {"dictionary": "beyond", "probability": 0.2},
            },
        }
    )
    return schemathesis.openapi.from_path(OPENAPI, config=config)


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """The application with keys required and no rate limit, holding ``EDITOR_KEY``."""
    app = make_app(REQUIRE_KEYS=True, WRITE_RATE="off", RUN_RATE="off")
    with app.app_context():
        create_key(db.session(), "editor", "schemathesis", secret=EDITOR_KEY)
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of ``app`` that sends ``EDITOR_KEY`` with every request."""
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {EDITOR_KEY}"
    return client


CONTRACT = load("positive", {"positive_data_acceptance": {"enabled": False}})
ACCEPTANCE = load("positive", {"enabled": False, "positive_data_acceptance": {"enabled": True}})
MALFORMED = load("negative", {"positive_data_acceptance": {"enabled": False}})


def assert_json_answer(status: int, content_type: str | None, body: bytes) -> None:
    """An answer but a 204 is JSON; an error is a problem document of its status."""
    if status == 204:
        assert not body, "a 204 with a body"
        return
    media_type = (content_type or "").split(";")[0].strip()
    assert media_type in JSON_TYPES, f"{status} as {content_type!r}: {body[:200]!r}"
    document = json.loads(body)
    if status >= 400:
        assert media_type == PROBLEM_JSON, f"a {status} as {media_type}"
        assert isinstance(document, dict), document
        assert document.get("status") == status, document
        assert isinstance(document.get("title"), str) and document["title"], document
        assert isinstance(document.get("type"), str) and document["type"], document


def json_answers(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: Case
) -> bool | None:
    """A schemathesis check: ``assert_json_answer`` (OPTIONS has its own test below)."""
    if case.method.upper() == "OPTIONS":
        return None
    content_types = response.headers.get("content-type", [])
    assert len(content_types) <= 1, f"Content-Type: {content_types}"
    content_type = next(iter(content_types), None)
    exported = EXPORT_TYPES.get(str((case.query or {}).get("format")))
    if response.status_code == 200 and exported:  # an export asked for: its own type
        assert (content_type or "").split(";")[0] == exported, (exported, content_type)
        return True
    assert_json_answer(response.status_code, content_type, response.content)
    return True


# The media types of the timelines' export formats that are not JSON.
EXPORT_TYPES = {"ics": "text/calendar", "csv": "text/csv", "timeml": "application/xml"}


def check(case: Case, app: Flask) -> None:
    """Send ``case`` to ``app``; run the schema's checks and ``json_answers`` on the answer.

    The schema is told the test's app too: the probes of ``ignored_auth`` (the request again
    without the key, and with a wrong one) go through the schema's own transport, which
    follows the schema's app, not the one a call is given."""
    case.operation.schema.app = app
    case.call_and_validate(app=app, additional_checks=[json_answers])


@CONTRACT.exclude(name_regex=INTEGER_OVERFLOW).parametrize()
@SETTINGS
def test_contract(case: Case, app: Flask, seed_article: dict[str, Any]) -> None:
    check(case, app)


@CONTRACT.include(name_regex=INTEGER_OVERFLOW).parametrize()
@SETTINGS
def test_contract_of_integer_ids(case: Case, app: Flask, seed_article: dict[str, Any]) -> None:
    check(case, app)


@ACCEPTANCE.parametrize()
@SETTINGS
def test_valid_data_is_accepted(case: Case, app: Flask, seed_article: dict[str, Any]) -> None:
    check(case, app)


@MALFORMED.parametrize()
@SETTINGS
def test_malformed_requests_are_refused(
    case: Case, app: Flask, seed_article: dict[str, Any]
) -> None:
    check(case, app)


# The bugs marked above, one request each.

ARTICLE_IDS = [
    pytest.param(BEYOND_INT32, id="2**31"),
    pytest.param(BEYOND_INT64, id="2**63"),
]
ARTICLE_FILTERS = [
    *ARTICLE_IDS,
    pytest.param(-BEYOND_INT32 - 1, id="-2**31-1"),
    pytest.param(-BEYOND_INT64 - 1, id="-2**63-1"),
]


def cursor(last_id: int) -> int:
    """The cursor the API gives out after the article ``last_id``."""
    return last_id


@pytest.mark.parametrize("article_id", ARTICLE_IDS)
@pytest.mark.parametrize(
    ("method", "suffix"), [("GET", ""), ("DELETE", ""), ("GET", "/mentions"), ("GET", "/timeline")]
)
def test_an_id_beyond_the_database_is_not_found(
    client: FlaskClient, method: str, suffix: str, article_id: int
) -> None:
    assert_problem(client.open(f"/v1/articles/{article_id}{suffix}", method=method), 404)


@pytest.mark.parametrize("article", ARTICLE_FILTERS)
def test_an_article_filter_beyond_the_database_finds_nothing(
    client: FlaskClient, seed_article: dict[str, Any], article: int
) -> None:
    response = client.get("/v1/timeline", query_string={"article": article})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"events": [], "next_cursor": None}


@pytest.mark.parametrize("last_id", [BEYOND_INT32, BEYOND_INT64 - 1])
def test_a_cursor_beyond_the_database_ends_the_list(
    client: FlaskClient, seed_article: dict[str, Any], last_id: int
) -> None:
    response = client.get("/v1/articles", query_string={"cursor": cursor(last_id)})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize(
    "path",
    [
        "/v1/extract",
        "/v1/articles",
        "/v1/articles/1",
        "/v1/articles/1/mentions",
        "/v1/articles/1/timeline",
        "/v1/timeline",
        "/health",
        "/ready",
    ],
)
def test_options_answers_json_or_nothing(client: FlaskClient, path: str) -> None:
    response = client.options(path)
    assert response.status_code < 300
    assert response.headers["Allow"]
    assert_json_answer(response.status_code, response.content_type, response.get_data())
