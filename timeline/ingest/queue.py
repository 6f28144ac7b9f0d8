"""The distributed job queue on PostgreSQL: procrastinate, in the service's own database.

Two tasks (``timeline:tag_article`` and ``timeline:run_source``), deferred by the web
processes (an accepted article) and by the scheduler's leader (a source's run, when its
schedule says so), and carried out by ``timeline worker`` processes on any number of
machines (:func:`serve_worker`). Each job is tried :data:`~timeline.ingest.jobs.ATTEMPTS` times
when it fails on a database error, 2, 4, 8 and 16 s apart.

- An article's job holds the lock ``article-ID`` (no two workers tag one article at once)
  and, while it waits, the queueing lock of the same name (deferring it again is a no-op).
- A source's job holds ``source-ID`` in the same two ways; the run it carries out claims the
  source in the database as before (:func:`timeline.ingest.sources.claim`). Its new articles are
  stored ``queued``, each with a job of its own, so that the tagging of one big feed is
  spread over every worker.

Nothing is lost when a worker is killed mid-job: its job stays ``doing`` with a worker
whose heartbeat stops; the scheduler's leader puts such jobs back in the queue
(:func:`requeue_lost`), along with any article left waiting without a job (a web process
that died between storing the article and deferring its job). Jobs are idempotent
(:func:`timeline.store.articles.tag_queued`; a source's run is claimed once), so a job that runs
again does its work once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import procrastinate
from procrastinate import sql as queries
from procrastinate.exceptions import AlreadyEnqueued, ProcrastinateException
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from .jobs import ATTEMPTS, BACKOFF_SECONDS, run_tag

if TYPE_CHECKING:
    from .scheduler import Runtime

log = logging.getLogger("timeline.queue")
NAMESPACE = "timeline"
TAG_TASK = f"{NAMESPACE}:tag_article"
SOURCE_TASK = f"{NAMESPACE}:run_source"
# retried on a database error: ATTEMPTS runs in all, 2, 4, 8, 16 s apart
RETRY = procrastinate.RetryStrategy(
    max_attempts=ATTEMPTS - 1, exponential_wait=BACKOFF_SECONDS, retry_exceptions={DBAPIError}
)
# how many lost articles one pass of requeue_lost defers, and how old an article must be
# before it counts as lost (its web process defers its job right after storing it)
REQUEUE_BATCH = 500
LOST_AFTER_SECONDS = 60

tasks = procrastinate.Blueprint()


@dataclass
class Worker:
    """What the jobs of a worker process need: the database and a source run's runtime."""

    sessions: sessionmaker[Session]
    runtime: Runtime
    app: procrastinate.App


_worker: Worker | None = None


def _current() -> Worker:
    if _worker is None:
        raise RuntimeError("no worker: timeline worker starts the jobs' runtime")
    return _worker


@tasks.task(name="tag_article", queue="articles", retry=RETRY, pass_context=True)
def tag_article(context: procrastinate.JobContext, article_id: int, digest: str) -> None:
    """Tag, anchor and group a queued article (:func:`timeline.store.articles.tag_queued`)."""
    last = context.job.attempts >= ATTEMPTS - 1
    worker = _current()
    status = run_tag(worker.sessions, article_id, digest, last=last, limits=worker.runtime.limits)
    log.info("article %s: %s", article_id, status or "nothing to do")


@tasks.task(name="run_source", queue="sources", retry=RETRY)
def run_source(source_id: int, run_id: int | None = None) -> None:
    """Run a source (its queued run ``run_id``, if given); its new articles are queued."""
    from .scheduler import carry_out

    worker = _current()
    carry_out(worker.runtime, source_id, run_id, defer=lambda a, d: defer_tag(worker.app, a, d))


