"""The fetcher against a server of the test's own on 127.0.0.1, and its refusals of
private addresses, checked before any connection under a socket guard that allows only
127.0.0.1 (pytest-socket): a broken check fails the test instead of sending traffic."""

from __future__ import annotations

import socket
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import ClassVar

import pytest

from timeline.errors import FetchError, TooLargeError, UnsafeURLError
from timeline.ingest.fetch import Fetcher, FetchPolicy, is_public, refusal

guarded = pytest.mark.allow_hosts(["127.0.0.1"])
pytestmark = guarded

FEED = b"<rss><channel><title>t</title></channel></rss>"


class Handler(BaseHTTPRequestHandler):
    hits: ClassVar[Counter[str]] = Counter()
    seen_headers: ClassVar[dict[str, dict[str, str]]] = {}

    def log_message(self, *_args: object) -> None:  # keep the test output quiet
        pass

    def do_GET(self) -> None:
        Handler.hits[self.path] += 1
        Handler.seen_headers[self.path] = dict(self.headers)
        if self.path == "/feed":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.end_headers()
                return
            self.reply(200, FEED, {"ETag": '"v1"', "Content-Type": "application/rss+xml"})
        elif self.path == "/error":
            self.reply(500, b"broken")
        elif self.path == "/flaky":
            status = 503 if Handler.hits[self.path] == 1 else 200
            self.reply(status, b"ok")
        elif self.path == "/missing":
            self.reply(404, b"no")
        elif self.path == "/big":
            self.reply(200, b"x" * 5000)
        elif self.path == "/big-unannounced":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"y" * 5000)  # no Content-Length: read until the connection closes
            self.close_connection = True
        elif self.path == "/slow":
            time.sleep(1.5)
            self.reply(200, b"late")
        elif self.path == "/to-feed":
            self.reply(302, b"", {"Location": "/feed"})
        elif self.path == "/to-private":
            self.reply(302, b"", {"Location": "http://10.0.0.1/feed"})
        elif self.path == "/loop":
            self.reply(302, b"", {"Location": "/loop"})
        else:
            self.reply(404, b"")

    def reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server(local_server: Callable[[type[BaseHTTPRequestHandler]], str]) -> str:
    Handler.hits.clear()
    Handler.seen_headers.clear()
    return local_server(Handler)


def local(**policy: object) -> Fetcher:
    """A fetcher that may reach 127.0.0.1 only, without pauses."""
    settings: dict[str, object] = {
        "allow_addresses": frozenset({"127.0.0.1"}),
        "per_host_interval": 0.0,
        "backoff": 0.0,
        "timeout": 5.0,
        **policy,
    }
    return Fetcher(FetchPolicy(**settings), sleep=lambda _seconds: None)  # type: ignore[arg-type]


def test_a_page_is_fetched_with_its_validators_and_a_clear_user_agent(server: str) -> None:
    fetched = local().get(f"{server}/feed")
    assert (fetched.status, fetched.body, fetched.etag) == (200, FEED, '"v1"')
    assert fetched.content_type == "application/rss+xml"
    assert Handler.seen_headers["/feed"]["User-Agent"].startswith("timeline/")


def test_a_conditional_get_answered_304_fetches_nothing(server: str) -> None:
    fetched = local().get(f"{server}/feed", etag='"v1"')
    assert fetched.not_modified and fetched.body == b"" and fetched.status == 304


def test_a_5xx_is_retried_then_reported(server: str) -> None:
    with pytest.raises(FetchError, match="HTTP 500"):
        local(retries=2).get(f"{server}/error")
    assert Handler.hits["/error"] == 3


def test_a_passing_5xx_is_overcome(server: str) -> None:
    assert local(retries=1).get(f"{server}/flaky").body == b"ok"
    assert Handler.hits["/flaky"] == 2


def test_a_4xx_is_not_retried(server: str) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        local(retries=3).get(f"{server}/missing")
    assert Handler.hits["/missing"] == 1


@pytest.mark.parametrize("path", ["/big", "/big-unannounced"])
def test_a_body_over_the_limit_is_refused(server: str, path: str) -> None:
    with pytest.raises(TooLargeError):
        local(max_bytes=1000).get(f"{server}{path}")


def test_a_slow_answer_times_out(server: str) -> None:
    with pytest.raises(FetchError, match="Timeout"):
        local(timeout=0.3, retries=0).get(f"{server}/slow")


