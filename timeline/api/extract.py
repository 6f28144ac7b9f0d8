"""``POST /v1/extract``: tag a text without storing anything."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from ..tagger import tag
from .metrics import timing_tagging
from .schemas import ExtractRequest, ExtractResponse

blp = Blueprint("extract", __name__, url_prefix="/v1", description="Stateless tagging")


@blp.route("/extract")
class Extract(MethodView):
    @blp.arguments(ExtractRequest)
    @blp.response(200, ExtractResponse)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """The time references of a text, resolved against its publication date."""
        with timing_tagging():
            mentions = tag(
                body["text"],
                body["published_at"],
                language=body["language"],
                region=body["region"],
            )
        return {"published_at": body["published_at"], "timexes": [m.to_dict() for m in mentions]}
