"""The service's commands: ``timeline db upgrade`` and ``reanchor``, ``timeline serve``,
``timeline openapi`` and the others that work on the database.

Kept apart from :mod:`timeline.cli.commands` so that tagging from the command line never imports
Flask or SQLAlchemy.
"""

from __future__ import annotations

import logging
import sys
from datetime import datetime
from typing import Any

from flask import Flask

from .. import logs
from ..app import create_app, enabled
from ..errors import InvalidInputError, TimelineError
from ..store import db
from ..store.migrate import current_revision, head_revision, upgrade

log = logging.getLogger("timeline.service")


def wait_for_database(app: Flask) -> None:
    """Wait for the application's database (``TIMELINE_DB_WAIT_SECONDS``, 30 by default);
    a warning while it is away, a :class:`TimelineError` when it stays away."""
    url = app.config["DATABASE_URL"]
    try:
        seconds = float(app.config["DB_WAIT_SECONDS"])
    except (TypeError, ValueError):
        raise InvalidInputError(
            f"TIMELINE_DB_WAIT_SECONDS is not a number: {app.config['DB_WAIT_SECONDS']!r}"
        ) from None
    try:
        db.wait_for(url, 0)
    except TimelineError:
        log.warning("waiting up to %g s for database %s", seconds, db.describe_url(url))
        db.wait_for(url, seconds)


def db_upgrade(at_start: bool = False) -> int:
    """Bring the configured database (``TIMELINE_DATABASE_URL``) to the newest schema, once
    it answers. ``at_start`` (the container's entry point): nothing to do when
    ``TIMELINE_MIGRATE_AT_START`` is false."""
    app = create_app()
    url = app.config["DATABASE_URL"]
    if at_start and not enabled(app.config, "MIGRATE_AT_START"):
        print("migration at start is off (TIMELINE_MIGRATE_AT_START=false)")
        return 0
    logs.configure(app.config)
    wait_for_database(app)
    upgrade(url)
    revision = current_revision(db.engine(app))
    print(f"database {db.describe_url(url)} at revision {revision}")
    from ..store.articles import add_missing_events
    from ..store.timelines import group_ungrouped

    with app.app_context():
        filled = add_missing_events(db.session())
        grouped = group_ungrouped(db.session())
    if filled:
        print(f"anchored the events of {filled} article(s) stored before events were kept")
    if grouped:
        print(f"grouped {grouped} event(s) stored before events were grouped across articles")
    return 0


def db_reanchor() -> int:
    """Anchor the events of every stored article again with this version's anchoring."""
    app = create_app()
    from ..store.articles import reanchor

    revision, head = current_revision(db.engine(app)), head_revision()
    if revision != head:
        raise TimelineError(
            f"the database is at revision {revision or 'none'}, not {head}:"
            " run `timeline db upgrade` first"
        )
    with app.app_context():
        articles, events = reanchor(db.session())
    print(f"anchored the events of {articles} article(s) again: {events} event(s)")
    return 0


def load(paths: list[str]) -> int:
    """Store the article files at ``paths`` (files or folders of ``*.json``), tagged, in the
    configured database; an article already stored is skipped, one beyond the limits
    (:mod:`timeline.limits`) is named and not stored. Prints a summary."""
    from pathlib import Path

    from ..errors import LimitExceededError
    from ..ingest.files import load_article
    from ..ingest.items import article_fields
    from ..limits import limits_from
    from ..store.articles import store_article

    files = [
        file
        for path in map(Path, paths)
        for file in (sorted(path.glob("*.json")) if path.is_dir() else [path])
    ]
    app = create_app()
    limits = limits_from(app.config)
    new = skipped = failed = 0
    with app.app_context():
        for file in files:
            try:
                stored = store_article(db.session(), article_fields(load_article(file)), limits)
            except LimitExceededError as exc:
                failed += 1
                print(f"{file}: not stored: {exc}", file=sys.stderr)
                continue
            new, skipped = (new + 1, skipped) if stored.created else (new, skipped + 1)
            print(
                f"{file}: article {stored.article.id}"
                + ("" if stored.created else " (already stored)")
            )
    refused = f", {failed} beyond the limits" if failed else ""
    print(f"{len(files)} file(s): {new} new, {skipped} already stored{refused}")
    return 1 if failed else 0


