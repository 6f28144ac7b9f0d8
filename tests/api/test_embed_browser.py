"""The embeddable timeline in a real browser: ``timeline serve`` on 127.0.0.1, the embed
page of the seed article opened in headless Chromium (Debian's, driven by Playwright, no
browser download), every request to anywhere but 127.0.0.1 refused.

TimelineJS must draw the seed events in the timeline's order with their dates, and an
article whose title and text carry script and attribute-injection payloads must render them
as text: no script of an article runs. A screenshot of each page is kept under
``artifacts/`` (``TIMELINE_TEST_ARTIFACTS`` elsewhere).
"""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .test_schemathesis import EDITOR_KEY
from .test_served import serving

CHROMIUM = os.environ.get("TIMELINE_CHROMIUM", "/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("TIMELINE_TEST_ARTIFACTS", REPO / "artifacts"))
# What the probe of this machine found Chromium needs as root in a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INJECTED = {
    "title": (
        '<script>window.__injected = "title"</script>Raid "><img src=x '
        'onerror="window.__injected=1">'
    ),
    "text": (
        'Rebels <script>window.__injected = "text"</script> seized the town on Friday. '
        'Officials said "><img src=x onerror="window.__injected = 2"> talks resumed on Monday.'
    ),
    "published_at": "2021-07-17",
    "source": '<b onmouseover="window.__injected=3">Wire</b>',
}

pytestmark = [
    pytest.mark.allow_hosts(["127.0.0.1"]),
    pytest.mark.skipif(
        not os.access(CHROMIUM, os.X_OK),
        reason=f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run installs it)",
    ),
]

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str, payload: dict[str, Any] | None = None) -> Any:
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    request.add_header("Content-Type", "application/json")
    if data:  # the served instance requires keys, as a deployment does
        request.add_header("Authorization", f"Bearer {EDITOR_KEY}")
    with OPENER.open(request, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``timeline serve`` on a fresh database holding the seed articles."""
    with serving(tmp_path_factory.mktemp("embed")) as base:
        yield base


class Browser:
    """A headless Chromium page that may reach 127.0.0.1 only, and what it tried besides."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        self.refused: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page = self._browser.new_page(viewport={"width": 1200, "height": 800})
        self.page.route("**/*", self._route)
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.refused.append(route.request.url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def slides(self, url: str, screenshot: str) -> list[tuple[str, str]]:
        """Open ``url``, wait for TimelineJS's slides; (date, headline) of each event slide in
        the order TimelineJS shows them; a screenshot under ``ARTIFACTS``."""
        self.page.goto(url)
        self.page.wait_for_selector(".tl-slide .tl-headline", state="attached", timeout=20_000)
        self.page.click(".tl-slidenav-next")  # from the title to the first event
        self.page.wait_for_timeout(1000)  # the slide's transition
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / screenshot))
        found: list[tuple[str, str]] = self.page.eval_on_selector_all(
            ".tl-slide:not(.tl-slide-titleslide)",
            """slides => slides.map(s => [
                (s.querySelector('.tl-headline-date') || {}).textContent || '',
                (s.querySelector('.tl-headline') || {}).textContent || ''])""",
        )
        return [(date.strip(), headline.strip()) for date, headline in found]

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    pytest.importorskip("playwright.sync_api")
    opened = Browser()
    try:
        yield opened
    finally:
        opened.close()


def seed_id(base: str) -> int:
    items = fetch(f"{base}/v1/articles?source=Al%20Jazeera")["items"]
    return int(items[0]["id"])


def test_the_seed_timeline_draws_in_order_with_its_dates(served: str, browser: Browser) -> None:
    article = seed_id(served)
    events = fetch(f"{served}/v1/articles/{article}/timeline?limit=1000")["events"]
    slides = browser.slides(f"{served}/embed/timeline?article={article}", "embed-seed.png")
    assert slides == [(e["display_date"], e["headline"]) for e in events]
    assert slides[0][0] == "Tuesday 11 September 2001"
    assert slides[-1][0] == "Tuesday 20 July 2021"
    assert not any(date.startswith("recent weeks") for date, _ in slides)  # background
    asked = f"{served}/embed/timeline?article={article}&kind=event,state,background"
    with_background = browser.slides(asked, "embed-seed-background.png")
    assert any(date.startswith("recent weeks") for date, _ in with_background)
    assert browser.refused == [], "the page asked for something beyond 127.0.0.1"
    assert browser.errors == []


def test_an_articles_markup_renders_as_text(served: str, browser: Browser) -> None:
    article = fetch(f"{served}/v1/articles", INJECTED)["id"]
    slides = browser.slides(f"{served}/embed/timeline?article={article}", "embed-injected.png")
    assert [date for date, _ in slides] == ["Monday 12 July 2021", "Friday 16 July 2021"]
    assert "<script>" in slides[1][1]  # shown, as the words it is
    assert '"><img src=x onerror=' in slides[0][1]
    page = browser.page
    assert page.evaluate("window.__injected") is None
    assert page.query_selector("img[onerror]") is None
    handlers = page.evaluate(
        """() => [...document.querySelectorAll('*')].flatMap(
            e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => a.name))"""
    )
    assert handlers == []
    assert page.query_selector("#timeline-embed script") is None
    title = page.eval_on_selector(".tl-slide-titleslide .tl-headline", "e => e.textContent")
    assert title.startswith("<script>")
    assert browser.dialogs == []
    assert browser.refused == []
