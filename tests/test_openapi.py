"""The contract: ``openapi.yaml`` is what the application says of itself."""

from __future__ import annotations

from pathlib import Path

from timeline.cli.service import openapi_yaml


def test_openapi_yaml_is_the_apps_own_document(repo_root: Path) -> None:
    committed = (repo_root / "openapi.yaml").read_text(encoding="utf-8")
    assert committed == openapi_yaml(), (
        "openapi.yaml differs from the application's document: "
        "run `timeline openapi -o openapi.yaml` and review the change"
    )


def test_every_error_is_documented_as_problem_details() -> None:
    import yaml

    document = yaml.safe_load(openapi_yaml())
    for name, response in document["components"]["responses"].items():
        assert list(response["content"]) == ["application/problem+json"], name