def test_redirects_are_followed_and_bounded(server: str) -> None:
    assert local().get(f"{server}/to-feed").body == FEED
    with pytest.raises(FetchError, match="redirects"):
        local(max_redirects=3).get(f"{server}/loop")
    assert Handler.hits["/loop"] == 4


def test_a_redirect_to_a_private_address_is_refused_before_connecting(server: str) -> None:
    with pytest.raises(UnsafeURLError, match=r"10\.0\.0\.1"):
        local().get(f"{server}/to-private")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed",
        "http://10.0.0.1/feed",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://[64:ff9b::7f00:1]/",
        "http://[2002:a9fe:a9fe::]/latest/meta-data/",
        "http://[::127.0.0.1]/",
    ],
)
def test_private_addresses_are_refused_without_the_setting(url: str) -> None:
    with pytest.raises(UnsafeURLError):
        Fetcher(FetchPolicy()).get(url)


def test_a_host_name_that_resolves_to_a_private_address_is_refused() -> None:
    def resolve(host: str, port: int) -> list[str]:
        return ["93.184.215.14", "192.168.1.10"] if host == "news.example" else []

    with pytest.raises(UnsafeURLError) as refused:
        Fetcher(FetchPolicy(), resolve=resolve).get("https://news.example/feed")
    message = str(refused.value)
    assert "'news.example' resolves to a private address" in message
    assert "192.168" not in message and "93.184" not in message  # no resolved address echoed


def test_a_network_error_names_the_host_not_its_address() -> None:
    with socket.socket() as probe:  # a port on 127.0.0.1 that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    fetcher = Fetcher(
        FetchPolicy(allow_private=True, retries=0, per_host_interval=0.0),
        resolve=lambda host, _port: ["127.0.0.1"],
    )
    with pytest.raises(FetchError) as failed:
        fetcher.get(f"http://news.example:{port}/feed")
    assert "news.example" in str(failed.value) and "127.0.0.1" not in str(failed.value)


@pytest.mark.parametrize(
    ("host", "said"),
    [
        ("intranet.example", "'intranet.example' resolves to a private address"),
        ("10.0.0.1", "'10.0.0.1' is a private address"),
        ("::ffff:10.0.0.1", "'::ffff:10.0.0.1' is a private address"),
    ],
)
def test_a_refusal_names_the_host_as_given(host: str, said: str) -> None:
    assert refusal(host).startswith(said)


@pytest.mark.parametrize("url", ["ftp://example.com/feed", "file:///etc/passwd", "http:///x"])
def test_other_schemes_and_hostless_urls_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURLError):
        Fetcher(FetchPolicy()).get(url)


def test_the_setting_opens_private_networks(server: str) -> None:
    fetcher = Fetcher(FetchPolicy(allow_private=True, per_host_interval=0.0))
    assert fetcher.get(f"{server}/feed").status == 200


def test_requests_to_one_host_are_spaced() -> None:
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    fetcher = Fetcher(FetchPolicy(per_host_interval=2.0), sleep=sleep, clock=lambda: now[0])
    for _ in range(3):
        fetcher._wait_turn("news.example")
    fetcher._wait_turn("other.example")
    assert waits == [2.0, 2.0]


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("fd00:ec2::254", False),
        ("224.0.0.1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:8.8.8.8", True),
        # IPv4-compatible
        ("::127.0.0.1", False),
        ("::10.0.0.1", False),
        ("::", False),
        ("::1", False),
        # NAT64 (RFC 6052) and local-use NAT64 (RFC 8215)
        ("64:ff9b::7f00:1", False),
        ("64:ff9b::a00:1", False),
        ("64:ff9b::a9fe:a9fe", False),
        ("64:ff9b::808:808", True),
        ("64:ff9b:1::7f00:1", False),
        ("64:ff9b:1:7f00:1::", False),
        # 6to4
        ("2002:7f00:1::", False),
        ("2002:c0a8:101::", False),
        ("2002:a9fe:a9fe::1", False),
        ("2002:808:808::", True),
        ("2002:808:808:1::1", True),
        # Teredo: the client is the last 32 bits XORed (here 127.0.0.1, then 10.0.0.1)
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", False),
        ("2001:0:4136:e378:8000:63bf:f7f7:f7f7", True),
    ],
)
def test_which_addresses_are_public(address: str, public: bool) -> None:
    assert is_public(address) is public
