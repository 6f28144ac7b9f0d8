"""Polite and safe fetching of the feeds and pages the service ingests.

One :class:`Fetcher` per process applies a :class:`FetchPolicy`:

* only ``http`` and ``https`` URLs; the host is resolved first, and every address it
  resolves to must be a public one: loopback, private, link-local (cloud metadata services
  live at 169.254.169.254), shared, multicast and reserved addresses are refused before any
  connection is made, and so is an IPv6 address that carries a non-public IPv4 one
  (IPv4-mapped or -compatible, NAT64, 6to4, Teredo). The refusal names the host as given,
  never the addresses it resolved to. All this holds unless the policy allows private
  networks (``TIMELINE_ALLOW_PRIVATE_NETWORKS=true``) or names the exact address
  (``allow_addresses``, for tests). The connection goes to the address that was checked,
  with the host name in ``Host`` and in TLS (name check and SNI), so that a second DNS
  answer cannot send it elsewhere;
* redirects are followed by hand, at most ``max_redirects``, and every new URL is checked
  again;
* a timeout on connecting and on reading, a largest body (``max_bytes``, read as a stream
  and cut off), a clear ``User-Agent``;
* conditional GET: the ``ETag`` and ``Last-Modified`` of the last fetch go out as
  ``If-None-Match`` and ``If-Modified-Since``, and a 304 answer fetches nothing;
* retries with exponential backoff on 5xx answers, timeouts and network errors;
* at most one request per ``per_host_interval`` seconds to each host.

Nothing here reads the wall clock to date anything: ``clock`` and ``sleep`` only pace the
requests (and tests replace them).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error

from .. import __version__
from ..errors import FetchError, TooLargeError, UnsafeURLError

REDIRECTS = frozenset({301, 302, 303, 307, 308})
DEFAULT_PORTS = {"http": 80, "https": 443}
CHUNK = 64 * 1024

Resolver = Callable[[str, int], list[str]]


@dataclass(frozen=True)
class FetchPolicy:
    """How a :class:`Fetcher` fetches (see the module)."""

    timeout: float = 10.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 1.0
    per_host_interval: float = 1.0
    allow_private: bool = False
    allow_addresses: frozenset[str] = frozenset()
    user_agent: str = f"timeline/{__version__} (news event timelines; polite fetcher)"


def policy_from_config(config: Mapping[str, object]) -> FetchPolicy:
    """The fetch policy of the service's configuration: ``TIMELINE_ALLOW_PRIVATE_NETWORKS``
    (true, 1 or yes) lets sources on loopback and private networks be fetched (the tests'
    own servers)."""
    allow = config.get("ALLOW_PRIVATE_NETWORKS", False)
    return FetchPolicy(allow_private=allow is True or str(allow).lower() in ("1", "true", "yes"))


@dataclass(frozen=True)
class Fetched:
    """What a fetch got: the final URL, the status, and the body with its validators.

    ``not_modified`` is true for a 304 answer to a conditional GET (``body`` is empty).
    """

    url: str
    status: int
    body: bytes
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host!r}: {exc}") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


IPv4s = tuple[ipaddress.IPv4Address, ...]


def _rfc6052(*lengths: int) -> Callable[[ipaddress.IPv6Address], IPv4s]:
    """The IPv4 addresses an IPv6 address carries after a NAT64 prefix of each of
    ``lengths`` bits (RFC 6052, section 2.2: bits 64 to 71 are left out)."""

    def extract(ip: ipaddress.IPv6Address) -> IPv4s:
        packed = ip.packed
        spliced = packed[:8] + packed[9:]
        return tuple(
            ipaddress.IPv4Address(packed[12:] if n == 96 else spliced[n // 8 : n // 8 + 4])
            for n in lengths
        )

    return extract


def _sixtofour(ip: ipaddress.IPv6Address) -> IPv4s:
    return (ip.sixtofour,) if ip.sixtofour else ()


def _teredo(ip: ipaddress.IPv6Address) -> IPv4s:
    return ip.teredo or ()  # the server, and the client (its bits XORed back)


# IPv6 forms that carry IPv4 addresses, as (prefix, where they are): a connection to such
# an address may reach an IPv4 one, so every IPv4 address it carries must be public.
EMBEDDING: tuple[tuple[ipaddress.IPv6Network, Callable[[ipaddress.IPv6Address], IPv4s]], ...] = (
    (ipaddress.IPv6Network("::ffff:0:0/96"), _rfc6052(96)),  # IPv4-mapped
    (ipaddress.IPv6Network("::/96"), _rfc6052(96)),  # IPv4-compatible (deprecated)
    (ipaddress.IPv6Network("64:ff9b::/96"), _rfc6052(96)),  # NAT64, RFC 6052
    # local-use NAT64 (RFC 8215): the operator picks a prefix of 48 to 96 bits
    (ipaddress.IPv6Network("64:ff9b:1::/48"), _rfc6052(48, 56, 64, 96)),
    (ipaddress.IPv6Network("2002::/16"), _sixtofour),  # 6to4, RFC 3056
    (ipaddress.IPv6Network("2001::/32"), _teredo),  # Teredo, RFC 4380
)


def embedded_ipv4(ip: ipaddress.IPv6Address) -> IPv4s | None:
    """The IPv4 addresses an IPv6 address carries (IPv4-mapped, IPv4-compatible, NAT64,
    6to4, Teredo), or ``None`` when it is none of these forms."""
    for network, extract in EMBEDDING:
        if ip in network:
            return extract(ip)
    return None


def is_public(address: str) -> bool:
    """Whether ``address`` is a global unicast address. An IPv6 address that embeds IPv4
    ones (see :data:`EMBEDDING`) is public when every IPv4 address it embeds is; ``::`` and
    ``::1`` are not."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and int(ip) > 1:
        embedded = embedded_ipv4(ip)
        if embedded is not None:
            return bool(embedded) and all(_is_global(v4) for v4 in embedded)
    return _is_global(ip)


