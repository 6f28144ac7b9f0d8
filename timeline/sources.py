"""Running a source: fetch it, store what is new, retry what failed, and record the run.

A run goes ``queued`` (asked for) -> ``running`` -> ``done`` or ``failed``. Claiming a run
sets it ``running`` in its own transaction, and the database holds at most one running
run per source (a unique index over the running rows, migration 0004): whatever starts
runs, and in however many processes, a source is never fetched by two of them at once; the
one that loses the claim does nothing.

The URL of a feed or page is fetched with a conditional GET (the ``ETag`` and
``Last-Modified`` its last answer gave, kept on the source), so an unchanged feed costs
one 304. Every item is counted: ``seen``, then ``new`` (stored), ``skipped`` (the same URL
or text is already stored) or ``failed`` (not an article, or its tagging failed; such an
article is stored and tagged again by the next run of its source). A done run's
``error`` names the items it could not use and why, such as a folder's symbolic link that
leads outside ``TIMELINE_FOLDER_ROOT`` (not read).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .errors import InvalidInputError
from .fetch import Fetcher
from .ingest import Item, Unusable, articles_from, items_of
from .models import Article, Run, Source
from .store import retag, store_article

KINDS = ("feed", "page", "folder")
# How many unusable items a done run names in its ``error``.
NAMED_UNUSABLE = 10


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


def claim(session: Session, source: Source, run: Run | None = None) -> Run | None:
    """Set ``run`` (or a new run) of ``source`` running; ``None`` when another run of the
    source is running already. Commits."""
    if run is None:
        run = _queued(source)
        session.add(run)
    run.status, run.started_at = "running", datetime.now(UTC)
    try:
        session.commit()
    except IntegrityError:  # another process runs this source
        session.rollback()
        return None
    return run


def interrupt_running(session: Session) -> int:
    """Mark failed the runs left running by a scheduler that stopped in the middle (it is
    the only process that runs them: at its start, none of them can still be running);
    returns how many. Commits."""
    now = datetime.now(UTC)
    left = session.scalars(select(Run).where(Run.status == "running")).all()
    for run in left:
        run.status, run.ended_at = "failed", now
        run.error = "interrupted: the scheduler stopped during the run"
    session.commit()
    return len(left)


def run_source(
    session: Session,
    source: Source,
    fetcher: Fetcher,
    folder_root: str,
    run: Run | None = None,
) -> Run | None:
    """Claim a run of ``source`` and carry it out; ``None`` when the source is running
    elsewhere. Never raises: a failed run says why (a bug of ours included, so that no run
    is left running)."""
    claimed = claim(session, source, run)
    if claimed is None:
        return None
    try:
        items, validators = _items(source, fetcher, folder_root)
        for item in items:
            claimed.seen += 1
            _store(session, source, claimed, item)
        _retry_failed(session, source)
        if validators is not None:  # only once every item is stored: a run that dies
            source.etag, source.last_modified = validators  # refetches them all
        claimed.status, claimed.error = "done", unusable_summary(items)
    except Exception as exc:  # a run never stays "running": that would block its source
        session.rollback()
        claimed.status, claimed.error = "failed", f"{type(exc).__name__}: {exc}"
    claimed.ended_at = datetime.now(UTC)
    session.commit()
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


def _store(session: Session, source: Source, run: Run, item: Item) -> None:
    if isinstance(item, Unusable):
        run.failed += 1
        return
    stored = store_article(session, {**item, "source_id": source.id})
    if not stored.created:
        run.skipped += 1
    elif stored.article.status == "failed":
        run.failed += 1
    else:
        run.new += 1


def _retry_failed(session: Session, source: Source) -> None:
    """Tag again the articles of ``source`` whose tagging failed."""
    failed = select(Article).where(Article.source_id == source.id, Article.status == "failed")
    for article in session.scalars(failed).all():
        retag(session, article)
