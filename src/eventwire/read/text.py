"""Plain text: the whole file is one article.

An optional first token `date YYYY-MM-DD` (after any spaces or a BOM) sets
the report date and is removed from the text. The id is the file stem.
Windows line ends are turned into "\\n" so paragraphs ("\\n\\n") look alike
from every reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from ..errors import InputError
from ..records import Article
from ._common import ReadResult, decode_document, normalise_date

# "date" then a token that starts like a year: anything else is ordinary text.
_DATE_HEADER = re.compile(r"[\s\ufeff]*date[ \t]+(\d{4}\S*)[ \t]*", re.IGNORECASE)


def read_text(fh: BinaryIO, *, source: str, article_id: str, max_bytes: int) -> Iterator[ReadResult]:
    """Yield the one article of a text stream, or the error that stops it."""
    data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield InputError(
            f"article is larger than the {max_bytes}-byte limit; skipped", source=source
        )
        return
    yield text_article(data, source=source, article_id=article_id)


def text_article(data: bytes, *, source: str, article_id: str) -> ReadResult:
    decoded = decode_document(data, source)
    if isinstance(decoded, InputError):
        return decoded
    text = decoded.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return InputError("empty file: no text", source=source)
    date = None
    m = _DATE_HEADER.match(text)
    if m is not None:
        try:
            date = normalise_date(m.group(1))
        except ValueError as exc:
            return InputError(str(exc), source=source, line=1, field="date")
        text = text[m.end():]
        if not text.strip():
            return InputError("no text after the date line", source=source, line=1)
    return Article(id=article_id, text=text.strip(), date=date, origin=source)
