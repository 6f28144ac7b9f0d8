"""Running sources: a feed of the test's own on 127.0.0.1 (under a socket guard), its
conditional GET, new entries, duplicates, failures, retries, one run at a time, a queued
run claimed once, and heartbeats: a run whose heartbeat stopped is failed and its source
queued again, a live run of another process is left alone."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

import pytest
from sqlalchemy import create_engine, func, select, update
from sqlalchemy.orm import Session
from support import wait_for

from timeline.ingest.fetch import Fetcher, FetchPolicy
from timeline.ingest.sources import claim, fail_stalled, request_run, run_source
from timeline.limits import Limits
from timeline.store import articles as store
from timeline.store.migrate import upgrade
from timeline.store.models import Article, Run, Source
from timeline.tagger import tag

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

ITEM = """<item><title>{title}</title><link>{link}</link><description>{text}</description>
<pubDate>Sat, 17 Jul 2021 09:00:00 GMT</pubDate></item>"""


class Feed(BaseHTTPRequestHandler):
    items: ClassVar[list[tuple[str, str, str]]] = []
    version: ClassVar[int] = 1
    status: ClassVar[int] = 200
    fetches: ClassVar[int] = 0

    def log_message(self, *_args: object) -> None:
        pass

    def do_GET(self) -> None:
        Feed.fetches += 1
        etag = f'"v{Feed.version}"'
        if Feed.status != 200:
            self.send_response(Feed.status)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        entries = "".join(
            ITEM.format(title=title, link=link, text=words) for title, link, words in Feed.items
        )
        body = f"<?xml version='1.0'?><rss><channel><title>Wire</title>{entries}</channel></rss>"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def feed_url(local_server: Callable[[type[BaseHTTPRequestHandler]], str]) -> str:
    Feed.items = [
        ("Clash", "http://news.example/clash", "The army clashed with rebels on Friday."),
        ("Talks", "http://news.example/talks", "The envoys met in Doha on Thursday."),
    ]
    Feed.version, Feed.status, Feed.fetches = 1, 200, 0
    return local_server(Feed) + "/feed"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    url = f"sqlite:///{tmp_path / 'sources.db'}"
    upgrade(url)
    engine = create_engine(url)
    with Session(engine, expire_on_commit=False) as s:
        yield s
    engine.dispose()


ROOT = "/nonexistent-folder-root"
FETCHER = Fetcher(
    FetchPolicy(
        allow_addresses=frozenset({"127.0.0.1"}), per_host_interval=0.0, backoff=0.0, retries=1
    )
)


def source(session: Session, **fields: Any) -> Source:
    row = Source(enabled=True, created_at=datetime.now(UTC), interval_seconds=60, **fields)
    session.add(row)
    session.commit()
    return row


def counts(run: Run | None) -> tuple[int, int, int, int]:
    assert run is not None
    return run.seen, run.new, run.skipped, run.failed


def articles(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Article)) or 0)


def test_a_feed_source_brings_its_entries_then_only_new_ones(
    session: Session, feed_url: str
) -> None:
    feed = source(session, kind="feed", url=feed_url)
    first = run_source(session, feed, FETCHER, ROOT)
    assert first is not None and first.status == "done"
    assert counts(first) == (2, 2, 0, 0)
    assert feed.etag == '"v1"'
    unchanged = run_source(session, feed, FETCHER, ROOT)
    assert counts(unchanged) == (0, 0, 0, 0)  # 304: nothing fetched again
    Feed.items.append(("Eid", "http://news.example/eid", "The summit will follow Eid al-Adha."))
    Feed.version = 2
    third = run_source(session, feed, FETCHER, ROOT)
    assert counts(third) == (3, 1, 2, 0)
    assert articles(session) == 3
    stored = session.scalars(select(Article).where(Article.source_id == feed.id)).all()
    assert len(stored) == 3 and all(a.status == "tagged" for a in stored)


def test_the_same_article_from_two_sources_is_stored_once(session: Session, feed_url: str) -> None:
    one = source(session, kind="feed", url=feed_url)
    two = source(session, kind="feed", url=feed_url + "?again")
    assert counts(run_source(session, one, FETCHER, ROOT)) == (2, 2, 0, 0)
    assert counts(run_source(session, two, FETCHER, ROOT)) == (2, 0, 2, 0)
    assert articles(session) == 2


def test_a_failing_source_records_a_failed_run(session: Session, feed_url: str) -> None:
    feed = source(session, kind="feed", url=feed_url)
    Feed.status = 500
    run = run_source(session, feed, FETCHER, ROOT)
    assert run is not None and run.status == "failed"
    assert "HTTP 500" in (run.error or "")
    assert run.ended_at is not None and feed.etag is None
    Feed.status = 200
    assert counts(run_source(session, feed, FETCHER, ROOT)) == (2, 2, 0, 0)


def test_an_article_whose_tagging_failed_is_tagged_by_the_next_run(
    session: Session, feed_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = source(session, kind="feed", url=feed_url)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the tagger broke")

    with monkeypatch.context() as patch:
        patch.setattr(store, "tag", broken)
        run = run_source(session, feed, FETCHER, ROOT)
    assert counts(run) == (2, 0, 0, 2)
    failed = session.scalars(select(Article)).all()
    assert {a.status for a in failed} == {"failed"}
    assert "the tagger broke" in (failed[0].error or "")
    run_source(session, feed, FETCHER, ROOT)
    retried = session.scalars(select(Article)).all()
    assert {a.status for a in retried} == {"tagged"}
    assert all(a.mentions for a in retried)


def test_one_source_never_runs_twice_at_once(session: Session, feed_url: str) -> None:
    feed = source(session, kind="feed", url=feed_url)
    running = claim(session, feed)
    assert running is not None and running.status == "running"
    assert run_source(session, feed, FETCHER, ROOT) is None
    assert Feed.fetches == 0
    queued = request_run(session, feed)
    assert queued.status == "queued"


def test_a_folder_source_reads_only_under_the_folder_root(session: Session, tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "wire").mkdir(parents=True)
    (root / "wire" / "a.json").write_text(
        json.dumps(
            {
                "title": "T",
                "text": "The envoys met on Friday.",
                "published_at": "2021-07-17",
                "source": "S",
                "language": "en",
            }
        ),
        encoding="utf-8",
    )
    (tmp_path / "secret").mkdir()
    inside = source(session, kind="folder", path="wire")
    assert counts(run_source(session, inside, FETCHER, str(root))) == (1, 1, 0, 0)
    for path in ("../secret", "nowhere"):
        outside = source(session, kind="folder", path=path)
        run = run_source(session, outside, FETCHER, str(root))
        assert run is not None and run.status == "failed"
        assert "folder root" in (run.error or "")


def test_a_run_that_dies_midway_loses_no_item(
    session: Session, feed_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = source(session, kind="feed", url=feed_url)
    original = store.store_article
    calls = []

    def dies_on_the_second(s: Session, fields: dict[str, Any], *limits: Any) -> Any:
        calls.append(fields["url"])
        if len(calls) == 2:
            raise OSError("the disk is full")
        return original(s, fields, *limits)

    with monkeypatch.context() as patch:
        patch.setattr("timeline.ingest.sources.store_article", dies_on_the_second)
        run = run_source(session, feed, FETCHER, ROOT)
    assert run is not None and run.status == "failed" and "disk is full" in (run.error or "")
    assert feed.etag is None  # the answer's validators are kept only once all is stored
    assert counts(run_source(session, feed, FETCHER, ROOT)) == (2, 1, 1, 0)
    assert articles(session) == 2


def test_a_page_source_is_one_article(session: Session, feed_url: str) -> None:
    Feed.items = []
    page = source(session, kind="page", url=feed_url)  # the feed's XML, read as a page
    run = run_source(session, page, FETCHER, ROOT)
    assert run is not None and run.status == "done"
    assert (run.seen, run.failed) == (1, 1)  # an RSS document is not a web page


def test_a_bug_fails_the_run_and_never_blocks_the_source(
    session: Session, feed_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = source(session, kind="feed", url=feed_url)

    def bug(*_args: object, **_kwargs: object) -> None:
        raise ValueError("a bug of ours")

    with monkeypatch.context() as patch:
        patch.setattr("timeline.ingest.sources.items_of", bug)
        run = run_source(session, feed, FETCHER, ROOT)
    assert run is not None and run.status == "failed" and "a bug of ours" in (run.error or "")
    assert counts(run_source(session, feed, FETCHER, ROOT)) == (2, 2, 0, 0)


def other_session(session: Session) -> Session:
    """A second session on the test's database, as another process would have."""
    return Session(session.get_bind(), expire_on_commit=False)