def _is_global(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_global and not ip.is_multicast


def refusal(host: str) -> str:
    """Why ``host`` is refused: named as it was given, never by the addresses it resolved
    to (a run's error is shown to whoever registered the source, who must not learn the
    internal addresses a name of theirs points at)."""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        what = "resolves to a private address"
    else:
        what = "is a private address"
    return (
        f"{host!r} {what} (loopback, private, link-local or reserved; set"
        " TIMELINE_ALLOW_PRIVATE_NETWORKS=true to fetch from private networks)"
    )


@dataclass
class Fetcher:
    """Fetches URLs under a :class:`FetchPolicy` (thread-safe)."""

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    resolve: Resolver = system_resolver
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last: dict[str, float] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """Fetch ``url`` (following redirects); raises :class:`FetchError` when it cannot."""
        headers = {"If-None-Match": etag, "If-Modified-Since": last_modified}
        current = url
        for _ in range(self.policy.max_redirects + 1):
            fetched, location = self._get_once(current, {k: v for k, v in headers.items() if v})
            if location is None:
                return fetched
            current = urljoin(current, location)
        raise FetchError(f"more than {self.policy.max_redirects} redirects from {url}")

    def check(self, url: str) -> tuple[str, str, int, str]:
        """The scheme, host, port and checked address of ``url``; raises
        :class:`UnsafeURLError` when the URL may not be fetched."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise UnsafeURLError(f"only http and https URLs are fetched, not {url!r}")
        host = parts.hostname
        if not host:
            raise UnsafeURLError(f"no host in {url!r}")
        try:
            port = parts.port or DEFAULT_PORTS[scheme]
        except ValueError as exc:
            raise UnsafeURLError(f"bad port in {url!r}") from exc
        addresses = self.resolve(host, port)
        if not addresses:
            raise FetchError(f"{host!r} resolves to no address")
        if not all(self._allowed(a) for a in addresses):
            raise UnsafeURLError(refusal(host))
        return scheme, host, port, addresses[0]

    def _allowed(self, address: str) -> bool:
        if address in self.policy.allow_addresses or self.policy.allow_private:
            return True
        try:
            return is_public(address)
        except ValueError:
            return False

    def _get_once(self, url: str, headers: dict[str, str]) -> tuple[Fetched, str | None]:
        """One request (with its retries): the answer, and the redirect's target if any."""
        scheme, host, port, address = self.check(url)
        attempt = 0
        while True:
            self._wait_turn(host)
            try:
                return self._request(url, scheme, host, port, address, headers)
            except _Retryable as exc:
                if attempt >= self.policy.retries:
                    raise FetchError(f"{url}: {exc}") from None
                self.sleep(self.policy.backoff * 2**attempt)
                attempt += 1

    def _wait_turn(self, host: str) -> None:
        """Sleep until ``host`` may be asked again."""
        with self._lock:
            now = self.clock()
            ready = self._last.get(host, now - self.policy.per_host_interval)
            ready += self.policy.per_host_interval
            wait = max(0.0, ready - now)
            self._last[host] = now + wait
        if wait:
            self.sleep(wait)

    def _request(
        self,
        url: str,
        scheme: str,
        host: str,
        port: int,
        address: str,
        headers: dict[str, str],
    ) -> tuple[Fetched, str | None]:
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host_header = host if port == DEFAULT_PORTS[scheme] else f"{host}:{port}"
        timeout = urllib3.Timeout(connect=self.policy.timeout, read=self.policy.timeout)
        pool: urllib3.HTTPConnectionPool
        if scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                address,
                port,
                timeout=timeout,
                retries=False,
                server_hostname=host,
                assert_hostname=host,
                cert_reqs="CERT_REQUIRED",
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
        try:
            response = pool.urlopen(
                "GET",
                path,
                headers={
                    "Host": host_header,
                    "User-Agent": self.policy.user_agent,
                    "Accept": "application/rss+xml, application/atom+xml, text/html, "
                    "application/xml;q=0.9, */*;q=0.8",
                    **headers,
                },
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=True,
            )
            try:
                status = response.status
                if status in REDIRECTS and response.headers.get("Location"):
                    response.drain_conn()
                    return Fetched(url, status, b""), response.headers["Location"]
                if status >= 500:
                    raise _Retryable(f"HTTP {status}")
                if status == 304:
                    return Fetched(url, status, b"", not_modified=True), None
                body = self._read(url, response)
            finally:
                response.release_conn()
        except Urllib3Error as exc:  # its text names the pool by address: name the host
            raise _Retryable(f"{type(exc).__name__}: {str(exc).replace(address, host)}") from None
        finally:
            pool.close()
        if status >= 400:
            raise FetchError(f"{url}: HTTP {status}")
        return (
            Fetched(
                url,
                status,
                body,
                response.headers.get("Content-Type"),
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
            ),
            None,
        )

    def _read(self, url: str, response: urllib3.BaseHTTPResponse) -> bytes:
        """The body, read as a stream and cut off at ``max_bytes``."""
        limit = self.policy.max_bytes
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > limit:
            raise TooLargeError(f"{url}: {length} bytes, more than {limit}")
        chunks: list[bytes] = []
        size = 0
        for chunk in _stream(response):
            size += len(chunk)
            if size > limit:
                raise TooLargeError(f"{url}: more than {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)


def _stream(response: urllib3.BaseHTTPResponse) -> Iterable[bytes]:
    return response.stream(CHUNK)


class _Retryable(Exception):
    """A failure worth another try: a 5xx answer, a timeout, a network error."""
