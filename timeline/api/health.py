"""``GET /health`` (the process answers) and ``GET /ready`` (its database is reachable and
its schema current)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import ServiceUnavailable

from ..store import db
from ..store.migrate import current_revision, head_revision
from .schemas import HealthSchema

blp = Blueprint("health", __name__, description="Liveness and readiness")


@blp.route("/health")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    def get(self) -> dict[str, Any]:
        """The process is up."""
        return {"status": "ok", "checks": {}}


@blp.route("/ready")
class Ready(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def get(self) -> dict[str, Any]:
        """The database answers and its schema is the newest migration's."""
        try:
            engine = db.engine()
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            revision = current_revision(engine)
        except SQLAlchemyError:
            raise ServiceUnavailable("The database does not answer.") from None
        if revision != head_revision():
            head = head_revision()
            raise ServiceUnavailable(
                f"The schema is at {revision}, not {head}: run timeline db upgrade."
            )
        return {"status": "ok", "checks": {"database": "ok", "schema": revision or ""}}
