"""``timeline scheduler``: the process that runs the sources on their schedules.

Web workers never run jobs: APScheduler 3 started inside each of several workers would run
every job once per worker, and a shared job store does not prevent that. So the scheduler
is a process of its own (``make run`` starts one beside the web server), with APScheduler's
job store in the service's database (table ``apscheduler_jobs``): a restart finds its
schedule where it left it.

Exactly one scheduler runs jobs: the leader (:mod:`timeline.ingest.leader`: a session advisory
lock on PostgreSQL, a lease row on SQLite). Any other (a rolling update's new one, a replica
by mistake) stands by, asking every third of ``TIMELINE_SCHEDULER_LEASE_SECONDS`` (15 by
default), and starts the jobs once it leads: at once when the leader stops cleanly (it gives
the lease up), within a lease when it is killed (at the next try on PostgreSQL, where the
server drops a dead session's lock). A leader that cannot renew its lease in time stops its
jobs and stands by.

Every ``TIMELINE_SCHEDULER_SYNC_SECONDS`` (5 by default) the leader's sync job fails the
runs whose heartbeat stopped (none for ``TIMELINE_SCHEDULER_HEARTBEAT_SECONDS`` times
:data:`~timeline.ingest.sources.STALLED_BEATS`, 5 x 4 s by default: their process died or lost
the database) and queues their sources to run again, makes the schedule follow the
``sources`` table (a job per enabled source: its interval or cron, at most one instance at
a time, missed runs coalesced into one however late the scheduler comes back) and starts
the runs asked for through the API (``queued``). A source new to the schedule runs at once,
then on its schedule. Each run claims its source in the database first
(:func:`timeline.ingest.sources.claim`): a source is never fetched by two runs at once, and a
queued run is carried out once.

On the job queue (``TIMELINE_QUEUE``: PostgreSQL's, :mod:`timeline.ingest.queue`) the leader stays
the one clock but runs no source itself: a source's job, and a queued run, are deferred to
the ``timeline worker`` processes (:func:`on_queue`), and every sync also puts back the jobs
of workers whose heartbeat stopped and the articles left waiting without a job.

``timeline scheduler --check`` (:func:`check`) is the scheduler container's health check:
exit status 0 while a scheduler holds a live leader lease.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select as io_select
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from ..errors import InvalidInputError
from ..events.anchoring import warm_up
from ..limits import Limits, limits_from
from ..store.db import make_engine, reason
from ..store.models import Run, Source
from .fetch import Fetcher, policy_from_config
from .leader import Leadership, holder_id, live_holder
from .sources import STALLED_BEATS, fail_stalled, run_source

log = logging.getLogger("timeline.scheduler")
JOB_PREFIX = "source-"
SYNC_JOB = "sync-sources"
# the scheduler's settings (TIMELINE_SCHEDULER_*) and their defaults, in seconds
DEFAULT_SECONDS = {"SYNC": 5.0, "LEASE": 15.0, "HEARTBEAT": 5.0}


@dataclass
class Runtime:
    """What the jobs of this process need: the database, the fetcher, the folder root, who
    this process is, how often its runs beat, and whether it leads."""

    engine: Engine
    sessions: sessionmaker[Session]
    fetcher: Fetcher
    folder_root: str
    holder: str
    heartbeat_seconds: float
    leading: Callable[[], bool]
    # on the job queue: defer a source's run to the workers, and put back what was lost
    defer_source: Callable[[int, int | None], bool] | None = None
    requeue: Callable[[], int] | None = None
    limits: Limits = field(default_factory=Limits)


_runtime: Runtime | None = None


def run_scheduled(source_id: int, run_id: int | None = None) -> None:
    """The job of one source (a module-level function: APScheduler stores its reference):
    run it here, or on the job queue defer it to a worker."""
    runtime = _runtime
    if runtime is None:
        log.error("no runtime: the scheduler was not started by timeline scheduler")
        return
    if not runtime.leading():
        log.info("source %s not run: this scheduler no longer leads", source_id)
        return
    if runtime.defer_source is None:
        carry_out(runtime, source_id, run_id)
        return
    try:
        queued = runtime.defer_source(source_id, run_id)
    except Exception as exc:  # the queue is away: the next schedule (or sync) tries again
        log.warning("source %s: cannot queue its run: %s", source_id, exc)
        return
    if queued:
        log.info("source %s: run queued%s", source_id, f" (run {run_id})" if run_id else "")


def carry_out(
    runtime: Runtime,
    source_id: int,
    run_id: int | None = None,
    defer: Callable[[int, str], object] | None = None,
) -> None:
    """Run the source ``source_id`` in this process (its queued run ``run_id``, if given),
    and log how it went; with ``defer``, its new articles are tagged by jobs of their own."""
    try:
        with runtime.sessions() as session:
            source = session.get(Source, source_id)
            if source is None:
                return
            run = session.get(Run, run_id) if run_id is not None else None
            done = run_source(
                session,
                source,
                runtime.fetcher,
                runtime.folder_root,
                run,
                holder=runtime.holder,
                heartbeat_seconds=runtime.heartbeat_seconds,
                defer=defer,
                limits=runtime.limits,
            )
    except DBAPIError as exc:  # its heartbeat stops too: the leader fails it, runs it again
        log.warning("source %s: the database went away during its run: %s", source_id, exc.orig)
        return
    if done is None:
        log.info("source %s: run not claimed (taken, or the source runs elsewhere)", source_id)
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


class Gate:
    """What lets the sync job change the scheduler's jobs: closed before the scheduler shuts
    down.

    APScheduler 3's ``shutdown(wait=True)`` holds the job stores' lock while it waits for
    the jobs that are running, and the sync job needs that lock to read and change the jobs:
    a sync that ran as the scheduler stopped waited for the stop, and the stop for it (a
    scheduler that never ended after SIGTERM). The sync job changes the jobs only while the
    gate is open, holding it, and :func:`stop_jobs` closes it before the shutdown begins."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._closed = False

    @contextlib.contextmanager
    def entered(self) -> Iterator[bool]:
        """Hold the gate; whether it is open."""
        with self._lock:
            yield not self._closed

    def close(self) -> None:
        """Close the gate, once no sync holds it."""
        with self._lock:
            self._closed = True


