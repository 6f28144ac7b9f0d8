"""``timeline ingest``: folders, JSONL files, feeds and pages, with their unusable items
reported and the rest stored once. Feeds and pages come from a server of the test's own on
127.0.0.1, under a socket guard that allows no other address."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

import pytest
from sqlalchemy import create_engine, text

from timeline.ingest.items import Unusable, articles_from
from timeline.store.migrate import upgrade

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Border News</title><language>en</language>
<item><title>Clash at the border</title><link>http://127.0.0.1:{port}/clash</link>
<description>The Afghan army clashed with Taliban fighters on Friday.</description>
<pubDate>Sat, 17 Jul 2021 09:00:00 GMT</pubDate></item>
<item><title>Undated</title><link>http://127.0.0.1:{port}/undated</link>
<description>Talks resumed on Monday.</description></item>
</channel></rss>"""
PAGE = """<html><head><title>Talks in Doha</title>
<meta property="article:published_time" content="2021-07-17T10:00:00Z"></head>
<body><article><p>The two delegations met in Doha on Friday to resume the talks, which had
stalled for several months as fighting spread across the country.</p>
<p>Negotiators said they would meet again after the Eid holiday next week.</p></article>
</body></html>"""
UNDATED_PAGE = "<html><body><p>The envoys met on Friday.</p></body></html>"


class Handler(BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, tuple[str, str]]] = {}

    def log_message(self, *_args: object) -> None:
        pass

    def do_GET(self) -> None:
        found = Handler.pages.get(self.path)
        if found is None:
            self.send_response(404)
            self.end_headers()
            return
        kind, body = found
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def server(local_server: Callable[[type[BaseHTTPRequestHandler]], str]) -> str:
    base = local_server(Handler)
    port = base.rsplit(":", 1)[1]
    Handler.pages = {
        "/feed": ("application/rss+xml", RSS.format(port=port)),
        "/page": ("text/html; charset=utf-8", PAGE),
        "/undated-page": ("text/html", UNDATED_PAGE),
        "/broken-feed": ("application/rss+xml", "<rss><channel><item>"),
        "/not-a-feed": ("application/rss+xml", "{not xml at all"),
        "/report.pdf": ("application/pdf", "%PDF-1.4 binary"),
    }
    return base


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated SQLite database that ``timeline ingest`` uses, with private networks
    allowed so that it may reach the test's own server."""
    url = f"sqlite:///{tmp_path / 'ingest.db'}"
    upgrade(url)
    monkeypatch.setenv("TIMELINE_DATABASE_URL", url)
    monkeypatch.setenv("TIMELINE_ALLOW_PRIVATE_NETWORKS", "true")
    return url


