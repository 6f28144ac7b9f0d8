"""``GET /v1/events/{id}``: one timeline entry by its id (its group's, as the timeline shows
it), with every report behind it a page at a time.

The entry is the one the timeline across articles shows, with its bounded samples
(:mod:`timeline.store.groupreads`); its reports are read in id order from the group's index, so
a page costs the same however many articles report the event.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from werkzeug.exceptions import NotFound

from ..events.merge import Report, overlaps
from ..store import db, groupreads
from ..store.timelines import DEFAULT_LIMIT
from .articles import MAX_ID, valid_id
from .schemas import EventDetailSchema, EventQuery
from .timelines import event_json

blp = Blueprint("events", __name__, url_prefix="/v1", description="Timeline entries")


def report_json(report: Report, main: Report) -> dict[str, Any]:
    """The wire shape of one report of an entry whose main report is ``main``."""
    return {
        "id": report.id,
        "article_id": report.article_id,
        "source": report.source,
        "interval": {"start": report.start, "end": report.end, "granularity": report.granularity},
        "display_date": report.display_date,
        "headline": report.headline,
        "text": report.text,
        "kind": report.kind,
        "mention": report.mention,
        "confidence": report.confidence,
        "uncertain": report.uncertain,
        "agrees": report.id == main.id or overlaps(report, main),
    }


@blp.route("/events/<int:event_id>")
class Event(MethodView):
    @blp.arguments(EventQuery, location="query", unknown=ma.RAISE)
    @blp.response(200, EventDetailSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, query: dict[str, Any], event_id: int) -> Any:
        """One timeline entry (its id as the timeline gives it), with a page of its reports."""
        session = db.session()
        lead = groupreads.lead_of(session, event_id) if valid_id(event_id) else None
        if lead is None:
            raise NotFound(f"No event {event_id}.")
        (entry,) = groupreads.entries(session, [lead])
        after = min(query["cursor"], MAX_ID) if "cursor" in query else None
        reports, next_cursor = groupreads.group_reports(
            session, event_id, query.get("limit") or DEFAULT_LIMIT, after
        )
        return {
            "event": event_json(entry),
            "reports": [report_json(r, entry.main) for r in reports],
            "next_cursor": next_cursor,
        }
