"""Jobs off the request path: tagging an article that the API (or a source) accepted.

An accepted article is stored ``queued`` first (:func:`timeline.store.articles.accept_article`: once
the post is answered, it is kept whatever happens next) and a job tags it, anchors its
events and groups them (:func:`timeline.store.articles.tag_queued`, idempotent by the article's id
and text hash: a job run twice, or by two workers at once, stores its mentions once).

Two engines behind one interface (:class:`Jobs`), chosen by ``TIMELINE_QUEUE``:

- ``local`` (the embedded default, on SQLite): :class:`LocalJobs`, one thread of the process
  that accepted the article; no broker. A failed attempt on a database error is tried
  again after 2, 4, 8 and 16 s; a process that stops cleanly finishes its jobs first, and
  the articles a killed one left waiting are tagged when ``timeline serve`` starts again
  (:func:`resume`).
- ``postgresql``: the distributed queue in the service's own PostgreSQL database
  (:mod:`timeline.ingest.queue`, procrastinate), consumed by ``timeline worker`` processes on any
  number of machines.

``auto`` (the default) is ``postgresql`` on a PostgreSQL database, else ``local``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any, Protocol

from flask import Flask, current_app
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import InvalidInputError
from ..limits import Limits, limits_from
from ..store.articles import DEFAULT_LIMITS, give_up, tag_queued, waiting_articles
from ..store.db import reason

log = logging.getLogger("timeline.jobs")
EXTENSION = "timeline.jobs"
ENGINES = ("auto", "local", "postgresql")
# attempts of a job that fails on a database error, and the first wait between two (it
# doubles: 2, 4, 8, 16 s)
ATTEMPTS = 5
BACKOFF_SECONDS = 2
# how many waiting articles one resume hands to the jobs at a time
RESUME_BATCH = 500
_making = threading.Lock()


class Jobs(Protocol):
    """Where an accepted article's tagging goes."""

    def tag(self, article_id: int, digest: str) -> None:
        """Tag the queued article ``article_id`` (whose text hashes to ``digest``) later."""


def engine_of(config: Any) -> str:
    """The job engine ``TIMELINE_QUEUE`` names, ``auto`` resolved: ``local`` or
    ``postgresql``."""
    chosen = str(config.get("QUEUE") or "auto").strip().lower()
    if chosen not in ENGINES:
        raise InvalidInputError(
            f"TIMELINE_QUEUE is not one of {', '.join(ENGINES)}: {config.get('QUEUE')!r}"
        )
    on_postgresql = make_url(str(config["DATABASE_URL"])).get_backend_name() == "postgresql"
    if chosen == "postgresql" and not on_postgresql:
        raise InvalidInputError("TIMELINE_QUEUE=postgresql needs a PostgreSQL database")
    if chosen == "auto":
        return "postgresql" if on_postgresql else "local"
    return chosen


def init_app(app: Flask) -> None:
    """Check ``TIMELINE_QUEUE`` and ``TIMELINE_TAG_IN_REQUEST_CHARS``; the jobs themselves
    start with the first article."""
    engine_of(app.config)
    value = app.config["TAG_IN_REQUEST_CHARS"]
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInputError(
            f"TIMELINE_TAG_IN_REQUEST_CHARS is not a whole number of characters: {value!r}"
        )
    app.config["TAG_IN_REQUEST_CHARS"] = value


def jobs_of(app: Flask | None = None) -> Jobs:
    """The application's jobs (made on first use: a thread, or a queue's connection pool)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    with _making:  # one per application, however many requests ask at once
        found: Jobs | None = app.extensions.get(EXTENSION)
        if found is None:
            from ..store.db import EXTENSION as DB

            sessions: sessionmaker[Session] = app.extensions[DB][1]
            if engine_of(app.config) == "postgresql":
                from .queue import QueueJobs

                found = QueueJobs(str(app.config["DATABASE_URL"]))
            else:
                found = LocalJobs(sessions, limits=limits_from(app.config))
            app.extensions[EXTENSION] = found
    return found


def run_tag(
    sessions: sessionmaker[Session],
    article_id: int,
    digest: str,
    *,
    last: bool,
    limits: Limits = DEFAULT_LIMITS,
) -> str | None:
    """One attempt at tagging a queued article: its status after, or ``None`` when there was
    nothing to do. A database error is raised for the engine to try again; on the ``last``
    attempt the article is first marked failed with the reason, if the database lets us. An
    article beyond its ``limits`` ends failed with the limit as its error."""
    try:
        with sessions() as session:
            return tag_queued(session, article_id, digest, limits)
    except DBAPIError as exc:
        if last:
            _give_up(sessions, article_id, f"gave up after {ATTEMPTS} attempts: {reason(exc)}")
        raise
    except Exception as exc:  # a bug of ours: the article says so, and is not tried again
        log.exception("article %s: tagging job failed", article_id)
        _give_up(sessions, article_id, f"{type(exc).__name__}: {exc}")
        return "failed"


def _give_up(sessions: sessionmaker[Session], article_id: int, why: str) -> None:
    """Mark the article failed with ``why``, unless the database is away too."""
    try:
        with sessions() as session:
            give_up(session, article_id, why)
    except DBAPIError as exc:
        log.warning("article %s: cannot mark it failed: %s", article_id, reason(exc))


class LocalJobs:
    """Jobs on one thread of this process, each tried :data:`ATTEMPTS` times with backoff."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        backoff: float = BACKOFF_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.sessions, self.backoff, self.sleep = sessions, backoff, sleep
        self.limits = limits
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="timeline-jobs")
        self._pending: set[Future[str | None]] = set()
        self._lock = threading.Lock()

    def tag(self, article_id: int, digest: str) -> None:
        """Tag the article on this process's job thread, after the jobs before it."""
        future = self._executor.submit(self._tag, article_id, digest)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)

    def drain(self, timeout: float | None = None) -> bool:
        """Wait until every job handed over so far has ended; whether they all did."""
        with self._lock:
            pending = set(self._pending)
        _, not_done = wait(pending, timeout=timeout)
        return not not_done

    def _done(self, future: Future[str | None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def _tag(self, article_id: int, digest: str) -> str | None:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                last = attempt == ATTEMPTS
                return run_tag(self.sessions, article_id, digest, last=last, limits=self.limits)
            except DBAPIError as exc:
                if attempt == ATTEMPTS:
                    log.error("article %s: tagging gave up: %s", article_id, reason(exc))
                    return None
                wait_seconds = self.backoff * 2 ** (attempt - 1)
                log.warning(
                    "article %s: tagging attempt %d failed (%s); again in %g s",
                    article_id,
                    attempt,
                    reason(exc),
                    wait_seconds,
                )
                self.sleep(wait_seconds)
        return None  # pragma: no cover - the loop returns


def resume(app: Flask) -> int:
    """Hand the articles still waiting (``queued`` or ``tagging``: their process stopped
    before it tagged them) to this process's local jobs; how many. Nothing on the
    PostgreSQL queue, whose scheduler does this (:func:`timeline.ingest.queue.requeue_lost`)."""
    if engine_of(app.config) != "local":
        return 0
    with app.app_context():
        jobs = jobs_of(app)
        from ..store import db

        count, after = 0, 0
        while waiting := waiting_articles(db.session(), RESUME_BATCH, after):
            for article_id, digest in waiting:
                jobs.tag(article_id, digest)
            count, after = count + len(waiting), waiting[-1][0]
    return count