def count(url: str, table: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def article_file(folder: Path, name: str, **fields: Any) -> Path:
    data = {
        "title": "Talks",
        "text": "The envoys met in Doha on Friday.",
        "published_at": "2021-07-17",
        "source": "Test",
        "language": "en",
        **fields,
    }
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


Run = Callable[[Sequence[str]], Any]  # conftest.run_cli: (code, out, err) of one command


def test_a_folder_is_stored_once_and_its_bad_files_reported(
    tmp_path: Path, database: str, run_cli: Run
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    article_file(folder, "a.json")
    article_file(folder, "b.json", text="Shares fell on Monday.", title="Markets")
    article_file(folder, "c.json", published_at="yesterday")
    result = run_cli(["ingest", str(folder), "--no-progress"])
    assert result.code == 0
    assert "2 new, 0 skipped (already stored), 1 failed" in result.out
    assert "c.json" in result.err and "published_at" in result.err
    again = run_cli(["ingest", str(folder), "--no-progress"])
    assert "0 new, 2 skipped (already stored), 1 failed" in again.out
    assert count(database, "articles") == 2
    assert count(database, "events") >= 2


def test_a_jsonl_file_is_read_line_by_line(tmp_path: Path, database: str, run_cli: Run) -> None:
    lines = [
        json.dumps(
            {
                "title": "A",
                "text": "Talks began on Friday.",
                "published_at": "2021-07-17",
                "source": "T",
                "language": "en",
            }
        ),
        "not json",
        json.dumps(["an", "array"]),
        json.dumps(
            {
                "title": "B",
                "text": "Talks ended on Monday.",
                "published_at": "2021-07-20",
                "source": "T",
                "language": "en",
            }
        ),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli(["ingest", str(path), "--no-progress"])
    assert "2 new, 0 skipped (already stored), 2 failed" in result.out
    assert f"{path}:2" in result.err and f"{path}:3" in result.err


def test_a_feed_gives_one_article_per_entry(server: str, database: str, run_cli: Run) -> None:
    result = run_cli(["ingest", f"{server}/feed", "--no-progress"])
    assert result.code == 0, result.err
    assert "2 new, 0 skipped (already stored), 0 failed" in result.out
    again = run_cli(["ingest", f"{server}/feed", "--no-progress"])
    assert "0 new, 2 skipped (already stored), 0 failed" in again.out
    engine = create_engine(database)
    with engine.connect() as connection:
        found = connection.execute(text("SELECT title, published_missing FROM articles")).all()
    rows: dict[str, bool] = {str(title): bool(missing) for title, missing in found}
    engine.dispose()
    assert rows == {"Clash at the border": False, "Undated": True}


def test_a_page_gives_its_main_text_and_date(server: str, database: str, run_cli: Run) -> None:
    result = run_cli(["ingest", f"{server}/page", f"{server}/undated-page", "--no-progress"])
    assert "2 new, 0 skipped (already stored), 0 failed" in result.out
    engine = create_engine(database)
    with engine.connect() as connection:
        dated = connection.execute(
            text("SELECT url, published_at, text FROM articles WHERE NOT published_missing")
        ).one()
        undated = connection.execute(text("SELECT url FROM articles WHERE published_missing")).one()
        confidences = connection.execute(
            text(
                "SELECT a.published_missing, max(m.confidence) FROM mentions m"
                " JOIN articles a ON a.id = m.article_id GROUP BY a.published_missing"
            )
        ).all()
    engine.dispose()
    assert dated[0] == f"{server}/page"
    assert dated[1].startswith("2021-07-17")
    assert "met in Doha on Friday" in dated[2]
    assert undated[0] == f"{server}/undated-page"
    by_flag: dict[bool, float] = {bool(flag): float(best) for flag, best in confidences}
    assert by_flag[True] <= 0.5 < by_flag[False]
    with engine.connect() as connection:
        certainty = connection.execute(
            text(
                "SELECT a.published_missing, e.uncertain FROM events e"
                " JOIN articles a ON a.id = e.article_id"
            )
        ).all()
    engine.dispose()
    by_article: dict[bool, set[bool]] = {}
    for flag, uncertain in certainty:
        by_article.setdefault(bool(flag), set()).add(bool(uncertain))
    assert by_article[True] == {True}  # no publication date: every entry is uncertain


def test_a_malformed_feed_and_a_missing_location_are_reported(
    server: str, database: str, run_cli: Run, tmp_path: Path
) -> None:
    result = run_cli(
        [
            "ingest",
            f"{server}/broken-feed",
            str(tmp_path / "nowhere"),
            f"{server}/gone",
            "--no-progress",
        ]
    )
    assert result.code == 1
    assert "nowhere" in result.err and "HTTP 404" in result.err
    assert "the entry has no text" in result.err  # the broken feed's one unreadable entry
    assert "Traceback" not in result.err


def test_a_private_source_is_refused_without_the_setting(
    server: str, database: str, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TIMELINE_ALLOW_PRIVATE_NETWORKS")
    result = run_cli(["ingest", f"{server}/feed", "--no-progress"])
    assert result.code == 1
    assert "'127.0.0.1' is a private address" in result.err
    assert count(database, "articles") == 0


def test_articles_from_yields_unusable_items_with_their_reasons(tmp_path: Path) -> None:
    article_file(tmp_path, "bad.json", language="")
    (item,) = list(articles_from(str(tmp_path)))
    assert isinstance(item, Unusable)
    assert "language" in item.reason


def test_a_page_that_is_not_html_is_refused(server: str, database: str, run_cli: Run) -> None:
    result = run_cli(["ingest", f"{server}/report.pdf", "--no-progress"])
    assert "0 new, 0 skipped (already stored), 1 failed" in result.out
    assert "not a web page (application/pdf)" in result.err
    assert count(database, "articles") == 0


def test_a_source_is_registered_once_from_the_command_line(database: str, run_cli: Run) -> None:
    first = run_cli(["source", "add", "folder", "seeds", "--interval", "300"])
    assert first.code == 0 and "registered: folder seeds" in first.out
    again = run_cli(["source", "add", "folder", "seeds"])
    assert again.code == 0 and "already registered" in again.out
    run_cli(["source", "add", "folder", "../etc"]).assert_usage_error("not a source", "path")
    run_cli(
        ["source", "add", "feed", "https://news.example/", "--cron", "99 * * * *"]
    ).assert_usage_error("cron")
    assert count(database, "sources") == 1


def test_a_feed_that_is_not_xml_is_reported(server: str, database: str, run_cli: Run) -> None:
    result = run_cli(["ingest", f"{server}/not-a-feed", "--no-progress"])
    assert "0 new, 0 skipped (already stored), 1 failed" in result.out
    assert "not a feed" in result.err


def test_a_folders_links_that_leave_the_root_are_named_and_not_read(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "wire" / "sub").mkdir(parents=True)
    outside.mkdir()
    article_file(outside, "secret.json", title="Secret")
    article_file(root, "shared.json", title="Shared")
    article_file(root / "wire" / "sub", "deep.json", title="Deep")
    wire = root / "wire"
    article_file(wire, "own.json", title="Own")
    (wire / "escape.json").symlink_to(outside / "secret.json")
    (wire / "escape-folder").symlink_to(outside, target_is_directory=True)
    (wire / "hop.json").symlink_to(wire / "escape.json")  # a link to a link that leaves
    (wire / "inside.json").symlink_to(root / "shared.json")
    (wire / "inside-folder").symlink_to(root / "wire" / "sub", target_is_directory=True)
    items = list(articles_from(str(wire), root=root))
    titles = sorted(item["title"] for item in items if not isinstance(item, Unusable))
    refused = {Path(item.where).name: item.reason for item in items if isinstance(item, Unusable)}
    assert titles == ["Own", "Shared"]
    assert set(refused) == {"escape.json", "escape-folder", "hop.json"}
    assert all("outside the folder root" in reason for reason in refused.values())
    assert len(list(articles_from(str(wire)))) == 4  # without a root (timeline ingest), all read


def test_an_article_beyond_a_limit_is_a_failed_item_and_nothing_of_it_is_stored(
    tmp_path: Path, database: str, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIMELINE_MAX_MENTIONS", "3")
    folder = tmp_path / "articles"
    folder.mkdir()
    article_file(folder, "a.json")
    article_file(folder, "b.json", text="Monday, Tuesday, Wednesday and Thursday.", title="Days")
    result = run_cli(["ingest", str(folder), "--no-progress"])
    assert result.code == 0
    assert "1 new, 0 skipped (already stored), 1 failed" in result.out
    assert "Days: not stored" in result.err and "MAX_MENTIONS" in result.err
    assert "Traceback" not in result.err
    assert count(database, "articles") == 1
    assert count(database, "mentions") == 1
    loaded = run_cli(["load", str(folder / "b.json")])
    assert loaded.code == 1
    assert "4 time references, more than the 3 allowed (MAX_MENTIONS)" in loaded.err
    assert count(database, "articles") == 1
