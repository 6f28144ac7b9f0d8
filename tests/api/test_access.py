"""Access control (:mod:`timeline.api.access`): API keys on every write, private reads by a
setting, keys off for a local trial, and rate limits with ``Retry-After``.

Every test here runs with keys required (the other tests run with them off).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from timeline.api.keys import create_key, hash_secret, revoke_key
from timeline.errors import InvalidInputError
from timeline.store import db
from timeline.store.models import ApiKey

from .problems import assert_problem

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
ARTICLE = {"text": "The talks ended on Friday.", "published_at": "2021-07-17"}
FEED = {"kind": "feed", "url": "https://news.example/feed.xml", "interval_seconds": 900}
# the reads that PUBLIC_READS=false makes private: the data, its exports, the embed page
DATA_READS = [
    "/v1/articles",
    "/v1/articles/1",
    "/v1/articles/1/mentions",
    "/v1/articles/1/timeline?format=ics",
    "/v1/timeline",
    "/v1/timeline?format=csv",
    "/v1/sources",
    "/v1/runs/1",
    "/embed/timeline?article=1",
    "/oembed?url=http://localhost/embed/timeline",
]
# what stays public whatever the settings
SERVICE_PAGES = ["/health", "/ready", "/docs", "/openapi.yaml", "/openapi.json"]


MakeApp = Callable[..., Flask]


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    """The application with keys required (the default) and the default rates."""
    return make_app(REQUIRE_KEYS=True, WRITE_RATE="120/minute", RUN_RATE="10/minute")


def key(app: Flask, role: str, name: str = "test") -> str:
    """A new key of ``role`` in ``app``'s database: its secret."""
    with app.app_context():
        return create_key(db.session(), role, name).secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def assert_unauthorized(response: Any, invalid: bool = False) -> dict[str, Any]:
    """A 401 problem with a Bearer challenge (``invalid_token`` for a key that was sent)."""
    body = assert_problem(response, 401)
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer ")
    assert ('error="invalid_token"' in challenge) == invalid, challenge
    return body


def write_routes(app: Flask) -> list[tuple[str, str]]:
    """Every (method, URL) of the app that is a write, its path arguments set to 1."""
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & WRITE_METHODS):
            url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", "1", rule.rule)
            found.append((method, url))
    return found


def test_every_write_of_the_app_needs_a_key(app: Flask, client: FlaskClient) -> None:
    routes = write_routes(app)
    assert ("POST", "/v1/articles") in routes and ("POST", "/v1/sources/1/run") in routes
    assert {method for method, _ in routes} == {"POST", "PATCH", "DELETE"}
    for method, url in routes:
        response = client.open(url, method=method, json={})
        body = assert_unauthorized(response)
        assert "Authorization: Bearer" in body["detail"], (method, url)


def test_a_reader_key_may_not_write(app: Flask, client: FlaskClient) -> None:
    reader = key(app, "reader")
    for method, url in write_routes(app):
        response = client.open(url, method=method, json={}, headers=bearer(reader))
        body = assert_problem(response, 403)
        assert "reader" in body["detail"], (method, url)
        assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


def test_an_editor_key_writes(app: Flask, client: FlaskClient) -> None:
    editor = bearer(key(app, "editor"))
    posted = client.post("/v1/articles", json=ARTICLE, headers=editor)
    assert posted.status_code == 201, posted.get_data(as_text=True)
    source = client.post("/v1/sources", json=FEED, headers=editor).get_json()
    url = f"/v1/sources/{source['id']}"
    assert client.patch(url, json={"enabled": False}, headers=editor).status_code == 200
    assert client.post(f"{url}/run", headers=editor).status_code == 202
    assert client.delete(url, headers=editor).status_code == 204
    article = f"/v1/articles/{posted.get_json()['id']}"
    assert client.delete(article, headers=editor).status_code == 204
    with app.app_context():
        used = db.session().scalars(select(ApiKey.last_used_at)).one()
    assert used is not None


