"""What `eventwire watch` polls: source lists, feeds and sitemaps, and URL keys.

A SOURCE argument is an http(s) URL of an RSS/Atom feed or a sitemap (a
plain, news or index sitemap, optionally gzipped), or a local file that
lists such URLs one per line (blank lines and `#` comments ignored). A
listing document is told apart by its content, not its name: a root element
`urlset` or `sitemapindex` is a sitemap, anything else goes to feedparser.
"""

from __future__ import annotations

import gzip
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser

from ..errors import InputError
from ..read._common import normalise_date
from ..read.feed import local_date, strip_html

# Query parameters that only track a click, not what page it is.
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")
_MAX_GZIP = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed


@dataclass(frozen=True, slots=True)
class Entry:
    """One article link found in a feed or sitemap."""

    url: str                  # as listed
    key: str                  # canonical_url(url): the seen-URL key and the article id
    source: str               # the feed or sitemap it was found in
    title: str | None = None
    date: str | None = None   # YYYY-MM-DD as the publisher gave it
    text: str | None = None   # the entry's own content or summary (a fallback)
    outlet: str | None = None


@dataclass(slots=True)
class Listing:
    entries: list[Entry] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # children of a sitemap index
    kind: str = "feed"


def canonical_url(url: str) -> str:
    """One spelling per page: lower-case scheme and host, no default port, no
    fragment, no tracking parameters, remaining parameters sorted."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and not ((scheme == "http" and parts.port == 80)
                           or (scheme == "https" and parts.port == 443)):
        host = f"{host}:{parts.port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not k.lower().startswith(_TRACKING))
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def expand_sources(args: Iterable[str]) -> tuple[list[str], list[InputError]]:
    """URLs from the arguments (files read now, so edits apply from the next round)."""
    urls: list[str] = []
    errors: list[InputError] = []
    for arg in args:
        if _is_url(arg):
            urls.append(arg.strip())
            continue
        path = Path(arg)
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            errors.append(InputError(f"not an http(s) URL, and no readable list of URLs "
                                     f"({reason})", source=arg))
            continue
        for n, raw in enumerate(lines, start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if _is_url(line):
                urls.append(line)
            else:
                errors.append(InputError(f"not an http(s) URL: {line[:80]!r}", source=arg,
                                         line=n))
    return list(dict.fromkeys(urls)), errors


def _is_url(text: str) -> bool:
    parts = urlsplit(text.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def parse_listing(body: bytes, url: str) -> Listing:
    """The entries of a feed or sitemap document; InputError if it is neither."""
    if body[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(body)) as gz:
                body = gz.read(_MAX_GZIP + 1)
        except (OSError, EOFError) as exc:
            raise InputError(f"bad gzip data: {exc}", source=url) from None
        if len(body) > _MAX_GZIP:
            raise InputError(f"sitemap larger than {_MAX_GZIP} bytes uncompressed",
                             source=url)
    root = _sitemap_root(body)
    if root is not None:
        return _sitemap(root, url)
    return _feed(body, url)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sitemap_root(body: bytes) -> ET.Element | None:
    head = body[:2048].lstrip()
    if b"urlset" not in head and b"sitemapindex" not in head:
        return None
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    return root if _local(root.tag) in ("urlset", "sitemapindex") else None


def _child_text(el: ET.Element, *path: str) -> str | None:
    node: ET.Element | None = el
    for name in path:
        node = next((c for c in node if _local(c.tag) == name), None) if node is not None else None
    text = node.text.strip() if node is not None and node.text else ""
    return text or None


def _sitemap(root: ET.Element, url: str) -> Listing:
    listing = Listing(kind="sitemap")
    if _local(root.tag) == "sitemapindex":
        listing.kind = "sitemap index"
        for sm in root:
            loc = _child_text(sm, "loc")
            if loc and _is_url(loc):
                listing.sitemaps.append(loc)
        return listing
    for item in root:
        loc = _child_text(item, "loc")
        if not loc or not _is_url(loc):
            continue
        # news sitemaps carry the publication's date, title and name
        date = _iso_day(_child_text(item, "news", "publication_date")
                        or _child_text(item, "lastmod"))
        listing.entries.append(Entry(
            url=loc, key=canonical_url(loc), source=url, date=date,
            title=_child_text(item, "news", "title"),
            outlet=_child_text(item, "news", "publication", "name")))
    return listing


def _iso_day(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return normalise_date(value)
    except ValueError:
        return None


def _feed(body: bytes, url: str) -> Listing:
    parsed: Any = feedparser.parse(body)  # bytes: feedparser never fetches anything itself
    entries = list(parsed.get("entries") or [])
    if not entries and not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        raise InputError("neither an RSS/Atom feed nor a sitemap"
                         + (f" ({problem})" if problem else ""), source=url)
    outlet = _clean(parsed.get("feed", {}).get("title"))
    listing = Listing(kind="feed")
    for entry in entries:
        link = _clean(entry.get("link"))
        if not link or not _is_url(link):
            continue
        contents = [c.get("value") or "" for c in entry.get("content") or []]
        body_html = max(contents, key=len) if contents else ""
        text = strip_html(body_html if body_html.strip() else entry.get("summary") or "")
        date = None
        for key in ("published", "updated"):
            if entry.get(key):
                date = local_date(str(entry.get(key)))
                break
        listing.entries.append(Entry(
            url=link, key=canonical_url(link), source=url,
            title=strip_html(entry.get("title") or "") or None, date=date,
            text=text or None, outlet=outlet))
    return listing


def _clean(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
