"""``POST /v1/extract``: a text's time references, resolved against its publication date,
with nothing stored; a request that is not valid is a 422 problem naming each bad field."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from .problems import field_errors

# A sentence of the seed article, published on Saturday 17 July 2021.
SENTENCE = (
    "The Afghan army clashed with Taliban fighters in Spin Boldak on Friday after they"
    " launched an operation to retake a key southern border crossing with Pakistan."
)
VALID: dict[str, Any] = {"text": SENTENCE, "published_at": "2021-07-17"}


def test_extract_resolves_friday_in_the_seed_sentence(
    client: FlaskClient, seed: dict[str, Any]
) -> None:
    assert SENTENCE in seed["text"]
    response = client.post("/v1/extract", json={**VALID, "language": "en", "region": "AF"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["published_at"] == "2021-07-17"
    fridays = [t for t in body["timexes"] if t["text"] == "Friday"]
    assert len(fridays) == 1, body["timexes"]
    friday = fridays[0]
    assert friday["type"] == "DATE"
    assert friday["value"] == "2021-07-16"
    assert friday["anchor"] == "2021-07-17"
    assert SENTENCE[friday["start"] : friday["end"]] == "Friday"


def test_extract_defaults_language_and_region(client: FlaskClient) -> None:
    response = client.post("/v1/extract", json=VALID)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert [t["value"] for t in response.get_json()["timexes"]] == ["2021-07-16"]


def test_extract_stores_nothing(client: FlaskClient, seed: dict[str, Any]) -> None:
    response = client.post("/v1/extract", json={k: seed[k] for k in ("text", "published_at")})
    assert response.status_code == 200
    assert response.get_json()["timexes"]
    listing = client.get("/v1/articles")
    assert listing.status_code == 200
    assert listing.get_json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"text": None}, "text", id="missing-text"),
        pytest.param({"published_at": None}, "published_at", id="missing-published_at"),
        pytest.param({"text": 17}, "text", id="text-not-a-string"),
        pytest.param({"text": ["a", "b"]}, "text", id="text-a-list"),
        pytest.param({"published_at": 20210717}, "published_at", id="published_at-a-number"),
        pytest.param({"language": ["en"]}, "language", id="language-a-list"),
        pytest.param({"published_at": "17/07/2021"}, "published_at", id="published_at-dmy"),
        pytest.param({"published_at": "2021-13-45"}, "published_at", id="published_at-no-day"),
        pytest.param({"published_at": "yesterday"}, "published_at", id="published_at-words"),
        pytest.param({"published_at": ""}, "published_at", id="published_at-empty"),
        pytest.param({"dct": "2021-07-17"}, "dct", id="unknown-field"),
        pytest.param({"language": "xx"}, "language", id="language-unknown"),
        pytest.param({"language": "tlh"}, "language", id="language-unsupported"),
        pytest.param({"language": "english"}, "language", id="language-not-a-tag"),
        pytest.param({"language": ""}, "language", id="language-empty"),
        pytest.param({"region": "af"}, "region", id="region-lower-case"),
        pytest.param({"region": "AFG"}, "region", id="region-alpha-3"),
        pytest.param({"region": "A"}, "region", id="region-one-letter"),
        pytest.param({"region": 4}, "region", id="region-a-number"),
    ],
)
def test_extract_rejects_invalid_request(
    client: FlaskClient, changes: dict[str, Any], field: str
) -> None:
    body = {**VALID, **changes}
    body = {k: v for k, v in body.items() if v is not None}
    fields = field_errors(client.post("/v1/extract", json=body), "json")
    assert set(fields) == {field}


def test_extract_reports_every_bad_field_at_once(client: FlaskClient) -> None:
    body = {"published_at": "soon", "language": "xx", "region": "af", "extra": 1}
    fields = field_errors(client.post("/v1/extract", json=body), "json")
    assert set(fields) == {"text", "published_at", "language", "region", "extra"}
    assert fields["text"] == ["Missing data for required field."]
    assert fields["extra"] == ["Unknown field."]


@pytest.mark.parametrize("body", ["[]", "null", '"text"', "17"])
def test_extract_rejects_a_body_that_is_not_an_object(client: FlaskClient, body: str) -> None:
    response = client.post("/v1/extract", data=body, content_type="application/json")
    fields = field_errors(response, "json")
    assert set(fields) == {"_schema"}


def test_extract_rejects_region_with_trailing_newline(client: FlaskClient) -> None:
    fields = field_errors(client.post("/v1/extract", json={**VALID, "region": "AF\n"}), "json")
    assert set(fields) == {"region"}
