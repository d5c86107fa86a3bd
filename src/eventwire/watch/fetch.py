"""A polite HTTP client for `eventwire watch`.

Polite means: a User-Agent that names the program, at most `per_host`
requests in flight to one host and `delay` seconds between the starts of two
requests to it (or the host's robots.txt Crawl-delay, if longer), robots.txt
obeyed (RFC 9309: a missing robots.txt allows everything, an unreachable one
forbids everything for now), conditional GET so an unchanged feed costs a 304,
timeouts, retries with exponential backoff for what may pass (timeouts,
connection errors, 5xx, 429), and a size limit read as the body streams in,
so a huge page is never held whole in memory. Redirects are followed by hand,
so robots.txt is checked for every hop.

The client is safe to use from several threads at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from .. import __version__
from ..errors import FetchError

AGENT_TOKEN = "eventwire"
DEFAULT_AGENT = f"{AGENT_TOKEN}/{__version__} (news event monitor; https://pypi.org/project/eventwire/)"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ROBOTS_MAX = 512 * 1024
# A host that answers robots.txt with an error is asked again after this long.
_ROBOTS_RETRY = 300.0
_MAX_WAIT = 60.0  # cap on Retry-After and Crawl-delay, in seconds


@dataclass(frozen=True, slots=True)
class FetchSettings:
    user_agent: str = DEFAULT_AGENT
    timeout: float = 20.0        # connect and each read; a whole body gets 3x this
    max_bytes: int = 5_000_000   # body size limit (after content decoding)
    retries: int = 2             # further tries after a transient failure
    backoff: float = 1.0         # seconds before the first retry; doubles each time
    per_host: int = 2
    delay: float = 1.0           # seconds between two request starts to one host
    max_redirects: int = 5
    robots_ttl: float = 3600.0


@dataclass(frozen=True, slots=True)
class Response:
    url: str                     # as asked for
    final_url: str               # after redirects
    status: int                  # 200-299, or 304 (not modified)
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _Host:
    __slots__ = ("delay", "lock", "next_at", "robots", "robots_lock", "robots_until", "slots")

    def __init__(self, per_host: int, delay: float) -> None:
        self.slots = threading.BoundedSemaphore(max(1, per_host))
        self.lock = threading.Lock()
        self.robots_lock = threading.Lock()
        self.next_at = 0.0
        self.delay = delay
        self.robots: RobotFileParser | FetchError | None = None
        self.robots_until = 0.0


class Fetcher:
    """GET with politeness; raises FetchError with a short reason."""

    def __init__(self, settings: FetchSettings | None = None, *,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings or FetchSettings()
        self._sleep = sleep
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.settings.timeout), follow_redirects=False,
            headers={"User-Agent": self.settings.user_agent})
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def get(self, url: str, *, etag: str | None = None,
            last_modified: str | None = None) -> Response:
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _ in range(self.settings.max_redirects + 1):
            self._check_robots(current)
            status, resp_headers, body = self._with_retries(current, headers)
            if status in _REDIRECTS:
                location = resp_headers.get("location")
                if not location:
                    raise FetchError(url, f"HTTP {status} without a Location", transient=False)
                current = urljoin(current, location)
                continue
            if status == 304:
                return Response(url, current, 304, b"", etag, last_modified)
            if not 200 <= status < 300:
                raise FetchError(url, f"HTTP {status}", transient=False)
            return Response(url, current, status, body, resp_headers.get("etag"),
                            resp_headers.get("last-modified"), resp_headers.get("content-type"))
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects",
                         transient=False)

    # -- one URL, with retries -------------------------------------------------------

    def _with_retries(self, url: str, headers: dict[str, str]
                      ) -> tuple[int, httpx.Headers, bytes]:
        s = self.settings
        for attempt in range(s.retries + 1):
            wait = s.backoff * 2 ** attempt
            try:
                status, resp_headers, body = self._once(url, headers)
            except FetchError as exc:
                if not exc.transient or attempt == s.retries:
                    raise
            else:
                if status < 500 and status != 429:
                    return status, resp_headers, body
                if attempt == s.retries:
                    raise FetchError(url, f"HTTP {status}", transient=True)
                wait = max(wait, _retry_after(resp_headers.get("retry-after")))
            self._sleep(wait)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _once(self, url: str, headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        host = self._host(url)
        limit = self.settings.max_bytes
        with host.slots:
            self._wait_turn(host)
            try:
                with self._client.stream("GET", url, headers=headers) as r:
                    if r.status_code in _REDIRECTS or r.status_code == 304 or r.status_code >= 400:
                        return r.status_code, r.headers, b""
                    declared = r.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > limit:
                        raise FetchError(url, f"larger than the {limit}-byte limit "
                                         f"({declared} bytes)", transient=False)
                    deadline = time.monotonic() + 3 * self.settings.timeout
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in r.iter_bytes():
                        size += len(chunk)
                        if size > limit:
                            raise FetchError(url, f"larger than the {limit}-byte limit",
                                             transient=False)
                        if time.monotonic() > deadline:
                            raise FetchError(url, "too slow (body not complete in "
                                             f"{3 * self.settings.timeout:g} s)", transient=True)
                        chunks.append(chunk)
                    return r.status_code, r.headers, b"".join(chunks)
            except httpx.TimeoutException:
                raise FetchError(url, f"timed out ({self.settings.timeout:g} s)",
                                 transient=True) from None
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                raise FetchError(url, f"not a fetchable URL ({exc})", transient=False) from None
            except httpx.DecodingError as exc:
                raise FetchError(url, f"undecodable response ({exc})", transient=False) from None
            except httpx.TransportError as exc:
                raise FetchError(url, f"connection failed ({type(exc).__name__}: {exc})",
                                 transient=True) from None

    # -- per host --------------------------------------------------------------------

    def _host(self, url: str) -> _Host:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}".lower()
        with self._lock:
            host = self._hosts.get(key)
            if host is None:
                host = self._hosts[key] = _Host(self.settings.per_host, self.settings.delay)
            return host

    def _wait_turn(self, host: _Host) -> None:
        # Reserve the next start time under the lock, sleep outside it.
        with host.lock:
            now = time.monotonic()
            start = max(now, host.next_at)
            host.next_at = start + host.delay
        if start > now:
            self._sleep(start - now)

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(url, "not an http(s) URL", transient=False)
        host = self._host(url)
        with host.robots_lock:  # one robots.txt request per host at a time
            if host.robots is None or time.monotonic() > host.robots_until:
                host.robots = self._load_robots(f"{parts.scheme}://{parts.netloc}", host)
                ttl = (_ROBOTS_RETRY if isinstance(host.robots, FetchError)
                       else self.settings.robots_ttl)
                host.robots_until = time.monotonic() + ttl
            robots = host.robots
        if isinstance(robots, FetchError):
            raise FetchError(url, f"robots.txt unavailable ({robots.reason}); not fetched",
                             transient=True)
        if not robots.can_fetch(AGENT_TOKEN, url):
            raise FetchError(url, "forbidden by robots.txt", transient=False)

    def _load_robots(self, origin: str, host: _Host) -> RobotFileParser | FetchError:
        url = origin + "/robots.txt"
        parser = RobotFileParser(url)
        try:
            with host.slots:
                self._wait_turn(host)
                r = self._client.get(url, follow_redirects=True)
        except httpx.HTTPError as exc:
            return FetchError(url, f"{type(exc).__name__}", transient=True)
        if r.status_code >= 500:
            return FetchError(url, f"HTTP {r.status_code}", transient=True)
        if r.status_code >= 400:
            parser.parse([])  # RFC 9309: unavailable robots.txt, no restriction
        else:
            text = r.content[:_ROBOTS_MAX].decode("utf-8", "replace")
            parser.parse(text.splitlines())
        delay = parser.crawl_delay(AGENT_TOKEN)
        if delay is not None:
            host.delay = min(_MAX_WAIT, max(self.settings.delay, float(delay)))
        return parser


def _retry_after(value: str | None) -> float:
    if value and value.strip().isdigit():
        return min(_MAX_WAIT, float(value.strip()))
    return 0.0
