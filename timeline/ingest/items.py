"""Bringing articles in from folders, JSONL files, feeds and pages.

``articles_from(location)`` yields the articles a location holds, as field dictionaries
ready for :func:`timeline.store.articles.store_article`:

* a folder: every ``*.json`` article file in it (the format of ``seeds/README.md``); for a
  folder source, a symbolic link in it that leads outside the folder root is named as
  unusable and not read;
* a ``.jsonl`` file: one article object per line, in the same format;
* a ``.json`` file: one article;
* an ``http(s)`` URL, fetched politely and safely (:mod:`timeline.ingest.fetch`): an RSS or Atom
  feed gives one article per entry (its link, title, summary and published date, through
  feedparser); any other page is one article (its main text and the publication date of its
  metadata, through trafilatura). An entry or page without a date is an article with
  ``published_at`` ``None``: it is kept, flagged, and read against the moment it comes in.

An item that cannot become an article (a file that breaks the format, an entry without
text) is yielded as an :class:`Unusable` with the reason, so that a bulk load reports it
and goes on.
"""

from __future__ import annotations

import calendar
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InvalidInputError, TimelineError
from .fetch import Fetched, Fetcher
from .files import Article, check_article, load_article
from .pages import main_text, visible_text

FEED_TYPES = ("rss", "atom", "xml")
FEED_STARTS = (b"<?xml", b"<rss ", b"<feed")
# What a page source may answer: HTML (a missing type is read as HTML).
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
# The longest title and source name the database keeps (models.Article).
TITLE_LENGTH = 1024
SOURCE_LENGTH = 256


@dataclass(frozen=True)
class Unusable:
    """An item of a location that is no article: where it is and why."""

    where: str
    reason: str


Item = dict[str, Any] | Unusable


def articles_from(
    location: str, fetcher: Fetcher | None = None, root: Path | None = None
) -> Iterator[Item]:
    """The articles (or unusable items) of a folder, file or URL (see the module); with
    ``root``, a folder's symbolic links that lead outside it are not followed."""
    if location.startswith(("http://", "https://")):
        yield from _from_url(location, fetcher or Fetcher())
        return
    path = Path(location)
    if path.is_dir():
        yield from folder_articles(path, root)
    elif path.suffix == ".jsonl":
        yield from _from_jsonl(path)
    elif path.exists():
        yield _from_file(path)
    else:
        raise InvalidInputError(f"{location}: no such file, folder or http(s) URL")


def article_fields(article: Article) -> dict[str, Any]:
    """The fields :func:`timeline.store.articles.store_article` takes, of a checked article file."""
    return {
        "title": article.title,
        "text": article.text,
        "published_at": article.published_at,
        "source": article.source,
        "language": article.language,
        "region": article.region,
        "url": article.url,
    }


def folder_articles(folder: Path, root: Path | None = None) -> Iterator[Item]:
    """The articles of the ``*.json`` files of ``folder`` (not of its sub-folders). With
    ``root`` (a folder source's ``TIMELINE_FOLDER_ROOT``), an entry that is a symbolic link
    whose target lies outside ``root``, to a file or to a folder, is not read: it is an
    :class:`Unusable` that says so. A link that stays inside ``root`` is read as usual."""
    base = root.resolve() if root is not None else None
    for entry in sorted(folder.iterdir()):
        if base is not None and leaves(entry, base):
            yield Unusable(str(entry), "a symbolic link that leads outside the folder root")
        elif entry.name.endswith(".json"):
            yield _from_file(entry)


def leaves(entry: Path, root: Path) -> bool:
    """Whether ``entry`` is a symbolic link whose target (every link followed) lies outside
    the resolved folder ``root``."""
    return entry.is_symlink() and not entry.resolve().is_relative_to(root)


def _from_file(path: Path) -> Item:
    try:
        return article_fields(load_article(path))
    except InvalidInputError as exc:
        return Unusable(str(path), str(exc).removeprefix(f"{path}: "))


