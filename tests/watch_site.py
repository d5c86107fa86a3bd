"""A small news site on loopback for the watch tests and benchmark.

It serves RSS feeds, a sitemap index with a news sitemap, article pages and a
robots.txt that forbids /private/; feeds and sitemaps answer conditional GETs
(ETag and Last-Modified, 304). Some pages misbehave on purpose: /slow.html
answers after `slow_seconds`, /broken.html is a 500, /moved.html redirects,
/huge.html is larger than any sensible limit. Every request is logged.

The article sentences are written for these tests; they are not from a corpus.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ROBOTS = b"User-agent: *\nDisallow: /private/\n"
FILLER = [
    "Traders in the capital said the price of bread had been steady for a month.",
    "The weather office expects light rain over the coast later in the week.",
    "Schools in the region reopened after the holiday with new timetables.",
    "A local football club announced the signing of a young goalkeeper.",
]


@dataclass
class Page:
    path: str
    title: str
    paragraphs: list[str]
    date: dt.date
    summary: str | None = None   # the feed entry's own text
    feed: str | None = "/feed.xml"

    def html(self) -> bytes:
        body = "".join(f"<p>{html.escape(p)}</p>" for p in (*self.paragraphs, *FILLER))
        return (f"<!doctype html><html><head><title>{html.escape(self.title)}</title>"
                f'<meta property="article:published_time" content="{self.date}">'
                f'<meta property="og:site_name" content="Loopback Herald"></head>'
                f"<body><nav><a href='/'>Home</a></nav><article><h1>{html.escape(self.title)}"
                f"</h1>{body}</article><footer>All rights reserved.</footer></body></html>"
                ).encode()


@dataclass
class Site:
    slow_seconds: float = 3.0
    pages: dict[str, Page] = field(default_factory=dict)
    sitemap_paths: list[str] = field(default_factory=list)  # pages listed in the news sitemap
    requests: list[tuple[str, str, int]] = field(default_factory=list)  # method, path, status
    lock: threading.Lock = field(default_factory=threading.Lock)
    page_delay: float = 0.0
    _server: ThreadingHTTPServer | None = None

    # -- content -------------------------------------------------------------------

    def add(self, page: Page, *, in_sitemap: bool = False) -> None:
        with self.lock:
            self.pages[page.path] = page
            if in_sitemap:
                self.sitemap_paths.append(page.path)

    def feed(self, path: str) -> bytes:
        items = []
        with self.lock:
            pages = [p for p in self.pages.values() if p.feed == path]
        for p in pages:
            when = dt.datetime.combine(p.date, dt.time(9, 30), tzinfo=dt.UTC)
            desc = f"<description>{html.escape(p.summary)}</description>" if p.summary else ""
            items.append(f"<item><title>{html.escape(p.title)}</title>"
                         f"<link>{self.url}{p.path}?utm_source=rss</link><guid>{p.path}</guid>"
                         f"<pubDate>{email.utils.format_datetime(when)}</pubDate>{desc}</item>")
        return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Herald'
                f"</title><link>{self.url}/</link><description>test feed</description>"
                + "".join(items) + "</channel></rss>").encode()

    def sitemap_index(self) -> bytes:
        return ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9"><sitemap><loc>{self.url}/sitemap-news.xml</loc></sitemap>'
                "</sitemapindex>").encode()

    def news_sitemap(self) -> bytes:
        with self.lock:
            pages = [self.pages[p] for p in self.sitemap_paths]
        urls = "".join(
            f"<url><loc>{self.url}{p.path}</loc><news:news><news:publication><news:name>"
            f"Loopback Sitemap News</news:name><news:language>en</news:language>"
            f"</news:publication><news:publication_date>{p.date}</news:publication_date>"
            f"<news:title>{html.escape(p.title)}</news:title></news:news></url>" for p in pages)
        return ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/'
                '0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                + urls + "</urlset>").encode()

    # -- bookkeeping -----------------------------------------------------------------

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for _, p, _s in self.requests if p.split("?")[0] == path)

    def statuses(self, path: str) -> list[int]:
        with self.lock:
            return [s for _, p, s in self.requests if p.split("?")[0] == path]

    def page_requests(self) -> int:
        with self.lock:
            return sum(1 for _, p, s in self.requests if p.startswith("/news/") and s == 200)

    # -- serving -----------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Site:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                status = site.respond(self)
                with site.lock:
                    site.requests.append(("GET", self.path, status))

            def do_POST(self) -> None:  # not a receiver: say so
                self.send_response(405)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    def respond(self, h: BaseHTTPRequestHandler) -> int:
        path = h.path.split("?")[0]
        if path == "/robots.txt":
            return _send(h, 200, ROBOTS, "text/plain")
        if path in ("/feed.xml", "/feed-b.xml") or path.startswith("/feeds/"):
            return _conditional(h, self.feed(path), "application/rss+xml")
        if path == "/sitemap-index.xml":
            return _conditional(h, self.sitemap_index(), "application/xml")
        if path == "/sitemap-news.xml":
            return _conditional(h, self.news_sitemap(), "application/xml")
        if path == "/broken.html":
            return _send(h, 500, b"<h1>server error</h1>", "text/html")
        if path == "/moved.html":
            h.send_response(301)
            h.send_header("Location", "/news/moved-here.html")
            h.send_header("Content-Length", "0")
            h.end_headers()
            return 301
        if path == "/huge.html":
            # no Content-Length: the limit must hold while the body streams in
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Connection", "close")
            h.end_headers()
            chunk = b"<p>" + b"padding words " * 4000 + b"</p>"
            try:
                for _ in range(200):
                    h.wfile.write(chunk)
            except OSError:
                pass  # the client gave up, as it should
            h.close_connection = True
            return 200
        page = self.pages.get(path)
        if page is None:
            return _send(h, 404, b"not found", "text/plain")
        if path == "/slow.html":
            time.sleep(self.slow_seconds)
        elif self.page_delay:
            time.sleep(self.page_delay)
        return _send(h, 200, page.html(), "text/html; charset=utf-8")


def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str,
          headers: dict[str, str] | None = None) -> int:
    try:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        if body:
            h.wfile.write(body)
    except OSError:
        pass  # a client that timed out and left
    return status


def _conditional(h: BaseHTTPRequestHandler, body: bytes, ctype: str) -> int:
    digest = hashlib.sha256(body).hexdigest()
    etag = f'"{digest[:16]}"'
    # Last-Modified moves with the content (a stable stand-in for a real clock).
    modified = email.utils.formatdate(1_700_000_000 + int(digest[:6], 16), usegmt=True)
    if h.headers.get("If-None-Match") == etag:
        h.send_response(304)
        h.send_header("ETag", etag)
        h.send_header("Content-Length", "0")
        h.end_headers()
        return 304
    return _send(h, 200, body, ctype, {"ETag": etag, "Last-Modified": modified})


class Receiver:
    """A webhook receiver on loopback: keeps every JSON body POSTed to it."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                data = json.loads(self.rfile.read(length))
                with receiver.lock:
                    receiver.bodies.append(data)
                self.send_response(204)
                self.end_headers()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hook"

    def __enter__(self) -> Receiver:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