@pytest.mark.parametrize(
    "header",
    [
        "Bearer tl_not-a-key-of-this-service",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "tl_no-scheme",
    ],
)
def test_a_key_that_is_not_valid_is_refused(client: FlaskClient, header: str) -> None:
    response = client.post("/v1/articles", json=ARTICLE, headers={"Authorization": header})
    assert_unauthorized(response, invalid=True)


def test_a_revoked_key_is_refused(app: Flask, client: FlaskClient) -> None:
    editor = key(app, "editor")
    assert client.post("/v1/articles", json=ARTICLE, headers=bearer(editor)).status_code == 201
    with app.app_context():
        session = db.session()
        revoke_key(session, session.scalars(select(ApiKey.id)).one())
    response = client.post("/v1/articles", json=ARTICLE, headers=bearer(editor))
    body = assert_unauthorized(response, invalid=True)
    assert editor not in body["detail"]


def test_the_key_comes_before_the_body(client: FlaskClient) -> None:
    response = client.post("/v1/articles", data="not json", content_type="text/plain")
    assert_unauthorized(response)


def test_reads_are_public_by_default(client: FlaskClient, seed: dict[str, Any]) -> None:
    for url in DATA_READS:
        assert client.get(url).status_code != 401, url


def test_a_key_sent_with_a_public_read_is_checked(app: Flask, client: FlaskClient) -> None:
    assert_unauthorized(client.get("/v1/articles", headers=bearer("tl_wrong")), invalid=True)
    reader = key(app, "reader")
    assert client.get("/v1/articles", headers=bearer(reader)).status_code == 200


def test_private_reads_need_a_key_of_either_role(make_app: MakeApp) -> None:
    app = make_app(REQUIRE_KEYS=True, PUBLIC_READS=False)
    client = app.test_client()
    editor, reader = key(app, "editor"), key(app, "reader")
    posted = client.post("/v1/articles", json=ARTICLE, headers=bearer(editor))
    assert posted.status_code == 201
    for url in DATA_READS:
        body = assert_unauthorized(client.get(url))
        assert "private" in body["detail"], url
        assert_unauthorized(client.get(url, headers=bearer("tl_wrong")), invalid=True)
        for secret in (reader, editor):
            assert client.get(url, headers=bearer(secret)).status_code not in (401, 403), url
    article = posted.get_json()["id"]
    assert client.get(f"/v1/articles/{article}", headers=bearer(reader)).get_json()["id"] == article


@pytest.mark.parametrize("public_reads", [True, False])
def test_the_service_pages_stay_public(make_app: MakeApp, public_reads: bool) -> None:
    client = make_app(REQUIRE_KEYS=True, PUBLIC_READS=public_reads).test_client()
    for url in SERVICE_PAGES:
        assert client.get(url).status_code == 200, url
    assert client.options("/v1/articles").status_code == 204


def test_without_keys_everything_is_allowed(make_app: MakeApp) -> None:
    client = make_app(REQUIRE_KEYS=False, PUBLIC_READS=False).test_client()
    posted = client.post("/v1/articles", json=ARTICLE)
    assert posted.status_code == 201
    assert client.get("/v1/articles").status_code == 200
    assert client.delete(f"/v1/articles/{posted.get_json()['id']}").status_code == 204


def test_writes_over_the_rate_are_refused_with_retry_after(make_app: MakeApp) -> None:
    app = make_app(REQUIRE_KEYS=True, WRITE_RATE="2/minute")
    client = app.test_client()
    first, second = bearer(key(app, "editor", "one")), bearer(key(app, "editor", "two"))
    statuses = [
        client.post("/v1/extract", json=ARTICLE, headers=first).status_code for _ in range(2)
    ]
    assert statuses == [200, 200]
    refused = client.post("/v1/extract", json=ARTICLE, headers=first)
    body = assert_problem(refused, 429)
    assert 1 <= int(refused.headers["Retry-After"]) <= 30  # one write every 30 s
    assert "writes" in body["detail"]
    assert client.post("/v1/extract", json=ARTICLE, headers=second).status_code == 200
    assert client.get("/v1/articles", headers=first).status_code == 200  # reads are not limited


