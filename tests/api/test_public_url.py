"""The service's own URLs (oEmbed, ``Link`` headers, iCalendar UIDs, ``/docs``, the embed
page's oEmbed link) come from ``TIMELINE_PUBLIC_URL`` when it is set, whatever the ``Host``
header says; from the request when it is not."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import icalendar
import pytest
from flask import Flask

from timeline.errors import InvalidInputError

PUBLIC = "https://timeline.example.org"
FORGED = "http://evil.example:8080"


def given_urls(app: Flask, article_id: int, base_url: str) -> dict[str, str]:
    """Every URL or host name the service gives out, asked for with ``base_url`` (its host
    in the ``Host`` header)."""
    client = app.test_client()
    timeline = f"/v1/articles/{article_id}/timeline"
    embed = f"{PUBLIC if app.config['PUBLIC_URL'] else base_url}/embed/timeline"
    oembed = client.get(
        "/oembed", query_string={"url": f"{embed}?article={article_id}"}, base_url=base_url
    )
    assert oembed.status_code == 200, oembed.get_data(as_text=True)
    found = oembed.get_json()
    calendar = client.get(timeline, query_string={"format": "ics"}, base_url=base_url)
    uids = {
        str(e["uid"]).partition("@")[2]
        for e in icalendar.Calendar.from_ical(calendar.data).walk("VEVENT")
    }
    assert len(uids) == 1
    page = client.get("/embed/timeline", query_string={"article": article_id}, base_url=base_url)
    assert page.status_code == 200
    docs = client.get("/docs", base_url=base_url).text
    return {
        "oembed html": found["html"],
        "oembed provider": found["provider_url"],
        "link": client.get(timeline, query_string={"limit": 2}, base_url=base_url).headers["Link"],
        "ics uid host": uids.pop(),
        "docs": html.unescape(docs.partition("<iframe")[2] or docs),
        "embed page": unquote(html.unescape(page.text)),
    }


@pytest.fixture
def posted(make_app: Callable[..., Flask], seed: dict[str, Any]) -> int:
    """The id of the seed article, posted."""
    response = make_app().test_client().post("/v1/articles", json=seed)
    assert response.status_code == 201
    article_id: int = response.get_json()["id"]
    return article_id


@pytest.mark.parametrize("setting", [PUBLIC, PUBLIC + "/"])
def test_a_forged_host_changes_no_url_when_the_public_url_is_set(
    make_app: Callable[..., Flask], posted: int, setting: str
) -> None:
    app = make_app(PUBLIC_URL=setting)
    given = given_urls(app, posted, FORGED)
    assert given == given_urls(app, posted, "http://localhost")
    assert given["oembed provider"] == PUBLIC + "/"
    assert given["oembed html"].startswith(f'<iframe src="{PUBLIC}/embed/timeline?article=')
    assert given["link"].startswith(f"<{PUBLIC}/v1/articles/{posted}/timeline?")
    assert given["ics uid host"] == "timeline.example.org"
    assert f"{PUBLIC}/embed/timeline?article=1" in given["docs"]
    assert f"url={PUBLIC}/embed/timeline?article={posted}" in given["embed page"]
    assert all("evil.example" not in url for url in given.values())


def test_oembed_refuses_the_forged_host_when_the_public_url_is_set(
    make_app: Callable[..., Flask], posted: int
) -> None:
    client = make_app(PUBLIC_URL=PUBLIC).test_client()
    query = {"url": f"{FORGED}/embed/timeline?article={posted}"}
    assert client.get("/oembed", query_string=query, base_url=FORGED).status_code == 404


def test_without_the_setting_the_request_decides(
    make_app: Callable[..., Flask], posted: int
) -> None:
    given = given_urls(make_app(), posted, FORGED)
    assert given["oembed provider"] == FORGED + "/"
    assert given["link"].startswith(f"<{FORGED}/v1/articles/{posted}/timeline?")
    assert given["ics uid host"] == "evil.example"
    assert f"{FORGED}/embed/timeline?article=1" in given["docs"]
    assert f"url={FORGED}/embed/timeline?article={posted}" in given["embed page"]


@pytest.mark.parametrize("setting", ["timeline.example.org", "ftp://example.org", "https://"])
def test_a_public_url_that_is_no_base_url_is_an_error(
    make_app: Callable[..., Flask], setting: str
) -> None:
    with pytest.raises(InvalidInputError, match="TIMELINE_PUBLIC_URL"):
        make_app(PUBLIC_URL=setting)