def ingest(locations: list[str], progress: bool = True) -> int:
    """Store the articles of folders, JSONL files, feeds and pages, tagged (a progress bar on
    stderr); prints every item that failed and a summary with the throughput. Exit status
    1 when a location could not be read at all."""
    from collections import Counter
    from time import perf_counter

    from tqdm import tqdm

    from ..errors import LimitExceededError, TimelineError
    from ..ingest.fetch import Fetcher, policy_from_config
    from ..ingest.items import Unusable, articles_from, describe
    from ..limits import limits_from
    from ..store.articles import store_article

    app = create_app()
    limits = limits_from(app.config)
    fetcher = Fetcher(policy_from_config(app.config))
    counts: Counter[str] = Counter()
    started = perf_counter()
    unreadable = 0
    with (
        app.app_context(),
        tqdm(unit=" articles", disable=not progress, file=sys.stderr, dynamic_ncols=True) as bar,
    ):
        session = db.session()
        for location in locations:
            try:
                for item in articles_from(location, fetcher):
                    if isinstance(item, Unusable):
                        counts["failed"] += 1
                        bar.write(f"{item.where}: {item.reason}", file=sys.stderr)
                    else:
                        try:
                            stored = store_article(session, item, limits)
                        except LimitExceededError as exc:  # nothing of it stored
                            counts["failed"] += 1
                            where = item.get("url") or item.get("title") or location
                            bar.write(f"{where}: not stored: {exc}", file=sys.stderr)
                            bar.update(1)
                            continue
                        failed = stored.created and stored.article.status == "failed"
                        counts["failed" if failed else "new" if stored.created else "skipped"] += 1
                        if failed:
                            bar.write(
                                f"{item.get('url') or item.get('title')}: "
                                f"stored, tagging failed: {stored.article.error}",
                                file=sys.stderr,
                            )
                    bar.update(1)
            except (TimelineError, OSError) as exc:
                unreadable += 1
                bar.write(f"{location}: {describe(exc)}", file=sys.stderr)
    seconds = perf_counter() - started
    total = sum(counts.values())
    rate = total / seconds if seconds > 0 else 0.0
    print(
        f"{total} article(s): {counts['new']} new, {counts['skipped']} skipped (already stored), "
        f"{counts['failed']} failed; {seconds:.1f} s, {rate:.1f} articles/s"
    )
    return 1 if unreadable else 0


def add_source(kind: str, address: str, interval: int | None, cron: str | None) -> int:
    """Register a source (the checks of ``POST /v1/sources``); a source already registered
    with the same kind and address is left as it is."""
    from datetime import UTC, datetime

    import marshmallow as ma
    from sqlalchemy import select

    from ..api.schemas import SourceRequest
    from ..errors import InvalidInputError
    from ..store.models import Source

    field = "path" if kind == "folder" else "url"
    body: dict[str, object] = {"kind": kind, field: address}
    body.update({"interval_seconds": interval} if interval is not None else {})
    body.update({"cron": cron} if cron is not None else {})
    if interval is None and cron is None:
        body["interval_seconds"] = 3600
    try:
        data = SourceRequest().load(body)
    except ma.ValidationError as exc:
        raise InvalidInputError(f"not a source: {_messages(exc.messages)}") from None
    app = create_app()
    with app.app_context():
        session = db.session()
        column = Source.path if kind == "folder" else Source.url
        existing = session.scalars(
            select(Source).where(Source.kind == kind, column == address)
        ).first()
        if existing is not None:
            print(f"source {existing.id} ({kind} {address}) is already registered")
            return 0
        source = Source(
            kind=kind,
            url=data.get("url"),
            path=data.get("path"),
            interval_seconds=data.get("interval_seconds"),
            cron=data.get("cron"),
            enabled=True,
            created_at=datetime.now(UTC),
        )
        session.add(source)
        session.commit()
        print(f"source {source.id} registered: {kind} {address}")
    return 0


def _messages(messages: object) -> str:
    """Marshmallow's messages (by field) on one line."""
    if isinstance(messages, dict):
        return "; ".join(f"{key}: {_messages(value)}" for key, value in messages.items())
    if isinstance(messages, list):
        return " ".join(_messages(m) for m in messages)
    return str(messages)


