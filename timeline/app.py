"""The Flask application factory: ``create_app(test_config=None)``.

Configuration comes in layers: the defaults below, then ``TIMELINE_*`` environment
variables (``TIMELINE_DATABASE_URL=postgresql+psycopg://...``), then ``test_config``.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from . import logs
from .api import init_app as init_api
from .api import metrics
from .api.urls import checked as checked_public_url
from .errors import InvalidInputError
from .ingest import jobs
from .limits import DEFAULTS as LIMIT_DEFAULTS
from .limits import limits_from
from .store import db

DEFAULTS: dict[str, Any] = {
    # the request body limit: larger requests get 413
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    # page size of list endpoints, and its ceiling
    "PAGE_SIZE": 20,
    "MAX_PAGE_SIZE": 100,
    "JSON_SORT_KEYS": False,
    # logs on stdout (timeline/logs.py): "json" (one object a line) or "text", and the level
    "LOG_FORMAT": "json",
    "LOG_LEVEL": "INFO",
    # GET /metrics (timeline/api/metrics.py): false answers 404
    "METRICS": True,
    # how long serve, scheduler and db upgrade wait for the database at start, in seconds
    "DB_WAIT_SECONDS": 30,
    # whether the container's entry point migrates before its command (false when a
    # one-shot job runs `timeline db upgrade` instead)
    "MIGRATE_AT_START": True,
    # `timeline serve`: the most connections waitress holds open at once (more wait in the
    # listen queue), and the seconds after which it closes a connection that sent nothing
    "CONNECTION_LIMIT": 1000,
    "CHANNEL_TIMEOUT": 30,
    # `timeline serve`: the requests a process works on at once (waitress's threads; more
    # wait in its queue). Tagging and anchoring a post is Python under one lock per process,
    # so threads beyond a few add contention, not speed: scale with processes (on 2 cores
    # with 4 processes, 2 threads each posted more and read as fast as 4)
    "THREADS": 2,
    # the service's public base URL (https://timeline.example.org): the one that oEmbed,
    # Link headers, iCalendar UIDs and /docs give; when unset, each request's own (its Host
    # header), which production should not trust
    "PUBLIC_URL": None,
    # access control (timeline/api/access.py): writes need an editor key unless REQUIRE_KEYS
    # is false (a local trial on 127.0.0.1 only); reads of the data need a key of either role
    # when PUBLIC_READS is false
    "REQUIRE_KEYS": True,
    "PUBLIC_READS": True,
    # per key (per client address when keys are off), in each process: writes, and run
    # requests counted apart ("N/second|minute|hour|day", or "off")
    "WRITE_RATE": "120/minute",
    "RUN_RATE": "10/minute",
    # the job engine (timeline/ingest/jobs.py): "auto" (PostgreSQL's queue on PostgreSQL, else
    # "local": a thread of the web process), "postgresql" or "local"
    "QUEUE": "auto",
    # POST /v1/articles tags a text up to this many characters in the request (201); a
    # longer one is queued (202) unless ?wait=true
    "TAG_IN_REQUEST_CHARS": 10000,
    # the most one article may take (timeline/limits.py): characters of text, time
    # references, units of work to anchor them, seconds; beyond them a post is refused with
    # 422 and an ingested item fails ("off" lifts one)
    **LIMIT_DEFAULTS,
}


def enabled(config: Any, key: str) -> bool:
    """The boolean setting ``key`` as an environment variable may give it: true/false, 1/0,
    yes/no, on/off (``from_prefixed_env`` has already read JSON's true, false and numbers)."""
    value = config[key]
    if isinstance(value, str):
        word = value.strip().lower()
        if word in ("1", "true", "yes", "on"):
            return True
        if word in ("", "0", "false", "no", "off"):
            return False
        raise InvalidInputError(f"TIMELINE_{key} is not true or false: {value!r}")
    return bool(value)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """A configured application: database, API and error handling wired in."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DEFAULTS)
    default_url = "sqlite:///" + os.path.join(app.instance_path, "timeline.db")
    app.config["DATABASE_URL"] = default_url
    app.config.from_prefixed_env("TIMELINE")
    if test_config:
        app.config.from_mapping(test_config)
    if app.config["DATABASE_URL"] == default_url:
        os.makedirs(app.instance_path, exist_ok=True)
    limits_from(app.config)  # a setting that is no limit stops the app here, not a request
    if app.config["PUBLIC_URL"]:
        app.config["PUBLIC_URL"] = checked_public_url(app.config["PUBLIC_URL"])
    db.init_app(app)
    jobs.init_app(app)
    init_api(app)
    metrics.init_app(app)
    logs.init_app(app)
    return app