def test_run_requests_have_a_rate_of_their_own(make_app: MakeApp) -> None:
    app = make_app(REQUIRE_KEYS=True, WRITE_RATE="2/minute", RUN_RATE="1/hour")
    client = app.test_client()
    editor = bearer(key(app, "editor"))
    source = client.post("/v1/sources", json=FEED, headers=editor).get_json()
    assert client.post(f"/v1/sources/{source['id']}/run", headers=editor).status_code == 202
    refused = client.post(f"/v1/sources/{source['id']}/run", headers=editor)
    body = assert_problem(refused, 429)
    assert "run requests" in body["detail"]
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    # one write of the two was the source's: one is left
    assert client.patch(f"/v1/sources/{source['id']}", json={"enabled": False}, headers=editor)
    assert_problem(client.post("/v1/extract", json=ARTICLE, headers=editor), 429)


def test_without_keys_the_rate_is_per_client_address(make_app: MakeApp) -> None:
    client = make_app(REQUIRE_KEYS=False, WRITE_RATE="1/minute").test_client()
    here, there = {"REMOTE_ADDR": "192.0.2.1"}, {"REMOTE_ADDR": "192.0.2.2"}
    assert client.post("/v1/extract", json=ARTICLE, environ_base=here).status_code == 200
    assert_problem(client.post("/v1/extract", json=ARTICLE, environ_base=here), 429)
    assert client.post("/v1/extract", json=ARTICLE, environ_base=there).status_code == 200


def test_no_rate_when_it_is_off(make_app: MakeApp) -> None:
    app = make_app(REQUIRE_KEYS=True, WRITE_RATE="off")
    client = app.test_client()
    editor = bearer(key(app, "editor"))
    for _ in range(5):
        assert client.post("/v1/extract", json=ARTICLE, headers=editor).status_code == 200


def test_only_the_hash_of_a_secret_is_stored(app: Flask, database_url: str) -> None:
    secret = key(app, "editor", "cms")
    with app.app_context():
        rows = db.session().execute(text("SELECT * FROM api_keys")).all()
    assert len(rows) == 1
    stored = [str(value) for value in rows[0]]
    assert hash_secret(secret) in stored
    assert all(secret not in value for value in stored)
    assert secret.startswith("tl_") and len(secret) == 46


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("WRITE_RATE", "lots"),
        ("RUN_RATE", "10/fortnight"),
        ("WRITE_RATE", "-1/minute"),
        ("REQUIRE_KEYS", "maybe"),
        ("PUBLIC_READS", "sometimes"),
    ],
)
def test_a_setting_that_cannot_be_read_fails_at_start(
    make_app: MakeApp, setting: str, value: str
) -> None:
    with pytest.raises(InvalidInputError, match=setting):
        make_app(**{setting: value})


def test_the_contract_shows_the_security_scheme(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            if method in ("post", "patch", "delete"):
                assert operation["security"] == [{"bearerAuth": []}], (method, path)
                assert {"401", "403", "429"} <= set(operation["responses"]), (method, path)
            elif path.startswith("/v1/"):
                assert operation["security"] == [{}, {"bearerAuth": []}], (method, path)
            else:
                assert "security" not in operation, (method, path)
    headers = document["components"]["responses"]["RATE_LIMITED"]["headers"]
    assert "Retry-After" in headers


def test_the_reference_page_shows_the_keys(client: FlaskClient) -> None:
    page = client.get("/docs").get_data(as_text=True)
    assert "<h2>API keys (<code>bearerAuth</code>)</h2>" in page
    post = page.index('<span class="method">post</span> <code>/v1/articles</code>')
    assert "API key: required (an editor key)" in page[post : page.index("<h2>", post + 1)]
    assert "API key: optional (required where reads are private)" in page