def _keys_app() -> Flask:
    """The application, once its database answers at the newest schema (the one with
    ``api_keys``)."""
    app = create_app()
    wait_for_database(app)
    revision, head = current_revision(db.engine(app)), head_revision()
    if revision != head:
        raise TimelineError(
            f"the database is at revision {revision or 'none'}, not {head}:"
            " run `timeline db upgrade` first"
        )
    return app


def keys_create(role: str, name: str) -> int:
    """Create an API key of ``role``: its secret alone on stdout (one line, so that a script
    can take it), what it is on stderr. The secret is not stored and never shown again."""
    from ..api.keys import create_key

    app = _keys_app()
    with app.app_context():
        created = create_key(db.session(), role, name)
    key = created.key
    print(
        f"created {role} key {key.id} ({key.name!r}, {key.prefix}...): keep its secret,"
        " printed on stdout; it is not stored and cannot be shown again",
        file=sys.stderr,
    )
    print(created.secret)
    if not enabled(app.config, "REQUIRE_KEYS"):
        print("note: TIMELINE_REQUIRE_KEYS is false here, so keys are not checked", file=sys.stderr)
    return 0


def keys_list() -> int:
    """Every key as a table: id, role, prefix, created, last used, revoked, name (never a
    secret: none is stored)."""
    from ..api.keys import list_keys
    from .commands import print_columns

    app = _keys_app()
    with app.app_context():
        found = list_keys(db.session())

    def when(moment: datetime | None) -> str:
        return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"

    header = ("id", "role", "prefix", "created", "last used", "revoked", "name")
    rows = [header] + [
        (
            str(k.id),
            k.role,
            k.prefix + "...",
            when(k.created_at),
            when(k.last_used_at),
            when(k.revoked_at),
            k.name,
        )
        for k in found
    ]
    print_columns(rows)
    return 0


def keys_revoke(key_id: int) -> int:
    """Revoke the key ``key_id``: requests with it are refused (401) from now on."""
    from ..api.keys import revoke_key

    app = _keys_app()
    with app.app_context():
        key, before = revoke_key(db.session(), key_id)
    if before:
        print(f"key {key.id} ({key.name!r}, {key.prefix}...) was revoked already")
    else:
        print(f"revoked key {key.id} ({key.name!r}, {key.prefix}...)")
    return 0


def scheduler(check: bool = False) -> int:
    """Run the sources on their schedules until interrupted (:mod:`timeline.ingest.scheduler`);
    ``check``: only say whether a scheduler leads (exit status 0 or 1), without waiting."""
    from ..ingest.scheduler import check as check_leader
    from ..ingest.scheduler import serve_forever

    app = create_app()
    if check:
        return check_leader(app.config)
    logs.configure(app.config)
    wait_for_database(app)
    return serve_forever({**app.config, "INSTANCE_PATH": app.instance_path})


def worker(concurrency: int, check: bool = False) -> int:
    """Consume the PostgreSQL job queue (:mod:`timeline.ingest.queue`) until SIGINT or SIGTERM,
    ``concurrency`` jobs at a time; ``check``: exit status 0 while a worker, this one or
    another, has sent a heartbeat lately (a health check), else 1."""
    from ..ingest.jobs import engine_of
    from ..ingest.scheduler import make_runtime, seconds
    from ..ingest.sources import STALLED_BEATS

    app = create_app()
    if engine_of(app.config) != "postgresql":
        raise InvalidInputError(
            "timeline worker consumes the PostgreSQL job queue; with TIMELINE_QUEUE=local"
            " (the default on SQLite) each web process tags its own articles"
        )
    if concurrency < 1:
        raise InvalidInputError(f"--concurrency is not a whole number above 0: {concurrency}")
    config = {**app.config, "INSTANCE_PATH": app.instance_path}
    stalled = seconds(config, "HEARTBEAT") * STALLED_BEATS
    if check:
        from sqlalchemy.exc import DBAPIError

        from ..ingest.queue import live_workers

        try:
            live = live_workers(db.engine(app), stalled)
        except DBAPIError as exc:
            print(f"timeline: worker: cannot read the workers: {db.reason(exc)}", file=sys.stderr)
            return 1
        if live == 0:
            print(f"timeline: worker: no worker has beaten in {stalled:g} s", file=sys.stderr)
            return 1
        print(f"{live} worker(s) alive")
        return 0
    logs.configure(app.config)
    wait_for_database(app)
    from ..events.anchoring import warm_up
    from ..ingest.queue import serve_worker

    warm_up()
    runtime = make_runtime(config, leading=lambda: True)
    return serve_worker(runtime, str(app.config["DATABASE_URL"]), concurrency, stalled)