def conninfo(url: str) -> str:
    """libpq's URL of the SQLAlchemy URL ``url`` (``postgresql+psycopg://`` ...)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def make_app(url: str, pool_size: int = 2) -> procrastinate.App:
    """A procrastinate app on the database at ``url``, with the tasks; used synchronously
    (deferring) it opens a pool of its own of at most ``pool_size`` connections."""
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(
            conninfo=conninfo(url), min_size=1, max_size=pool_size
        )
    )
    app.add_tasks_from(tasks, namespace=NAMESPACE)
    return app


def opened(url: str) -> procrastinate.App:
    """:func:`make_app` opened for deferring from synchronous code (a web process, the
    scheduler): its pool connects in the background, and reconnects after an outage."""
    app = make_app(url)
    app.open()
    return app


def defer_tag(app: procrastinate.App, article_id: int, digest: str) -> bool:
    """Queue the tagging of ``article_id``; whether a new job was queued (not when one is
    waiting for it already)."""
    return _defer_once(app, TAG_TASK, f"article-{article_id}", article_id=article_id, digest=digest)


def defer_source(app: procrastinate.App, source_id: int, run_id: int | None = None) -> bool:
    """Queue a run of ``source_id`` (its queued run ``run_id``); whether a new job was
    queued (not when one for the source is waiting already: the queued run stays queued
    in the database, and the next sync defers it again)."""
    return _defer_once(app, SOURCE_TASK, f"source-{source_id}", source_id=source_id, run_id=run_id)


def _defer_once(app: procrastinate.App, task: str, lock: str, **arguments: Any) -> bool:
    """Queue ``task`` with ``arguments`` under ``lock`` (one job of it runs at a time, and
    one waits at most); whether a new job was queued."""
    try:
        app.configure_task(task, lock=lock, queueing_lock=lock).defer(**arguments)
    except AlreadyEnqueued:
        return False
    return True


class QueueJobs:
    """:class:`timeline.ingest.jobs.Jobs` on the queue: the tagging is deferred to a worker."""

    def __init__(self, url: str) -> None:
        self.app = opened(url)

    def tag(self, article_id: int, digest: str) -> None:
        """Defer the tagging; when the queue cannot be reached, the article stays queued
        in the database and the scheduler's leader defers it later (:func:`requeue_lost`)."""
        try:
            defer_tag(self.app, article_id, digest)
        except ProcrastinateException as exc:
            log.warning("article %s: not queued yet (%s); the scheduler will", article_id, exc)


LOST_ARTICLES = text(
    "SELECT a.id, a.content_hash FROM articles a"
    " WHERE a.status IN ('queued', 'tagging') AND a.ingested_at < :before"
    " AND NOT EXISTS (SELECT 1 FROM procrastinate_jobs j"
    "  WHERE j.lock = 'article-' || a.id AND j.status IN ('todo', 'doing'))"
    " ORDER BY a.id LIMIT :limit"
)


def requeue_lost(app: procrastinate.App, engine: Engine, stalled_seconds: float) -> int:
    """Put back in the queue the jobs of workers whose heartbeat stopped ``stalled_seconds``
    ago (killed mid-job) and queue the articles left waiting with no job; how many jobs
    that makes. The scheduler's leader calls this on every sync."""
    sync = app.connector.get_sync_connector()
    stalled = sync.execute_query_all(
        query=queries.queries["select_stalled_jobs_by_heartbeat"],
        queue=None,
        task_name=None,
        seconds_since_heartbeat=stalled_seconds,
    )
    now = datetime.now(UTC)
    for job in stalled:
        log.warning("job %s (%s): its worker stopped; queued again", job["id"], job["task_name"])
        app.job_manager.retry_job_by_id(job["id"], retry_at=now)
    before = datetime.fromtimestamp(now.timestamp() - LOST_AFTER_SECONDS, UTC)
    with engine.connect() as connection:
        lost = connection.execute(LOST_ARTICLES, {"before": before, "limit": REQUEUE_BATCH}).all()
    deferred = sum(defer_tag(app, row.id, row.content_hash) for row in lost)
    if deferred:
        log.warning("%d article(s) waiting without a job: queued again", deferred)
    return len(stalled) + deferred


LIVE_WORKERS = text(
    "SELECT count(*) FROM procrastinate_workers"
    " WHERE last_heartbeat > now() - make_interval(secs => :seconds)"
)


def live_workers(engine: Engine, stalled_seconds: float) -> int:
    """How many workers have sent a heartbeat in the last ``stalled_seconds``."""
    with engine.connect() as connection:
        return int(connection.scalar(LIVE_WORKERS, {"seconds": stalled_seconds}) or 0)


def serve_worker(runtime: Runtime, url: str, concurrency: int, stalled_seconds: float) -> int:
    """Consume the queue until SIGINT or SIGTERM (procrastinate's handlers: the jobs in
    progress finish first), ``concurrency`` jobs at a time (each on a thread)."""
    global _worker
    app = make_app(url, pool_size=concurrency + 3)
    _worker = Worker(runtime.sessions, runtime, app)
    options: dict[str, Any] = {
        "name": runtime.holder,
        "concurrency": concurrency,
        "delete_jobs": "successful",
        "update_heartbeat_interval": runtime.heartbeat_seconds,
        "stalled_worker_timeout": stalled_seconds,
        "install_signal_handlers": True,
    }
    log.info("worker %s consumes the queue (%d at a time)", runtime.holder, concurrency)
    app.run_worker(**options)
    log.info("worker %s stopped", runtime.holder)
    return 0
