"""RSS and Atom feeds (.rss, .atom, .xml): one article per entry, by feedparser.

Text is the entry's content (the longest one) or else its summary, with the
HTML removed (blocks separated by a blank line); title and link as given;
the date is the entry's published (else updated) date, as the publisher's
own clock had it (not shifted to UTC); outlet is the feed's
title; the id is the entry id, else its link. Feeds carry no line numbers
that survive parsing, so errors name the entry by its position ("entry 3").
An entry whose date feedparser cannot read is reported and skipped, as an
impossible date is in the other formats.
"""

from __future__ import annotations

import email.utils
import hashlib
import time
import xml.sax
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any, BinaryIO

import feedparser

from ..errors import InputError
from ..records import Article
from ._common import MARKUP_FACTOR, IdTracker, ReadResult, normalise_date

_BLOCKS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "table", "tr", "section", "article", "header", "footer",
    "figure", "figcaption", "hr",
})
_SKIP = frozenset({"script", "style", "template", "noscript"})


class _TextOnly(HTMLParser):
    """HTML fragment -> text, one block per paragraph (stdlib parser)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def strip_html(fragment: str) -> str:
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    blocks = ("".join(parser.parts)).split("\n")
    return "\n\n".join(" ".join(b.split()) for b in blocks if b.strip())


def read_feed(fh: BinaryIO, *, source: str, max_bytes: int) -> Iterator[ReadResult]:
    limit = max_bytes * MARKUP_FACTOR
    data = fh.read(limit + 1)
    if len(data) > limit:
        yield InputError(f"feed is larger than the {limit}-byte limit; skipped", source=source)
        return
    if not data.strip():
        yield InputError("empty file: no feed", source=source)
        return
    # Bytes, never a str: feedparser treats a str as a URL or path to fetch.
    parsed = feedparser.parse(data)
    entries: list[Any] = list(parsed.get("entries") or [])
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not entries:
        if not parsed.get("version"):
            detail = f" ({problem})" if problem else ""
            yield InputError(f"not an RSS or Atom feed{detail}", source=source)
        else:
            yield InputError("the feed has no entries", source=source)
        return
    outlet = _clean(parsed.get("feed", {}).get("title"))
    ids = IdTracker()
    for n, entry in enumerate(entries, start=1):
        item = _entry(entry, n, source=source, outlet=outlet, max_bytes=max_bytes)
        yield ids.check(item, f"entry {n}", source=source, line=None)
    # feedparser recovers from malformed XML; say so, since entries may be lost.
    if isinstance(problem, xml.sax.SAXException):
        yield InputError(f"the feed is not well-formed XML ({problem}); "
                         f"{len(entries)} entries were read, others may be missing",
                         source=source)


def _entry(entry: Any, n: int, *, source: str, outlet: str | None, max_bytes: int) -> ReadResult:
    link = _clean(entry.get("link"))
    entry_id = _clean(entry.get("id")) or link
    where = f"entry {n}" + (f" ({entry_id})" if entry_id else "")
    contents = [c.get("value") or "" for c in entry.get("content") or []]
    body = max(contents, key=len) if contents else ""
    if not body.strip():
        body = entry.get("summary") or ""
    text = strip_html(body)
    if not text:
        return InputError(f"{where}: no text (neither content nor summary)", source=source)
    if len(text.encode("utf-8")) > max_bytes:
        return InputError(f"{where}: text is larger than the {max_bytes}-byte limit; skipped",
                          source=source)
    date = None
    for key in ("published", "updated"):
        if entry.get(key):
            parsed: time.struct_time | None = entry.get(f"{key}_parsed")
            if parsed is None:
                return InputError(f"{where}: unreadable {key} date {entry.get(key)!r}",
                                  source=source, field="date")
            date = local_date(str(entry.get(key))) or (
                f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}")
            break
    if entry_id is None:
        entry_id = "entry:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
    return Article(id=entry_id, text=text, date=date, title=strip_html(entry.get("title") or "") or None,
                   url=link, outlet=outlet, origin=f"{source}#entry{n}")


def local_date(raw: str) -> str | None:
    """The date as the publisher wrote it (RFC 822 or ISO 8601), before
    feedparser's shift to UTC: "Wed, 06 Mar 2024 23:30 -0500" is March 6 where
    it was published, as a timestamp's date part is in the other formats."""
    try:
        return email.utils.parsedate_to_datetime(raw).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return normalise_date(raw)
    except ValueError:
        return None


def _clean(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
