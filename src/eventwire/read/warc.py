"""WARC and WARC.gz news crawls: HTML responses become articles, by warcio.

Each `response` record whose HTTP Content-Type is HTML goes through the same
extraction as an `.html` file. The URL is WARC-Target-URI (or the page's
canonical URL), the date is the page's own date or else WARC-Date, the id is
WARC-Record-ID (or a hash of the URI). Other records (requests, metadata,
images, DNS) are skipped silently. A truncated or corrupt archive yields the
good records before the damage, then one InputError naming the byte offset
of the bad record (the compressed offset in a .warc.gz, as CDX indexes use).
The older ARC format, which warcio also reads, is refused as not a WARC.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from ..errors import InputError
from ._common import MARKUP_FACTOR, ReadResult, normalise_date
from .webpage import html_article

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(fh: BinaryIO, *, source: str, max_bytes: int) -> Iterator[ReadResult]:
    limit = max_bytes * MARKUP_FACTOR
    head = _head(fh)
    if head is not None and not head.startswith(b"WARC/") and b"\n" not in head:
        # warcio reads a header line whole, however long: a 100 MB line of
        # something else would be loaded (and quoted) in full.
        yield InputError(
            f"corrupt or truncated WARC at byte offset 0: no WARC header in the first "
            f"{len(head)} bytes; records after it are not read", source=source)
        return
    records = ArchiveIterator(fh)
    offset = 0  # where the next record starts
    seen = 0
    while True:
        # warcio raises assorted exceptions on damaged input (ArchiveLoadFailed,
        # zlib errors, EOFError, header parse errors): all mean "corrupt here".
        try:
            record = next(records)
        except StopIteration:
            break
        except Exception as exc:
            yield _corrupt(source, offset, exc)
            return
        try:
            item = _record(record, source=source, limit=limit, max_bytes=max_bytes,
                           offset=offset)
            # Reading to the end tells where the record ended; a record cut
            # short leaves part of its declared Content-Length unread.
            records.get_record_offset()
        except Exception as exc:
            yield _corrupt(source, offset, exc)
            return
        if getattr(record.raw_stream, "limit", 0) > 0:
            yield InputError(
                f"truncated WARC record at byte offset {offset} (declared "
                f"{record.length} bytes, archive ends first)",
                source=source,
            )
            return
        missing = _missing_headers(record)
        if missing:
            yield InputError(
                f"corrupt WARC record at byte offset {offset}: {missing}; "
                "records after it are not read",
                source=source,
            )
            return
        seen += 1
        if item is not None:
            yield item
        offset = records.offset  # set by warcio to where the next record starts
    # warcio ends quietly when a gzip member or a record header is cut short:
    # bytes left over after the last whole record mean the archive is damaged.
    if _has_bytes_after(fh, offset):
        yield InputError(
            f"corrupt or truncated WARC at byte offset {offset}: no whole record "
            "could be read there; records after it are not read",
            source=source,
        )
    elif seen == 0:
        yield InputError("empty WARC file: no records", source=source)


_WARC_TYPES = frozenset({
    "warcinfo", "response", "resource", "request", "metadata", "revisit",
    "conversion", "continuation",
})


def _missing_headers(record: ArcWarcRecord) -> str | None:
    """Say which mandatory WARC header that is absent or garbled (a record
    whose header block was cut short, or no WARC at all), else None."""
    if not str(record.format).startswith("warc"):
        # warcio also reads the older ARC format, and takes a line of plain
        # text with five words for an ARC header: neither is a WARC record.
        return "not a WARC record (no WARC/1.x version line; ARC files are not supported)"
    if record.rec_type not in _WARC_TYPES:
        return "no valid WARC-Type header"
    for name in ("WARC-Record-ID", "WARC-Date", "Content-Length"):
        if not record.rec_headers.get_header(name):
            return f"no {name} header"
    return None


_HEAD_BYTES = 65536
_MAX_DETAIL = 200


def _head(fh: BinaryIO) -> bytes | None:
    """The first bytes of a seekable stream, which is then rewound; None when
    the stream cannot be rewound or is shorter than that."""
    if not fh.seekable():
        return None
    start = fh.tell()
    data = fh.read(_HEAD_BYTES)
    fh.seek(start)
    if data.startswith(b"\x1f\x8b"):  # the start of the first gzip member, inflated
        try:
            data = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, _HEAD_BYTES)
        except zlib.error:
            return None  # warcio reports it
    return data if len(data) >= _HEAD_BYTES else None


def _has_bytes_after(fh: BinaryIO, offset: int) -> bool:
    if not fh.seekable():
        return False
    fh.seek(offset)
    rest = fh.read(4096)
    return bool(rest.strip())


def _corrupt(source: str, offset: int, exc: Exception) -> InputError:
    # warcio's own messages say what is wrong; other libraries' errors on
    # garbled bytes (AttributeError deep inside a parser) would only confuse.
    message = str(exc).strip()
    if type(exc).__module__.startswith("warcio") and message:
        detail = message.splitlines()[0]
        if len(detail) > _MAX_DETAIL:  # warcio quotes the bad line in full
            detail = detail[:_MAX_DETAIL] + "..."
    else:
        detail = f"unreadable record ({type(exc).__name__})"
    return InputError(
        f"corrupt or truncated WARC at byte offset {offset}: {detail}; "
        "records after it are not read",
        source=source,
    )


def _record(
    record: ArcWarcRecord, *, source: str, limit: int, max_bytes: int, offset: int
) -> ReadResult | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    if not ctype.startswith(_HTML_TYPES):
        return None
    headers = record.rec_headers
    uri = headers.get_header("WARC-Target-URI") or None
    rec_id = (headers.get_header("WARC-Record-ID") or "").strip("<> ")
    if not rec_id:
        rec_id = "uri:" + hashlib.sha1((uri or str(offset)).encode("utf-8")).hexdigest()[:16]
    where = f" (record at byte offset {offset}, {uri or rec_id})"
    payload = record.content_stream().read(limit + 1)
    if len(payload) > limit:
        return InputError(f"page is larger than the {limit}-byte limit; skipped{where}",
                          source=source)
    warc_date = headers.get_header("WARC-Date")
    fallback = None
    if warc_date:
        try:
            fallback = normalise_date(warc_date)
        except ValueError:
            fallback = None
    return html_article(payload, source=source, article_id=rec_id,
                        origin=f"{source}@{offset}", max_bytes=max_bytes, url=uri,
                        fallback_date=fallback, where=where)
