"""``GET /openapi.json``: the OpenAPI document the application builds from the schemas that
validate its requests."""

from __future__ import annotations

from flask.testing import FlaskClient

from .problems import PROBLEM_JSON

OPERATIONS = {
    ("/v1/extract", "post"),
    ("/v1/articles", "post"),
    ("/v1/articles", "get"),
    ("/v1/articles/{article_id}", "get"),
    ("/v1/articles/{article_id}", "delete"),
    ("/v1/articles/{article_id}/mentions", "get"),
    ("/health", "get"),
    ("/ready", "get"),
}


def test_openapi_documents_every_operation(client: FlaskClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    found = {(path, method) for path, item in document["paths"].items() for method in item}
    assert found >= OPERATIONS
    responses = document["paths"]["/v1/articles"]["post"]["responses"]
    assert {"200", "201", "422"} <= set(responses)


def test_openapi_errors_are_problems(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "errors"} <= set(problem["properties"])
    for name, response in document["components"]["responses"].items():
        assert set(response["content"]) == {PROBLEM_JSON}, name
        assert response["content"][PROBLEM_JSON]["schema"]["$ref"].endswith("/Problem"), name