def serve(host: str, port: int, threads: int | None = None) -> int:
    """Serve the API with waitress, once its database answers, until SIGINT or SIGTERM: the
    server stops accepting, lets the requests in progress finish (waitress gives them 5 s)
    and the command exits 0."""
    import signal

    from waitress import serve as waitress_serve

    from ..events.anchoring import warm_up

    app = create_app()
    served_limits = limits(app.config)
    threads = served_threads(app.config, threads)
    logs.configure(app.config)
    wait_for_database(app)
    warm_up()
    from ..ingest.jobs import resume

    resumed = resume(app)
    if resumed:
        log.info("tagging %d article(s) left waiting by the last run", resumed)
    log.info("serving on http://%s:%s/ (API reference: http://%s:%s/docs)", host, port, host, port)
    # waitress closes its server on SystemExit and KeyboardInterrupt raised in its loop
    signal.signal(signal.SIGTERM, _stop)
    try:
        waitress_serve(
            app, host=host, port=port, threads=threads, ident="timeline", **served_limits
        )
    except SystemExit:
        pass  # SIGTERM before waitress's loop started: nothing to close
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    return 0


def limits(config: Any) -> dict[str, int]:
    """waitress's limits from the settings: ``TIMELINE_CONNECTION_LIMIT`` connections at
    once (1,000; waitress's own 100 lets 101 idle clients shut everyone else out), a
    connection closed after ``TIMELINE_CHANNEL_TIMEOUT`` seconds without a byte (30) and a
    body over ``TIMELINE_MAX_CONTENT_LENGTH`` refused with 413 from its headers, before
    waitress reads it (waitress refuses a length equal to its limit, Flask one above it)."""
    found = {key: _positive(config, key) for key in ("CONNECTION_LIMIT", "CHANNEL_TIMEOUT")}
    chosen = {
        "connection_limit": found["CONNECTION_LIMIT"],
        "channel_timeout": found["CHANNEL_TIMEOUT"],
        # how often waitress looks for idle connections: never less often than they expire
        "cleanup_interval": min(30, found["CHANNEL_TIMEOUT"]),
    }
    if config.get("MAX_CONTENT_LENGTH") is not None:
        chosen["max_request_body_size"] = _positive(config, "MAX_CONTENT_LENGTH") + 1
    return chosen


def served_threads(config: Any, given: int | None) -> int:
    """How many requests a process works on at once: ``given`` (``--threads``), else the
    setting ``TIMELINE_THREADS``; a whole number above 0 or an :class:`InvalidInputError`."""
    if given is None:
        return _positive(config, "THREADS")
    if given < 1:
        raise InvalidInputError(f"--threads is not a whole number above 0: {given}")
    return given


def _positive(config: Any, key: str) -> int:
    """The setting ``key`` as a whole number above 0, or an :class:`InvalidInputError`."""
    value = config[key]
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInputError(f"TIMELINE_{key} is not a whole number above 0: {value!r}")
    return value


def _stop(_signum: int, _frame: object) -> None:
    """SIGTERM's handler while serving: stop as SIGINT does."""
    raise SystemExit(0)


def openapi_yaml() -> str:
    """The OpenAPI document as the application builds it from its schemas, as YAML."""
    from ..api.docs import spec_yaml

    app = create_app({"DATABASE_URL": "sqlite://"})
    with app.app_context():
        return spec_yaml()


def write_openapi(path: str) -> int:
    """Write the OpenAPI document to ``path`` (``-`` for standard output)."""
    text = openapi_yaml()
    if path == "-":
        sys.stdout.write(text)
    else:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    return 0