def sync(scheduler: BackgroundScheduler, gate: Gate | None = None) -> None:
    """Fail the stalled runs (queuing their sources), make the scheduler's jobs follow the
    ``sources`` table, and start the queued runs; only while this scheduler leads and its
    ``gate`` is open."""
    runtime = _runtime
    if runtime is None or not runtime.leading():
        return
    try:
        with gate.entered() if gate is not None else contextlib.nullcontext(True) as is_open:
            if not is_open:
                return  # the scheduler is stopping
            _sync(scheduler, runtime)
    except DBAPIError as exc:  # away for a while: one line, and the next sync tries again
        log.warning("sync: the database does not answer: %s", reason(exc))
    if runtime.requeue is not None:
        try:
            runtime.requeue()
        except Exception as exc:  # the queue is away: the next sync tries again
            log.warning("sync: cannot look for lost jobs: %s", exc)


def _sync(scheduler: BackgroundScheduler, runtime: Runtime) -> None:
    """:func:`sync`'s work, on a database that answers."""
    with runtime.sessions() as session:
        for run in fail_stalled(session, runtime.heartbeat_seconds * STALLED_BEATS):
            log.warning(
                "run %s of source %s failed: no heartbeat from %s; the source runs again",
                run.id,
                run.source_id,
                run.holder,
            )
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


def start(runtime: Runtime, sync_seconds: float, gate: Gate) -> BackgroundScheduler:
    """Start the jobs of ``runtime`` in this process (the leader's): the sync job at once and
    then every ``sync_seconds``, and the sources' jobs it schedules while ``gate`` is open."""
    global _runtime
    _runtime = runtime
    scheduler = BackgroundScheduler(
        jobstores={
            "default": SQLAlchemyJobStore(engine=runtime.engine, tablename="apscheduler_jobs"),
            "memory": MemoryJobStore(),  # this process's own jobs: the sync, queued runs
        },
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone="UTC",
    )
    scheduler.start()
    scheduler.add_job(
        sync,
        IntervalTrigger(seconds=sync_seconds, timezone="UTC"),
        args=[scheduler, gate],
        id=SYNC_JOB,
        replace_existing=True,
        jobstore="memory",
        next_run_time=datetime.now(UTC),
    )
    return scheduler


def stop_jobs(scheduler: BackgroundScheduler, gate: Gate, *, wait: bool) -> None:
    """Stop the jobs of ``scheduler``; with ``wait``, once the runs in progress have ended.
    The ``gate`` closes first (:class:`Gate`)."""
    gate.close()
    scheduler.shutdown(wait=wait)


def folder_root(config: dict[str, Any]) -> str:
    """The folder under which folder sources read: ``TIMELINE_FOLDER_ROOT``, else the
    instance folder."""
    return str(config.get("FOLDER_ROOT") or config.get("INSTANCE_PATH") or "instance")


def seconds(config: dict[str, Any], name: str) -> float:
    """The setting ``TIMELINE_SCHEDULER_<name>_SECONDS`` (:data:`DEFAULT_SECONDS`), a
    number of seconds above 0."""
    key = f"SCHEDULER_{name}_SECONDS"
    value = config.get(key, DEFAULT_SECONDS[name])
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = 0.0
    if not number > 0:
        raise InvalidInputError(f"TIMELINE_{key} is not a number of seconds above 0: {value!r}")
    return number


