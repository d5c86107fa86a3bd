"""Read responses kept until the next write: ETag, 304, and a server-side cache.

A dashboard asks the same few questions again and again (the overview, the
latest events, a series); each costs DuckDB a scan. This ASGI middleware keeps
the body of each successful GET under /v1/ for its path and query string, and
drops them all when the store may have changed: after any request that is not
a GET or HEAD (every write goes through one), in this process. A DuckDB file
has one writer, and a server that can write holds the file's lock, so no other
process changes what this one reads (read-only servers share an unchanging file).

Every cached or fresh 200 carries `ETag` (a hash of the body) and
`Cache-Control: no-cache` (clients revalidate, so nothing stale is shown);
`If-None-Match` with the current ETag gets a 304 with no body.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_ENTRIES = 512
MAX_BODY = 2_000_000          # bytes: larger responses are not kept
MAX_TOTAL = 64_000_000        # bytes over all entries


@dataclass(frozen=True, slots=True)
class _Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


class ResponseCache:
    """ASGI middleware; see the module docstring."""

    def __init__(self, app: ASGIApp, prefix: str = "/v1/",
                 writes: Callable[[], int] = lambda: 0) -> None:
        self.app = app
        self.prefix = prefix
        # the store's write count: writes that come through no request (serve
        # --watch writes from its own thread) make the kept responses stale too
        self.writes = writes
        self.seen_writes = writes()
        # all state is touched on the event loop only (no lock needed)
        self.entries: OrderedDict[tuple[str, bytes], _Entry] = OrderedDict()
        self.total = 0
        self.hits = 0
        self.generation = 0  # clears so far
        # a read being computed: the same request arriving meanwhile waits for it
        # (50 clients asking at once cost one query, not 50)
        self.pending: dict[tuple[str, bytes], asyncio.Event] = {}

    def clear(self) -> None:
        self.entries.clear()
        self.total = 0
        self.generation += 1

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            try:
                await self.app(scope, receive, send)
            finally:
                self.clear()  # a write (or an attempt) may have changed the store
            return
        if not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        if self.writes() != self.seen_writes:
            self.seen_writes = self.writes()
            self.clear()
        key = (scope["path"], scope.get("query_string", b""))
        wanted = dict(scope.get("headers") or []).get(b"if-none-match")
        entry = self.entries.get(key)
        running = self.pending.get(key)
        if entry is None and running is not None:
            await running.wait()
            entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
            self.hits += 1
            await self._send(send, entry, wanted, scope["method"] == "HEAD")
            return
        generation = self.generation
        start: Message | None = None
        chunks: list[bytes] = []
        streaming = False

        async def capture(message: Message) -> None:
            # a one-piece body is kept; a streamed one (more_body) passes through
            nonlocal start, streaming
            if message["type"] == "http.response.start":
                start = message
            elif streaming:
                await send(message)
            elif message["type"] == "http.response.body":
                if message.get("more_body") and start is not None:
                    streaming = True
                    await send(start)
                    await send(message)
                else:
                    chunks.append(message.get("body", b""))

        leader = key not in self.pending
        done = self.pending.setdefault(key, asyncio.Event())
        try:
            await self.app(scope, receive, capture)
        finally:
            if leader:
                del self.pending[key]
                done.set()
        if streaming or start is None:
            return
        body = b"".join(chunks)
        kept = [(k, v) for k, v in start.get("headers") or []
                if k.lower() not in (b"etag", b"cache-control")]
        entry = _Entry(start["status"], kept, body, b'"' + hashlib.blake2b(
            body, digest_size=12).hexdigest().encode() + b'"')
        # a write that ended while this read ran may have changed what it read
        if (entry.status == 200 and len(body) <= MAX_BODY and scope["method"] == "GET"
                and generation == self.generation and self.writes() == self.seen_writes):
            self._keep(key, entry)
        await self._send(send, entry, wanted, scope["method"] == "HEAD")

    def _keep(self, key: tuple[str, bytes], entry: _Entry) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.total -= len(old.body)
        self.entries[key] = entry
        self.total += len(entry.body)
        while len(self.entries) > MAX_ENTRIES or self.total > MAX_TOTAL:
            _, dropped = self.entries.popitem(last=False)
            self.total -= len(dropped.body)

    @staticmethod
    async def _send(send: Send, entry: _Entry, wanted: bytes | None, head: bool) -> None:
        if entry.status != 200:
            await send({"type": "http.response.start", "status": entry.status,
                        "headers": entry.headers})
            await send({"type": "http.response.body", "body": b"" if head else entry.body})
            return
        extra = [(b"etag", entry.etag), (b"cache-control", b"no-cache")]
        if wanted is not None and entry.etag in [t.strip() for t in wanted.split(b",")]:
            keep = [(k, v) for k, v in entry.headers
                    if k.lower() not in (b"content-length", b"content-type")]
            await send({"type": "http.response.start", "status": 304, "headers": keep + extra})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": entry.headers + extra})
        await send({"type": "http.response.body", "body": b"" if head else entry.body})
