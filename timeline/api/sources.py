"""``/v1/sources`` and ``/v1/runs``: the feeds, pages and folders the scheduler brings
articles in from, and their runs.

Registering a source fetches nothing: its URL is checked for form here and for its address
when the scheduler (``timeline scheduler``) fetches it (:mod:`timeline.ingest.fetch`), and a
folder must lie under the folder root (``TIMELINE_FOLDER_ROOT``). ``POST
/v1/sources/{id}/run`` queues a run that the scheduler starts within a few seconds; web
workers never run one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import marshmallow as ma
from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from ..ingest.sources import request_run
from ..store import db
from ..store.models import Run, Source
from .articles import as_utc, id_page, valid_id
from .schemas import (
    PageQuery,
    RunListSchema,
    RunSchema,
    SourceListSchema,
    SourceRequest,
    SourceSchema,
    SourceUpdate,
)

blp = Blueprint("sources", __name__, url_prefix="/v1", description="Sources and their runs")

# The most runs one answer lists (the newest first).
MAX_RUNS = 100


def source_json(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "kind": source.kind,
        "url": source.url,
        "path": source.path,
        "interval_seconds": source.interval_seconds,
        "cron": source.cron,
        "enabled": source.enabled,
        "created_at": as_utc(source.created_at),
    }


def run_json(run: Run) -> dict[str, Any]:
    return {
        "id": run.id,
        "source_id": run.source_id,
        "status": run.status,
        "requested_at": as_utc(run.requested_at),
        "started_at": as_utc(run.started_at) if run.started_at else None,
        "ended_at": as_utc(run.ended_at) if run.ended_at else None,
        "seen": run.seen,
        "new": run.new,
        "skipped": run.skipped,
        "failed": run.failed,
        "error": run.error,
    }


def get_source(source_id: int) -> Source:
    """The source, or 404."""
    source = db.session().get(Source, source_id) if valid_id(source_id) else None
    if source is None:
        raise NotFound(f"No source {source_id}.")
    return source


@blp.route("/sources")
class Sources(MethodView):
    @blp.arguments(SourceRequest)
    @blp.response(201, SourceSchema, description="Registered; the scheduler takes it up")
    def post(self, body: dict[str, Any]) -> Any:
        """Register a feed, page or folder with its schedule (nothing is fetched now)."""
        session = db.session()
        source = Source(
            kind=body["kind"],
            url=body.get("url"),
            path=body.get("path"),
            interval_seconds=body.get("interval_seconds"),
            cron=body.get("cron"),
            enabled=body["enabled"],
            created_at=datetime.now(UTC),
        )
        session.add(source)
        session.commit()
        location = url_for("sources.SourceView", source_id=source.id)
        return source_json(source), 201, {"Location": location}

    @blp.arguments(PageQuery, location="query", unknown=ma.RAISE)
    @blp.response(200, SourceListSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """The sources in the order they were registered, a page at a time."""
        page, next_cursor = id_page(select(Source), Source.id, query)
        return {"items": [source_json(s) for s in page], "next_cursor": next_cursor}


@blp.route("/sources/<int:source_id>")
class SourceView(MethodView):
    @blp.response(200, SourceSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, source_id: int) -> dict[str, Any]:
        """One source."""
        return source_json(get_source(source_id))

    @blp.arguments(SourceUpdate)
    @blp.response(200, SourceSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, body: dict[str, Any], source_id: int) -> dict[str, Any]:
        """Change a source's schedule or pause it; its address is fixed (register another
        source for another address)."""
        source = get_source(source_id)
        if "interval_seconds" in body:
            source.interval_seconds, source.cron = body["interval_seconds"], None
        if "cron" in body:
            source.cron, source.interval_seconds = body["cron"], None
        if "enabled" in body:
            source.enabled = body["enabled"]
        db.session().commit()
        return source_json(source)

    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, source_id: int) -> None:
        """Remove a source and its runs (its articles stay)."""
        session = db.session()
        session.delete(get_source(source_id))
        session.commit()


@blp.route("/sources/<int:source_id>/run")
class SourceRun(MethodView):
    @blp.response(202, RunSchema, description="Queued: the scheduler starts it within seconds")
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, source_id: int) -> Any:
        """Run a source now (queue a run for the scheduler)."""
        run = request_run(db.session(), get_source(source_id))
        return run_json(run), 202, {"Location": url_for("sources.RunView", run_id=run.id)}


@blp.route("/sources/<int:source_id>/runs")
class SourceRuns(MethodView):
    @blp.response(200, RunListSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, source_id: int) -> dict[str, Any]:
        """A source's runs, the newest first (at most 100)."""
        get_source(source_id)
        runs = db.session().scalars(
            select(Run).where(Run.source_id == source_id).order_by(Run.id.desc()).limit(MAX_RUNS)
        )
        return {"items": [run_json(r) for r in runs]}


@blp.route("/runs/<int:run_id>")
class RunView(MethodView):
    @blp.response(200, RunSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, run_id: int) -> dict[str, Any]:
        """One run: its status and counts."""
        run = db.session().get(Run, run_id) if valid_id(run_id) else None
        if run is None:
            raise NotFound(f"No run {run_id}.")
        return run_json(run)
