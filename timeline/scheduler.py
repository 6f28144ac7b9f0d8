"""``timeline scheduler``: the one process that runs the sources on their schedules.

Web workers never run jobs: APScheduler 3 started inside each of several workers would run
every job once per worker, and a shared job store does not prevent that. So the scheduler
is a process of its own (``make run`` starts one beside the web server), with APScheduler's
job store in the service's database (table ``apscheduler_jobs``): a restart finds its
schedule where it left it.

Every ``TIMELINE_SCHEDULER_SYNC_SECONDS`` (5 by default) a sync job makes the schedule
follow the ``sources`` table (a job per enabled source: its interval or cron, at most one
instance at a time, missed runs coalesced into one however late the scheduler comes back)
and starts the runs asked for through the API (``queued``). A source new to the schedule
runs at once, then on its schedule. Each run claims its source in
the database first (:func:`timeline.sources.claim`), so even two schedulers by mistake
would not fetch one source twice at once.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from .db import make_engine
from .events.anchoring import warm_up
from .fetch import Fetcher, policy_from_config
from .models import Run, Source
from .sources import interrupt_running, run_source

log = logging.getLogger("timeline.scheduler")
JOB_PREFIX = "source-"
SYNC_JOB = "sync-sources"


@dataclass
class Runtime:
    """What the jobs of this process need: the database, the fetcher, the folder root."""

    engine: Engine
    sessions: sessionmaker[Session]
    fetcher: Fetcher
    folder_root: str


_runtime: Runtime | None = None


def run_scheduled(source_id: int, run_id: int | None = None) -> None:
    """The job of one source (a module-level function: APScheduler stores its reference)."""
    runtime = _runtime
    if runtime is None:
        log.error("no runtime: the scheduler was not started by timeline scheduler")
        return
    with runtime.sessions() as session:
        source = session.get(Source, source_id)
        if source is None:
            return
        run = session.get(Run, run_id) if run_id is not None else None
        done = run_source(session, source, runtime.fetcher, runtime.folder_root, run)
        if done is None:
            log.info("source %s is running elsewhere; this run is skipped", source_id)
        else:
            log.info(
                "source %s run %s %s: seen %s, new %s, skipped %s, failed %s%s",
                source_id,
                done.id,
                done.status,
                done.seen,
                done.new,
                done.skipped,
                done.failed,
                f" ({done.error})" if done.error else "",
            )


def trigger_of(source: Source) -> IntervalTrigger | CronTrigger:
    """The APScheduler trigger of a source's schedule."""
    if source.cron:
        return CronTrigger.from_crontab(source.cron, timezone="UTC")
    return IntervalTrigger(seconds=max(1, source.interval_seconds or 3600), timezone="UTC")


def sync(scheduler: BackgroundScheduler) -> None:
    """Make the scheduler's jobs follow the ``sources`` table, and start the queued runs."""
    runtime = _runtime
    if runtime is None:
        return
    with runtime.sessions() as session:
        sources = {s.id: s for s in session.scalars(select(Source).where(Source.enabled)).all()}
        queued = session.scalars(select(Run).where(Run.status == "queued")).all()
        wanted = {f"{JOB_PREFIX}{sid}": s for sid, s in sources.items()}
        for job in scheduler.get_jobs():
            if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
                job.remove()
        for job_id, source in wanted.items():
            trigger = trigger_of(source)
            job = scheduler.get_job(job_id)
            if job is None:
                scheduler.add_job(
                    run_scheduled,
                    trigger,
                    args=[source.id],
                    id=job_id,
                    max_instances=1,
                    coalesce=True,
                    misfire_grace_time=None,
                    replace_existing=True,
                    next_run_time=datetime.now(UTC),  # a new source runs at once
                )
            elif str(job.trigger) != str(trigger):
                job.reschedule(trigger)
        for run in queued:
            scheduler.add_job(
                run_scheduled,
                args=[run.source_id, run.id],
                id=f"run-{run.id}",
                max_instances=1,
                replace_existing=True,
                jobstore="memory",  # a queued run stays queued in the database until it runs
            )


def start(config: dict[str, Any]) -> BackgroundScheduler:
    """Start the scheduler of ``config`` (the application's configuration) in this process."""
    global _runtime
    url = str(config["DATABASE_URL"])
    engine = make_engine(url)
    _runtime = Runtime(
        engine,
        sessionmaker(engine, expire_on_commit=False),
        Fetcher(policy_from_config(config)),
        folder_root(config),
    )
    scheduler = BackgroundScheduler(
        jobstores={
            "default": SQLAlchemyJobStore(engine=engine, tablename="apscheduler_jobs"),
            "memory": MemoryJobStore(),  # this process's own jobs: the sync, queued runs
        },
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone="UTC",
    )
    with _runtime.sessions() as session:
        interrupted = interrupt_running(session)
    if interrupted:
        log.warning("%s run(s) left running by the last scheduler marked failed", interrupted)
    scheduler.start()
    seconds = float(config.get("SCHEDULER_SYNC_SECONDS", 5))
    scheduler.add_job(
        sync,
        IntervalTrigger(seconds=seconds, timezone="UTC"),
        args=[scheduler],
        id=SYNC_JOB,
        replace_existing=True,
        jobstore="memory",
    )
    sync(scheduler)
    return scheduler


def folder_root(config: dict[str, Any]) -> str:
    """The folder under which folder sources read: ``TIMELINE_FOLDER_ROOT``, else the
    instance folder."""
    return str(config.get("FOLDER_ROOT") or config.get("INSTANCE_PATH") or "instance")


def serve_forever(config: dict[str, Any]) -> int:
    """Run the scheduler until SIGINT or SIGTERM; logs each run on stderr."""
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s %(message)s"
    )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not every sync
    warm_up()
    scheduler = start(config)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_args: stop.set())
    log.info("scheduler running (jobs in the service's database)")
    stop.wait()
    scheduler.shutdown(wait=True)
    return 0
