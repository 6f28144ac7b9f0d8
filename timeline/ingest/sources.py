"""Running a source: fetch it, store what is new, retry what failed, and record the run.

A run goes ``queued`` (asked for) -> ``running`` -> ``done`` or ``failed``. Claiming a run
sets it ``running`` in its own transaction, and the database holds at most one running
run per source (a unique index over the running rows, migration 0004): whatever starts
runs, and in however many processes, a source is never fetched by two of them at once; the
one that loses the claim does nothing. A queued run is claimed only while it is still
queued (one conditional ``UPDATE``), so it is carried out once.

A running run carries a heartbeat: its process renews ``heartbeat_at`` (and names itself
in ``holder``) every few seconds from a thread of its own (:class:`Heartbeat`). A run whose
heartbeat stops (its process died, or lost the database) is failed by the scheduler's
leader (:func:`fail_stalled`), which queues its source to run again at once; should the
run's process come back, it finds its run taken from it and stops.

The URL of a feed or page is fetched with a conditional GET (the ``ETag`` and
``Last-Modified`` its last answer gave, kept on the source), so an unchanged feed costs
one 304. Every item is counted: ``seen``, then ``new`` (stored), ``skipped`` (the same URL
or text is already stored) or ``failed`` (not an article, or its tagging failed; such an
article is stored and tagged again by the next run of its source). A done run's
``error`` names the items it could not use and why, such as a folder's symbolic link that
leads outside ``TIMELINE_FOLDER_ROOT`` (not read).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, Engine, exists, func, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from ..errors import InvalidInputError, LimitExceededError, TimelineError
from ..limits import Limits
from ..store.articles import DEFAULT_LIMITS, accept_article, retag, store_article
from ..store.models import Article, Run, Source
from .fetch import Fetcher
from .items import Item, Unusable, articles_from, items_of
from .leader import holder_id

log = logging.getLogger("timeline.sources")

KINDS = ("feed", "page", "folder")
# How many unusable items a done run names in its ``error``.
NAMED_UNUSABLE = 10
# How often a running run's heartbeat is renewed, in seconds, unless told otherwise; a run
# whose heartbeat is older than STALLED_BEATS of them is failed (fail_stalled).
HEARTBEAT_SECONDS = 5.0
STALLED_BEATS = 4


class RunTakenError(TimelineError):
    """The run was failed by another process while this one carried it out (its heartbeat
    had stopped for too long): this process stops working on it."""


def folder_of(source: Source, root: str) -> Path:
    """The folder a folder source reads: its ``path`` under ``root``; refused (after links
    are followed) when it lies outside ``root``."""
    base = Path(root).resolve()
    folder = (base / (source.path or "")).resolve()
    if not source.path or not folder.is_relative_to(base):
        raise InvalidInputError(f"folder {source.path!r} is outside the folder root")
    return folder


def _queued(source: Source) -> Run:
    """A new run of ``source``, asked for now, with nothing counted yet."""
    return Run(
        source=source,
        status="queued",
        requested_at=datetime.now(UTC),
        seen=0,
        new=0,
        skipped=0,
        failed=0,
    )


def request_run(session: Session, source: Source) -> Run:
    """A queued run of ``source`` (what ``POST /v1/sources/{id}/run`` asks for). Commits."""
    run = _queued(source)
    session.add(run)
    session.commit()
    return run


def claim(
    session: Session, source: Source, run: Run | None = None, holder: str | None = None
) -> Run | None:
    """Set ``run`` (or a new run) of ``source`` running, held by ``holder`` (this process by
    default); ``None`` when ``run`` is no longer queued or another run of the source is
    running already. Commits."""
    now = datetime.now(UTC)
    held = {"status": "running", "started_at": now, "heartbeat_at": now}
    held["holder"] = holder or holder_id()
    try:
        if run is None:
            run = _queued(source)
            for column, value in held.items():
                setattr(run, column, value)
            session.add(run)
            session.commit()
            return run
        taken = session.execute(
            update(Run).where(Run.id == run.id, Run.status == "queued").values(**held),
            execution_options={"synchronize_session": False},
        )
        session.commit()
    except IntegrityError:  # another process runs this source
        session.rollback()
        return None
    if _rowcount(taken) != 1:  # carried out, or being carried out, by another process
        return None
    session.refresh(run)
    return run


def _rowcount(result: Any) -> int:
    """The rows an ``UPDATE`` changed."""
    return int(cast(CursorResult[Any], result).rowcount)


def fail_stalled(session: Session, seconds: float) -> list[Run]:
    """Fail the running runs whose last heartbeat (or start) is more than ``seconds`` old,
    and queue a run of each of their sources, to run at once (unless one is queued
    already); the runs failed. Commits."""
    now = datetime.now(UTC)
    last_sign = func.coalesce(Run.heartbeat_at, Run.started_at, Run.requested_at)
    stalled = (Run.status == "running", last_sign < now - timedelta(seconds=seconds))
    failed = []
    for run in session.scalars(select(Run).where(*stalled)).all():
        error = (
            f"stalled: no heartbeat from {run.holder or 'its process'} for {seconds:g} s"
            " (the process died or lost the database); its source runs again"
        )
        changed = session.execute(
            update(Run)
            .where(Run.id == run.id, *stalled)
            .values(status="failed", ended_at=now, error=error),
            execution_options={"synchronize_session": False},
        )
        if _rowcount(changed) != 1:
            continue
        waiting = exists().where(Run.source_id == run.source_id, Run.status == "queued")
        if not session.scalar(select(waiting)):
            session.add(_queued(run.source))
        failed.append(run)
    session.commit()
    for run in failed:
        session.refresh(run)
    return failed


class Heartbeat:
    """Renews the heartbeat of a running run every ``seconds`` from a thread of its own,
    while a ``with`` block carries the run out; :attr:`taken` turns true when the run is no
    longer this holder's (another process failed it as stalled)."""

    def __init__(self, bind: Engine | Connection, run: Run, seconds: float) -> None:
        self.engine = bind.engine if isinstance(bind, Connection) else bind
        self.run_id, self.holder, self.seconds = run.id, run.holder, seconds
        self.taken = False
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, name=f"heartbeat-run-{run.id}", daemon=True
        )

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        ours = (Run.id == self.run_id, Run.status == "running", Run.holder == self.holder)
        while not self._stop.wait(self.seconds):
            try:
                with self.engine.begin() as connection:
                    renewed = connection.execute(
                        update(Run).where(*ours).values(heartbeat_at=datetime.now(UTC))
                    )
            except DBAPIError as exc:  # the database is away: the heartbeat stops meanwhile
                log.warning("run %s: no heartbeat: %s", self.run_id, exc.orig or exc)
                continue
            if _rowcount(renewed) == 0:
                self.taken = True
                return


