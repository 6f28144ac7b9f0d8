"""The REST API: flask-smorest blueprints under ``/v1``, problem details for every error,
and the OpenAPI document built from the same schemas that validate the requests."""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin
from flask import Flask
from flask_smorest import Api as SmorestApi
from werkzeug.exceptions import HTTPException

from . import problems
from .schemas import ProblemSchema

API_SETTINGS: dict[str, Any] = {
    "API_TITLE": "timeline",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/",
    "OPENAPI_JSON_PATH": "openapi.json",
}


class ExactlyOneBody(BasePlugin):
    """Says in the OpenAPI document what ``ArticleRequest`` and the source requests check
    across fields: exactly one of ``text`` and ``html``; a URL for a feed or page and a path
    for a folder; one schedule; a change of a source names at least one field (marshmallow
    schemas have no way to state it)."""

    def schema_helper(
        self, name: str, definition: dict[str, Any], **kwargs: Any
    ) -> dict[str, Any] | None:
        if name == "ArticleRequest":
            return {"oneOf": [{"required": ["text"]}, {"required": ["html"]}]}
        if name == "SourceRequest":  # an address for its kind, and one schedule
            return {
                "allOf": [
                    {
                        "oneOf": [
                            {
                                "properties": {"kind": {"enum": ["feed", "page"]}},
                                "required": ["url"],
                                "not": {"required": ["path"]},
                            },
                            {
                                "properties": {"kind": {"enum": ["folder"]}},
                                "required": ["path"],
                                "not": {"required": ["url"]},
                            },
                        ]
                    },
                    {
                        "oneOf": [
                            {"required": ["interval_seconds"], "not": {"required": ["cron"]}},
                            {"required": ["cron"], "not": {"required": ["interval_seconds"]}},
                        ]
                    },
                ]
            }
        if name == "SourceUpdate":  # one schedule at most, and some change
            return {"not": {"required": ["interval_seconds", "cron"]}, "minProperties": 1}
        return None


class Api(SmorestApi):  # type: ignore[misc]
    """flask-smorest's Api, with RFC 9457 problem details as its error shape."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_RESPONSE_CONTENT_TYPE = "application/json"

    def handle_http_exception(self, error: HTTPException) -> Any:
        return problems.http_problem(error)

    def _register_responses(self) -> None:
        """Error responses, documented as ``application/problem+json``."""
        content_type = self.DEFAULT_RESPONSE_CONTENT_TYPE
        self.DEFAULT_RESPONSE_CONTENT_TYPE = problems.PROBLEM_JSON
        try:
            super()._register_responses()
        finally:
            self.DEFAULT_RESPONSE_CONTENT_TYPE = content_type


def init_app(app: Flask) -> Api:
    """Register the API's blueprints, access control and error handling on ``app``."""
    from . import access
    from .articles import blp as articles
    from .docs import blp as docs
    from .embed import blp as embed
    from .events import blp as events
    from .extract import blp as extract
    from .health import blp as health
    from .sources import blp as sources
    from .timelines import blp as timelines

    for key, value in API_SETTINGS.items():
        app.config.setdefault(key, value)
    api = Api(
        app,
        spec_kwargs={
            "info": {"description": "Time references and timelines of news articles."},
            "extra_plugins": [ExactlyOneBody(), access.AccessPlugin()],
        },
    )
    access.document(api.spec)
    api.spec.components.response(
        "LIMIT_EXCEEDED",
        {
            "description": (
                "The request is not valid (the messages of each field in `errors`), or the"
                " article is beyond a limit of the work it may take (`limit` names the"
                " setting, `value` its value, `detail` what the article came to); nothing"
                " is stored"
            ),
            "content": {problems.PROBLEM_JSON: {"schema": "Problem"}},
        },
    )
    from .schemas import TimelineJSSchema

    api.spec.components.schema("TimelineJS", schema=TimelineJSSchema)
    access.init_app(app)  # before the checks of a body: 401 comes before 415 or 400
    problems.init_app(app)
    for blueprint in (extract, articles, timelines, events, sources, health):
        api.register_blueprint(blueprint)
    app.register_blueprint(docs)
    app.register_blueprint(embed)
    app.extensions["timeline.api"] = api
    return api