def _from_jsonl(path: Path) -> Iterator[Item]:
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed below, lines streamed
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                data = json.loads(line)
                if not isinstance(data, dict):
                    raise InvalidInputError(f"{where}: expected a JSON object")
                yield article_fields(check_article(where, data))
            except json.JSONDecodeError as exc:
                yield Unusable(where, f"not valid JSON ({exc.msg})")
            except InvalidInputError as exc:
                yield Unusable(where, str(exc).removeprefix(f"{where}: "))


def _from_url(url: str, fetcher: Fetcher) -> Iterator[Item]:
    yield from items_of(url, fetcher.get(url))


def items_of(url: str, fetched: Fetched, kind: str | None = None) -> Iterator[Item]:
    """The articles of a fetched URL: a feed's entries or a page, as ``kind`` (``feed`` or
    ``page``) says, else as the answer looks (its content type, its first bytes)."""
    if fetched.not_modified:
        return
    if kind is None:
        content_type = (fetched.content_type or "").lower()
        start = fetched.body.lstrip()[:5]
        is_feed = any(t in content_type for t in FEED_TYPES) or start in FEED_STARTS
        kind = "feed" if is_feed else "page"
    content_type = (fetched.content_type or "text/html").split(";")[0].strip().lower()
    if kind == "feed":
        yield from feed_articles(url, fetched.body)
    elif content_type not in PAGE_TYPES:
        yield Unusable(url, f"not a web page ({content_type})")
    else:
        yield page_article(url, fetched.body.decode("utf-8", "replace"))


def feed_articles(url: str, body: bytes) -> Iterator[Item]:
    """The articles of an RSS or Atom feed: one per entry with a link, a text (its summary,
    else its title) and a published (or updated) date."""
    import feedparser

    feed = feedparser.parse(body)
    if feed.bozo and not feed.entries:
        yield Unusable(url, f"not a feed: {feed.get('bozo_exception', 'unreadable')}")
        return
    source = feed.feed.get("title") or url
    language = (feed.feed.get("language") or "en").split("-")[0].lower() or "en"
    for number, entry in enumerate(feed.entries, start=1):
        where = entry.get("link") or f"{url}#{number}"
        moment = entry.get("published_parsed") or entry.get("updated_parsed")
        text = visible_text(entry.get("summary") or "") or (entry.get("title") or "")
        if not text.strip():
            yield Unusable(where, "the entry has no text")
            continue
        published = (
            time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(calendar.timegm(moment)))
            if moment is not None
            else None  # kept, flagged: read against the moment it comes in
        )
        yield {
            "title": _cut(entry.get("title"), TITLE_LENGTH),
            "text": text,
            "published_at": published,
            "source": _cut(source, SOURCE_LENGTH),
            "language": language if language.isalpha() else "en",
            "region": None,
            "url": entry.get("link"),
        }


def page_article(url: str, html: str) -> Item:
    """The article of a web page: its main text and the publication date of its metadata."""
    from trafilatura.metadata import extract_metadata

    try:
        text = main_text(html)
    except InvalidInputError as exc:
        return Unusable(url, str(exc))
    metadata = extract_metadata(html)
    return {
        "title": _cut(metadata.title if metadata else None, TITLE_LENGTH),
        "text": text,
        "published_at": str(metadata.date) if metadata and metadata.date else None,
        "source": _cut(metadata.sitename or metadata.hostname if metadata else None, SOURCE_LENGTH),
        "language": ((metadata.language if metadata else None) or "en").split("-")[0],
        "region": None,
        "url": url,
    }


def _cut(value: str | None, length: int) -> str | None:
    """``value`` cut to ``length`` characters (the column's size)."""
    return value[:length] if value else None


def describe(error: BaseException) -> str:
    """A one-line account of why a location could not be read."""
    if isinstance(error, TimelineError):
        return str(error)
    if isinstance(error, OSError):
        return f"{type(error).__name__}: {error.strerror or error}"
    return f"{type(error).__name__}: {error}"