def run_source(
    session: Session,
    source: Source,
    fetcher: Fetcher,
    folder_root: str,
    run: Run | None = None,
    *,
    holder: str | None = None,
    heartbeat_seconds: float = HEARTBEAT_SECONDS,
    defer: Callable[[int, str], object] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Run | None:
    """Claim a run of ``source`` and carry it out with a heartbeat; ``None`` when the run is
    not queued any more or the source is running elsewhere. Never raises while the
    database answers: a failed run says why (a bug of ours included, so that no run is left
    running), and a run failed meanwhile by another process (see :func:`fail_stalled`)
    stays failed. With ``defer`` (on the job queue), a new article is stored ``queued`` and
    ``defer(article_id, text_hash)`` queues its tagging: it counts as new once stored. An
    article beyond its ``limits`` (:mod:`timeline.limits`) is a failed item, named with the
    limit in the run's ``error``, and nothing of it is stored."""
    claimed = claim(session, source, run, holder)
    if claimed is None:
        return None
    with Heartbeat(session.get_bind(), claimed, heartbeat_seconds) as heartbeat:
        try:
            items, validators = _items(source, fetcher, folder_root)
            refused: list[Item] = []
            for item in items:
                if heartbeat.taken:
                    raise RunTakenError(f"run {claimed.id} was failed by another process")
                claimed.seen += 1
                # the counts are written with the article, after its tagging: flushed
                # before it, they would hold the run's row (all of SQLite) while it tags,
                # and the heartbeat could not be written meanwhile
                with session.no_autoflush:
                    refused += _store(session, source, claimed, item, limits, defer)
            session.commit()  # the counts, before retagging holds the database
            _retry_failed(session, source, limits)
            if validators is not None:  # only once every item is stored: a run that dies
                source.etag, source.last_modified = validators  # refetches them all
            status, error = "done", unusable_summary([*items, *refused])
        except Exception as exc:  # a run never stays "running": that would block its source
            session.rollback()
            status, error = "failed", f"{type(exc).__name__}: {exc}"
        session.flush()  # the counts
        ended = session.execute(
            update(Run)
            .where(Run.id == claimed.id, Run.status == "running", Run.holder == claimed.holder)
            .values(status=status, error=error, ended_at=datetime.now(UTC)),
            execution_options={"synchronize_session": False},
        )
        session.commit()
    if _rowcount(ended) == 0:
        log.warning("run %s was failed by another process while it ran", claimed.id)
    session.refresh(claimed)
    return claimed


def unusable_summary(items: list[Item]) -> str | None:
    """The items a run could not use, each with its reason (the first
    :data:`NAMED_UNUSABLE` of them), or ``None`` when it used them all."""
    unusable = [item for item in items if isinstance(item, Unusable)]
    if not unusable:
        return None
    named = "; ".join(f"{item.where}: {item.reason}" for item in unusable[:NAMED_UNUSABLE])
    more = len(unusable) - NAMED_UNUSABLE
    return f"{named}; and {more} more" if more > 0 else named


def _items(
    source: Source, fetcher: Fetcher, folder_root: str
) -> tuple[list[Item], tuple[str | None, str | None] | None]:
    """What the source holds now (nothing for a feed or page that answers 304), and the
    validators of the answer to keep for the next conditional GET."""
    if source.kind == "folder":
        folder = folder_of(source, folder_root)
        if not folder.is_dir():
            raise InvalidInputError(f"no folder {source.path!r} under the folder root")
        return list(articles_from(str(folder), root=Path(folder_root))), None
    if not source.url:
        raise InvalidInputError(f"a {source.kind} source without a URL")
    fetched = fetcher.get(source.url, etag=source.etag, last_modified=source.last_modified)
    items = list(items_of(source.url, fetched, source.kind))
    if fetched.not_modified:
        return items, None
    return items, (fetched.etag, fetched.last_modified)


def _store(
    session: Session,
    source: Source,
    run: Run,
    item: Item,
    limits: Limits,
    defer: Callable[[int, str], object] | None = None,
) -> list[Unusable]:
    """Store one item and count it; an article beyond its ``limits`` is counted failed and
    returned as unusable, with the limit as its reason (nothing of it is stored). With
    ``defer``, a new article is stored ``queued`` and its tagging deferred."""
    if isinstance(item, Unusable):
        run.failed += 1
        return []
    fields = {**item, "source_id": source.id}
    try:
        if defer is None:
            stored = store_article(session, fields, limits)
        else:
            stored = accept_article(session, fields, limits)
    except LimitExceededError as exc:
        run.failed += 1
        return [Unusable(item.get("url") or item.get("title") or "an article", str(exc))]
    if defer is not None and stored.created:
        defer(stored.article.id, stored.article.content_hash)
    if not stored.created:
        run.skipped += 1
    elif stored.article.status == "failed":
        run.failed += 1
    else:
        run.new += 1
    return []


def _retry_failed(session: Session, source: Source, limits: Limits) -> None:
    """Tag again the articles of ``source`` whose tagging failed."""
    failed = select(Article).where(Article.source_id == source.id, Article.status == "failed")
    for article in session.scalars(failed).all():
        retag(session, article, limits)
