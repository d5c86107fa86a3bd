"""HTML pages (.html, .htm): the main text and metadata, by trafilatura.

Title, date, outlet (site name) and canonical URL come from the page's
metadata. trafilatura puts one block (paragraph, heading, list item) per
line; the reader separates blocks by a blank line, as paragraphs are in
`.txt` input. A page with no main text is an InputError.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, BinaryIO

import trafilatura

from ..errors import InputError
from ..records import Article
from ._common import MARKUP_FACTOR, ReadResult, normalise_date


def read_html(fh: BinaryIO, *, source: str, article_id: str, max_bytes: int) -> Iterator[ReadResult]:
    limit = max_bytes * MARKUP_FACTOR
    data = fh.read(limit + 1)
    if len(data) > limit:
        yield InputError(f"page is larger than the {limit}-byte limit; skipped", source=source)
        return
    yield html_article(data, source=source, article_id=article_id, origin=source,
                       max_bytes=max_bytes)


def html_article(
    data: bytes,
    *,
    source: str,
    article_id: str,
    origin: str,
    max_bytes: int,
    url: str | None = None,
    fallback_date: str | None = None,
    where: str = "",
) -> ReadResult:
    """One Article from an HTML document (bytes; trafilatura finds the charset)."""
    if not data.strip():
        return InputError(f"empty page{where}", source=source)
    # Some pages make trafilatura itself fail (odd markup, deep nesting): such a
    # page is bad input, reported like any other, not a crash of the batch.
    try:
        found: Any = trafilatura.bare_extraction(data, url=url, with_metadata=True)
        # trafilatura 2 returns a Document, 1.x a dict.
        doc = found.as_dict() if hasattr(found, "as_dict") else found
    except Exception as exc:
        return InputError(f"cannot extract text from the page{where}: "
                          f"{type(exc).__name__}: {exc}", source=source)
    if not isinstance(doc, dict) or not (doc.get("text") or "").strip():
        return InputError(f"no main text found in the page{where}", source=source)
    text = "\n\n".join(p.strip() for p in str(doc["text"]).splitlines() if p.strip())
    if len(text.encode("utf-8")) > max_bytes:
        return InputError(f"article text is larger than the {max_bytes}-byte limit; skipped"
                          f"{where}", source=source)
    date = _date(doc.get("date")) or fallback_date
    return Article(
        id=article_id,
        text=text,
        date=date,
        title=_str(doc.get("title")),
        url=url or _str(doc.get("url")),
        outlet=_str(doc.get("sitename")),
        origin=origin,
    )


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _date(value: object) -> str | None:
    # trafilatura validates the dates it returns; a value we still cannot read
    # is dropped (the caller's fallback applies) rather than losing the page.
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return normalise_date(value)
    except ValueError:
        logging.getLogger(__name__).debug("unusable page date %r", value)
        return None