def test_a_queued_run_is_claimed_only_while_it_is_queued(session: Session, feed_url: str) -> None:
    feed = source(session, kind="feed", url=feed_url)
    queued = request_run(session, feed)
    with other_session(session) as other:
        seen_queued = other.get(Run, queued.id)  # another process read it while queued
        assert seen_queued is not None and seen_queued.status == "queued"
        assert counts(run_source(session, feed, FETCHER, ROOT, queued)) == (2, 2, 0, 0)
        other_feed = other.get(Source, feed.id)
        assert other_feed is not None
        assert claim(other, other_feed, seen_queued) is None
        assert run_source(other, other_feed, FETCHER, ROOT, seen_queued) is None
    assert Feed.fetches == 1
    session.refresh(queued)
    assert queued.status == "done"


def test_a_running_run_renews_its_heartbeat(
    session: Session, feed_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = source(session, kind="feed", url=feed_url)
    original = store.store_article
    beats: list[datetime] = []

    def slow(s: Session, fields: dict[str, Any], *limits: Any) -> Any:
        with other_session(session) as other:
            run = other.scalars(select(Run).where(Run.status == "running")).one()
            first = run.heartbeat_at

            def renewed() -> bool:
                other.refresh(run)
                return run.heartbeat_at != first

            wait_for(renewed)  # the run's own thread renews it while the run is busy
            assert run.holder
            beats.append(run.heartbeat_at or first or datetime.now(UTC))
        return original(s, fields, *limits)

    with monkeypatch.context() as patch:
        patch.setattr("timeline.ingest.sources.store_article", slow)
        run = run_source(session, feed, FETCHER, ROOT, holder="here:1:aa", heartbeat_seconds=0.05)
    assert run is not None and run.status == "done" and run.holder == "here:1:aa"
    assert len(beats) == 2


def test_a_run_beats_while_it_tags_an_article(
    session: Session, feed_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run's counts are written with each article, not before its tagging: a run that
    held its own row while tagging (seconds on a busy host) kept its heartbeat from being
    written, and the leader failed it as stalled though it was alive (benchmarks/soak.py)."""
    feed = source(session, kind="feed", url=feed_url)
    original = tag
    renewed_while_tagging: list[bool] = []

    def slow_tag(*args: Any, **kwargs: Any) -> Any:
        with other_session(session) as other:
            run = other.scalars(select(Run).where(Run.status == "running")).one()
            first, deadline = run.heartbeat_at, time.monotonic() + 3
            while run.heartbeat_at == first and time.monotonic() < deadline:
                time.sleep(0.05)
                other.refresh(run)
            renewed_while_tagging.append(run.heartbeat_at != first)
        return original(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr("timeline.store.articles.tag", slow_tag)
        run = run_source(session, feed, FETCHER, ROOT, heartbeat_seconds=0.05)
    assert run is not None and run.status == "done"
    assert counts(run) == (2, 2, 0, 0)
    assert renewed_while_tagging == [True, True]


def test_a_run_whose_heartbeat_stopped_is_failed_and_its_source_run_again(
    session: Session, feed_url: str
) -> None:
    feed = source(session, kind="feed", url=feed_url)
    stuck = claim(session, feed, holder="gone:4242:dead")
    assert stuck is not None and run_source(session, feed, FETCHER, ROOT) is None
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    session.execute(update(Run).where(Run.id == stuck.id).values(heartbeat_at=long_ago))
    session.commit()
    assert [run.id for run in fail_stalled(session, 20)] == [stuck.id]
    session.refresh(stuck)
    assert stuck.status == "failed" and stuck.ended_at is not None
    assert "no heartbeat from gone:4242:dead" in (stuck.error or "")
    again = session.scalars(select(Run).where(Run.status == "queued")).one()
    assert again.source_id == feed.id  # the source runs again at once, not an interval later
    assert counts(run_source(session, feed, FETCHER, ROOT, again)) == (2, 2, 0, 0)
    assert fail_stalled(session, 20) == []


def test_a_live_run_of_another_process_is_not_failed(session: Session, feed_url: str) -> None:
    feed = source(session, kind="feed", url=feed_url)
    live = claim(session, feed, holder="elsewhere:7:beat")  # its heartbeat is fresh
    assert live is not None
    assert fail_stalled(session, 20) == []
    session.refresh(live)
    assert live.status == "running" and live.error is None
    assert session.scalar(select(func.count()).select_from(Run)) == 1  # nothing queued


def test_a_run_failed_by_another_process_meanwhile_stays_failed(
    session: Session, feed_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = source(session, kind="feed", url=feed_url)
    original = store.store_article

    def failed_meanwhile(s: Session, fields: dict[str, Any], *limits: Any) -> Any:
        with other_session(session) as other:  # the leader found its heartbeat stopped
            other.execute(
                update(Run)
                .where(Run.status == "running")
                .values(status="failed", error="stalled: no heartbeat")
            )
            other.commit()
        return original(s, fields, *limits)

    with monkeypatch.context() as patch:
        patch.setattr("timeline.ingest.sources.store_article", failed_meanwhile)
        run = run_source(session, feed, FETCHER, ROOT, heartbeat_seconds=0.05)
    assert run is not None and run.status == "failed"
    assert run.error == "stalled: no heartbeat"  # not overwritten with done


def test_a_refused_run_names_the_host_not_the_address_it_resolved_to(session: Session) -> None:
    fetcher = Fetcher(FetchPolicy(per_host_interval=0.0), resolve=lambda _h, _p: ["10.20.30.40"])
    feed = source(session, kind="feed", url="https://wire.example/feed")
    run = run_source(session, feed, fetcher, ROOT)
    assert run is not None and run.status == "failed"
    assert "'wire.example' resolves to a private address" in (run.error or "")
    assert "10.20.30.40" not in (run.error or "")


def test_a_folder_source_skips_links_that_leave_the_root(session: Session, tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "wire").mkdir(parents=True)
    outside.mkdir()
    article = {
        "title": "T",
        "text": "The envoys met on Friday.",
        "published_at": "2021-07-17",
        "source": "S",
        "language": "en",
    }
    (outside / "secret.json").write_text(json.dumps(article), encoding="utf-8")
    (root / "kept.json").write_text(json.dumps({**article, "title": "K"}), encoding="utf-8")
    (root / "wire" / "escape.json").symlink_to(outside / "secret.json")
    (root / "wire" / "inside.json").symlink_to(root / "kept.json")
    folder = source(session, kind="folder", path="wire")
    run = run_source(session, folder, FETCHER, str(root))
    assert run is not None and run.status == "done"
    assert counts(run) == (2, 1, 0, 1)
    assert "escape.json: a symbolic link that leads outside the folder root" in (run.error or "")
    assert "inside.json" not in (run.error or "")
    titles = session.scalars(select(Article.title)).all()
    assert titles == ["K"]


def test_an_article_beyond_a_limit_is_a_failed_item_named_in_the_run(
    session: Session, feed_url: str
) -> None:
    Feed.items.append(("Days", "http://news.example/days", "Monday, Tuesday and Wednesday."))
    feed = source(session, kind="feed", url=feed_url)
    limits = Limits(max_mentions=2)
    run = run_source(session, feed, FETCHER, ROOT, limits=limits)
    assert counts(run) == (3, 2, 0, 1)
    assert run is not None and run.status == "done"
    assert "http://news.example/days" in (run.error or "")
    assert "3 time references, more than the 2 allowed (MAX_MENTIONS)" in (run.error or "")
    assert articles(session) == 2
    assert session.scalar(select(Article).where(Article.url == "http://news.example/days")) is None