def make_runtime(config: dict[str, Any], leading: Callable[[], bool]) -> Runtime:
    """The runtime of a process that runs sources (the scheduler's leader, a worker)."""
    engine = make_engine(str(config["DATABASE_URL"]))
    return Runtime(
        engine,
        sessionmaker(engine, expire_on_commit=False),
        Fetcher(policy_from_config(config)),
        folder_root(config),
        holder_id(),
        seconds(config, "HEARTBEAT"),
        leading,
        limits=limits_from(config),
    )


def on_queue(runtime: Runtime, config: dict[str, Any]) -> Runtime:
    """``runtime`` deferring its sources' runs to the workers and putting back the jobs that
    were lost, when the job engine is PostgreSQL's queue (:mod:`timeline.ingest.queue`)."""
    from .jobs import engine_of

    if engine_of(config) != "postgresql":
        return runtime
    from .queue import defer_source, opened, requeue_lost

    app = opened(str(config["DATABASE_URL"]))
    stalled = runtime.heartbeat_seconds * STALLED_BEATS
    runtime.defer_source = lambda source_id, run_id: defer_source(app, source_id, run_id)
    runtime.requeue = lambda: requeue_lost(app, runtime.engine, stalled)
    return runtime


def serve_forever(config: dict[str, Any]) -> int:
    """Run the scheduler until SIGINT or SIGTERM: lead (run the jobs) or stand by, asking for
    the lead every third of a lease; logs each run, and each change of role."""
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not every sync
    sync_seconds, lease_seconds = seconds(config, "SYNC"), seconds(config, "LEASE")
    warm_up()
    url, me = str(config["DATABASE_URL"]), holder_id()
    leadership = Leadership(url, holder=me, lease_seconds=lease_seconds)
    runtime = on_queue(make_runtime(config, leadership.leading), config)
    stop = Stop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop.handle)
    log.info("scheduler %s started (jobs in the service's database)", me)
    scheduler: BackgroundScheduler | None = None
    gate = Gate()
    standing_by = False
    while not stop.is_set():
        leading = leadership.hold()
        if leading and scheduler is None:
            log.info("scheduler %s leads: it runs the jobs", me)
            gate = Gate()
            scheduler = start(runtime, sync_seconds, gate)
        elif not leading and scheduler is not None:
            log.warning("scheduler %s lost the lead: it steps down and stops its jobs", me)
            stop_jobs(scheduler, gate, wait=False)
            scheduler = None
        if not leading and not standing_by:
            log.info("scheduler %s stands by (%s)", me, _leader_of(leadership))
        standing_by = not leading
        stop.wait(lease_seconds / 3)
    if scheduler is not None:
        stop_jobs(scheduler, gate, wait=True)  # the runs in progress end first
    leadership.release()
    log.info("scheduler %s stopped", me)
    return 0


class Stop:
    """Whether SIGINT or SIGTERM came, and a wait that a signal ends at once.

    The handler takes no lock: a :class:`threading.Event` set from a signal handler can
    deadlock when the signal lands while the main thread holds the event's lock inside
    ``wait`` (the scheduler then never stopped). It sets a flag and writes a byte to a pipe
    that :meth:`wait` watches."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)
        self.requested = False

    def handle(self, _signum: int, _frame: object) -> None:
        """The signal handler."""
        self.requested = True
        with contextlib.suppress(BlockingIOError):  # full of earlier signals: it wakes anyway
            os.write(self._write, b"s")

    def is_set(self) -> bool:
        """Whether a signal came."""
        return self.requested

    def wait(self, seconds: float) -> bool:
        """Sleep ``seconds``, or less when a signal comes; whether one came."""
        if not self.requested:
            io_select.select([self._read], [], [], seconds)
        return self.requested


def _leader_of(leadership: Leadership) -> str:
    """Who leads, for the log."""
    try:
        current = leadership.current()
    except DBAPIError:
        return "the database does not answer"
    return f"the leader is {current.holder}" if current else "no leader yet"


def check(config: dict[str, Any]) -> int:
    """``timeline scheduler --check``: exit status 0, with the leader on stdout, while a
    scheduler holds a live leader lease; else 1 with one line on stderr. Never waits for
    the database."""
    url = make_url(str(config["DATABASE_URL"]))
    if url.get_backend_name() == "sqlite" and not os.path.exists(url.database or ""):
        print(f"timeline: scheduler: no database at {url.database}", file=sys.stderr)
        return 1
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            leader = live_holder(connection)
    except DBAPIError as exc:
        print(f"timeline: scheduler: cannot read the leader lease: {reason(exc)}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    if leader is None:
        print("timeline: scheduler: no scheduler leads (no live leader lease)", file=sys.stderr)
        return 1
    until = leader.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    print(f"scheduler {leader.holder} leads (lease until {until})")
    return 0
