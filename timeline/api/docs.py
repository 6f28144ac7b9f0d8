"""``GET /openapi.yaml`` and ``GET /docs``: the API's contract, and a reference page built
from it by the app itself (no CDN, no script: it works offline and inside an intranet)."""

from __future__ import annotations

from typing import Any

import yaml
from flask import Blueprint, Response, current_app, render_template

from . import urls
from .embed import HEIGHT, iframe

blp = Blueprint("docs", __name__, template_folder="templates")


def spec() -> dict[str, Any]:
    """The application's OpenAPI document."""
    found: dict[str, Any] = current_app.extensions["timeline.api"].spec.to_dict()
    return found


def spec_yaml() -> str:
    """The OpenAPI document as YAML, in the document's own key order."""
    return yaml.safe_dump(spec(), sort_keys=False, allow_unicode=True, width=100)


@blp.get("/openapi.yaml")
def openapi_yaml() -> Response:
    """The OpenAPI document."""
    return Response(spec_yaml(), mimetype="application/yaml")


@blp.get("/docs")
def docs() -> str:
    """The API reference page."""
    document = spec()
    embed_url = urls.external("embed.embed_timeline", article=1)
    return render_template(
        "docs.html",
        embed_url=embed_url,
        snippet=iframe(embed_url, "Timeline", "100%", HEIGHT),
        info=document.get("info", {}),
        paths=document.get("paths", {}),
        schemas=document.get("components", {}).get("schemas", {}),
        security_schemes=document.get("components", {}).get("securitySchemes", {}),
        methods={"get", "post", "put", "patch", "delete"},
    )
